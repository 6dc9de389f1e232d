/**
 * scheduler/feasible/rank_test.go: bin-packing, job anti-affinity, the
 * rescheduling penalty, score normalization and node affinity, read from
 * the scores the placed allocation recorded (`Metrics.ScoreMetaData`, every
 * feasible node scored).
 */
import type { Allocation } from "../../lib/runtime/structs";
import { Harness, failAlloc, nomad, fill, mockJob, mockNode, scoresOf, sized, SEC } from "./helpers";

const NOMAD_FILE = "scheduler/feasible/rank_test.go";

/** A harness scoring every feasible node, so that ScoreMetaData holds each. */
const scoringHarness = () => new Harness({ scoreAllNodes: true });

/** A count-1 job of one task asking cpu/mem, no ports, no disk. */
const sizedJob = (cpu: number, mem: number, extra: Parameters<typeof mockJob>[0] = {}) =>
  mockJob({
    Constraints: [],
    ...extra,
    group: {
      Count: 1,
      Networks: null,
      EphemeralDisk: { SizeMB: 0 },
      Tasks: [{ Name: "web", Driver: "exec", Resources: { CPU: cpu, MemoryMB: mem } }],
      ...(extra.group ?? {}),
    },
  });

function placedOne(h: Harness, jobID: string): Allocation {
  const live = h.liveAllocs("default", jobID);
  expect(live).toHaveLength(1);
  return live[0];
}

describe(NOMAD_FILE, () => {
  it(nomad("TestBinPackIterator_NoExistingAlloc", "a perfect fit scores 1, a 50% fit 0.5–0.6, an overloaded node is exhausted"), () => {
    const h = scoringHarness();
    const perfect = h.upsertNode(mockNode(sized(2048, 2048, 1024, 1024)));
    h.upsertNode(mockNode(sized(1024, 1024, 512, 512)));
    const half = h.upsertNode(mockNode(sized(4096, 4096, 1024, 1024)));
    const job = h.upsertJob(sizedJob(1024, 1024));
    h.run(job);
    const a = placedOne(h, job.ID);
    expect(a.NodeID).toBe(perfect.ID);
    const s = scoresOf(a);
    expect(s.get(perfect.ID)!.NormScore).toBe(1);
    expect(s.get(half.ID)!.NormScore).toBeGreaterThanOrEqual(0.5);
    expect(s.get(half.ID)!.NormScore).toBeLessThanOrEqual(0.6);
    expect(s.size).toBe(2);
    expect(a.Metrics!.NodesExhausted).toBe(1);
  });

  it(nomad("TestBinPackIterator_NoExistingAlloc_MixedReserve", "reserved resources count against the node"), () => {
    const h = scoringHarness();
    const none = h.upsertNode(mockNode({ Name: "no-reserved", ...sized(1100, 1100) }));
    const reserved = h.upsertNode(mockNode({ Name: "reserved", ...sized(2000, 2000, 800, 800) }));
    const reserved2 = h.upsertNode(mockNode({ Name: "reserved2", ...sized(2000, 2000, 500, 500) }));
    h.upsertNode(mockNode({ Name: "overloaded", ...sized(900, 900) }));
    const job = h.upsertJob(sizedJob(1000, 1000));
    h.run(job);
    const a = placedOne(h, job.ID);
    const order = [...(a.Metrics!.ScoreMetaData ?? [])].sort((x, y) => y.NormScore - x.NormScore).map((x) => x.NodeID);
    expect(order).toEqual([none.ID, reserved.ID, reserved2.ID]);
    expect(a.NodeID).toBe(none.ID);
  });

  it(nomad("TestBinPackIterator_ExistingAlloc", "existing allocations of other jobs count; a full node is exhausted"), () => {
    const h = scoringHarness();
    const full = h.upsertNode(mockNode(sized(2048, 2048)));
    const halfFull = h.upsertNode(mockNode(sized(2048, 2048)));
    fill(h, full.ID, 2048, 2048);
    fill(h, halfFull.ID, 1024, 1024);
    const job = h.upsertJob(sizedJob(1024, 1024));
    h.run(job);
    const a = placedOne(h, job.ID);
    expect(a.NodeID).toBe(halfFull.ID);
    expect(scoresOf(a).get(halfFull.ID)!.NormScore).toBe(1);
    expect(scoresOf(a).has(full.ID)).toBe(false);
  });

  it(
    nomad("TestJobAntiAffinity_PlannedAlloc", "−(collisions+1)/count on a node with two allocations of the group, 0 recorded elsewhere"),
    () => {
      const h = scoringHarness();
      const busy = h.upsertNode(mockNode(sized(4000, 8000)));
      const job = h.upsertJob(sizedJob(100, 100, { ID: "foo", group: { Count: 2 } }));
      h.run(job);
      const before = new Set(h.liveAllocs("default", "foo").map((x) => x.ID));
      const free = h.upsertNode(mockNode(sized(4000, 8000)));
      const four = h.upsertJob({ ...job, TaskGroups: [{ ...job.TaskGroups![0], Count: 4 }] } as typeof job);
      h.run(four);
      const next = h.liveAllocs("default", "foo").filter((x) => !before.has(x.ID));
      expect(next.length).toBe(2);
      // The first new placement (foo.web[2]) saw two allocations of foo.web on the busy node.
      const first = next.find((x) => x.Name === "foo.web[2]")!;
      const s = scoresOf(first);
      expect(s.get(busy.ID)!.Scores["job-anti-affinity"]).toBe(-0.75);
      expect(s.get(free.ID)!.Scores["job-anti-affinity"]).toBe(0);
      expect(s.get(free.ID)!.NormScore).toBe(s.get(free.ID)!.Scores.binpack);
    },
  );

  it(nomad("TestNodeAntiAffinity_PenaltyNodes", "the node a failed allocation ran on scores −1 for its replacement, others 0"), () => {
    const h = scoringHarness();
    const n1 = h.upsertNode(mockNode(sized(4000, 8000)));
    const n2 = h.upsertNode(mockNode(sized(4000, 8000)));
    const job = h.upsertJob(sizedJob(100, 100));
    h.run(job);
    const first = placedOne(h, job.ID);
    failAlloc(h, first);
    h.advance(10 * SEC);
    h.run(job, { TriggeredBy: "alloc-failure" });
    const repl = placedOne(h, job.ID);
    expect(repl.PreviousAllocation).toBe(first.ID);
    const s = scoresOf(repl);
    const other = first.NodeID === n1.ID ? n2.ID : n1.ID;
    expect(s.get(first.NodeID)!.Scores["node-reschedule-penalty"]).toBe(-1);
    expect(s.get(other)!.Scores["node-reschedule-penalty"]).toBe(0);
    expect(s.get(first.NodeID)!.NormScore).toBeCloseTo((s.get(first.NodeID)!.Scores.binpack - 1) / 2, 12);
    expect(repl.NodeID).toBe(other);
  });

  it(
    nomad("TestScoreNormalizationIterator", "the final score is the mean of the scores appended (anti-affinity and penalty together)"),
    () => {
      const h = scoringHarness();
      h.upsertNode(mockNode(sized(4000, 8000)));
      const job = h.upsertJob(
        sizedJob(100, 100, {
          group: {
            Count: 2,
            ReschedulePolicy: {
              Attempts: 2,
              Interval: 3600 * SEC,
              Delay: 5 * SEC,
              DelayFunction: "constant",
              MaxDelay: 0,
              Unlimited: false,
            },
          },
        }),
      );
      h.run(job);
      const [a0] = h.liveAllocs("default", job.ID).sort((x, y) => x.Name.localeCompare(y.Name));
      failAlloc(h, a0);
      h.advance(10 * SEC);
      h.run(job, { TriggeredBy: "alloc-failure" });
      const repl = h.liveAllocs("default", job.ID).find((x) => x.PreviousAllocation === a0.ID)!;
      const s = scoresOf(repl).get(a0.NodeID)!;
      // One other allocation of the group on the node (count 2): −(1+1)/2 = −1; the penalty −1; binpack: the mean of three.
      expect(s.Scores["job-anti-affinity"]).toBe(-1);
      expect(s.Scores["node-reschedule-penalty"]).toBe(-1);
      expect(s.NormScore).toBeCloseTo((s.Scores.binpack - 2) / 3, 12);
    },
  );

  it(nomad("TestNodeAffinityIterator", "Σ matching weights / Σ |weights|, appended (also as 0) whenever the group has affinities"), () => {
    const h = scoringHarness();
    const nodes = [
      h.upsertNode(mockNode({ ...sized(4000, 8000), Attributes: { "kernel.version": "4.9" } })),
      h.upsertNode(mockNode({ ...sized(4000, 8000), Datacenter: "dc2" })),
      h.upsertNode(mockNode({ ...sized(4000, 8000), Datacenter: "dc2", NodeClass: "large" })),
      h.upsertNode(mockNode(sized(4000, 8000))),
      h.upsertNode(mockNode({ ...sized(4000, 8000), Datacenter: "dc3", NodeClass: "weird", Attributes: { "kernel.version": "2.6" } })),
    ];
    const affinities = [
      { Operand: "=", LTarget: "${node.datacenter}", RTarget: "dc1", Weight: 100 },
      { Operand: "=", LTarget: "${node.datacenter}", RTarget: "dc2", Weight: -100 },
      { Operand: "version", LTarget: "${attr.kernel.version}", RTarget: ">4.0", Weight: 50 },
      { Operand: "is", LTarget: "${node.class}", RTarget: "large", Weight: 50 },
    ];
    const job = h.upsertJob(sizedJob(500, 256, { ID: "foo", Datacenters: ["dc1", "dc2", "dc3"], group: { Affinities: affinities } }));
    h.run(job);
    const s = scoresOf(placedOne(h, job.ID));
    const want = [0.5, -1 / 3, -1 / 6, 1 / 3, 0];
    nodes.forEach((n, i) => {
      const e = s.get(n.ID)!;
      expect(e.Scores["node-affinity"]).toBeCloseTo(want[i], 12);
      expect(e.NormScore).toBeCloseTo((want[i] + e.Scores.binpack) / 2, 12);
    });
  });
});
