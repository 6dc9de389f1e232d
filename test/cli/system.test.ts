/** `drover system gc` and `drover system reconcile summaries` end to end against the included runtime. */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

type Obj = Record<string, any>;

describe("drover system (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);

  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1, client: false });
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });

  it("gc removes a stopped job whose allocations are terminal", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("old", { count: 1 }) });
    await waitFor("old running", async () =>
      ((await api(t.address, "GET", "/v1/job/old/allocations")).body as Obj[]).some((a) => a.ClientStatus === "running"),
    );
    await api(t.address, "DELETE", "/v1/job/old");
    await waitFor("old's allocations stopped", async () =>
      ((await api(t.address, "GET", "/v1/job/old/allocations")).body as Obj[]).every((a) => a.ClientStatus === "complete"),
    );
    expect((await api(t.address, "GET", "/v1/job/old")).status).toBe(200);
    const r = await run("system", "gc");
    expect(r.err).toBe("");
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
    expect((await api(t.address, "GET", "/v1/job/old")).status).toBe(404);
  });

  it("reconcile summaries recounts the summaries", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("counted", { count: 2 }) });
    await waitFor("two running", async () => {
      const s = (await api(t.address, "GET", "/v1/job/counted/summary")).body as Obj;
      return s.Summary?.web?.Running === 2;
    });
    const r = await run("system", "reconcile", "summaries");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(((await api(t.address, "GET", "/v1/job/counted/summary")).body as Obj).Summary.web).toMatchObject({ Running: 2, Queued: 0 });
  });

  it("refuses arguments and -namespace; --help names the subcommands", async () => {
    expect((await run("system", "gc", "extra")).code).toBe(2);
    expect((await run("system", "gc", "-namespace", "x")).code).toBe(2);
    expect((await run("system", "reconcile")).code).toBe(2);
    expect((await run("system", "--help")).out).toMatch(/gc\s+Collect[\s\S]*reconcile summaries\s+Recount/);
    expect((await run("system", "reconcile", "summaries", "--help")).out).toContain("Usage: drover system reconcile summaries");
  });
});
