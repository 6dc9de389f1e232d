import type { Node } from "../../../lib/runtime/structs";
import { Harness, mockJob, mockNode, scoreFitBinPack, scoreFitSpread } from "../../../lib/runtime/scheduler";
import { evenSpreadScoreBoost } from "../../../lib/runtime/scheduler/rank/spread";
import { defaultLimit, LimitIterator, MaxScoreIterator } from "../../../lib/runtime/scheduler/select";
import type { RankIterator, RankedNode } from "../../../lib/runtime/scheduler/rank/ranked-node";

const usage = (cpu: number, memoryMB: number) => ({ cpu, memoryMB, diskMB: 0, allocs: 0 });

describe("fit scores (structs/funcs.go)", () => {
  // mock node: 4000-100 = 3900 MHz, 8192-256 = 7936 MB available.
  const node = mockNode();
  it.each([
    ["empty node", 0, 0, 0],
    ["full node", 3900, 7936, 18],
    ["half used", 1950, 3968, 20 - 2 * Math.pow(10, 0.5)],
  ])("binpack %s", (_n, cpu, mem, want) => {
    expect(scoreFitBinPack(node, usage(cpu, mem))).toBeCloseTo(want, 10);
  });
  it.each([
    ["empty node", 0, 0, 18],
    ["full node", 3900, 7936, 0],
    ["half used", 1950, 3968, 2 * Math.pow(10, 0.5) - 2],
  ])("spread %s", (_n, cpu, mem, want) => {
    expect(scoreFitSpread(node, usage(cpu, mem))).toBeCloseTo(want, 10);
  });

  it("stores binpack/18 in the placement's score metadata", () => {
    const h = new Harness();
    const n = h.upsertNode(mockNode());
    const job = h.upsertJob(
      mockJob({ group: { Count: 1, Networks: null, Tasks: [{ Name: "t", Driver: "exec", Resources: { CPU: 1950, MemoryMB: 3968 } }] } }),
    );
    h.run(job);
    const a = h.liveAllocs("default", job.ID)[0];
    const want = (20 - 2 * Math.pow(10, 0.5)) / 18;
    expect(a.NodeID).toBe(n.ID);
    expect(a.Metrics!.ScoreMetaData![0].Scores.binpack).toBeCloseTo(want, 10);
    expect(a.Metrics!.ScoreMetaData![0].NormScore).toBeCloseTo(want, 10);
  });

  it("uses worst fit when the scheduler algorithm is spread", () => {
    const h = new Harness();
    const busy = h.upsertNode(mockNode());
    const idle = h.upsertNode(mockNode());
    const filler = h.upsertJob(
      mockJob({
        ID: "filler",
        group: {
          Count: 1,
          Networks: null,
          Constraints: [{ LTarget: "${node.unique.id}", RTarget: busy.ID, Operand: "=" }],
          Tasks: [{ Name: "t", Driver: "exec", Resources: { CPU: 2000, MemoryMB: 2000 } }],
        },
      }),
    );
    h.run(filler);
    h.setSchedulerConfig({ SchedulerAlgorithm: "spread" });
    const job = h.upsertJob(mockJob({ ID: "small", group: { Count: 1, Networks: null } }));
    h.run(job);
    expect(h.liveAllocs("default", "small")[0].NodeID).toBe(idle.ID);
    h.setSchedulerConfig({ SchedulerAlgorithm: "binpack" });
    const job2 = h.upsertJob(mockJob({ ID: "small2", group: { Count: 1, Networks: null } }));
    h.run(job2);
    expect(h.liveAllocs("default", "small2")[0].NodeID).toBe(busy.ID);
  });
});

describe("job anti-affinity", () => {
  it("spreads a count-3 job over 3 empty nodes", () => {
    const h = new Harness();
    for (let i = 0; i < 3; i++) h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob({ group: { Count: 3 } }));
    h.run(job);
    const nodes = h.liveAllocs("default", job.ID).map((a) => a.NodeID);
    expect(new Set(nodes).size).toBe(3);
  });

  it("scores −(collisions+1)/count only when there are collisions, averaged with binpack", () => {
    const h = new Harness();
    h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob({ group: { Count: 2, Networks: null } }));
    h.run(job);
    const [first, second] = [...h.liveAllocs("default", job.ID)].sort((a, b) => a.Name.localeCompare(b.Name));
    // Without collisions Nomad records a 0 in ScoreMetaData that does not count in the mean.
    expect(first.Metrics!.ScoreMetaData![0].Scores["job-anti-affinity"]).toBe(0);
    expect(first.Metrics!.ScoreMetaData![0].NormScore).toBeCloseTo(first.Metrics!.ScoreMetaData![0].Scores.binpack, 10);
    const s = second.Metrics!.ScoreMetaData![0];
    expect(s.Scores["job-anti-affinity"]).toBeCloseTo(-1, 10);
    expect(s.NormScore).toBeCloseTo((s.Scores.binpack - 1) / 2, 10);
  });
});

describe("node affinity", () => {
  it("prefers matching nodes and appends the weight fraction", () => {
    const h = new Harness();
    const nodes: Node[] = [];
    for (let i = 0; i < 6; i++) nodes.push(h.upsertNode(mockNode({ Meta: { tier: i === 4 ? "gold" : "bronze" } })));
    const job = h.upsertJob(
      mockJob({
        group: {
          Count: 1,
          Networks: null,
          Affinities: [
            { LTarget: "${meta.tier}", RTarget: "gold", Operand: "=", Weight: 100 },
            { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=", Weight: -50 },
          ],
        },
      }),
    );
    h.run(job);
    const a = h.liveAllocs("default", job.ID)[0];
    expect(a.NodeID).toBe(nodes[4].ID);
    expect(a.Metrics!.ScoreMetaData![0].Scores["node-affinity"]).toBeCloseTo(50 / 150, 10);
    // A non-matching node still gets the affinity appended (negative here).
    const other = a.Metrics!.ScoreMetaData!.find((s) => s.NodeID !== nodes[4].ID)!;
    expect(other.Scores["node-affinity"]).toBeCloseTo(-50 / 150, 10);
  });
});

describe("spread", () => {
  it("reaches a 70/30 split across two datacenters", () => {
    const h = new Harness();
    for (let i = 0; i < 10; i++) h.upsertNode(mockNode({ Datacenter: i % 2 ? "dc2" : "dc1" }));
    const job = h.upsertJob(
      mockJob({
        Datacenters: ["dc1", "dc2"],
        group: {
          Count: 10,
          Networks: null,
          Spreads: [
            {
              Attribute: "${node.datacenter}",
              Weight: 100,
              SpreadTarget: [
                { Value: "dc1", Percent: 70 },
                { Value: "dc2", Percent: 30 },
              ],
            },
          ],
        },
      }),
    );
    h.run(job);
    const byDC: Record<string, number> = {};
    for (const a of h.liveAllocs("default", job.ID)) {
      const dc = h.nodeByID(a.NodeID)!.Datacenter;
      byDC[dc] = (byDC[dc] ?? 0) + 1;
    }
    expect(byDC).toEqual({ dc1: 7, dc2: 3 });
  });

  it("spreads evenly without targets", () => {
    const h = new Harness();
    for (let i = 0; i < 9; i++) h.upsertNode(mockNode({ Meta: { rack: `r${i % 3}` } }));
    const job = h.upsertJob(mockJob({ group: { Count: 6, Networks: null, Spreads: [{ Attribute: "${meta.rack}", Weight: 50 }] } }));
    h.run(job);
    const byRack: Record<string, number> = {};
    for (const a of h.liveAllocs("default", job.ID)) {
      const r = h.nodeByID(a.NodeID)!.Meta.rack;
      byRack[r] = (byRack[r] ?? 0) + 1;
    }
    expect(byRack).toEqual({ r0: 2, r1: 2, r2: 2 });
  });

  it.each([
    ["nothing placed", new Map<string, number>(), "a", 0],
    ["missing attribute", new Map([["a", 1]]), undefined, -1],
    [
      "value below the minimum",
      new Map([
        ["a", 2],
        ["b", 2],
      ]),
      "c",
      1,
    ],
    [
      "value above the minimum",
      new Map([
        ["a", 1],
        ["b", 2],
      ]),
      "b",
      -1,
    ],
    [
      "even distribution",
      new Map([
        ["a", 2],
        ["b", 2],
      ]),
      "a",
      -1,
    ],
    [
      "value at the minimum of an uneven one",
      new Map([
        ["a", 1],
        ["b", 3],
      ]),
      "a",
      2,
    ],
  ] as [string, Map<string, number>, string | undefined, number][])("even spread boost: %s", (_n, used, value, want) => {
    expect(evenSpreadScoreBoost(used, value)).toBeCloseTo(want, 10);
  });
});

describe("limit and max score", () => {
  it.each([
    [false, 1, 2],
    [false, 4, 2],
    [false, 5, 3],
    [false, 5000, 13],
    [false, 10000, 14],
    [true, 10000, 2],
  ])("batch=%s, %i nodes → limit %i", (batch, n, want) => expect(defaultLimit(batch, n)).toBe(want));

  const source = (scores: number[]): RankIterator => {
    let i = 0;
    return {
      next: () =>
        i < scores.length
          ? ({
              node: { ID: `n${i}` },
              scores: [],
              scoreNames: [],
              finalScore: scores[i++],
              taskResources: null,
              ports: null,
            } as unknown as RankedNode)
          : null,
      reset: () => undefined,
    };
  };
  const ids = (it: RankIterator) => {
    const out: string[] = [];
    for (let o = it.next(); o; o = it.next()) out.push(o.node.ID);
    return out;
  };

  it("sets aside up to 3 nodes scoring ≤ 0 and returns them only when the source runs out", () => {
    expect(ids(new LimitIterator(source([0, -1, 0.5, 0.7]), 2))).toEqual(["n2", "n3"]);
    expect(ids(new LimitIterator(source([0, 0, 0, 0, 0.5]), 2))).toEqual(["n3", "n4"]);
    expect(ids(new LimitIterator(source([-1, 0.2]), 3))).toEqual(["n1", "n0"]);
  });

  it("keeps the first strictly greater score", () => {
    expect(new MaxScoreIterator(source([0.5, 0.9, 0.9, 0.1])).next()!.node.ID).toBe("n1");
  });

  it("scores log2(n) nodes per placement for service jobs, 100 with affinities, all with scoreAllNodes", () => {
    const run = (opts: { scoreAllNodes?: boolean; affinity?: boolean }) => {
      const h = new Harness({ scoreAllNodes: opts.scoreAllNodes });
      for (let i = 0; i < 200; i++) h.upsertNode(mockNode());
      const job = h.upsertJob(
        mockJob({
          group: {
            Count: 1,
            Networks: null,
            Affinities: opts.affinity ? [{ LTarget: "${meta.database}", RTarget: "mysql", Operand: "=", Weight: 50 }] : null,
          },
        }),
      );
      h.run(job);
      return h.liveAllocs("default", job.ID)[0].Metrics!.NodesEvaluated;
    };
    expect(run({})).toBe(8);
    expect(run({ affinity: true })).toBe(100);
    expect(run({ scoreAllNodes: true })).toBe(200);
  });
});

describe("determinism", () => {
  const scenario = () => {
    const h = new Harness({ seed: 7 });
    for (let i = 0; i < 50; i++) h.upsertNode(mockNode({ ID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` }));
    const job = h.upsertJob(mockJob({ group: { Count: 20 } }));
    h.run(job);
    return h
      .liveAllocs("default", job.ID)
      .map((a) => `${a.Name}@${a.NodeID}:${a.AllocatedResources.Shared.Ports!.map((p) => p.Value).join("/")}`)
      .sort();
  };
  it("places identically given the same state and eval ID", () => {
    expect(scenario()).toEqual(scenario());
  });
  it("places differently with a different eval ID", () => {
    const h = new Harness({ seed: 8 });
    for (let i = 0; i < 50; i++) h.upsertNode(mockNode({ ID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` }));
    const job = h.upsertJob(mockJob({ group: { Count: 20 } }));
    h.run(job);
    const other = h
      .liveAllocs("default", job.ID)
      .map((a) => `${a.Name}@${a.NodeID}`)
      .sort();
    expect(other).not.toEqual(scenario().map((s) => s.split(":")[0]));
  });
});

describe("ports", () => {
  it("assigns dynamic ports in the node's range with no duplicates on a node, To -1 = host port", () => {
    const h = new Harness();
    h.upsertNode(mockNode({ NodeResources: { ...mockNode().NodeResources, MinDynamicPort: 30000, MaxDynamicPort: 30009 } }));
    const job = h.upsertJob(
      mockJob({
        group: {
          Count: 5,
          Networks: [{ Mode: "host", DynamicPorts: [{ Label: "http", To: -1 }, { Label: "admin" }] }],
          Tasks: [{ Name: "t", Driver: "exec", Resources: { CPU: 10, MemoryMB: 10 } }],
        },
      }),
    );
    h.run(job);
    const ports = h.liveAllocs("default", job.ID).flatMap((a) => a.AllocatedResources.Shared.Ports!);
    expect(ports).toHaveLength(10);
    expect(new Set(ports.map((p) => p.Value)).size).toBe(10);
    for (const p of ports) {
      expect(p.Value).toBeGreaterThanOrEqual(30000);
      expect(p.Value).toBeLessThanOrEqual(30009);
      if (p.Label === "http") expect(p.To).toBe(p.Value);
    }
    // The range is full now: a sixth allocation cannot get ports.
    const more = h.upsertJob(mockJob({ ID: "more", group: { Count: 1, Networks: [{ Mode: "host", DynamicPorts: [{ Label: "x" }] }] } }));
    h.run(more);
    expect(h.lastEval().FailedTGAllocs!.web.DimensionExhausted).toEqual({ "network: dynamic port selection failed": 1 });
  });

  it("treats a static port held by another allocation as a collision", () => {
    const h = new Harness();
    h.upsertNode(mockNode());
    const mk = (id: string) =>
      mockJob({ ID: id, group: { Count: 1, Networks: [{ Mode: "host", ReservedPorts: [{ Label: "web", Value: 8080 }] }] } });
    h.run(h.upsertJob(mk("a")));
    expect(h.liveAllocs("default", "a")[0].AllocatedResources.Shared.Ports).toEqual([
      { Label: "web", Value: 8080, To: 0, HostIP: "192.168.0.100" },
    ]);
    h.run(h.upsertJob(mk("b")));
    expect(h.liveAllocs("default", "b")).toHaveLength(0);
    expect(h.lastEval().FailedTGAllocs!.web.DimensionExhausted).toEqual({ "network: port collision": 1 });
    // The node's reserved port 22 also collides.
    h.run(
      h.upsertJob(mockJob({ ID: "ssh", group: { Count: 1, Networks: [{ Mode: "host", ReservedPorts: [{ Label: "ssh", Value: 22 }] }] } })),
    );
    expect(h.liveAllocs("default", "ssh")).toHaveLength(0);
  });
});
