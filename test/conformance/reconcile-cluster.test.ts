/**
 * scheduler/reconciler/reconcile_cluster_test.go: what the reconciler
 * decides for a job's allocations, read from the plan's annotations
 * (DesiredTGUpdates, which are the reconciler's counts) and the names the
 * plan places and stops. Each scenario runs version 0 of a job on a cluster
 * (one allocation per node: distinct_hosts), marks its allocations running
 * and healthy, changes the job (in place: job meta; destructively: a task's
 * env), optionally taints nodes, and plans the next evaluation.
 */
import type { Allocation, Node, StoredJob } from "../../lib/runtime/structs";
import { jobView, type UpdateView } from "../../lib/runtime/scheduler/job-view";
import { Harness, cluster, desired, nomad, markRunning, mockJob, nameIndexes, planOf, update } from "./helpers";

const NOMAD_FILE = "scheduler/reconciler/reconcile_cluster_test.go";

/** Nomad's reconciler tests' update blocks: canaryUpdate and noCanaryUpdate. */
const canaryUpdate: UpdateView = {
  Canary: 2,
  MaxParallel: 2,
  HealthCheck: "checks",
  ProgressDeadline: 0,
  AutoRevert: false,
  AutoPromote: false,
};
const noCanaryUpdate: UpdateView = { ...canaryUpdate, Canary: 0, MaxParallel: 4 };

interface Scenario {
  nomad: string;
  what: string;
  /** Allocations of version 0 (its count). */
  existing: number;
  /** The group's update block (both versions); none by default. */
  updateBlock?: UpdateView;
  /** How version 1 differs. */
  change: "none" | "inplace" | "destructive";
  /** Version 1's count (default: existing). */
  count?: number;
  /** Allocations (by name index) whose nodes go down before the evaluation. */
  lost?: number[];
  /** Allocations (by name index) whose nodes drain (the drainer marks them to migrate). */
  drain?: number[];
  /** Status of version 0's deployment when the evaluation runs (default: successful). */
  deploymentStatus?: "paused" | "failed";
  /** Nomad's DesiredTGUpdates for the group (non-zero counts). */
  want: Record<string, number>;
  /** Name indexes placed (new allocations, canaries, replacements), when Nomad's test checks them. */
  placed?: number[];
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

function start(s: Scenario): { h: Harness; nodes: Node[]; job: StoredJob } {
  const { h, nodes } = cluster(20);
  const job = h.upsertJob(
    mockJob({
      Constraints: [{ Operand: "distinct_hosts", LTarget: "", RTarget: "" }],
      group: { Count: s.existing, Networks: null, ...(s.updateBlock ? { Update: s.updateBlock } : {}) },
    }),
  );
  h.run(job);
  markRunning(h, job.ID, true);
  const d = h.latestDeploymentByJobID("default", job.ID);
  if (d) h.upsertDeployment({ ...d, Status: s.deploymentStatus ?? "successful" });
  return { h, nodes, job };
}

function byName(h: Harness, jobID: string): Map<number, Allocation> {
  return new Map(h.liveAllocs("default", jobID).map((a) => [nameIndexes([a])[0], a]));
}

function runScenario(s: Scenario): { h: Harness; placed: Allocation[] } {
  const { h, job } = start(s);
  let v1 = job;
  if (s.change === "none") {
    // Nomad's allocUpdateFnIgnore: the allocations are at the job's current version; only the count differs.
    if (s.count !== undefined) jobView(job).TaskGroups![0].Count = s.count;
  } else {
    v1 = update(h, job, (tg) => {
      if (s.count !== undefined) tg.Count = s.count;
      // In place: the kill timeout (tasksUpdated ignores it); destructive: the task's env.
      if (s.change === "inplace") (tg.Tasks[0] as unknown as Record<string, unknown>).KillTimeout = 7e9;
      if (s.change === "destructive") tg.Tasks[0].Env = { ...(tg.Tasks[0].Env ?? {}), CHANGED: "yes" };
    });
  }
  const allocs = byName(h, job.ID);
  for (const i of s.lost ?? []) {
    const n = h.nodeByID(allocs.get(i)!.NodeID)!;
    h.upsertNode({ ...n, Status: "down" });
  }
  for (const i of s.drain ?? []) {
    const a = allocs.get(i)!;
    const n = h.nodeByID(a.NodeID)!;
    h.upsertNode({
      ...n,
      SchedulingEligibility: "ineligible",
      DrainStrategy: {
        Deadline: 3600e9,
        IgnoreSystemJobs: false,
        ForceDeadline: "0001-01-01T00:00:00Z",
        StartedAt: "2026-01-01T00:00:00Z",
      } as Node["DrainStrategy"],
    });
    h.upsertAllocs([{ ...a, DesiredTransition: { Migrate: true, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null } }]);
  }
  const ev = h.run(v1, { AnnotatePlan: true, TriggeredBy: s.lost || s.drain ? "node-update" : "job-register" });
  return {
    h,
    placed: planOf(h, ev).placed.filter((a) => !allocs.has(nameIndexes([a])[0]) || allocs.get(nameIndexes([a])[0])!.ID !== a.ID),
  };
}

const scenarios: Scenario[] = [
  {
    nomad: "TestReconciler_Place_NoExisting",
    what: "count 10, nothing placed",
    existing: 0,
    change: "none",
    count: 10,
    want: { Place: 10 },
    placed: range(0, 9),
  },
  {
    nomad: "TestReconciler_Place_Existing",
    what: "count 10, 5 placed",
    existing: 5,
    change: "none",
    count: 10,
    want: { Place: 5, Ignore: 5 },
    placed: range(5, 9),
  },
  {
    nomad: "TestReconciler_ScaleDown_Partial",
    what: "20 → 10 stops the highest names",
    existing: 20,
    change: "none",
    count: 10,
    want: { Stop: 10, Ignore: 10 },
  },
  { nomad: "TestReconciler_ScaleDown_Zero", what: "20 → 0 stops all", existing: 20, change: "none", count: 0, want: { Stop: 20 } },
  {
    nomad: "TestReconciler_Inplace",
    what: "an in-place change updates all 10 in place",
    existing: 10,
    change: "inplace",
    want: { InPlaceUpdate: 10 },
  },
  {
    nomad: "TestReconciler_Inplace_ScaleUp",
    what: "in place and 10 → 15",
    existing: 10,
    change: "inplace",
    count: 15,
    want: { Place: 5, InPlaceUpdate: 10 },
    placed: range(10, 14),
  },
  {
    nomad: "TestReconciler_Inplace_ScaleDown",
    what: "in place and 10 → 5",
    existing: 10,
    change: "inplace",
    count: 5,
    want: { Stop: 5, InPlaceUpdate: 5 },
  },
  {
    nomad: "TestReconciler_Destructive",
    what: "a destructive change without update block replaces all 10",
    existing: 10,
    change: "destructive",
    want: { DestructiveUpdate: 10 },
    placed: range(0, 9),
  },
  {
    nomad: "TestReconciler_Destructive_ScaleUp",
    what: "destructive and 10 → 15",
    existing: 10,
    change: "destructive",
    count: 15,
    want: { Place: 5, DestructiveUpdate: 10 },
    placed: range(0, 14),
  },
  {
    nomad: "TestReconciler_Destructive_ScaleDown",
    what: "destructive and 10 → 5",
    existing: 10,
    change: "destructive",
    count: 5,
    want: { Stop: 5, DestructiveUpdate: 5 },
    placed: range(0, 4),
  },
  {
    nomad: "TestReconciler_LostNode",
    what: "two allocations on down nodes are stopped and replaced",
    existing: 10,
    change: "none",
    lost: [0, 1],
    want: { Place: 2, Stop: 2, Ignore: 8 },
    placed: [0, 1],
  },
  {
    nomad: "TestReconciler_LostNode_ScaleUp",
    what: "two lost and 10 → 15",
    existing: 10,
    change: "none",
    count: 15,
    lost: [0, 1],
    want: { Place: 7, Stop: 2, Ignore: 8 },
    placed: [0, 1, 10, 11, 12, 13, 14],
  },
  {
    nomad: "TestReconciler_LostNode_ScaleDown",
    what: "two lost and 10 → 5: no replacement",
    existing: 10,
    change: "none",
    count: 5,
    lost: [0, 1],
    want: { Stop: 5, Ignore: 5 },
    placed: [],
  },
  {
    nomad: "TestReconciler_DrainNode",
    what: "two allocations on draining nodes migrate",
    existing: 10,
    change: "none",
    drain: [0, 1],
    want: { Migrate: 2, Ignore: 8 },
    placed: [0, 1],
  },
  {
    nomad: "TestReconciler_DrainNode_ScaleUp",
    what: "two draining and 10 → 15",
    existing: 10,
    change: "none",
    count: 15,
    drain: [0, 1],
    want: { Place: 5, Migrate: 2, Ignore: 8 },
    placed: [0, 1, 10, 11, 12, 13, 14],
  },
  {
    nomad: "TestReconciler_DrainNode_ScaleDown",
    what: "three draining and 10 → 8: two of them stop, one migrates",
    existing: 10,
    change: "none",
    count: 8,
    drain: [0, 1, 2],
    want: { Migrate: 1, Stop: 2, Ignore: 7 },
    placed: [0],
  },
  {
    nomad: "TestReconciler_PausedOrFailedDeployment_NoMorePlacements",
    what: "a paused deployment places nothing more (10 → 15)",
    existing: 10,
    updateBlock: noCanaryUpdate,
    change: "none",
    count: 15,
    deploymentStatus: "paused",
    want: { Ignore: 10 },
    placed: [],
  },
  {
    nomad: "TestReconciler_PausedOrFailedDeployment_NoMorePlacements",
    what: "a failed deployment places nothing more (10 → 15)",
    existing: 10,
    updateBlock: noCanaryUpdate,
    change: "none",
    count: 15,
    deploymentStatus: "failed",
    want: { Ignore: 10 },
    placed: [],
  },
  {
    nomad: "TestReconciler_CreateDeployment_RollingUpgrade_Destructive",
    what: "max_parallel 4 replaces 4 of 10",
    existing: 10,
    updateBlock: noCanaryUpdate,
    change: "destructive",
    want: { DestructiveUpdate: 4, Ignore: 6 },
    placed: range(0, 3),
  },
  {
    nomad: "TestReconciler_CreateDeployment_RollingUpgrade_Inplace",
    what: "in-place changes are not gated by max_parallel",
    existing: 10,
    updateBlock: noCanaryUpdate,
    change: "inplace",
    want: { InPlaceUpdate: 10 },
  },
  {
    nomad: "TestReconciler_DontCreateDeployment_NoChanges",
    what: "no change: everything ignored",
    existing: 10,
    updateBlock: noCanaryUpdate,
    change: "none",
    want: { Ignore: 10 },
    placed: [],
  },
  {
    nomad: "TestReconciler_NewCanaries",
    what: "canary 2 of 10: canaries only, not counted as placements",
    existing: 10,
    updateBlock: canaryUpdate,
    change: "destructive",
    want: { Canary: 2, Ignore: 10 },
    placed: [0, 1],
  },
  {
    nomad: "TestReconciler_NewCanaries",
    what: "the issue's plan: canary 1 of 3 → {Canary: 1, Ignore: 3}",
    existing: 3,
    updateBlock: { ...canaryUpdate, Canary: 1, MaxParallel: 1 },
    change: "destructive",
    want: { Canary: 1, Ignore: 3 },
    placed: [0],
  },
  {
    nomad: "TestReconciler_NewCanaries_CountGreater",
    what: "canary 7 of 3: placements capped at the count",
    existing: 3,
    updateBlock: { ...canaryUpdate, Canary: 7 },
    change: "destructive",
    want: { Canary: 7, Ignore: 3, Place: 3 },
    placed: [0, 1, 2],
  },
  {
    nomad: "TestReconciler_NewCanaries_ScaleUp",
    what: "canaries and 10 → 15: no scale-up while canarying",
    existing: 10,
    updateBlock: canaryUpdate,
    change: "destructive",
    count: 15,
    want: { Canary: 2, Ignore: 10 },
    placed: [0, 1],
  },
  {
    nomad: "TestReconciler_NewCanaries_ScaleDown",
    what: "canaries and 10 → 5: the extra five stop",
    existing: 10,
    updateBlock: canaryUpdate,
    change: "destructive",
    count: 5,
    want: { Canary: 2, Stop: 5, Ignore: 5 },
    placed: [0, 1],
  },
];

describe(NOMAD_FILE, () => {
  it.each(scenarios)("$nomad: $what", (s) => {
    const { h, placed } = runScenario(s);
    expect(desired(h)).toEqual(s.want);
    if (s.placed) expect(nameIndexes(placed)).toEqual(s.placed);
  });

  it(
    nomad(
      "TestReconciler_PromoteCanaries_Unblock",
      "promoted canaries: the old allocations sharing their names stop, the next max_parallel are replaced",
    ),
    () => {
      const s: Scenario = { nomad: "", what: "", existing: 10, updateBlock: canaryUpdate, change: "destructive", want: {} };
      const { h } = runScenario(s);
      // The two canaries run healthy and the deployment is promoted.
      markRunning(h, "mock-job", true);
      const d = h.latestDeploymentByJobID("default", "mock-job")!;
      h.upsertDeployment({ ...d, TaskGroups: { web: { ...d.TaskGroups.web, Promoted: true, HealthyAllocs: 2 } } });
      const job = h.jobByID("default", "mock-job")!;
      const ev = h.run(job, { AnnotatePlan: true, TriggeredBy: "deployment-watcher" });
      expect(desired(h)).toEqual({ Stop: 2, DestructiveUpdate: 2, Ignore: 8 });
      expect(nameIndexes(planOf(h, ev).placed)).toEqual([2, 3]);
    },
  );
});

describe(`${NOMAD_FILE}: groups, stops and reschedules`, () => {
  it(nomad("TestReconciler_RemovedTG", "a renamed group: the old group's ten stop, the new group's ten are placed"), () => {
    const { h, job } = start({ nomad: "", what: "", existing: 10, change: "none", want: {} });
    const v1 = update(h, job, (tg) => (tg.Name = "web2"));
    const ev = h.run(v1, { AnnotatePlan: true });
    expect(desired(h, "web")).toEqual({ Stop: 10 });
    expect(desired(h, "web2")).toEqual({ Place: 10 });
    const p = planOf(h, ev);
    expect(nameIndexes(p.stopped)).toEqual(range(0, 9));
    expect(nameIndexes(p.placed)).toEqual(range(0, 9));
  });

  it(nomad("TestReconciler_JobStopped", "a stopped job: every allocation stops"), () => {
    const { h, job } = start({ nomad: "", what: "", existing: 10, change: "none", want: {} });
    const stopped = update(h, job, (_tg, j) => ((j as unknown as { Stop: boolean }).Stop = true));
    h.run(stopped, { AnnotatePlan: true, TriggeredBy: "job-deregister" });
    expect(desired(h)).toEqual({ Stop: 10 });
    expect(h.liveAllocs("default", job.ID)).toHaveLength(0);
  });

  it(nomad("TestReconciler_MultiTG", "two of ten in one group exist, a second group of ten is new: 8 + 10 placements"), () => {
    const { h, job } = start({ nomad: "", what: "", existing: 2, change: "none", want: {} });
    // Nomad's allocUpdateFnIgnore: the existing allocations are at the job's current version.
    const view = jobView(job);
    view.TaskGroups![0].Count = 10;
    view.TaskGroups!.push({ ...view.TaskGroups![0], Name: "foo", Count: 10 });
    h.run(job, { AnnotatePlan: true });
    expect(desired(h, "web")).toEqual({ Place: 8, Ignore: 2 });
    expect(desired(h, "foo")).toEqual({ Place: 10 });
  });

  /** Five allocations with a 1-attempt reschedule policy: web[0] failed and already rescheduled once, web[1] failed `failedAgo` ns ago, web[4] stopped by the server. */
  function rescheduleScenario(failedAgo: number) {
    const { h, job } = start({ nomad: "", what: "", existing: 5, change: "none", want: {}, updateBlock: noCanaryUpdate });
    const policy = { Attempts: 1, Interval: 24 * 3600e9, Delay: 5e9, DelayFunction: "constant", MaxDelay: 3600e9, Unlimited: false };
    jobView(job).TaskGroups![0].ReschedulePolicy = policy;
    const allocs = byName(h, job.ID);
    const now = h.now();
    const iso = (ns: number) => new Date(ns / 1e6).toISOString();
    h.upsertAllocs([
      {
        ...allocs.get(0)!,
        ClientStatus: "failed",
        RescheduleTracker: { Events: [{ RescheduleTime: now - 3600e9, PrevAllocID: "x", PrevNodeID: "y", Delay: 5e9 }] },
      },
      {
        ...allocs.get(1)!,
        ClientStatus: "failed",
        ModifyTime: now - failedAgo,
        TaskStates: {
          web: {
            State: "dead",
            Failed: true,
            Restarts: 0,
            LastRestart: null,
            StartedAt: iso(now - 3600e9),
            FinishedAt: iso(now - failedAgo),
            Events: [],
          },
        } as never,
      },
      { ...allocs.get(4)!, DesiredStatus: "stop" },
    ] as Allocation[]);
    return { h, job, allocs };
  }

  it(
    nomad(
      "TestReconciler_RescheduleNow_Service",
      "a failure 10 s ago (delay 5 s) is rescheduled now; the one out of attempts is left; the stopped one is replaced",
    ),
    () => {
      const { h, job, allocs } = rescheduleScenario(10e9);
      const ev = h.run(job, { AnnotatePlan: true, TriggeredBy: "alloc-failure" });
      expect(desired(h)).toEqual({ Place: 2, Ignore: 3, Stop: 1 });
      const placed = planOf(h, ev).placed;
      expect(nameIndexes(placed)).toEqual([1, 4]);
      expect(placed.find((a) => nameIndexes([a])[0] === 1)!.PreviousAllocation).toBe(allocs.get(1)!.ID);
      expect(h.createdEvals.filter((e) => e.StatusDescription === "created for delayed rescheduling")).toHaveLength(0);
    },
  );

  it(
    nomad("TestReconciler_RescheduleLater_Service", "a failure just now (delay 5 s) is rescheduled later through a follow-up evaluation"),
    () => {
      const { h, job, allocs } = rescheduleScenario(0);
      const ev = h.run(job, { AnnotatePlan: true, TriggeredBy: "alloc-failure" });
      expect(desired(h)).toEqual({ Place: 1, Ignore: 4, RescheduleLater: 1 });
      // The failed allocation is only updated (its FollowupEvalID); the one new allocation replaces the stopped web[4].
      const existing = new Set([...allocs.values()].map((a) => a.ID));
      expect(nameIndexes(planOf(h, ev).placed.filter((a) => !existing.has(a.ID)))).toEqual([4]);
      const follow = h.createdEvals.find((e) => e.StatusDescription === "created for delayed rescheduling")!;
      expect(follow).toBeDefined();
      expect(h.allocByID(allocs.get(1)!.ID)!.FollowupEvalID).toBe(follow.ID);
    },
  );
});
