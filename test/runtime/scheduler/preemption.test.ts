import type { Allocation, StoredJob } from "../../../lib/runtime/structs";
import { Harness, mockJob, mockNode } from "../../../lib/runtime/scheduler";
import {
  Preemptor,
  basicResourceDistance,
  netPriority,
  preemptionScore,
  scoreForTaskGroup,
} from "../../../lib/runtime/scheduler/rank/preemptor";

/** A group of one mock_driver task asking `cpu` MHz and `mem` MiB, no network, 10 MiB disk. */
function group(name: string, count: number, cpu: number, mem: number, extra: Record<string, unknown> = {}) {
  return {
    Name: name,
    Count: count,
    Networks: null,
    EphemeralDisk: { SizeMB: 10 },
    Tasks: [{ Name: "t", Driver: "mock_driver", Resources: { CPU: cpu, MemoryMB: mem } }],
    ...extra,
  };
}

/** One node (3900 MHz and 7936 MiB to give after Nomad's mock reservations). */
function oneNode(h: Harness) {
  return h.upsertNode(mockNode());
}

/** Registers and schedules a service job filling the node with `count` allocations of `mem` MiB each, at `priority`. */
function fill(h: Harness, id: string, priority: number, count: number, mem: number, extra: Record<string, unknown> = {}): StoredJob {
  const job = h.upsertJob(mockJob({ ID: id, Priority: priority, Constraints: null, group: group("low", count, 500, mem, extra) }));
  h.run(job);
  expect(h.liveAllocs("default", id)).toHaveLength(count);
  return job;
}

function systemJob(h: Harness, id: string, priority: number, mem: number): StoredJob {
  return h.upsertJob(mockJob({ ID: id, Type: "system", Priority: priority, Constraints: null, group: group("sys", 1, 100, mem) }));
}

function evicted(h: Harness, jobID: string): Allocation[] {
  return h.allocsByJob("default", jobID).filter((a) => a.DesiredStatus === "evict");
}

describe("preemption: the preemptor's choices", () => {
  it("evicts from the lowest priority first", () => {
    const h = new Harness();
    oneNode(h);
    fill(h, "p40", 40, 1, 2500);
    fill(h, "p20", 20, 1, 2500);
    fill(h, "p30", 30, 1, 2500);
    const sys = systemJob(h, "sys", 70, 1000);
    h.run(sys);
    expect(h.liveAllocs("default", "sys")).toHaveLength(1);
    expect(evicted(h, "p20")).toHaveLength(1);
    expect(evicted(h, "p30")).toHaveLength(0);
    expect(evicted(h, "p40")).toHaveLength(0);
  });

  it("only evicts allocations whose job priority is at least 10 below", () => {
    const h = new Harness();
    oneNode(h);
    fill(h, "p41", 41, 3, 2500);
    const sys = systemJob(h, "sys", 50, 1000);
    h.run(sys);
    expect(h.liveAllocs("default", "sys")).toHaveLength(0);
    expect(evicted(h, "p41")).toHaveLength(0);
    expect(h.lastEval().FailedTGAllocs?.sys.DimensionExhausted).toEqual({ memory: 1 });

    const h2 = new Harness();
    oneNode(h2);
    fill(h2, "p40", 40, 3, 2500);
    h2.run(systemJob(h2, "sys", 50, 1000));
    expect(h2.liveAllocs("default", "sys")).toHaveLength(1);
    expect(evicted(h2, "p40")).toHaveLength(1);
  });

  it("takes the allocation closest to the ask among equal priorities, and no more than needed", () => {
    const h = new Harness();
    oneNode(h);
    fill(h, "small", 10, 2, 300);
    fill(h, "big", 10, 1, 3000);
    fill(h, "mid", 10, 1, 1100);
    fill(h, "filler", 60, 1, 3200);
    // Free: 7936 − 600 − 3000 − 1100 − 3200 = 36 MiB; the ask of 1000 MiB is met by "mid" alone (closest).
    h.run(systemJob(h, "sys", 80, 1000));
    expect(h.liveAllocs("default", "sys")).toHaveLength(1);
    expect(evicted(h, "mid")).toHaveLength(1);
    expect(evicted(h, "big")).toHaveLength(0);
    expect(evicted(h, "small")).toHaveLength(0);
  });

  it("never evicts the placing job's own allocations", () => {
    const p = new Preemptor(90, "default", "mine");
    const own = fakeAlloc("a1", "mine", 10, 2000);
    p.setCandidates([own]);
    expect(p.preemptForTaskGroup({ cpu: 100, memoryMB: 1000, diskMB: 0 }, { cpu: 0, memoryMB: 0, diskMB: 0 })).toBeNull();
  });

  it("penalizes allocations of a group already preempted max_parallel times", () => {
    const a = { cpu: 500, memoryMB: 1000, diskMB: 0 };
    expect(scoreForTaskGroup(a, a, 1, 0)).toBe(0);
    expect(scoreForTaskGroup(a, a, 1, 1)).toBe(50);
    expect(scoreForTaskGroup(a, a, 1, 2)).toBe(100);
    expect(scoreForTaskGroup(a, a, 0, 5)).toBe(0);
    const limited = new Preemptor(90, "default", "x", (alloc) => (alloc.JobID === "limited" ? 1 : 0));
    const first = fakeAlloc("l1", "limited", 10, 1000, 1);
    const other = fakeAlloc("o1", "other", 10, 1500);
    limited.setCandidates([first, other]);
    // Without the penalty "limited" (exactly the ask) would win; with max_parallel 1 already reached, "other" is taken.
    const ask = { cpu: 0, memoryMB: 1000, diskMB: 0 };
    expect(limited.preemptForTaskGroup(ask, { cpu: 0, memoryMB: 0, diskMB: 0 })!.map((x) => x.ID)).toEqual(["o1"]);
    const unlimited = new Preemptor(90, "default", "x");
    unlimited.setCandidates([first, other]);
    expect(unlimited.preemptForTaskGroup(ask, { cpu: 0, memoryMB: 0, diskMB: 0 })!.map((x) => x.ID)).toEqual(["l1"]);
  });

  it("scores preempting options by net priority as Nomad does", () => {
    expect(basicResourceDistance({ cpu: 100, memoryMB: 100, diskMB: 0 }, { cpu: 100, memoryMB: 100, diskMB: 0 })).toBe(0);
    const low = [fakeAlloc("a", "j", 20, 1), fakeAlloc("b", "j", 20, 1)];
    expect(netPriority(low)).toBe(22);
    expect(preemptionScore(2048)).toBeCloseTo(0.5, 10);
    expect(preemptionScore(netPriority(low))).toBeGreaterThan(preemptionScore(netPriority([fakeAlloc("c", "k", 60, 1)])));
  });

  it("frees a static port held by a lower-priority allocation", () => {
    const h = new Harness();
    oneNode(h);
    const web = { Mode: "host", ReservedPorts: [{ Label: "http", Value: 8080 }] };
    fill(h, "holder", 20, 1, 100, { Networks: [web] });
    const sys = h.upsertJob(
      mockJob({ ID: "sys", Type: "system", Priority: 80, Constraints: null, group: group("sys", 1, 100, 100, { Networks: [web] }) }),
    );
    h.run(sys);
    const placed = h.liveAllocs("default", "sys");
    expect(placed).toHaveLength(1);
    expect(placed[0].AllocatedResources.Shared.Ports).toEqual([expect.objectContaining({ Label: "http", Value: 8080 })]);
    expect(evicted(h, "holder")).toHaveLength(1);
  });
});

describe("preemption: enabled per scheduler type by PreemptionConfig", () => {
  it("system jobs preempt by default; not when SystemSchedulerEnabled is off", () => {
    const h = new Harness();
    oneNode(h);
    fill(h, "low", 20, 3, 2500);
    h.setSchedulerConfig({
      PreemptionConfig: {
        SystemSchedulerEnabled: false,
        SysBatchSchedulerEnabled: false,
        BatchSchedulerEnabled: false,
        ServiceSchedulerEnabled: false,
      },
    });
    h.run(systemJob(h, "sys", 80, 1000));
    expect(h.liveAllocs("default", "sys")).toHaveLength(0);
    expect(evicted(h, "low")).toHaveLength(0);
  });

  it("service jobs preempt only with ServiceSchedulerEnabled, recording the plan as Nomad does", () => {
    const h = new Harness();
    oneNode(h);
    fill(h, "low", 20, 3, 2500);
    const svc = h.upsertJob(mockJob({ ID: "svc", Priority: 80, Constraints: null, group: group("web", 1, 100, 1000) }));
    h.run(svc);
    expect(h.liveAllocs("default", "svc")).toHaveLength(0);
    expect(evicted(h, "low")).toHaveLength(0);

    h.setSchedulerConfig({
      PreemptionConfig: {
        SystemSchedulerEnabled: true,
        SysBatchSchedulerEnabled: false,
        BatchSchedulerEnabled: false,
        ServiceSchedulerEnabled: true,
      },
    });
    h.run(svc);
    const [placed] = h.liveAllocs("default", "svc");
    expect(placed).toBeDefined();
    const [gone] = evicted(h, "low");
    expect(gone).toMatchObject({
      DesiredStatus: "evict",
      DesiredDescription: `Preempted by alloc ID ${placed.ID}`,
      PreemptedByAllocation: placed.ID,
    });
    expect(placed.PreemptedAllocations).toEqual([gone.ID]);
    const plan = h.lastPlan();
    expect(
      Object.values(plan.NodePreemptions)
        .flat()
        .map((a) => a.ID),
    ).toEqual([gone.ID]);
    expect(h.lastEval().PlanAnnotations!.DesiredTGUpdates!.web.Preemptions).toBe(1);
  });

  it("batch jobs preempt only with BatchSchedulerEnabled; sysbatch only with SysBatchSchedulerEnabled", () => {
    for (const type of ["batch", "sysbatch"] as const) {
      const h = new Harness();
      oneNode(h);
      fill(h, "low", 20, 3, 2500);
      const job = h.upsertJob(mockJob({ ID: type, Type: type, Priority: 80, Constraints: null, group: group("g", 1, 100, 1000) }));
      h.run(job);
      expect(h.liveAllocs("default", type)).toHaveLength(0);
      h.setSchedulerConfig({
        PreemptionConfig: {
          SystemSchedulerEnabled: true,
          SysBatchSchedulerEnabled: type === "sysbatch",
          BatchSchedulerEnabled: type === "batch",
          ServiceSchedulerEnabled: false,
        },
      });
      h.run(job);
      expect(h.liveAllocs("default", type)).toHaveLength(1);
      expect(evicted(h, "low")).toHaveLength(1);
    }
  });

  it("lists the preempted allocations in an annotated plan", () => {
    const h2 = new Harness();
    oneNode(h2);
    fill(h2, "low", 20, 3, 2500);
    h2.run(systemJob(h2, "sys", 80, 1000), { AnnotatePlan: true });
    const ann = h2.lastPlan().Annotations!;
    expect(ann.PreemptedAllocs).toHaveLength(1);
    expect(ann.PreemptedAllocs![0]).toMatchObject({ JobID: "low", TaskGroup: "low", JobType: "service", DesiredStatus: "run" });
    expect(ann.DesiredTGUpdates.sys).toMatchObject({ Place: 1, Preemptions: 1 });
  });
});

function fakeAlloc(id: string, jobID: string, priority: number, mem: number, maxParallel = 0): Allocation {
  const job = mockJob({
    ID: jobID,
    Priority: priority,
    group: group("g", 1, 0, mem, maxParallel ? { Migrate: { MaxParallel: maxParallel } } : {}),
  });
  return {
    ID: id,
    Namespace: "default",
    JobID: jobID,
    Job: job,
    TaskGroup: "g",
    NodeID: "n1",
    AllocatedResources: {
      Tasks: {
        t: { Cpu: { CpuShares: 0, ReservedCores: null }, Memory: { MemoryMB: mem, MemoryMaxMB: 0 }, Networks: null, Devices: null },
      },
      Shared: { DiskMB: 0, Networks: null, Ports: null },
    },
  } as unknown as Allocation;
}
