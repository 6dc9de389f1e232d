/**
 * Preemption end to end against the real runtime (simulated mock_driver
 * nodes with small resources): a high-priority system job evicts a
 * low-priority service allocation, which shows Nomad's eviction fields and is
 * stopped by its client; the service job gets a follow-up evaluation
 * (TriggeredBy "preemption") that blocks while there is no room and places
 * once a node with room joins; a service job preempts only once the operator
 * API turns `PreemptionConfig.ServiceSchedulerEnabled` on.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

interface Alloc {
  ID: string;
  JobID: string;
  NodeID: string;
  DesiredStatus: string;
  DesiredDescription: string;
  ClientStatus: string;
  PreemptedByAllocation: string;
  PreemptedAllocations: string[] | null;
}

interface Eval {
  ID: string;
  Status: string;
  TriggeredBy: string;
}

async function allocs(t: TestAgent, job: string): Promise<Alloc[]> {
  const r = await api(t.address, "GET", `/v1/job/${job}/allocations`);
  expect(r.status).toBe(200);
  return r.body as Alloc[];
}

async function alloc(t: TestAgent, id: string): Promise<Alloc> {
  return (await api(t.address, "GET", `/v1/allocation/${id}`)).body as Alloc;
}

async function evals(t: TestAgent, job: string): Promise<Eval[]> {
  return (await api(t.address, "GET", `/v1/job/${job}/evaluations`)).body as Eval[];
}

async function register(t: TestAgent, job: Record<string, unknown>): Promise<void> {
  const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
  expect(r.status).toBe(200);
}

/** A running allocation of the job (waits for it). */
function running(t: TestAgent, job: string): Promise<Alloc> {
  return waitFor(`a running allocation of ${job}`, async () => (await allocs(t, job)).find((a) => a.ClientStatus === "running"));
}

describe("preemption on the included runtime", () => {
  let t: TestAgent;
  beforeEach(async () => {
    // One small node: 1000 MHz, 1024 MiB.
    t = await startTestAgent({ client: false, simPools: [{ count: 1, name: "small", cpu: 1000, memory: 1024 }] });
  });
  afterEach(async () => {
    await t?.stop();
  });

  it("a high-priority system job evicts a low-priority service allocation, which is placed again once there is room", async () => {
    await register(t, { ...mockJob("low", { memoryMB: 700, cpu: 300 }), Priority: 20 });
    const victim = await running(t, "low");
    // Let the service job's deployment finish first, so that its watcher has no evaluation of its own in flight.
    await waitFor("the service job's deployment successful", async () => {
      const d = (await api(t.address, "GET", "/v1/job/low/deployment")).body as { Status?: string } | null;
      return d?.Status === "successful";
    });

    await register(t, { ...mockJob("agent", { type: "system", memoryMB: 600, cpu: 300 }), Priority: 80 });
    const placed = await running(t, "agent");
    expect(placed.PreemptedAllocations).toEqual([victim.ID]);

    const evicted = await waitFor("the evicted allocation stopped by its client", async () => {
      const a = await alloc(t, victim.ID);
      return a.ClientStatus === "complete" ? a : null;
    });
    expect(evicted).toMatchObject({
      DesiredStatus: "evict",
      DesiredDescription: `Preempted by alloc ID ${placed.ID}`,
      PreemptedByAllocation: placed.ID,
    });

    // The service job's follow-up evaluation finds no room and leaves a blocked evaluation.
    const blocked = await waitFor("the preempted job's evaluations", async () => {
      const list = await evals(t, "low");
      const follow = list.find((e) => e.TriggeredBy === "preemption");
      const b = list.find((e) => e.Status === "blocked");
      return follow && follow.Status !== "pending" && b ? b : null;
    });
    expect(blocked.TriggeredBy).toBe("queued-allocs");
    expect((await allocs(t, "low")).filter((a) => a.DesiredStatus === "run")).toHaveLength(0);

    // A node with room joins: the blocked evaluation places the service allocation there.
    const [bigID] = await t.agent.addSimNodes({ count: 1, name: "big", cpu: 4000, memory: 4096 });
    const again = await waitFor("the service allocation placed again", async () =>
      (await allocs(t, "low")).find((a) => a.DesiredStatus === "run" && a.ClientStatus === "running"),
    );
    expect(again.NodeID).toBe(bigID);
  });

  it("a service job preempts only once PreemptionConfig.ServiceSchedulerEnabled is set through the operator API", async () => {
    await register(t, { ...mockJob("low", { memoryMB: 700, cpu: 300 }), Priority: 20 });
    const victim = await running(t, "low");

    await register(t, { ...mockJob("high", { memoryMB: 600, cpu: 300 }), Priority: 80 });
    await waitFor("the high job's blocked evaluation", async () => (await evals(t, "high")).find((e) => e.Status === "blocked"));
    expect((await alloc(t, victim.ID)).DesiredStatus).toBe("run");
    expect(await allocs(t, "high")).toHaveLength(0);

    const bad = await api(t.address, "PUT", "/v1/operator/scheduler/configuration", {
      PreemptionConfig: { ServiceSchedulerEnabled: "yes" },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe("PreemptionConfig.ServiceSchedulerEnabled must be a boolean");
    const unknown = await api(t.address, "PUT", "/v1/operator/scheduler/configuration", {
      PreemptionConfig: { CoreSchedulerEnabled: true },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("PreemptionConfig.CoreSchedulerEnabled is not a scheduler type's switch");

    const set = await api(t.address, "PUT", "/v1/operator/scheduler/configuration", {
      PreemptionConfig: { ServiceSchedulerEnabled: true },
    });
    expect(set.status).toBe(200);
    const cfg = await api(t.address, "GET", "/v1/operator/scheduler/configuration");
    expect(cfg.body.SchedulerConfig.PreemptionConfig).toEqual({
      SystemSchedulerEnabled: true,
      SysBatchSchedulerEnabled: false,
      BatchSchedulerEnabled: false,
      ServiceSchedulerEnabled: true,
    });

    // The next evaluation of the job takes the new setting.
    expect((await api(t.address, "PUT", "/v1/job/high/evaluate", {})).status).toBe(200);
    const placed = await running(t, "high");
    expect(placed.PreemptedAllocations).toEqual([victim.ID]);
    expect(await alloc(t, victim.ID)).toMatchObject({ DesiredStatus: "evict", PreemptedByAllocation: placed.ID });
  });
});
