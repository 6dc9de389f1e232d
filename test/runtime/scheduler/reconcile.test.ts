import type { Allocation, StoredJob } from "../../../lib/runtime/structs";
import { allocNameIndex } from "../../../lib/runtime/structs";
import { Harness, mockJob, mockNode, tasksUpdated } from "../../../lib/runtime/scheduler";
import { jobView, type JobView, type TaskGroupView } from "../../../lib/runtime/scheduler/job-view";
import { nextDelay, nextRescheduleTime } from "../../../lib/runtime/scheduler/reconcile/reschedule";

/** A cluster of n mock nodes with the job placed and its allocations running (and healthy when `healthy`). */
function cluster(nodes: number, job: StoredJob, healthy = true) {
  const h = new Harness();
  for (let i = 0; i < nodes; i++) h.upsertNode(mockNode());
  h.upsertJob(job);
  h.run(job);
  markRunning(h, job.ID, healthy);
  return h;
}

function markRunning(h: Harness, jobID: string, healthy: boolean): void {
  h.upsertAllocs(
    h.liveAllocs("default", jobID).map((a) => ({
      ...a,
      ClientStatus: "running",
      DeploymentStatus: a.DeploymentID
        ? { Healthy: healthy, Timestamp: "2026-01-01T00:00:00Z", Canary: !!a.DeploymentStatus?.Canary, ModifyIndex: 0 }
        : a.DeploymentStatus,
    })),
  );
}

/** A new version of the job with a modified first group. */
function update(h: Harness, job: StoredJob, change: (tg: TaskGroupView, j: JobView) => void): StoredJob {
  const copy = JSON.parse(JSON.stringify(job)) as StoredJob;
  change(jobView(copy).TaskGroups![0], jobView(copy));
  return h.upsertJob(copy);
}

/** Everything a plan placed (new and updated) and stopped; empty when the eval submitted no plan. */
function planOf(h: Harness, evalID: string) {
  const p = h.plans.find((x) => x.EvalID === evalID);
  return { placed: p ? Object.values(p.NodeAllocation).flat() : [], stopped: p ? Object.values(p.NodeUpdate).flat() : [] };
}

const names = (allocs: readonly Allocation[]) => allocs.map((a) => allocNameIndex(a.Name)).sort((x, y) => x - y);

describe("reconciler: placements and stops", () => {
  it("places count allocations named job.group[0..n-1]", () => {
    const h = cluster(5, mockJob({ group: { Count: 4 } }));
    expect(names(h.liveAllocs("default", "mock-job"))).toEqual([0, 1, 2, 3]);
    expect(h.lastPlan().Annotations).toBeNull();
  });

  it("scales down by stopping the highest indexes first", () => {
    const job = mockJob({ group: { Count: 5 } });
    const h = cluster(5, job);
    const v2 = update(h, job, (tg) => (tg.Count = 2));
    h.run(v2);
    const stops = Object.values(h.lastPlan().NodeUpdate).flat();
    expect(names(stops)).toEqual([2, 3, 4]);
    expect(stops.every((a) => a.DesiredStatus === "stop" && a.DesiredDescription === "alloc not needed due to job update")).toBe(true);
    expect(names(h.liveAllocs("default", job.ID))).toEqual([0, 1]);
  });

  it("scales up with the lowest free indexes", () => {
    const job = mockJob({ group: { Count: 2 } });
    const h = cluster(5, job);
    const v2 = update(h, job, (tg) => (tg.Count = 4));
    h.run(v2);
    expect(
      names(
        Object.values(h.lastPlan().NodeAllocation)
          .flat()
          .filter((a) => a.Job === v2 && a.ClientStatus === "pending"),
      ),
    ).toEqual([2, 3]);
  });

  it("stops everything when the job is stopped", () => {
    const job = mockJob({ group: { Count: 3 } });
    const h = cluster(3, job);
    const v2 = update(h, job, (_tg, j) => (j.Stop = true));
    h.run(v2);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(0);
    expect(
      Object.values(h.lastPlan().NodeUpdate)
        .flat()
        .map((a) => a.DesiredDescription),
    ).toEqual(Array(3).fill("alloc not needed since job is stopped"));
  });

  it("replaces allocations on a down node and marks them lost", () => {
    const job = mockJob({ group: { Count: 2, Constraints: [{ Operand: "distinct_hosts" }] } });
    const h = cluster(3, job);
    const victim = h.liveAllocs("default", job.ID)[0];
    h.upsertNode({ ...h.nodeByID(victim.NodeID)!, Status: "down" });
    h.run(job, { TriggeredBy: "node-update" });
    const stop = Object.values(h.lastPlan().NodeUpdate).flat()[0];
    expect(stop.ID).toBe(victim.ID);
    expect(stop.ClientStatus).toBe("lost");
    const repl = Object.values(h.lastPlan().NodeAllocation).flat()[0];
    expect(repl.Name).toBe(victim.Name);
    expect(repl.PreviousAllocation).toBe(victim.ID);
    expect(repl.NodeID).not.toBe(victim.NodeID);
  });

  it("migrates allocations marked DesiredTransition.Migrate", () => {
    const job = mockJob({ group: { Count: 1 } });
    const h = cluster(2, job);
    const a = h.liveAllocs("default", job.ID)[0];
    h.upsertAllocs([{ ...a, DesiredTransition: { Migrate: true, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null } }]);
    h.upsertNode({ ...h.nodeByID(a.NodeID)!, SchedulingEligibility: "ineligible" });
    h.run(job, { TriggeredBy: "node-drain" });
    expect(Object.values(h.lastPlan().NodeUpdate).flat()[0].DesiredDescription).toBe("alloc is being migrated");
    const placed = Object.values(h.lastPlan().NodeAllocation).flat()[0];
    expect(placed.PreviousAllocation).toBe(a.ID);
    expect(placed.NodeID).not.toBe(a.NodeID);
  });
});

describe("tasksUpdated (destructive vs in-place rules)", () => {
  const base = () => jobView(mockJob());
  const cases: [string, (tg: TaskGroupView, j: JobView) => void, boolean][] = [
    ["nothing", () => undefined, false],
    ["driver", (tg) => (tg.Tasks[0].Driver = "docker"), true],
    ["user", (tg) => (tg.Tasks[0].User = "nobody"), true],
    ["config", (tg) => (tg.Tasks[0].Config = { command: "/bin/ls" }), true],
    ["env", (tg) => (tg.Tasks[0].Env = { FOO: "baz" }), true],
    ["task meta", (tg) => (tg.Tasks[0].Meta = { a: "b" }), true],
    ["job meta", (_tg, j) => (j.Meta = { owner: "someone" }), true],
    ["cpu", (tg) => (tg.Tasks[0].Resources!.CPU = 600), true],
    ["memory", (tg) => (tg.Tasks[0].Resources!.MemoryMB = 512), true],
    ["memory max", (tg) => (tg.Tasks[0].Resources!.MemoryMaxMB = 1024), true],
    ["ephemeral disk", (tg) => (tg.EphemeralDisk = { SizeMB: 500 }), true],
    ["port added", (tg) => tg.Networks![0].DynamicPorts!.push({ Label: "metrics" }), true],
    ["network mode", (tg) => (tg.Networks![0].Mode = "bridge"), true],
    ["task added", (tg) => tg.Tasks.push({ Name: "side", Driver: "exec" }), true],
    ["task renamed", (tg) => (tg.Tasks[0].Name = "other"), true],
    ["templates", (tg) => (tg.Tasks[0].Templates = [{ EmbeddedTmpl: "x" }]), true],
    ["artifacts", (tg) => (tg.Tasks[0].Artifacts = [{ GetterSource: "x" }]), true],
    ["log disabled", (tg) => (tg.Tasks[0].LogConfig = { Disabled: true }), true],
    ["count", (tg) => (tg.Count = 3), false],
    ["constraints", (tg) => (tg.Constraints = [{ LTarget: "${attr.a}", RTarget: "b", Operand: "=" }]), false],
    ["update block", (tg) => (tg.Update = { MaxParallel: 3 }), false],
    ["reschedule policy", (tg) => (tg.ReschedulePolicy = { Attempts: 9 }), false],
    ["services", (tg) => (tg.Services = [{ Name: "web", PortLabel: "http" }]), false],
    ["connect service", (tg) => (tg.Services = [{ Name: "web", Connect: { SidecarService: {} } }]), true],
    ["priority", (_tg, j) => (j.Priority = 80), false],
  ];
  it.each(cases)("%s → destructive=%s", (_name, change, want) => {
    const a = base();
    const b = JSON.parse(JSON.stringify(a)) as JobView;
    change(b.TaskGroups![0], b);
    expect(tasksUpdated(a, b, "web")).toBe(want);
  });
});

describe("reconciler: updates", () => {
  it("updates in place when only non-destructive fields change, keeping node and ports", () => {
    const job = mockJob({ group: { Count: 3 } });
    const h = cluster(3, job);
    const before = new Map(h.liveAllocs("default", job.ID).map((a) => [a.ID, a]));
    const v2 = update(h, job, (tg) => (tg.Services = [{ Name: "web" }]));
    h.run(v2);
    const plan = h.lastPlan();
    expect(Object.keys(plan.NodeUpdate)).toHaveLength(0);
    const updated = Object.values(plan.NodeAllocation).flat();
    expect(updated).toHaveLength(3);
    for (const u of updated) {
      const old = before.get(u.ID)!;
      expect(u.NodeID).toBe(old.NodeID);
      expect(u.AllocatedResources.Shared.Ports).toEqual(old.AllocatedResources.Shared.Ports);
      expect(u.Job).toBe(v2);
    }
  });

  it("replaces destructively (stop + place, same name) when a task changes, MaxParallel at a time", () => {
    const job = mockJob({ group: { Count: 4, Update: { MaxParallel: 2 } } });
    const h = cluster(4, job);
    const v2 = update(h, job, (tg) => (tg.Tasks[0].Env = { FOO: "changed" }));
    h.run(v2);
    const plan = h.lastPlan();
    const stops = Object.values(plan.NodeUpdate).flat();
    const placed = Object.values(plan.NodeAllocation).flat();
    expect(names(stops)).toEqual([0, 1]);
    expect(names(placed)).toEqual([0, 1]);
    expect(stops.every((s) => s.DesiredDescription === "alloc is being updated due to job update")).toBe(true);
    expect(placed.every((p) => p.PreviousAllocation !== "" && p.DeploymentID === plan.Deployment!.ID)).toBe(true);
    expect(plan.Deployment!.TaskGroups.web).toMatchObject({ DesiredTotal: 4, DesiredCanaries: 0 });
    // Nothing more until the new allocations are healthy.
    const again = h.run(v2, { TriggeredBy: "deployment-watcher" });
    expect(planOf(h, again.ID).stopped).toHaveLength(0);
    markRunning(h, job.ID, true);
    const next = h.run(v2, { TriggeredBy: "deployment-watcher" });
    expect(names(planOf(h, next.ID).stopped)).toEqual([2, 3]);
  });

  it("stops rolling when an allocation of the deployment is unhealthy", () => {
    const job = mockJob({ group: { Count: 3, Update: { MaxParallel: 1 } } });
    const h = cluster(3, job);
    const v2 = update(h, job, (tg) => (tg.Tasks[0].Env = { FOO: "changed" }));
    h.run(v2);
    markRunning(h, job.ID, false);
    const again = h.run(v2, { TriggeredBy: "deployment-watcher" });
    expect(planOf(h, again.ID).stopped).toHaveLength(0);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(3);
  });

  it("places canaries first, reusing names of allocations to replace, and nothing destructive", () => {
    const job = mockJob({ group: { Count: 3, Update: { MaxParallel: 1, Canary: 2 } } });
    const h = cluster(3, job);
    const v2 = update(h, job, (tg) => (tg.Tasks[0].Env = { FOO: "canary" }));
    h.run(v2);
    const plan = h.lastPlan();
    const placed = Object.values(plan.NodeAllocation).flat();
    expect(placed).toHaveLength(2);
    expect(placed.every((a) => a.DeploymentStatus?.Canary === true)).toBe(true);
    expect(names(placed)).toEqual([0, 1]);
    expect(Object.values(plan.NodeUpdate).flat()).toHaveLength(0);
    expect(plan.Deployment!.TaskGroups.web.DesiredCanaries).toBe(2);
    expect([...plan.Deployment!.TaskGroups.web.PlacedCanaries!].sort()).toEqual(placed.map((a) => a.ID).sort());
    // Re-evaluating while canaries are unpromoted places nothing more.
    markRunning(h, job.ID, true);
    const again = h.run(v2, { TriggeredBy: "deployment-watcher" });
    expect(planOf(h, again.ID).placed).toHaveLength(0);
    expect(planOf(h, again.ID).stopped).toHaveLength(0);
  });

  it("after promotion stops the old allocations that share a canary's name, then rolls the rest", () => {
    const job = mockJob({ group: { Count: 3, Update: { MaxParallel: 1, Canary: 2 } } });
    const h = cluster(3, job);
    const v2 = update(h, job, (tg) => (tg.Tasks[0].Env = { FOO: "canary" }));
    h.run(v2);
    markRunning(h, job.ID, true);
    const d = h.latestDeploymentByJobID("default", job.ID)!;
    h.upsertDeployment({ ...d, TaskGroups: { web: { ...d.TaskGroups.web, Promoted: true, HealthyAllocs: 2 } } });
    const ev = h.run(v2, { TriggeredBy: "deployment-watcher" });
    const { placed, stopped } = planOf(h, ev.ID);
    const oldStops = stopped.filter((a) => a.Job.Version === 0);
    expect(names(oldStops)).toEqual([0, 1, 2]);
    expect(
      oldStops
        .filter((a) => a.DesiredDescription === "alloc not needed due to job update")
        .map((a) => a.Name)
        .sort(),
    ).toEqual(["mock-job.web[0]", "mock-job.web[1]"]);
    expect(names(placed.filter((a) => a.ClientStatus === "pending"))).toEqual([2]);
    expect(h.liveAllocs("default", job.ID).filter((a) => a.Job.Version === 1)).toHaveLength(3);
  });

  it("reports DesiredUpdates in annotated dry runs without failing", () => {
    const job = mockJob({ group: { Count: 3 } });
    const h = cluster(3, job);
    const v2 = update(h, job, (tg) => {
      tg.Count = 2;
      tg.Tasks[0].Resources!.CPU = 100000;
    });
    const dry = new Harness();
    void dry;
    h.run(v2, { AnnotatePlan: true });
    const ann = h.lastPlan().Annotations!;
    expect(ann.DesiredTGUpdates.web).toMatchObject({ Stop: 1, DestructiveUpdate: 2, Place: 0 });
    expect(h.createdEvals.filter((e) => e.Status === "blocked")).toHaveLength(0);
  });
});

describe("rescheduling", () => {
  const policy = { Attempts: 3, Interval: 3600e9, Delay: 5e9, DelayFunction: "exponential", MaxDelay: 60e9, Unlimited: false };
  const failed = (events: number[]): Allocation =>
    ({
      ClientStatus: "failed",
      ModifyTime: 910e9,
      TaskStates: null,
      RescheduleTracker: {
        Events: events.map((d, i) => ({ RescheduleTime: (900 + i) * 1e9, PrevAllocID: "x", PrevNodeID: "n", Delay: d })),
      },
    }) as unknown as Allocation;

  it.each([
    ["constant", { ...policy, DelayFunction: "constant" }, [5e9, 5e9], 5e9],
    ["exponential first", policy, [], 5e9],
    ["exponential doubles", policy, [5e9, 10e9], 20e9],
    ["exponential capped", policy, [40e9], 60e9],
    ["fibonacci", { ...policy, DelayFunction: "fibonacci" }, [5e9, 5e9, 10e9], 15e9],
  ] as [string, typeof policy, number[], number][])("%s delay", (_n, p, events, want) => {
    expect(nextDelay(failed(events), p)).toBe(want);
  });

  it("stops being eligible after Attempts within Interval", () => {
    expect(nextRescheduleTime(failed([5e9, 10e9]), policy, 1000e9).eligible).toBe(true);
    expect(nextRescheduleTime(failed([5e9, 10e9, 20e9]), policy, 1000e9).eligible).toBe(false);
    expect(nextRescheduleTime(failed([5e9, 10e9, 20e9]), { ...policy, Unlimited: true }, 1000e9).eligible).toBe(true);
  });

  it("reschedules a failed allocation now with a penalty on its node, or later with a follow-up eval", () => {
    const job = mockJob({
      group: {
        Count: 1,
        ReschedulePolicy: { Attempts: 2, Interval: 600e9, Delay: 5e9, DelayFunction: "constant", MaxDelay: 0, Unlimited: false },
      },
    });
    const h = cluster(3, job);
    const a = h.liveAllocs("default", job.ID)[0];
    h.upsertAllocs([{ ...a, ClientStatus: "failed", ModifyTime: h.now() }]);
    // Failed just now: the 5 s delay is in the future → a follow-up eval.
    h.run(job, { TriggeredBy: "alloc-failure" });
    const follow = h.createdEvals.find((e) => e.StatusDescription === "created for delayed rescheduling")!;
    expect(follow.TriggeredBy).toBe("alloc-reschedule");
    expect(Date.parse(follow.WaitUntil!) * 1e6).toBe(h.now() + 5e9);
    expect(h.allocByID(a.ID)!.FollowupEvalID).toBe(follow.ID);
    // The follow-up eval reschedules it now.
    h.advance(5e9);
    h.run(job, { ID: follow.ID, TriggeredBy: "alloc-reschedule" });
    const placed = Object.values(h.lastPlan().NodeAllocation).flat()[0];
    expect(placed.PreviousAllocation).toBe(a.ID);
    expect(placed.RescheduleTracker!.Events).toEqual([{ RescheduleTime: h.now(), PrevAllocID: a.ID, PrevNodeID: a.NodeID, Delay: 5e9 }]);
    expect(placed.Metrics!.ScoreMetaData!.find((s) => s.NodeID === a.NodeID)?.Scores["node-reschedule-penalty"] ?? -1).toBe(-1);
    expect(placed.NodeID).not.toBe(a.NodeID);
  });
});
