import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";

describe("agent smoke", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent();
  });
  afterAll(async () => {
    await t.stop();
  });

  it("registers a service job and runs it", async () => {
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("smoke", { count: 2 }) });
    expect(reg.status).toBe(200);
    expect(reg.body.EvalID).toMatch(/^[0-9a-f-]{36}$/);
    const allocs = await waitFor("2 running allocations", async () => {
      const r = await api(t.address, "GET", "/v1/job/smoke/allocations");
      return r.body.length === 2 && r.body.every((a: { ClientStatus: string }) => a.ClientStatus === "running") ? r.body : null;
    });
    expect(allocs).toHaveLength(2);
    const job = await api(t.address, "GET", "/v1/job/smoke");
    expect(job.body.Status).toBe("running");
  });
});
