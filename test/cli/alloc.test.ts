/**
 * `drover alloc restart|signal|stop|checks` end to end against the included
 * runtime: its own client runs mock_driver tasks.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

type Obj = Record<string, any>;

describe("drover alloc restart, signal, stop, checks (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);
  const alloc = async (id: string) => (await api(t.address, "GET", `/v1/allocation/${id}`)).body as Obj;
  const events = async (id: string) => ((await alloc(id)).TaskStates?.main?.Events ?? []).map((e: Obj) => e.Type) as string[];
  let id: string;

  beforeAll(async () => {
    t = await startTestAgent();
    const job = mockJob("svc", { count: 1 }) as Obj;
    // A Nomad service with an HTTP check on a port nothing listens on: its result is a failure, which is still a result to show.
    job.TaskGroups[0].Networks = [{ DynamicPorts: [{ Label: "http" }] }];
    job.TaskGroups[0].Services = [
      {
        Name: "svc-http",
        Provider: "nomad",
        PortLabel: "http",
        Checks: [{ Name: "alive", Type: "http", Path: "/", Interval: 1e9, Timeout: 1e9 }],
      },
    ];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const running = await waitFor(
      "svc running",
      async () => ((await api(t.address, "GET", "/v1/job/svc/allocations")).body as Obj[]).find((a) => a.ClientStatus === "running"),
      20_000,
    );
    id = running.ID;
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });

  it("restart restarts the task in place; a task the group lacks is refused with the group's tasks", async () => {
    const r = await run("alloc", "restart", id.slice(0, 8), "main");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    await waitFor("a restart event", async () => (await events(id)).includes("Restart Signaled"));
    await waitFor("running again", async () => (await alloc(id)).TaskStates.main.State === "running");
    expect((await alloc(id)).ClientStatus).toBe("running");
    const wrong = await run("alloc", "restart", id, "nope");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe("drover alloc restart: Could not find task named: nope, found:\nmain\n");
    expect((await run("alloc", "restart", "-all-tasks", id, "main")).code).toBe(2);
  });

  it("signal sends the signal to the task (SIGKILL unless -s)", async () => {
    const r = await run("alloc", "signal", "-s", "SIGHUP", id);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    await waitFor("a signaling event", async () => {
      const e = ((await alloc(id)).TaskStates.main.Events as Obj[]).find((x) => x.Type === "Signaling");
      return e?.Details?.signal === "SIGHUP";
    });
    expect((await run("alloc", "signal", id, "main")).code).toBe(0);
    await waitFor("a SIGKILL signaling event (the mock driver ignores signals)", async () =>
      ((await alloc(id)).TaskStates.main.Events as Obj[]).some((x) => x.Type === "Signaling" && x.Details?.signal === "SIGKILL"),
    );
    const bad = await run("alloc", "signal", "-s", "hup", id);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Error signalling allocation: invalid signal "hup"');
  });

  it("checks shows the latest result of each service check; -json the API's answer", async () => {
    await waitFor("a check result", async () => {
      const r = await api(t.address, "GET", `/v1/client/allocation/${id}/checks`);
      return Object.keys(r.body ?? {}).length > 0;
    });
    const r = await run("alloc", "checks", id);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Status of 1 Nomad Service Checks\n\n/);
    expect(r.out).toMatch(/\nName\s+=\s+alive\nGroup\s+=\s+web\nTask\s+=\s+\(group\)\nService\s+=\s+svc-http\nStatus\s+=\s+failure\n/);
    const json = JSON.parse((await run("alloc", "checks", "-json", id)).out) as Record<string, Obj>;
    expect(Object.values(json)[0]).toMatchObject({ Check: "alive", Service: "svc-http", Status: "failure" });
  });

  it("stop stops the allocation and monitors the evaluation that replaces it", async () => {
    const r = await run("alloc", "stop", id);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^==> \S+: Monitoring evaluation "[0-9a-f]{8}"\n/);
    expect(r.out).toMatch(/Allocation "[0-9a-f]{8}" created: node "[0-9a-f]{8}", group "web"\n/);
    expect(r.out).toMatch(/==> \S+: Evaluation "[0-9a-f]{8}" finished with status "complete"\n/);
    expect((await alloc(id)).DesiredStatus).toBe("stop");
    const live = ((await api(t.address, "GET", "/v1/job/svc/allocations")).body as Obj[]).filter((a) => a.DesiredStatus === "run");
    expect(live.map((a) => a.ID)).not.toContain(id);
    expect(live).toHaveLength(1);
  });

  it("names a prefix that matches nothing and refuses usage errors", async () => {
    const none = await run("alloc", "stop", "ffff");
    expect(none.code).toBe(1);
    expect(none.err).toBe('No allocation(s) with prefix or id "ffff" found\n');
    expect((await run("alloc", "signal")).code).toBe(2);
    expect((await run("alloc", "checks", "a", "b")).code).toBe(2);
    expect((await run("alloc", "--help")).out).toMatch(/restart\s+Restart[\s\S]*signal\s+Send[\s\S]*stop\s+Stop/);
  });
});
