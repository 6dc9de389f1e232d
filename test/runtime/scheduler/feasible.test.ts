import { newAllocMetric, type Node } from "../../../lib/runtime/structs";
import { Harness, mockJob, mockNode } from "../../../lib/runtime/scheduler";
import { checkConstraint, OperatorCache } from "../../../lib/runtime/scheduler/feasible/operators";
import { resolveTarget } from "../../../lib/runtime/scheduler/feasible/target";
import { computeNodeClass } from "../../../lib/runtime/structs";
import { parseVersion, parseVersionConstraint, versionSatisfies } from "../../../lib/runtime/scheduler/feasible/version";
import { globMatch, readyNodesInDCsAndPool } from "../../../lib/runtime/scheduler/feasible/ready-nodes";
import { nodeHasDriver } from "../../../lib/runtime/scheduler/feasible/checkers";
import type { ConstraintView } from "../../../lib/runtime/scheduler/job-view";

describe("constraint operators (Nomad's checkConstraint)", () => {
  const cache = new OperatorCache();
  // [operand, l, r, lFound, rFound, expected]
  const cases: [string, string, string, boolean, boolean, boolean][] = [
    ["=", "linux", "linux", true, true, true],
    ["=", "linux", "windows", true, true, false],
    ["==", "a", "a", true, true, true],
    ["is", "a", "b", true, true, false],
    ["=", "", "", false, true, false],
    ["!=", "linux", "windows", true, true, true],
    ["!=", "linux", "linux", true, true, false],
    ["not", "", "x", false, true, true],
    ["<", "2", "10", true, true, true],
    ["<", "b", "a", true, true, false],
    ["<=", "10", "10", true, true, true],
    [">", "10", "9", true, true, true],
    [">", "1.5", "1.25", true, true, true],
    [">=", "abc", "abd", true, true, false],
    [">=", "5", "", true, false, false],
    ["regexp", "foo-123", "^foo-[0-9]+$", true, true, true],
    ["regexp", "bar", "^foo", true, true, false],
    ["regexp", "x", "([", true, true, false],
    ["version", "1.2.3", ">= 1.2, < 2.0", true, true, true],
    ["version", "2.0.0", ">= 1.2, < 2.0", true, true, false],
    ["version", "1.4.7", "~> 1.4", true, true, true],
    ["version", "2.0.0", "~> 1.4", true, true, false],
    ["version", "1.2.5", "~> 1.2.3", true, true, true],
    ["version", "1.3.0", "~> 1.2.3", true, true, false],
    ["version", "1.3.0-beta1", ">= 1.0", true, true, false],
    ["version", "1.3.0-beta2", ">= 1.3.0-beta1", true, true, true],
    ["semver", "1.3.0-beta1", ">= 1.0.0", true, true, true],
    ["semver", "1.3", ">= 1.0.0", true, true, true], // checkVersionMatch parses the node value with NewVersion: "1.3" is 1.3.0
    ["semver", "2.0.0", "< 2.0.0", true, true, false],
    ["set_contains", "a,b, c", "c,a", true, true, true],
    ["set_contains_all", "a,b", "a,d", true, true, false],
    ["set_contains_any", "a,b", "d, b", true, true, true],
    ["set_contains_any", "a,b", "d,e", true, true, false],
    ["is_set", "x", "", true, true, true],
    ["is_set", "", "", false, true, false],
    ["is_not_set", "", "", false, true, true],
    ["is_not_set", "x", "", true, true, false],
    ["distinct_hosts", "", "true", true, true, true],
    ["bogus", "a", "a", true, true, false],
  ];
  it.each(cases)("%s %j %j (found %s/%s) → %s", (op, l, r, lf, rf, want) => {
    expect(checkConstraint(cache, op, l, r, lf, rf)).toBe(want);
  });

  it("caches compiled regexps per eval", () => {
    const c = new OperatorCache();
    checkConstraint(c, "regexp", "a", "^a$", true, true);
    checkConstraint(c, "regexp", "b", "^a$", true, true);
    expect(c.regexps.size).toBe(1);
  });
});

describe("version constraints", () => {
  it("pads go-version segments and ignores metadata", () => {
    const v = parseVersion("v1.2+build.5")!;
    expect(v.segments).toEqual([1, 2, 0]);
    expect(versionSatisfies(v, parseVersionConstraint("= 1.2.0"))).toBe(true);
  });
  it("rejects malformed constraints with the bad term", () => {
    expect(() => parseVersionConstraint(">= 1.x")).toThrow(/1\.x/);
    expect(() => parseVersionConstraint("~> 1.2.0", true)).toThrow(/semver/);
  });
});

describe("target resolution", () => {
  const node = mockNode({ ID: "n-1", Name: "alpha", Datacenter: "dc7", NodePool: "gpu", NodeClass: "big", Meta: { rack: "r1" } });
  const cases: [string, string, boolean][] = [
    ["${node.unique.id}", "n-1", true],
    ["${node.datacenter}", "dc7", true],
    ["${node.unique.name}", "alpha", true],
    ["${node.class}", "big", true],
    ["${node.pool}", "gpu", true],
    ["${attr.kernel.name}", "linux", true],
    ["${meta.rack}", "r1", true],
    ["${meta.missing}", "", false],
    ["${env.HOME}", "", false],
    ["literal", "literal", true],
  ];
  it.each(cases)("%s → %j", (t, value, found) => {
    expect(resolveTarget(t, node)).toEqual({ value, found });
  });
});

describe("computed node class", () => {
  it("ignores unique.* attributes and meta, but not other fields", () => {
    const a = mockNode({ Attributes: { "unique.hostname": "a" }, Meta: { "unique.x": "1" } });
    const b = mockNode({ Attributes: { "unique.hostname": "b" } });
    const c = mockNode({ Attributes: { "kernel.name": "darwin" } });
    const d = mockNode({ NodePool: "other" });
    expect(computeNodeClass(a)).toBe(computeNodeClass(b));
    expect(computeNodeClass(a)).not.toBe(computeNodeClass(c));
    expect(computeNodeClass(a)).not.toBe(computeNodeClass(d));
    expect(computeNodeClass(a)).toMatch(/^v1:\d+$/);
  });
});

describe("datacenters and node pools", () => {
  it.each([
    ["dc*", "dc1", true],
    ["dc?", "dc12", false],
    ["us-*-1", "us-east-1", true],
    ["dc1", "dc10", false],
    ["*", "anything", true],
  ])("glob %s matches %s: %s", (p, v, want) => expect(globMatch(p, v)).toBe(want));

  it("keeps ready nodes in the job's DCs and pool, counting per DC", () => {
    const nodes: Node[] = [
      mockNode({ ID: "a", Datacenter: "dc1" }),
      mockNode({ ID: "b", Datacenter: "dc2" }),
      mockNode({ ID: "c", Datacenter: "eu1" }),
      mockNode({ ID: "d", Datacenter: "dc1", Status: "down" }),
      mockNode({ ID: "e", Datacenter: "dc1", SchedulingEligibility: "ineligible" }),
      mockNode({ ID: "f", Datacenter: "dc1", NodePool: "gpu" }),
    ];
    const r = readyNodesInDCsAndPool(nodes, ["dc*"], "default");
    expect(r.nodes.map((n) => n.ID)).toEqual(["a", "b"]);
    expect(r.byDC).toEqual({ dc1: 1, dc2: 1 });
    expect([...r.notReady].sort()).toEqual(["d", "e"]);
    expect(readyNodesInDCsAndPool(nodes, ["*"], "all").nodes.map((n) => n.ID)).toEqual(["a", "b", "c", "f"]);
    expect(readyNodesInDCsAndPool(nodes, ["*"], "gpu").nodes.map((n) => n.ID)).toEqual(["f"]);
  });
});

describe("drivers", () => {
  it.each([
    [
      "healthy driver info",
      { Drivers: { docker: { Attributes: {}, Detected: true, Healthy: true, HealthDescription: "", UpdateTime: "" } } },
      true,
    ],
    [
      "unhealthy driver info",
      { Drivers: { docker: { Attributes: {}, Detected: true, Healthy: false, HealthDescription: "", UpdateTime: "" } } },
      false,
    ],
    ["attribute true", { Drivers: {}, Attributes: { "driver.docker": "true" } }, true],
    ["attribute 1", { Drivers: {}, Attributes: { "driver.docker": "1" } }, true],
    ["attribute false", { Drivers: {}, Attributes: { "driver.docker": "false" } }, false],
    ["absent", { Drivers: {} }, false],
  ] as [string, Partial<Node>, boolean][])("%s → %s", (_name, over, want) => {
    expect(nodeHasDriver(mockNode(over), "docker")).toBe(want);
  });
});

/** Places a job with the given constraints on the nodes and returns the placed node IDs and the failure metric. */
function place(nodes: Node[], jobOver: Parameters<typeof mockJob>[0]) {
  const h = new Harness();
  for (const n of nodes) h.upsertNode(n);
  const job = h.upsertJob(mockJob(jobOver));
  h.run(job);
  const ev = h.lastEval();
  return { h, nodes: h.liveAllocs("default", job.ID).map((a) => a.NodeID), failed: ev.FailedTGAllocs?.web ?? newAllocMetric(), ev };
}

describe("feasibility in the stack", () => {
  it("records the failing constraint as 'LTarget Operand RTarget'", () => {
    const r = place([mockNode()], {
      Constraints: [{ LTarget: "${attr.kernel.name}", RTarget: "windows", Operand: "=" }],
      group: { Count: 1 },
    });
    expect(r.nodes).toEqual([]);
    expect(r.failed.ConstraintFiltered).toEqual({ "${attr.kernel.name} = windows": 1 });
    expect(r.failed.NodesFiltered).toBe(1);
    expect(r.failed.NodesEvaluated).toBe(1);
    expect(r.failed.NodesAvailable).toEqual({ dc1: 1 });
  });

  it("filters nodes missing a driver with 'missing drivers'", () => {
    const r = place([mockNode({ Drivers: {}, Attributes: { "driver.exec": "0" } })], {
      group: { Count: 1, Tasks: [{ Name: "t", Driver: "exec", Resources: { CPU: 100, MemoryMB: 100 } }] },
    });
    expect(r.failed.ConstraintFiltered).toEqual({ "missing drivers": 1 });
  });

  it("skips nodes of a class already found ineligible ('computed class ineligible')", () => {
    const nodes = [mockNode(), mockNode(), mockNode()];
    const r = place(nodes, { Constraints: [{ LTarget: "${meta.database}", RTarget: "postgres", Operand: "=" }], group: { Count: 1 } });
    expect(r.failed.ConstraintFiltered).toEqual({ "${meta.database} = postgres": 1, "computed class ineligible": 2 });
    const blocked = r.h.createdEvals.find((e) => e.Status === "blocked")!;
    expect(blocked.ClassEligibility).toEqual({ [nodes[0].ComputedClass]: false });
    expect(blocked.EscapedComputedClass).toBe(false);
    expect(blocked.PreviousEval).toBe(r.ev.ID);
    expect(r.ev.BlockedEval).toBe(blocked.ID);
  });

  it("does not cache unique.* constraints by class (escaped)", () => {
    const nodes = [mockNode({ ID: "00000000-0000-4000-8000-0000000000a1" }), mockNode({ ID: "00000000-0000-4000-8000-0000000000a2" })];
    const r = place(nodes, { Constraints: [{ LTarget: "${node.unique.id}", RTarget: nodes[1].ID, Operand: "=" }], group: { Count: 1 } });
    expect(r.nodes).toEqual([nodes[1].ID]);
  });

  it("distinct_hosts at job level puts each allocation on its own node and fails the rest", () => {
    const r = place([mockNode(), mockNode(), mockNode()], {
      Constraints: [{ Operand: "distinct_hosts", RTarget: "true" }],
      group: { Count: 4 },
    });
    expect(new Set(r.nodes).size).toBe(3);
    expect(r.nodes).toHaveLength(3);
    expect(r.failed.ConstraintFiltered?.distinct_hosts).toBe(3);
    expect(r.failed.CoalescedFailures).toBe(0);
  });

  it("distinct_property allows RTarget allocations per value", () => {
    const nodes = ["r1", "r1", "r2", "r2"].map((rack) => mockNode({ Meta: { rack } }));
    const r = place(nodes, {
      Constraints: [],
      group: { Count: 4, Networks: null, Constraints: [{ Operand: "distinct_property", LTarget: "${meta.rack}", RTarget: "1" }] },
    });
    expect(r.nodes).toHaveLength(2);
    const racks = r.nodes.map((id) => nodes.find((n) => n.ID === id)!.Meta.rack).sort();
    expect(racks).toEqual(["r1", "r2"]);
    const two = place(nodes, {
      Constraints: [],
      group: { Count: 4, Networks: null, Constraints: [{ Operand: "distinct_property", LTarget: "${meta.rack}", RTarget: "2" }] },
    });
    expect(two.nodes).toHaveLength(4);
  });

  it("node pool 'all' reaches every pool, a named pool only its nodes", () => {
    const nodes = [mockNode({ NodePool: "gpu" }), mockNode({ NodePool: "default" })];
    expect(
      place(nodes, { NodePool: "all", group: { Count: 2, Constraints: [{ Operand: "distinct_hosts" } as ConstraintView] } }).nodes,
    ).toHaveLength(2);
    expect(place(nodes, { NodePool: "gpu", group: { Count: 1 } }).nodes).toEqual([nodes[0].ID]);
  });
});
