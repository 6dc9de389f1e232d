/**
 * `drover job inspect|history|versions|validate|allocs|deployments|stop`
 * end to end against the included runtime (simulated nodes).
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

type Obj = Record<string, any>;

describe("drover job inspect, history, validate, allocs, deployments, stop (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);
  const running = (id: string, n: number) =>
    waitFor(`${n} running allocations of ${id}`, async () => {
      const allocs = (await api(t.address, "GET", `/v1/job/${id}/allocations`)).body as Obj[];
      return allocs.filter((a) => a.ClientStatus === "running").length === n ? allocs : null;
    });

  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1, client: false });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("shop-api", { count: 2 }) });
    await running("shop-api", 2);
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("shop-api", { count: 2, meta: { release: "2" } }) });
    await waitFor("version 1 deployed", async () => {
      const d = (await api(t.address, "GET", "/v1/job/shop-api/deployment")).body as Obj | null;
      return d?.JobVersion === 1 && d.Status === "successful";
    });
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });

  it("inspect prints the job as the API returns it, wrapped in Job; -json alone; -version an older one", async () => {
    const r = await run("job", "inspect", "shop-api");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const live = (await api(t.address, "GET", "/v1/job/shop-api")).body;
    expect(JSON.parse(r.out)).toEqual({ Job: live });
    const json = await run("job", "inspect", "-json", "shop");
    expect(JSON.parse(json.out)).toEqual(live);
    const v0 = await run("job", "inspect", "-version", "0", "shop-api");
    expect(JSON.parse(v0.out).Job).toMatchObject({ ID: "shop-api", Version: 0, Meta: null });
    const missing = await run("job", "inspect", "-version", "7", "shop-api");
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('drover job inspect: Error inspecting job: job "shop-api" with version 7 couldn\'t be found\n');
    const none = await run("job", "inspect", "nope");
    expect(none.code).toBe(1);
    expect(none.err).toContain('No job(s) with prefix or ID "nope" found');
    expect((await run("job", "inspect", "-version", "x", "shop-api")).code).toBe(2);
  });

  it("history lists the versions newest first; -p shows what changed; versions is the same command", async () => {
    const r = await run("job", "history", "-p", "shop-api");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const blocks = r.out.split("\n\n");
    expect(blocks[0]).toMatch(/^Version {5}= 1\nStable {6}= true\nSubmit Date = \S+\nDiff {8}=\n\+\/- Job: "shop-api"\n/);
    expect(blocks[0]).toContain('+/- Job: "shop-api"\n+ Meta[release]: "2"\n  Task Group: "web"');
    expect(blocks[1]).toMatch(/^Version {5}= 0\nStable {6}= (true|false)\nSubmit Date = \S+\n$/);
    const versions = await run("job", "versions", "-json", "shop-api");
    expect((JSON.parse(versions.out) as Obj[]).map((v) => v.Version)).toEqual([1, 0]);
    expect((await run("job", "versions", "--help")).out).toContain("Nomad has no `job versions` command");
    const one = await run("job", "history", "-version", "0", "-full", "shop-api");
    expect(one.out).toMatch(/^Version {5}= 0\n[\s\S]*Full {8}= JSON Job:\n\{\n {4}"/);
    expect((await run("job", "history", "-json", "-p", "shop-api")).code).toBe(2);
  });

  it("allocs lists the job's allocations; deployments lists its deployments, -latest the last one", async () => {
    const allocs = await run("job", "allocs", "shop-api");
    expect(allocs.code).toBe(0);
    const lines = allocs.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+Node ID\s+Task Group\s+Version\s+Desired\s+Status\s+Created\s+Modified$/);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const json = JSON.parse((await run("job", "allocs", "-json", "shop-api")).out) as Obj[];
    expect(json.every((a) => a.JobID === "shop-api")).toBe(true);
    const verbose = await run("job", "allocs", "-verbose", "shop-api");
    expect(verbose.out.split("\n")[0]).toMatch(/^ID\s+Eval ID\s+Node ID\s+Node Name\s+Task Group/);

    const deployments = await run("job", "deployments", "shop-api");
    expect(deployments.code).toBe(0);
    expect(deployments.out).toMatch(/^ID\s+Job ID\s+Job Version\s+Status\s+Description\n[0-9a-f]{8}\s+shop-api\s+1\s+successful/);
    const latest = await run("job", "deployments", "-latest", "shop-api");
    expect(latest.out).toMatch(/^ID\s+= [0-9a-f]{8}\nJob ID\s+= shop-api\nJob Version\s+= 1\nStatus\s+= successful/);
  });

  it("validate checks locally, and with -remote asks Nomad", async () => {
    files.write("ok.json", mockJob("valid-one"));
    files.write("bad.json", { ...mockJob("invalid-one"), Type: "nonsense" });
    const ok = await run("job", "validate", "ok.json");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("ok.json: ok");
    const bad = await run("job", "validate", "bad.json");
    expect(bad.code).toBe(1);
    const remote = await run("job", "validate", "-remote", "ok.json");
    expect(remote.err).toBe("");
    expect(remote.code).toBe(0);
    expect(remote.out).toBe("Job validation successful\n");
    expect((await run("job", "validate", "--address", t.address, "ok.json")).code).toBe(2);
    // Nothing was registered by validating.
    expect((await api(t.address, "GET", "/v1/job/valid-one")).status).toBe(404);
  });

  it("stop deregisters the job and monitors its evaluation; -detach prints the evaluation; -purge removes it", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("to-stop", { count: 1 }) });
    await waitFor(
      "to-stop deployed",
      async () => ((await api(t.address, "GET", "/v1/job/to-stop/deployment")).body as Obj | null)?.Status === "successful",
    );
    const r = await run("job", "stop", "to-stop");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^==> \S+: Monitoring evaluation "[0-9a-f]{8}"\n/);
    expect(r.out).toContain('Evaluation triggered by job "to-stop"');
    expect(r.out).toMatch(/\n==> \S+: Evaluation "[0-9a-f]{8}" finished with status "complete"\n/);
    // The evaluation names the job's latest deployment (as Nomad's scheduler does); the monitor follows it to its end.
    expect(r.out).toMatch(
      /==> \S+: Monitoring deployment "[0-9a-f]{8}"\n {4}\S+: Deployment "[0-9a-f]{8}" successful: Deployment completed successfully\n\nID\s+= [0-9a-f]{8}\nJob ID\s+= to-stop\n/,
    );
    expect((await api(t.address, "GET", "/v1/job/to-stop")).body.Stop).toBe(true);

    // A prefix needs confirmation; there is no terminal, so it refuses and changes nothing.
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("to-purge", { count: 1 }) });
    const refused = await run("job", "stop", "to-pu");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Are you sure you want to stop job "to-purge"?');
    expect((await api(t.address, "GET", "/v1/job/to-purge")).body.Stop).toBe(false);

    const detached = await run("job", "stop", "-purge", "-detach", "-yes", "to-pu");
    expect(detached.code).toBe(0);
    const evalId = detached.out.trim();
    expect(evalId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api(t.address, "GET", `/v1/evaluation/${evalId}`)).body.JobID).toBe("to-purge");
    expect((await api(t.address, "GET", "/v1/job/to-purge")).status).toBe(404);
    expect((await run("job", "stop")).code).toBe(2);
  });
});
