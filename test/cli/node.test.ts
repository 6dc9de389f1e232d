/** `drover node status|drain|eligibility|meta read|meta apply` end to end against the included runtime. */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

describe("drover node (against the included runtime)", () => {
  let t: TestAgent;
  let local: string;
  let sim: string[];
  const files = tempDir();
  beforeAll(async () => {
    t = await startTestAgent({ name: "edge-1", localNode: { meta: { rack: "r1" } } });
    local = t.agent.localNodeID;
    sim = await t.agent.addSimNodes({ count: 2, name: "gpu", node_pool: "gpu" });
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);

  it("status lists the nodes as nomad does, with -verbose, -quiet and -json", async () => {
    const r = await run("node", "status");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +Node Pool +DC +Name +Class +Drain +Eligibility +Status$/);
    expect(lines).toHaveLength(4);
    expect(r.out).toMatch(new RegExp(`${local.slice(0, 8)} +default +dc1 +edge-1 +<none> +false +eligible +ready`));
    const verbose = await run("node", "status", "-verbose");
    expect(verbose.out.split("\n")[0]).toMatch(/Address +Version +Drain/);
    expect(verbose.out).toContain(local);
    expect((await run("node", "status", "-quiet")).out.trimEnd().split("\n").sort()).toEqual([local, ...sim].sort());
    const json = JSON.parse((await run("node", "status", "-json")).out);
    expect(json.map((n: any) => n.ID).sort()).toEqual([local, ...sim].sort());
  });

  it("status NODE shows one node by ID prefix or name, with its allocations; -verbose adds attributes and meta", async () => {
    await api(t.address, "PUT", "/v1/jobs", {
      Job: { ...mockJob("pinned", { runFor: "1h" }), Constraints: [{ LTarget: "${node.unique.name}", RTarget: "edge-1", Operand: "=" }] },
    });
    await waitFor("the allocation to run", async () =>
      (await api(t.address, "GET", `/v1/node/${local}/allocations`)).body.some((a: any) => a.ClientStatus === "running"),
    );
    const r = await run("node", "status", local.slice(0, 6));
    expect(r.err).toBe("");
    expect(r.out).toContain(`ID              = ${local}\n`);
    expect(r.out).toMatch(/Name +Node Pool|Name +\S/);
    expect(r.out).toContain("Name            = edge-1\n");
    expect(r.out).toContain("Driver Status   = ");
    expect(r.out).toContain("\nNode Events\nTime");
    expect(r.out).toContain("Node registered");
    expect(r.out).toMatch(/\nAllocated Resources\nCPU +Memory +Disk +Alloc Count\n100\/\d+ MHz/);
    expect(r.out).toMatch(
      /\nAllocations\nID +Node ID +Task Group +Version +Desired +Status +Created +Modified\n\S+ +\S+ +web +0 +run +running/,
    );
    const byName = await run("node", "status", "edge-1");
    expect(byName.out).toContain(`ID              = ${local}\n`);
    const verbose = await run("node", "status", "-verbose", local);
    expect(verbose.out).toContain("\nAttributes\n");
    expect(verbose.out).toMatch(/\nMeta\nrack = r1\n/);
    const json = JSON.parse((await run("node", "status", "-json", local)).out);
    expect(json).toMatchObject({ ID: local, Name: "edge-1", Meta: { rack: "r1" } });
  });

  it("status refuses what nomad refuses: a one-character prefix, an unknown node, two arguments", async () => {
    expect(await run("node", "status", "a")).toMatchObject({
      code: 1,
      err: "drover node status: Identifier must contain at least two characters.\n",
    });
    expect(await run("node", "status", "zz-none")).toMatchObject({
      code: 1,
      err: 'drover node status: No node(s) with prefix or id "zz-none" found\n',
    });
    expect((await run("node", "status", "a", "b")).code).toBe(2);
  });

  it("eligibility marks a node ineligible and eligible again", async () => {
    const off = await run("node", "eligibility", "-disable", sim[0]);
    expect(off).toMatchObject({ code: 0, out: `Node "${sim[0]}" scheduling eligibility set: ineligible for scheduling\n` });
    expect((await api(t.address, "GET", `/v1/node/${sim[0]}`)).body.SchedulingEligibility).toBe("ineligible");
    const on = await run("node", "eligibility", "-enable", sim[0]);
    expect(on.out).toBe(`Node "${sim[0]}" scheduling eligibility set: eligible for scheduling\n`);
    expect((await api(t.address, "GET", `/v1/node/${sim[0]}`)).body.SchedulingEligibility).toBe("eligible");
    expect((await run("node", "eligibility", sim[0])).code).toBe(2);
  });

  it("drain -enable -detach sets a drain; -disable cancels it; an empty node's drain is followed to its end", async () => {
    const set = await run("node", "drain", "-enable", "-deadline", "10m", "-detach", "-m", "kernel upgrade", sim[1]);
    expect(set).toMatchObject({ code: 0, out: `Node "${sim[1]}" drain strategy set\n` });
    const node = (await api(t.address, "GET", `/v1/node/${sim[1]}`)).body;
    const status = await run("node", "status", sim[1]);
    expect(status.out).toMatch(/Drain +=( true; \S+ deadline| false)/);
    expect(node.LastDrain.Meta).toEqual({ message: "kernel upgrade" });
    const unset = await run("node", "drain", "-disable", "-yes", sim[1]);
    expect(unset.out).toBe(`Node "${sim[1]}" drain strategy unset\n`);
    const after = (await api(t.address, "GET", `/v1/node/${sim[1]}`)).body;
    expect(after).toMatchObject({ DrainStrategy: null, SchedulingEligibility: "eligible" });

    const followed = await run("node", "drain", "-enable", "-force", sim[1]);
    expect(followed.code).toBe(0);
    expect(followed.out).toContain(`Node "${sim[1]}" drain strategy set\n`);
    expect(followed.out).toContain(`Drain complete for node ${sim[1]}\n`);
    expect(followed.out).toContain(`All allocations on node "${sim[1]}" have stopped\n`);
    await run("node", "eligibility", "-enable", sim[1]);
  });

  it("drain asks before acting on a prefix, and without a terminal wants -yes", async () => {
    const r = await run("node", "drain", "-enable", "-detach", sim[0].slice(0, 8));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`is node "${sim[0]}": confirm on a terminal, or pass -yes to enable its drain`);
    expect((await api(t.address, "GET", `/v1/node/${sim[0]}`)).body.DrainStrategy).toBeNull();
    expect((await run("node", "drain", sim[0])).code).toBe(2);
    expect((await run("node", "drain", "-disable", "-deadline", "1h", sim[0])).code).toBe(2);
    expect((await run("node", "drain", "-enable", "-deadline", "soon", sim[0])).code).toBe(2);
  });

  it("meta apply sets and unsets keys; meta read shows all, dynamic and static", async () => {
    expect(await run("node", "meta", "apply", "ready=1", "role=db")).toMatchObject({ code: 0, out: "", err: "" });
    expect((await run("node", "meta", "apply", "-unset", "rack")).code).toBe(0);
    const r = await run("node", "meta", "read");
    expect(r.err).toBe("");
    expect(r.out).toBe(
      "All Meta\nready = 1\nrole  = db\n\nDynamic Meta\nrack  = <unset>\nready = 1\nrole  = db\n\nStatic Meta\nrack = r1\n",
    );
    const other = await run("node", "meta", "apply", "-node-id", sim[0], "zone=b");
    expect(other.code).toBe(0);
    const json = JSON.parse((await run("node", "meta", "read", "-json", "-node-id", sim[0])).out);
    expect(json).toEqual({ Meta: { zone: "b" }, Dynamic: { zone: "b" }, Static: {} });
    expect((await run("node", "meta", "apply")).code).toBe(2);
    const bad = await run("node", "meta", "apply", "bad key=1");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("metadata keys must be valid dotted hcl identifiers");
  });

  it("has --help for the group and every subcommand", async () => {
    const group = await run("node", "--help");
    expect(group.out).toContain("meta apply");
    for (const sub of [["status"], ["drain"], ["eligibility"], ["meta", "read"], ["meta", "apply"]]) {
      const h = await run("node", ...sub, "--help");
      expect(h.code).toBe(0);
      expect(h.out).toContain(`Usage: drover node ${sub.join(" ")}`);
    }
  });
});
