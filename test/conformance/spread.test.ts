/**
 * scheduler/feasible/spread_test.go: the spread scorer, read from the
 * `allocation-spread` score the next placement recorded for each node
 * (absent when the boost is 0, as Nomad appends it only when non-zero).
 * Nomad's "planned" allocations are existing allocations here: the scorer
 * counts both the same way.
 */
import type { Node, StoredJob } from "../../lib/runtime/structs";
import { Harness, mockJob, mockNode, nomad, scoresOf, seedAllocs, sized } from "./helpers";

const NOMAD_FILE = "scheduler/feasible/spread_test.go";

interface Spread {
  Attribute: string;
  Weight: number;
  SpreadTarget?: { Value: string; Percent: number }[];
}

/** A cluster of nodes in the given datacenters (and racks), a count-`count` job spread as given. */
function setup(dcs: string[], count: number, spreads: Spread[], racks?: string[]): { h: Harness; nodes: Node[]; job: StoredJob } {
  const h = new Harness({ scoreAllNodes: true });
  const nodes = dcs.map((dc, i) =>
    h.upsertNode(mockNode({ ...sized(100000, 100000), Datacenter: dc, Meta: racks ? { rack: racks[i] } : {} })),
  );
  const job = h.upsertJob(
    mockJob({
      Constraints: [],
      Datacenters: ["*"],
      group: {
        Count: count,
        Networks: null,
        EphemeralDisk: { SizeMB: 0 },
        Spreads: spreads,
        Tasks: [{ Name: "web", Driver: "exec", Resources: { CPU: 10, MemoryMB: 10 } }],
      },
    }),
  );
  return { h, nodes, job };
}

/**
 * The allocation-spread score of each node as the next placement of the job
 * saw it (0 when not appended; undefined for a node outside the five best
 * scores the metric keeps, Nomad's MaxRetainedNodeScores).
 */
function spreadScores(h: Harness, job: StoredJob, nodes: Node[], seeded: number): (number | undefined)[] {
  const before = new Set(h.liveAllocs("default", job.ID).map((a) => a.ID));
  h.run(job);
  const next = h.liveAllocs("default", job.ID).filter((a) => !before.has(a.ID) && a.Name === `${job.ID}.web[${seeded}]`)[0];
  expect(next).toBeDefined();
  const s = scoresOf(next);
  return nodes.map((n) => (s.has(n.ID) ? (s.get(n.ID)!.Scores["allocation-spread"] ?? 0) : undefined));
}

/** Checks each retained node's score against `want(node)`, and that some were retained. */
function expectRetained(scores: (number | undefined)[], nodes: Node[], want: (n: Node) => number): void {
  let seen = 0;
  nodes.forEach((n, i) => {
    if (scores[i] === undefined) return;
    seen++;
    expect(scores[i]).toBeCloseTo(want(n), 12);
  });
  expect(seen).toBeGreaterThan(0);
}

describe(NOMAD_FILE, () => {
  const dc1At80: Spread[] = [{ Attribute: "${node.datacenter}", Weight: 100, SpreadTarget: [{ Value: "dc1", Percent: 80 }] }];

  it(
    nomad("TestSpreadIterator_SingleAttribute", "80% in dc1 (20% implied for dc2), two allocations in dc1: dc1 (8−3)/8, dc2 (2−1)/2"),
    () => {
      const { h, nodes, job } = setup(["dc1", "dc2", "dc1", "dc1"], 10, dc1At80);
      seedAllocs(h, job, [nodes[0].ID, nodes[2].ID]);
      expect(spreadScores(h, job, nodes, 2)).toEqual([0.625, 0.5, 0.625, 0.625]);
    },
  );

  it(nomad("TestSpreadIterator_SingleAttribute", "seven allocations in dc1 meet its target: dc1 0, dc2 still 0.5"), () => {
    const { h, nodes, job } = setup(["dc1", "dc2", "dc1", "dc1"], 10, dc1At80);
    seedAllocs(h, job, [nodes[0].ID, nodes[2].ID, nodes[0].ID, nodes[0].ID, nodes[3].ID, nodes[3].ID, nodes[3].ID]);
    expect(spreadScores(h, job, nodes, 7)).toEqual([0, 0.5, 0, 0]);
  });

  it(
    nomad(
      "TestSpreadIterator_MultipleAttributes",
      "datacenter 60/40 (weight 100) and rack 40/60 (weight 50) sum, each weighted by its share",
    ),
    () => {
      const spreads: Spread[] = [
        {
          Attribute: "${node.datacenter}",
          Weight: 100,
          SpreadTarget: [
            { Value: "dc1", Percent: 60 },
            { Value: "dc2", Percent: 40 },
          ],
        },
        {
          Attribute: "${meta.rack}",
          Weight: 50,
          SpreadTarget: [
            { Value: "r1", Percent: 40 },
            { Value: "r2", Percent: 60 },
          ],
        },
      ];
      const { h, nodes, job } = setup(["dc1", "dc2", "dc1", "dc1"], 10, spreads, ["r1", "r1", "r2", "r2"]);
      seedAllocs(h, job, [nodes[0].ID, nodes[2].ID]);
      expect(spreadScores(h, job, nodes, 2).map((x) => x?.toFixed(3))).toEqual(["0.500", "0.667", "0.556", "0.556"]);
    },
  );

  const even: Spread[] = [{ Attribute: "${node.datacenter}", Weight: 100 }];
  const evenDCs = ["dc1", "dc2", "dc1", "dc2", "dc1", "dc2", "dc2", "dc1", "dc1", "dc1"];

  it(nomad("TestSpreadIterator_EvenSpread", "nothing placed: every datacenter 0"), () => {
    const { h, nodes, job } = setup(evenDCs, 10, even);
    expectRetained(spreadScores(h, job, nodes, 0), nodes, () => 0);
  });

  it(nomad("TestSpreadIterator_EvenSpread", "two in dc1, none in dc2: dc1 −1, dc2 +1"), () => {
    const { h, nodes, job } = setup(evenDCs, 10, even);
    seedAllocs(h, job, [nodes[0].ID, nodes[2].ID]);
    expectRetained(spreadScores(h, job, nodes, 2), nodes, (n) => (n.Datacenter === "dc1" ? -1 : 1));
  });

  it(nomad("TestSpreadIterator_EvenSpread", "two in dc1, three in dc2: dc1 +0.5, dc2 −0.5"), () => {
    const { h, nodes, job } = setup(evenDCs, 10, even);
    seedAllocs(h, job, [nodes[0].ID, nodes[2].ID, nodes[1].ID, nodes[1].ID, nodes[3].ID]);
    expectRetained(spreadScores(h, job, nodes, 5), nodes, (n) => (n.Datacenter === "dc1" ? 0.5 : -0.5));
  });

  it(nomad("TestSpreadIterator_MaxPenalty", "nodes in a datacenter no target names (and no * target) score −1"), () => {
    const { h, nodes, job } = setup(["dc3", "dc3", "dc3", "dc3", "dc3"], 5, [
      {
        Attribute: "${node.datacenter}",
        Weight: 100,
        SpreadTarget: [
          { Value: "dc1", Percent: 80 },
          { Value: "dc2", Percent: 20 },
        ],
      },
    ]);
    expect(spreadScores(h, job, nodes, 0)).toEqual([-1, -1, -1, -1, -1]);
  });

  it(nomad("TestSpreadIterator_MaxPenalty", "nodes without the spread attribute score −1"), () => {
    const { h, nodes, job } = setup(["dc3", "dc3", "dc3", "dc3", "dc3"], 5, [
      {
        Attribute: "${meta.foo}",
        Weight: 100,
        SpreadTarget: [
          { Value: "bar", Percent: 80 },
          { Value: "baz", Percent: 20 },
        ],
      },
    ]);
    expect(spreadScores(h, job, nodes, 0)).toEqual([-1, -1, -1, -1, -1]);
  });
});
