/**
 * The scheduler configuration (`/v1/operator/scheduler/configuration`):
 * check-and-set, and each setting honoured: spread vs binpack placement,
 * RejectJobRegistration, PauseEvalBroker, MemoryOversubscriptionEnabled.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

describe("scheduler configuration", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simPools: [{ count: 2, cpu: 4000, memory: 8192 }], client: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const config = async () => (await api(t.address, "GET", "/v1/operator/scheduler/configuration")).body.SchedulerConfig as Obj;
  const set = async (patch: Obj, cas?: number) =>
    api(t.address, "PUT", `/v1/operator/scheduler/configuration${cas === undefined ? "" : `?cas=${cas}`}`, {
      ...(await config()),
      ...patch,
    });
  const placedNode = async (id: string) =>
    waitFor(`${id} placed`, async () => {
      const allocs = (await api(t.address, "GET", `/v1/job/${id}/allocations`)).body as Obj[];
      return allocs.length === 1 ? (allocs[0].NodeID as string) : null;
    });

  it("check-and-set: a stale ?cas= index is refused with Updated false, the current one applies", async () => {
    const before = await config();
    const stale = await set({ SchedulerAlgorithm: "spread" }, before.ModifyIndex + 1000);
    expect(stale.body.Updated).toBe(false);
    expect((await config()).SchedulerAlgorithm).toBe("binpack");
    const ok = await set({ SchedulerAlgorithm: "binpack" }, before.ModifyIndex);
    expect(ok.body.Updated).toBe(true);
    expect((await config()).ModifyIndex).toBe(ok.body.Index);
  });

  it("binpack fills one node; spread then puts new work on the emptier node", async () => {
    const packed: string[] = [];
    for (let i = 0; i < 4; i++) {
      await api(t.address, "PUT", "/v1/jobs", { Job: mockJob(`pack-${i}`, { count: 1, cpu: 500 }) });
      packed.push(await placedNode(`pack-${i}`));
    }
    expect(new Set(packed).size).toBe(1);
    expect((await set({ SchedulerAlgorithm: "spread" })).body.Updated).toBe(true);
    const spread: string[] = [];
    for (let i = 0; i < 4; i++) {
      await api(t.address, "PUT", "/v1/jobs", { Job: mockJob(`spread-${i}`, { count: 1, cpu: 500 }) });
      spread.push(await placedNode(`spread-${i}`));
    }
    expect(new Set(spread).size).toBe(1);
    expect(spread[0]).not.toBe(packed[0]);
    await set({ SchedulerAlgorithm: "binpack" });
  });

  it("RejectJobRegistration refuses registrations with 403", async () => {
    await set({ RejectJobRegistration: true });
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("rejected") });
    expect(r.status).toBe(403);
    expect(r.text).toBe("Permission denied");
    await set({ RejectJobRegistration: false });
  });

  it("PauseEvalBroker keeps evaluations pending until it is turned off", async () => {
    await set({ PauseEvalBroker: true });
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("paused", { count: 1 }) });
    expect(reg.status).toBe(200);
    // A further request gives the worker its turns on the event loop.
    await api(t.address, "GET", "/v1/jobs");
    expect((await api(t.address, "GET", `/v1/evaluation/${reg.body.EvalID}`)).body.Status).toBe("pending");
    expect(t.agent.server.broker.stats().totalReady).toBeGreaterThanOrEqual(1);
    await set({ PauseEvalBroker: false });
    await placedNode("paused");
  });

  it("memory_max is granted only with MemoryOversubscriptionEnabled", async () => {
    const withMax = (id: string) => {
      const job = mockJob(id, { count: 1 }) as Obj;
      job.TaskGroups[0].Tasks[0].Resources.MemoryMaxMB = 256;
      return job;
    };
    const maxOf = async (id: string) => {
      await placedNode(id);
      const stub = ((await api(t.address, "GET", `/v1/job/${id}/allocations`)).body as Obj[])[0];
      return (await api(t.address, "GET", `/v1/allocation/${stub.ID}`)).body.AllocatedResources.Tasks.main.Memory.MemoryMaxMB;
    };
    await api(t.address, "PUT", "/v1/jobs", { Job: withMax("nomax") });
    expect(await maxOf("nomax")).toBe(0);
    await set({ MemoryOversubscriptionEnabled: true });
    await api(t.address, "PUT", "/v1/jobs", { Job: withMax("withmax") });
    expect(await maxOf("withmax")).toBe(256);
  });
});
