/** `drover server members|join|force-leave` and `drover agent-info` against the included runtime. */
import { startTestAgent, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

describe("drover server and agent-info (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 0, client: true });
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);
  const name = `${require("node:os").hostname()}.global`;

  it("server members prints Nomad's table with the one server as leader", async () => {
    const r = await run("server", "members");
    expect(r).toMatchObject({ code: 0, err: "" });
    const [header, row, ...rest] = r.out.trimEnd().split("\n");
    expect(header.split(/ {2,}/)).toEqual(["Name", "Address", "Port", "Status", "Leader", "Raft Version", "Build", "Datacenter", "Region"]);
    expect(row.split(/ {2,}/)).toEqual([name, "127.0.0.1", "4648", "alive", "true", "3", "0.1.0", "dc1", "global"]);
    expect(rest).toEqual([]);
  });

  it("server members -verbose adds the protocol and the tags; -json gives the members with a Leader tag", async () => {
    const v = await run("server", "members", "-verbose");
    expect(v.out.split("\n")[0]).toMatch(/Leader {2}Protocol {2}Raft Version .*Region {2}Tags$/);
    expect(v.out).toContain("bootstrap=1,build=0.1.0,dc=dc1");
    const json = JSON.parse((await run("server", "members", "-json")).out);
    expect(json).toEqual([
      expect.objectContaining({ Name: name, Status: "alive", Tags: expect.objectContaining({ Leader: "true", role: "nomad" }) }),
    ]);
  });

  it("server join and force-leave answer as a single server does", async () => {
    expect(await run("server", "join", "127.0.0.1")).toMatchObject({ code: 0, out: "Joined 1 servers successfully\n" });
    const other = await run("server", "join", "10.1.2.3:4648");
    expect(other.code).toBe(1);
    expect(other.err).toContain("drover server join: Error joining: failed joining: 1 error occurred:");
    expect(other.err).toContain("Failed to join 10.1.2.3:4648: drover agents do not gossip");
    expect(await run("server", "force-leave", "-prune", "old.global")).toMatchObject({ code: 0, err: "" });
    expect((await run("server", "join")).code).toBe(2);
    expect((await run("server", "force-leave")).code).toBe(2);
  });

  it("agent-info prints the stats sections as Nomad does; -json the whole answer", async () => {
    const r = await run("agent-info");
    expect(r).toMatchObject({ code: 0, err: "" });
    const sections = r.out.split("\n").filter((l) => l && !l.startsWith("  "));
    expect(sections).toEqual([...sections].sort());
    expect(sections).toEqual(expect.arrayContaining(["client", "nomad", "raft", "runtime"]));
    expect(r.out).toMatch(/^nomad\n( {2}.+ = .+\n)* {2}leader = true\n/m);
    expect(r.out).toContain(`  node_id = ${t.agent.localNodeID}\n`);
    const json = JSON.parse((await run("agent-info", "-json")).out);
    expect(json.member.Name).toBe(name);
    expect(json.config.Region).toBe("global");
    expect((await run("agent-info", "extra")).code).toBe(2);
  });

  it("each has --help", async () => {
    for (const argv of [["server", "members"], ["server", "join"], ["server", "force-leave"], ["agent-info"]]) {
      const r = await run(...argv, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: drover ${argv.join(" ")}`);
    }
    expect((await run("server", "--help")).out).toContain("members");
  });

  it("a connection failure is exit 1 with the reason", async () => {
    const r = await drover("http://127.0.0.1:1", files.dir, ["agent-info"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^drover agent-info: /);
  });
});
