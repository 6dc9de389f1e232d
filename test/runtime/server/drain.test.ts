/** Node drains: over HTTP per the migrate block and its deadline, and the LastDrain metadata the node records. */
import { allocs, api, mockJob, running, startTestAgent, waitFor, type JobAllocStub, type TestAgent } from "../../helpers/runtime";
import { DRAIN_TICK_MS, nextLastDrain } from "../../../lib/runtime/server/drain";
import { FakeClock } from "../../helpers/fake-clock";
import type { Node } from "../../../lib/runtime/structs";

function jobWithMigrate(id: string, count: number, migrate: Record<string, unknown>): Record<string, unknown> {
  const job = mockJob(id, { count }) as { TaskGroups: Record<string, unknown>[] };
  job.TaskGroups[0].Migrate = { HealthCheck: "task_states", HealthyDeadline: 60_000_000_000, ...migrate };
  return job as unknown as Record<string, unknown>;
}

describe("node drain", () => {
  let t: TestAgent;
  let nodes: { ID: string; Name: string }[];
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 3 });
    nodes = (await api(t.address, "GET", "/v1/nodes")).body;
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Places the job's allocations on the first node only (the others ineligible meanwhile), then makes the others eligible. */
  async function placeOnFirstNode(job: Record<string, unknown>, id: string, count: number): Promise<JobAllocStub[]> {
    for (const n of nodes.slice(1)) await api(t.address, "POST", `/v1/node/${n.ID}/eligibility`, { Eligibility: "ineligible" });
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const placed = await waitFor(`${count} allocations of ${id} running`, async () => {
      const l = running(await allocs(t, id));
      return l.length === count ? l : null;
    });
    expect(placed.every((a) => a.NodeID === nodes[0].ID)).toBe(true);
    // Replacements made while the job's deployment runs would report health through it: drain once it is done.
    await waitFor(`the deployment of ${id} to succeed`, async () =>
      (await api(t.address, "GET", `/v1/job/${id}/deployment`)).body?.Status === "successful" ? true : null,
    );
    for (const n of nodes.slice(1)) await api(t.address, "POST", `/v1/node/${n.ID}/eligibility`, { Eligibility: "eligible" });
    return placed;
  }

  async function drainDone(nodeID: string): Promise<void> {
    await waitFor(
      "the drain to complete",
      async () => ((await api(t.address, "GET", `/v1/node/${nodeID}`)).body.DrainStrategy === null ? true : null),
      15_000,
    );
    await api(t.address, "POST", `/v1/node/${nodeID}/drain`, { DrainSpec: null, MarkEligible: true });
  }

  it("migrates max_parallel allocations at a time, waiting for replacements to be healthy", async () => {
    const placed = await placeOnFirstNode(
      jobWithMigrate("one-by-one", 3, { MaxParallel: 1, MinHealthyTime: 300_000_000 }),
      "one-by-one",
      3,
    );
    const drain = await api(t.address, "POST", `/v1/node/${nodes[0].ID}/drain`, { DrainSpec: { Deadline: 60_000_000_000 } });
    expect(drain.status).toBe(200);
    expect(drain.body.EvalIDs).toHaveLength(1);
    const moved = await waitFor(
      "every allocation moved",
      async () => {
        const l = running(await allocs(t, "one-by-one"));
        return l.length === 3 && l.every((a) => a.NodeID !== nodes[0].ID) ? l : null;
      },
      15_000,
    );
    // One replacement per plan, each after the previous one had been running for min_healthy_time.
    const times = moved.map((a) => a.CreateTime).sort((a, b) => a - b);
    expect(new Set(moved.map((a) => a.CreateIndex)).size).toBe(3);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(300_000_000);
    for (const a of placed)
      expect((await allocs(t, "one-by-one")).find((x) => x.ID === a.ID)).toMatchObject({
        DesiredStatus: "stop",
        DesiredDescription: "alloc is being migrated",
      });
    await drainDone(nodes[0].ID);
  });

  it("moves everything allowed at once with a larger max_parallel", async () => {
    await placeOnFirstNode(jobWithMigrate("all-at-once", 3, { MaxParallel: 3, MinHealthyTime: 300_000_000 }), "all-at-once", 3);
    await api(t.address, "POST", `/v1/node/${nodes[0].ID}/drain`, { DrainSpec: { Deadline: 60_000_000_000 } });
    const moved = await waitFor(
      "every allocation moved",
      async () => {
        const l = running(await allocs(t, "all-at-once"));
        return l.length === 3 && l.every((a) => a.NodeID !== nodes[0].ID) ? l : null;
      },
      15_000,
    );
    expect(new Set(moved.map((a) => a.CreateIndex)).size).toBe(1);
    await drainDone(nodes[0].ID);
  });
});

describe("node drain deadline, on the server's clock", () => {
  // The server runs on a FakeClock: the drainer's passes and the deadline move only when the test advances it.
  // The clients' heartbeats keep real timers: a long grace keeps the nodes up however far the clock is moved.
  const clock = new FakeClock();
  let t: TestAgent;
  let nodes: { ID: string; Name: string }[];
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 3, clock, heartbeat: { graceMs: 24 * 3_600_000 } });
    nodes = (await api(t.address, "GET", "/v1/nodes")).body;
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Advances the clock by one drainer tick at a time, `ticks` times. */
  function tick(ticks = 1): void {
    for (let i = 0; i < ticks; i++) clock.advance(DRAIN_TICK_MS);
  }

  /** Waits for the drain of a node to complete (advancing the clock a pass at a time), then makes the node eligible again. */
  async function drainDone(nodeID: string): Promise<void> {
    await waitFor(
      "the drain to complete",
      async () => {
        tick();
        return (await api(t.address, "GET", `/v1/node/${nodeID}`)).body.DrainStrategy === null ? true : null;
      },
      15_000,
    );
    await api(t.address, "POST", `/v1/node/${nodeID}/drain`, { DrainSpec: null, MarkEligible: true });
  }

  /** The allocations of `job` marked for migration. */
  async function marked(job: string): Promise<JobAllocStub[]> {
    const l = await allocs(t, job);
    const full = await Promise.all(l.map(async (a) => (await api(t.address, "GET", `/v1/allocation/${a.ID}`)).body));
    return full.filter((a: { DesiredTransition: { Migrate: boolean | null } }) => a.DesiredTransition.Migrate === true);
  }

  it("leaves batch allocations until the deadline and system allocations until everything else has left", async () => {
    for (const n of nodes.slice(1)) await api(t.address, "POST", `/v1/node/${n.ID}/eligibility`, { Eligibility: "ineligible" });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("batchy", { type: "batch", runFor: "1h" }) });
    const batch = await waitFor("the batch allocation running", async () => running(await allocs(t, "batchy"))[0]);
    expect(batch.NodeID).toBe(nodes[0].ID);
    for (const n of nodes.slice(1)) await api(t.address, "POST", `/v1/node/${n.ID}/eligibility`, { Eligibility: "eligible" });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("sys", { type: "system" }) });
    const sysOnFirst = await waitFor("a system allocation on every node", async () => {
      const l = running(await allocs(t, "sys"));
      return l.length === 3 ? l.find((a) => a.NodeID === nodes[0].ID) : null;
    });
    await api(t.address, "POST", `/v1/node/${nodes[0].ID}/drain`, { DrainSpec: { Deadline: 2_000_000_000 } });
    // The system job is evaluated while the node drains: its allocation there stays for now (after the evaluation and two drainer passes).
    const evaluated = await api(t.address, "PUT", "/v1/job/sys/evaluate", {});
    await waitFor("the system job's evaluation to complete", async () =>
      (await api(t.address, "GET", `/v1/evaluation/${evaluated.body.EvalID}`)).body.Status === "complete" ? true : null,
    );
    tick(2);
    expect(await marked("sys")).toHaveLength(0);
    expect(await marked("batchy")).toHaveLength(0);
    expect((await allocs(t, "sys")).find((a) => a.ID === sysOnFirst!.ID)).toMatchObject({ DesiredStatus: "run", ClientStatus: "running" });
    expect((await allocs(t, "batchy")).find((a) => a.ID === batch.ID)).toMatchObject({ DesiredStatus: "run", ClientStatus: "running" });
    // At the deadline the batch allocation moves; the system one is stopped at the first pass after it has left.
    tick(Math.ceil(2_000 / DRAIN_TICK_MS) - 2);
    expect((await marked("batchy")).map((a) => a.ID)).toEqual([batch.ID]);
    await waitFor(
      "the batch allocation moved at the deadline and the system one stopped after it",
      async () => {
        tick();
        const b = (await allocs(t, "batchy")).find((a) => a.ID === batch.ID);
        const s = (await allocs(t, "sys")).find((a) => a.ID === sysOnFirst!.ID);
        return b?.DesiredStatus === "stop" && s?.DesiredStatus === "stop" && s.DesiredDescription === "alloc is being migrated"
          ? true
          : null;
      },
      15_000,
    );
    expect(running(await allocs(t, "batchy")).every((a) => a.NodeID !== nodes[0].ID)).toBe(true);
    await drainDone(nodes[0].ID);
    await api(t.address, "DELETE", "/v1/job/sys");
    await api(t.address, "DELETE", "/v1/job/batchy");
  });

  it("forces the remaining allocations off at the deadline and clears the drain strategy", async () => {
    // Replacements never count as healthy in time (min_healthy_time 1h): only the deadline moves the rest.
    for (const n of nodes.slice(1)) await api(t.address, "POST", `/v1/node/${n.ID}/eligibility`, { Eligibility: "ineligible" });
    const job = jobWithMigrate("deadline", 3, { MaxParallel: 1, MinHealthyTime: 3_600_000_000_000, HealthyDeadline: 7_200_000_000_000 });
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    await waitFor("3 allocations of deadline running on the first node", async () => {
      const l = running(await allocs(t, "deadline"));
      return l.length === 3 && l.every((a) => a.NodeID === nodes[0].ID) ? true : null;
    });
    // The originals count as healthy for migration once their deployment found them healthy.
    await waitFor("the deployment of deadline to succeed", async () =>
      (await api(t.address, "GET", "/v1/job/deadline/deployment")).body?.Status === "successful" ? true : null,
    );
    for (const n of nodes.slice(1)) await api(t.address, "POST", `/v1/node/${n.ID}/eligibility`, { Eligibility: "eligible" });

    await api(t.address, "POST", `/v1/node/${nodes[0].ID}/drain`, {
      DrainSpec: { Deadline: 1_500_000_000 },
      Meta: { reason: "kernel upgrade" },
    });
    const node = (await api(t.address, "GET", `/v1/node/${nodes[0].ID}`)).body;
    expect(node.DrainStrategy).toMatchObject({ Deadline: 1_500_000_000, IgnoreSystemJobs: false });
    expect(node.LastDrain).toMatchObject({
      Status: "draining",
      Meta: { reason: "kernel upgrade" },
      StartedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(node.SchedulingEligibility).toBe("ineligible");
    // Before the deadline only one (healthy originals minus count - max_parallel) moves.
    await waitFor("one allocation moved", async () => {
      const l = running(await allocs(t, "deadline"));
      return l.length === 3 && l.filter((a) => a.NodeID === nodes[0].ID).length === 2 ? true : null;
    });
    // Two drainer passes later (400 ms into the 1.5 s), still only that one is marked.
    const passes = t.agent.server.drainer.passes;
    tick(2);
    expect(t.agent.server.drainer.passes).toBe(passes + 2);
    expect(await marked("deadline")).toHaveLength(1);
    expect(running(await allocs(t, "deadline")).filter((a) => a.NodeID === nodes[0].ID)).toHaveLength(2);
    // The first pass at or past the deadline marks the rest.
    tick(Math.ceil(1_500 / DRAIN_TICK_MS) - 2);
    expect(await marked("deadline")).toHaveLength(3);
    await waitFor(
      "everything moved at the deadline",
      async () => {
        const l = running(await allocs(t, "deadline"));
        return l.length === 3 && l.every((a) => a.NodeID !== nodes[0].ID) ? l : null;
      },
      15_000,
    );
    // The drain completes at the next pass that finds the node empty.
    await waitFor(
      "the drain to complete",
      async () => {
        tick();
        return (await api(t.address, "GET", `/v1/node/${nodes[0].ID}`)).body.DrainStrategy === null ? true : null;
      },
      15_000,
    );
    const done = (await api(t.address, "GET", `/v1/node/${nodes[0].ID}`)).body;
    expect(done.Events.map((e: { Message: string }) => e.Message)).toContain("Node drain complete");
    expect(done.LastDrain).toMatchObject({ Status: "complete", StartedAt: node.LastDrain.StartedAt, Meta: { reason: "kernel upgrade" } });
    const listed = ((await api(t.address, "GET", "/v1/nodes")).body as { ID: string; LastDrain: { Status: string } | null }[]).find(
      (n) => n.ID === nodes[0].ID,
    );
    expect(listed?.LastDrain?.Status).toBe("complete");
  });
});

describe("LastDrain (Nomad's drain metadata)", () => {
  const t0 = Date.UTC(2026, 10, 23, 10, 0, 0, 400);
  const idle = { DrainStrategy: null } as unknown as Node;
  it("starts, updates, completes and cancels as Nomad's state store records them", () => {
    expect(nextLastDrain(idle, false, false, t0)).toBeUndefined();
    const started = nextLastDrain(idle, true, false, t0, { reason: "r" });
    expect(started).toEqual({
      StartedAt: "2026-11-23T10:00:00Z",
      UpdatedAt: "2026-11-23T10:00:00Z",
      Status: "draining",
      AccessorID: "",
      Meta: { reason: "r" },
    });
    const draining = { DrainStrategy: { StartedAt: "2026-11-23T10:00:00.400Z" }, LastDrain: started } as unknown as Node;
    expect(nextLastDrain(draining, false, true, t0 + 60_000)).toEqual({
      StartedAt: "2026-11-23T10:00:00Z",
      UpdatedAt: "2026-11-23T10:01:00Z",
      Status: "complete",
      AccessorID: "",
      Meta: { reason: "r" },
    });
    expect(nextLastDrain(draining, false, false, t0 + 5000, { by: "me" })).toMatchObject({ Status: "canceled", Meta: { by: "me" } });
    expect(nextLastDrain({ ...draining, LastDrain: undefined } as Node, true, false, t0 + 1000)).toMatchObject({
      StartedAt: "2026-11-23T10:00:00Z",
      Status: "draining",
    });
  });
});
