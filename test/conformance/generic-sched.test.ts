/**
 * scheduler/generic_sched_test.go: the service and batch scheduler end to
 * end in the harness: plans, allocations, the evaluation's status, failed
 * placements and the blocked evaluation, and the reschedule tracker.
 */
import type { Allocation, StoredJob } from "../../lib/runtime/structs";
import type { ReschedulePolicyView } from "../../lib/runtime/scheduler/job-view";
import { Harness, cluster, desired, mockJob, mockNode, nameIndexes, nomad, planOf, seedAllocs, SEC, sized } from "./helpers";

const NOMAD_FILE = "scheduler/generic_sched_test.go";
const HOUR = 3600 * SEC;
const MIN = 60 * SEC;

describe(NOMAD_FILE, () => {
  it(
    nomad("TestServiceSched_JobRegister", "10 nodes, count 10: one plan, web[0..9], no port used twice on a node, no created evals"),
    () => {
      const { h } = cluster(10);
      const job = h.upsertJob(mockJob());
      const ev = h.run(job);
      expect(h.plans).toHaveLength(1);
      expect(planOf(h, ev).placed).toHaveLength(10);
      const allocs = h.liveAllocs("default", job.ID);
      expect(nameIndexes(allocs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const used = new Set<string>();
      for (const a of allocs) {
        for (const p of a.AllocatedResources?.Shared?.Ports ?? []) {
          const k = `${a.NodeID}:${p.Value}`;
          expect(used.has(k)).toBe(false);
          used.add(k);
        }
      }
      expect(h.createdEvals).toHaveLength(0);
      expect(h.lastEval()).toMatchObject({ Status: "complete", BlockedEval: "" });
      // The plan carries no annotations (none asked); the evaluation records the reconciler's counts.
      expect(h.lastPlan().Annotations).toBeNull();
      expect(h.lastEval().PlanAnnotations!.DesiredTGUpdates!.web.Place).toBe(10);
    },
  );

  it(nomad("TestServiceSched_JobRegister_Annotate", "AnnotatePlan: DesiredTGUpdates {web: {Place: 10}}"), () => {
    const { h } = cluster(10);
    const job = h.upsertJob(mockJob());
    h.run(job, { AnnotatePlan: true });
    expect(h.liveAllocs("default", job.ID)).toHaveLength(10);
    expect(Object.keys(h.lastPlan().Annotations!.DesiredTGUpdates)).toEqual(["web"]);
    expect(desired(h)).toEqual({ Place: 10 });
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestServiceSched_JobRegister_CountZero", "count 0: no plan, no allocations, complete"), () => {
    const { h } = cluster(10);
    const job = h.upsertJob(mockJob({ group: { Count: 0 } }));
    h.run(job);
    expect(h.plans).toHaveLength(0);
    expect(h.allocsByJob("default", job.ID)).toHaveLength(0);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(
    nomad("TestServiceSched_JobRegister_AllocFail", "no nodes: no plan, a blocked eval (queued-allocs), 9 coalesced failures, 10 queued"),
    () => {
      const h = new Harness();
      const job = h.upsertJob(mockJob());
      h.run(job);
      expect(h.plans).toHaveLength(0);
      expect(h.createdEvals).toHaveLength(1);
      const blocked = h.createdEvals[0];
      expect(blocked).toMatchObject({
        Status: "blocked",
        TriggeredBy: "queued-allocs",
        StatusDescription: "created to place remaining allocations",
      });
      const out = h.lastEval();
      expect(out.BlockedEval).toBe(blocked.ID);
      expect(Object.keys(out.FailedTGAllocs!)).toEqual(["web"]);
      const m = out.FailedTGAllocs!.web;
      expect(m.CoalescedFailures).toBe(9);
      expect(m.NodesAvailable.dc1).toBeUndefined();
      expect(m.NodesInPool).toBe(0);
      expect(out.QueuedAllocations).toEqual({ web: 10 });
      expect(out.Status).toBe("complete");
    },
  );

  it(
    nomad(
      "TestServiceSched_JobRegister_CreateBlockedEval",
      "a full node and an infeasible one: the blocked eval marks their classes eligible / ineligible",
    ),
    () => {
      const h = new Harness();
      const base = mockNode();
      const full = h.upsertNode({
        ...base,
        ReservedResources: { ...base.ReservedResources, Cpu: { CpuShares: base.NodeResources.Cpu.CpuShares } },
      });
      const windows = h.upsertNode(mockNode({ Attributes: { "kernel.name": "windows" } }));
      const job = h.upsertJob(mockJob());
      h.run(job);
      expect(h.plans).toHaveLength(0);
      expect(h.createdEvals).toHaveLength(1);
      const created = h.createdEvals[0];
      expect(created.Status).toBe("blocked");
      expect(created.ClassEligibility).toEqual({ [full.ComputedClass]: true, [windows.ComputedClass]: false });
      expect(created.EscapedComputedClass).toBe(false);
      const m = h.lastEval().FailedTGAllocs!.web;
      expect(m.CoalescedFailures).toBe(9);
      expect(m.NodesAvailable.dc1).toBe(2);
      expect(m.NodesInPool).toBe(2);
      expect(h.lastEval().Status).toBe("complete");
    },
  );

  it(nomad("TestServiceSched_JobRegister_FeasibleAndInfeasibleTG", "one group places, the other fails alone (coalesced count−1)"), () => {
    const h = new Harness();
    h.upsertNode(mockNode({ NodeClass: "class_0" }));
    const web = mockJob().TaskGroups![0] as unknown as Record<string, unknown>;
    const group = (name: string, cls: string) => ({
      ...web,
      Name: name,
      Count: 2,
      Constraints: [{ LTarget: "${node.class}", RTarget: cls, Operand: "=" }],
    });
    const job = h.upsertJob(mockJob({ TaskGroups: [group("web", "class_0"), group("web2", "class_1")] as never }));
    h.run(job);
    expect(h.plans).toHaveLength(1);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(2);
    const out = h.lastEval();
    expect(out.BlockedEval).toBe(h.createdEvals[0].ID);
    expect(Object.keys(out.FailedTGAllocs!)).toEqual(["web2"]);
    expect(out.FailedTGAllocs!.web2.CoalescedFailures).toBe(1);
    expect(out.Status).toBe("complete");
  });

  it(
    nomad(
      "TestServiceSched_JobRegister_DistinctHosts",
      "count 11 on 10 nodes with distinct_hosts: 10 on distinct nodes, one failed placement, a blocked eval",
    ),
    () => {
      const { h } = cluster(10);
      const job = h.upsertJob(
        mockJob({
          Constraints: [
            { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" },
            { Operand: "distinct_hosts", LTarget: "", RTarget: "" },
          ],
          group: { Count: 11 },
        }),
      );
      h.run(job);
      expect(h.plans).toHaveLength(1);
      const allocs = h.liveAllocs("default", job.ID);
      expect(allocs).toHaveLength(10);
      expect(new Set(allocs.map((a) => a.NodeID)).size).toBe(10);
      expect(h.createdEvals).toHaveLength(1);
      expect(Object.keys(h.lastEval().FailedTGAllocs!)).toHaveLength(1);
      expect(h.lastEval().Status).toBe("complete");
    },
  );
});

interface TrackerCase {
  nomad: string;
  desc: string;
  policy: ReschedulePolicyView;
  /** Past events: when (relative to now, ns) and the delay they recorded (ns). */
  past: [number, number][];
  /** Nomad's expected events: when (relative to now) and delay; the last is the new one. */
  want: [number, number][];
}

// Test_updateRescheduleTracker, through a real reschedule: the replacement's tracker.
const trackers: TrackerCase[] = [
  {
    nomad: "Test_updateRescheduleTracker",
    desc: "no past events",
    policy: { Unlimited: false, Interval: 24 * HOUR, Attempts: 2, Delay: 5 * SEC, DelayFunction: "constant", MaxDelay: 0 },
    past: [],
    want: [[0, 5 * SEC]],
  },
  {
    nomad: "Test_updateRescheduleTracker",
    desc: "one past event, constant delay",
    policy: { Unlimited: false, Interval: 24 * HOUR, Attempts: 2, Delay: 5 * SEC, DelayFunction: "constant", MaxDelay: 0 },
    past: [[-HOUR, 5 * SEC]],
    want: [
      [-HOUR, 5 * SEC],
      [0, 5 * SEC],
    ],
  },
  {
    nomad: "Test_updateRescheduleTracker",
    desc: "one past event, fibonacci delay",
    policy: { Unlimited: false, Interval: 24 * HOUR, Attempts: 2, Delay: 5 * SEC, DelayFunction: "fibonacci", MaxDelay: 60 * SEC },
    past: [[-HOUR, 5 * SEC]],
    want: [
      [-HOUR, 5 * SEC],
      [0, 5 * SEC],
    ],
  },
  {
    nomad: "Test_updateRescheduleTracker",
    desc: "eight past events, fibonacci delay, unlimited: the last five are kept, the new delay is 65s+105s",
    policy: { Unlimited: true, Interval: 0, Attempts: 0, Delay: 5 * SEC, DelayFunction: "fibonacci", MaxDelay: 240 * SEC },
    past: [5, 5, 10, 15, 25, 40, 65, 105].map((d) => [-HOUR, d * SEC] as [number, number]),
    want: [...[15, 25, 40, 65, 105].map((d) => [-HOUR, d * SEC] as [number, number]), [0, 170 * SEC]],
  },
  {
    nomad: "Test_updateRescheduleTracker",
    desc: "old attempts past the interval are dropped; exponential doubles the last delay",
    policy: { Unlimited: false, Interval: HOUR, Attempts: 5, Delay: 5 * SEC, DelayFunction: "exponential", MaxDelay: 240 * SEC },
    past: [
      [-2 * HOUR, 5 * SEC],
      [-70 * MIN, 10 * SEC],
      [-30 * MIN, 20 * SEC],
      [-10 * MIN, 40 * SEC],
    ],
    want: [
      [-30 * MIN, 20 * SEC],
      [-10 * MIN, 40 * SEC],
      [0, 80 * SEC],
    ],
  },
  // The case: the second reschedule under exponential records 10s, not 5s.
  {
    nomad: "Test_updateRescheduleTracker",
    desc: "exponential: [5s] → [5s, 10s]",
    policy: { Unlimited: false, Interval: 24 * HOUR, Attempts: 3, Delay: 5 * SEC, DelayFunction: "exponential", MaxDelay: 60 * SEC },
    past: [[-HOUR, 5 * SEC]],
    want: [
      [-HOUR, 5 * SEC],
      [0, 10 * SEC],
    ],
  },
];

/** Places a count-1 job with the policy, fails its allocation 5 minutes ago with the past events, and reschedules it now. */
function reschedule(
  policy: ReschedulePolicyView,
  past: [number, number][],
): { h: Harness; prev: Allocation; next: Allocation; job: StoredJob } {
  const { h } = cluster(3);
  const job = h.upsertJob(mockJob({ group: { Count: 1, Networks: null, ReschedulePolicy: policy } }));
  h.run(job);
  const prev = h.liveAllocs("default", job.ID)[0];
  const now = h.now();
  const at = new Date((now - 5 * MIN) / 1e6).toISOString();
  h.upsertAllocs([
    {
      ...prev,
      ClientStatus: "failed",
      ModifyTime: now - 5 * MIN,
      TaskStates: { web: { State: "dead", Failed: true, Restarts: 0, LastRestart: null, StartedAt: at, FinishedAt: at, Events: [] } },
      RescheduleTracker: past.length
        ? { Events: past.map(([t, d]) => ({ RescheduleTime: now + t, PrevAllocID: "earlier", PrevNodeID: "earlier-node", Delay: d })) }
        : null,
    } as unknown as Allocation,
  ]);
  h.run(job, { TriggeredBy: "alloc-failure" });
  const next = h.liveAllocs("default", job.ID)[0];
  return { h, prev, next, job };
}

describe(`${NOMAD_FILE}: reschedule tracker`, () => {
  it.each(trackers)("$nomad: $desc", ({ policy, past, want }) => {
    const { h, prev, next } = reschedule(policy, past);
    expect(next.PreviousAllocation).toBe(prev.ID);
    const now = h.now();
    const events = next.RescheduleTracker!.Events;
    expect(events.map((e) => [e.RescheduleTime - now, e.Delay])).toEqual(want);
    expect(events[events.length - 1]).toMatchObject({ PrevAllocID: prev.ID, PrevNodeID: prev.NodeID });
  });
});

describe(`${NOMAD_FILE}: drains, batch jobs, blocked evaluations, stops`, () => {
  it(
    nomad("TestServiceSched_NodeDrain", "ten allocations marked to migrate off a draining node: ten stops there, ten placements elsewhere"),
    () => {
      const { h, nodes } = cluster(11);
      const drained = nodes[0];
      const job = h.upsertJob(mockJob());
      // As in Nomad's test, the ten allocations sit on the one node (written, not scheduled there).
      seedAllocs(
        h,
        job,
        Array.from({ length: 10 }, () => drained.ID),
      );
      h.upsertNode({
        ...drained,
        SchedulingEligibility: "ineligible",
        DrainStrategy: {
          Deadline: 3600e9,
          IgnoreSystemJobs: false,
          ForceDeadline: "0001-01-01T00:00:00Z",
          StartedAt: "2026-01-01T00:00:00Z",
        } as never,
      });
      h.upsertAllocs(
        h
          .liveAllocs("default", job.ID)
          .map((a) => ({ ...a, DesiredTransition: { Migrate: true, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null } })),
      );
      const ev = h.run(job, { TriggeredBy: "node-update", NodeID: drained.ID });
      const plan = planOf(h, ev).plan!;
      expect(plan.NodeUpdate[drained.ID]).toHaveLength(10);
      expect(planOf(h, ev).placed).toHaveLength(10);
      expect(h.liveAllocs("default", job.ID)).toHaveLength(10);
      expect(h.liveAllocs("default", job.ID).every((a) => a.NodeID !== drained.ID)).toBe(true);
      expect(h.lastEval().Status).toBe("complete");
    },
  );

  it(nomad("TestBatchSched_Run_CompleteAlloc", "a batch allocation that completed is not run again"), () => {
    const { h } = cluster(1);
    const job = h.upsertJob(mockJob({ Type: "batch", group: { Count: 1 } }));
    h.run(job);
    h.upsertAllocs(h.liveAllocs("default", job.ID).map((a) => ({ ...a, ClientStatus: "complete" as const })));
    const plans = h.plans.length;
    h.run(job);
    expect(h.plans.length).toBe(plans);
    expect(h.allocsByJob("default", job.ID)).toHaveLength(1);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(
    nomad(
      "TestBatchSched_Run_FailedAlloc",
      "a batch allocation that failed 10 s ago is rescheduled: one plan, two allocations, nothing queued",
    ),
    () => {
      const { h } = cluster(1);
      const job = h.upsertJob(mockJob({ Type: "batch", group: { Count: 1 } }));
      h.run(job);
      const a = h.liveAllocs("default", job.ID)[0];
      const at = new Date((h.now() - 10 * SEC) / 1e6).toISOString();
      h.upsertAllocs([
        {
          ...a,
          ClientStatus: "failed",
          TaskStates: { web: { State: "dead", Failed: true, Restarts: 0, LastRestart: null, StartedAt: at, FinishedAt: at, Events: [] } },
        } as unknown as Allocation,
      ]);
      const plans = h.plans.length;
      h.run(job);
      expect(h.plans.length).toBe(plans + 1);
      expect(h.allocsByJob("default", job.ID)).toHaveLength(2);
      expect(h.lastEval().QueuedAllocations).toEqual({ web: 0 });
      expect(h.lastEval().Status).toBe("complete");
    },
  );

  it(
    nomad(
      "TestServiceSched_EvaluateBlockedEval_Finished",
      "a blocked evaluation that can now place everything completes, is not blocked again and creates none",
    ),
    () => {
      const { h } = cluster(10);
      const job = h.upsertJob(mockJob());
      h.run(job, { Status: "blocked" });
      expect(h.plans).toHaveLength(1);
      expect(h.plans[0].Annotations).toBeNull();
      expect(h.liveAllocs("default", job.ID)).toHaveLength(10);
      expect(h.reblockedEvals).toHaveLength(0);
      expect(h.createdEvals).toHaveLength(0);
      expect(h.lastEval()).toMatchObject({ Status: "complete", BlockedEval: "", QueuedAllocations: { web: 0 } });
    },
  );

  it(
    nomad(
      "TestServiceSched_EvaluateBlockedEval",
      "a blocked evaluation that still cannot place is blocked again, with no plan and no new evaluation",
    ),
    () => {
      const h = new Harness();
      const job = h.upsertJob(mockJob());
      h.run(job, { Status: "blocked" });
      expect(h.plans).toHaveLength(0);
      expect(h.reblockedEvals).toHaveLength(1);
      expect(h.createdEvals).toHaveLength(0);
    },
  );

  it(nomad("TestServiceSched_JobDeregister_Stopped", "a stopped job: all ten allocations stop in one plan"), () => {
    const { h } = cluster(10);
    const job = h.upsertJob(mockJob());
    h.run(job);
    const stopped = h.upsertJob({ ...job, Stop: true } as StoredJob);
    const ev = h.run(stopped, { TriggeredBy: "job-deregister" });
    expect(planOf(h, ev).stopped).toHaveLength(10);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(0);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestServiceSched_JobModify_CountZero", "count 10 → 0: all ten stop"), () => {
    const { h } = cluster(10);
    const job = h.upsertJob(mockJob());
    h.run(job);
    const zero = h.upsertJob({ ...job, TaskGroups: [{ ...job.TaskGroups![0], Count: 0 }] } as StoredJob);
    const ev = h.run(zero);
    expect(planOf(h, ev).stopped).toHaveLength(10);
    expect(planOf(h, ev).placed).toHaveLength(0);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(0);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestServiceSched_JobModify", "a destructive change without update block: ten stops and ten placements in one plan"), () => {
    const { h } = cluster(10);
    const job = h.upsertJob(mockJob());
    h.run(job);
    const v2 = h.upsertJob({
      ...job,
      TaskGroups: [{ ...job.TaskGroups![0], Tasks: [{ ...job.TaskGroups![0].Tasks![0], Config: { command: "/bin/other" } }] }],
    } as StoredJob);
    const ev = h.run(v2);
    expect(planOf(h, ev).stopped).toHaveLength(10);
    expect(planOf(h, ev).placed).toHaveLength(10);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(10);
    expect(h.liveAllocs("default", job.ID).every((a) => a.Job.Version === v2.Version)).toBe(true);
  });
});

interface NodeDownCase {
  nomad: string;
  name: string;
  desired: "run" | "stop" | "evict";
  client: "pending" | "running" | "lost" | "complete" | "failed";
  migrate?: boolean;
  /** Expected: no plan (terminal), the allocation stopped as lost, stopped (migrating, not lost), or updated in place (a failed one awaiting its reschedule). */
  expect: "terminal" | "lost" | "migrate" | "reschedule";
}

// TestServiceSched_NodeDown: one allocation on the only node, which is down.
const nodeDown: NodeDownCase[] = [
  { nomad: "TestServiceSched_NodeDown", name: "should stop, is running: lost", desired: "stop", client: "running", expect: "lost" },
  {
    nomad: "TestServiceSched_NodeDown",
    name: "should run, is pending: migrate",
    desired: "run",
    client: "pending",
    migrate: true,
    expect: "migrate",
  },
  {
    nomad: "TestServiceSched_NodeDown",
    name: "should run, is running: migrate",
    desired: "run",
    client: "running",
    migrate: true,
    expect: "migrate",
  },
  { nomad: "TestServiceSched_NodeDown", name: "should run, is lost: terminal", desired: "run", client: "lost", expect: "terminal" },
  { nomad: "TestServiceSched_NodeDown", name: "should run, is complete: terminal", desired: "run", client: "complete", expect: "terminal" },
  {
    nomad: "TestServiceSched_NodeDown",
    name: "should run, is failed: rescheduled (updated in place)",
    desired: "run",
    client: "failed",
    expect: "reschedule",
  },
  { nomad: "TestServiceSched_NodeDown", name: "should evict, is running: lost", desired: "evict", client: "running", expect: "lost" },
];

describe(`${NOMAD_FILE}: a node goes down`, () => {
  it.each(nodeDown)("$nomad: $name", ({ desired: d, client, migrate, expect: want }) => {
    // Nomad's harness applies plans unverified; so does this one here (a real applier refuses updates to a down
    // node that do not mark the allocation lost, and the failed allocation's update is one).
    const h = new Harness({ noVerify: true });
    const node = h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob());
    const [a] = seedAllocs(h, job, [node.ID]);
    h.upsertAllocs([
      {
        ...a,
        DesiredStatus: d,
        ClientStatus: client,
        DesiredTransition: { Migrate: migrate ?? false, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null },
      } as Allocation,
    ]);
    h.upsertNode({ ...node, Status: "down" });
    const plansBefore = h.plans.length;
    const ev = h.run(job, { TriggeredBy: "node-update", NodeID: node.ID });
    const plan = h.plans.find((p) => p.EvalID === ev.ID);
    if (want === "terminal") expect(plan).toBeUndefined();
    else {
      expect(h.plans.length).toBe(plansBefore + 1);
      const out = (want === "reschedule" ? plan!.NodeAllocation[node.ID] : plan!.NodeUpdate[node.ID]) ?? [];
      expect(out).toHaveLength(1);
      if (want === "lost") expect(out[0].ClientStatus).toBe("lost");
      if (want === "migrate") expect(out[0].ClientStatus).not.toBe("lost");
      if (want === "reschedule") expect(out[0].ClientStatus).toBe("failed");
    }
    expect(h.lastEval().Status).toBe("complete");
  });

  it(
    nomad("TestServiceSched_Preemption", "priority 100 asking 900 MHz / 1700 MB on a 1000 MHz / 2 GB node preempts both lower jobs"),
    () => {
      const h = new Harness();
      h.upsertNode(mockNode(sized(1000, 2048, 50, 256)));
      // Nomad's test harness has no scheduler configuration, which its generic scheduler reads as "preemption on".
      h.setSchedulerConfig({
        PreemptionConfig: {
          SystemSchedulerEnabled: true,
          SysBatchSchedulerEnabled: false,
          BatchSchedulerEnabled: false,
          ServiceSchedulerEnabled: true,
        },
      });
      const sizedJob = (id: string, priority: number, cpu: number, mem: number) =>
        h.upsertJob(
          mockJob({
            ID: id,
            Priority: priority,
            group: { Count: 1, Networks: null, Tasks: [{ Name: "web", Driver: "exec", Resources: { CPU: cpu, MemoryMB: mem } }] },
          }),
        );
      const expected: string[] = [];
      for (const [i, job] of [sizedJob("job1", 30, 500, 1024), sizedJob("job2", 50, 350, 512)].entries()) {
        h.run(job);
        const plan = h.plans[i];
        expect(plan.Annotations).toBeNull();
        expect(h.createdEvals).toHaveLength(0);
        const planned = Object.values(plan.NodeAllocation).flat();
        expect(planned).toHaveLength(1);
        expected.push(planned[0].ID);
      }
      const job3 = sizedJob("job3", 100, 900, 1700);
      h.run(job3);
      expect(h.createdEvals).toHaveLength(0);
      expect(Object.values(h.plans[2].NodeAllocation).flat()).toHaveLength(1);
      const out = h.allocsByJob("default", job3.ID);
      expect(out).toHaveLength(1);
      expect(new Set(out[0].PreemptedAllocations)).toEqual(new Set(expected));
    },
  );
});
