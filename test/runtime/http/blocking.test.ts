/** Blocking queries: `?index=N&wait=D` waits for a change of the tables a read depends on, or for `wait`. */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

describe("blocking queries", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ client: false });
  });
  afterAll(async () => {
    await t.stop();
  });

  it("returns after the wait time when nothing changes, with the same index", async () => {
    const first = await api(t.address, "GET", "/v1/jobs");
    const index = Number(first.headers.get("x-nomad-index"));
    expect(index).toBeGreaterThan(0);
    const started = Date.now();
    const again = await api(t.address, "GET", `/v1/jobs?index=${index}&wait=300ms`);
    const elapsed = Date.now() - started;
    expect(again.status).toBe(200);
    expect(Number(again.headers.get("x-nomad-index"))).toBe(index);
    // The wait was honoured (it may be up to wait/16 longer).
    expect(elapsed).toBeGreaterThanOrEqual(250);
  });

  it("wakes when a table it reads changes, and reports the new index", async () => {
    const index = Number((await api(t.address, "GET", "/v1/jobs")).headers.get("x-nomad-index"));
    const pending = api(t.address, "GET", `/v1/jobs?index=${index}&wait=30s`);
    let settled = false;
    void pending.then(() => (settled = true));
    await waitFor("the query to block on the server", () => t.agent.server.store.blockingQueries === 1);
    expect(settled).toBe(false);
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("wake") });
    const woke = await pending;
    expect(woke.body.map((j: { ID: string }) => j.ID)).toContain("wake");
    expect(Number(woke.headers.get("x-nomad-index"))).toBeGreaterThanOrEqual(reg.body.JobModifyIndex);
  });

  it("does not wake for writes to tables it does not read", async () => {
    const nodesIndex = Number((await api(t.address, "GET", "/v1/nodes")).headers.get("x-nomad-index"));
    const pending = api(t.address, "GET", `/v1/nodes?index=${nodesIndex}&wait=400ms`);
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("unrelated") });
    const r = await pending;
    expect(Number(r.headers.get("x-nomad-index"))).toBe(nodesIndex);
  });

  it("returns at once when the index is already behind", async () => {
    const r = await api(t.address, "GET", "/v1/jobs?index=1&wait=30s");
    expect(r.status).toBe(200);
    expect(Number(r.headers.get("x-nomad-index"))).toBeGreaterThan(1);
  });

  it("rejects a malformed wait or index with 400", async () => {
    expect((await api(t.address, "GET", "/v1/jobs?index=1&wait=soon")).status).toBe(400);
    expect((await api(t.address, "GET", "/v1/jobs?index=abc")).status).toBe(400);
  });
});
