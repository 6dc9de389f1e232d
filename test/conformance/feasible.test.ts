/**
 * scheduler/feasible/feasible_test.go: constraint operators, target
 * resolution, the constraint, driver and network checkers. Every case runs
 * the scheduler: a one-node cluster whose node carries the value under test
 * (`${meta.v}`; a missing value is an unset meta key), and a count-1 job
 * whose placement (or not) is Nomad's feasibility answer.
 */
import type { Node } from "../../lib/runtime/structs";
import { Harness, cluster, constrainedJob, mockNode, placesOn, seedAllocs } from "./helpers";
import type { MockNodeOverrides } from "../../lib/runtime/scheduler/mock";

const NOMAD_FILE = "scheduler/feasible/feasible_test.go";

interface OperatorCase {
  nomad: string;
  op: string;
  /** The node's value (`${meta.v}`); null: the node has none. */
  l: string | null;
  /** The right side, a literal; null: an unresolvable target. */
  r: string | null;
  want: boolean;
}

/** Runs an operator case: LTarget `${meta.v}` (or an unset key), RTarget the literal (or an unresolvable target). */
function operatorPlaces(c: OperatorCase): boolean {
  const node: MockNodeOverrides = { Meta: c.l === null ? {} : { v: c.l } };
  return placesOn(node, { LTarget: "${meta.v}", Operand: c.op, RTarget: c.r === null ? "${meta.unset}" : c.r });
}

const operators: OperatorCase[] = [
  // TestCheckConstraint
  { nomad: "TestCheckConstraint", op: "=", l: "foo", r: "foo", want: true },
  { nomad: "TestCheckConstraint", op: "is", l: "foo", r: "foo", want: true },
  { nomad: "TestCheckConstraint", op: "==", l: "foo", r: "foo", want: true },
  { nomad: "TestCheckConstraint", op: "==", l: "foo", r: null, want: false },
  { nomad: "TestCheckConstraint", op: "==", l: null, r: "foo", want: false },
  { nomad: "TestCheckConstraint", op: "==", l: null, r: null, want: false },
  { nomad: "TestCheckConstraint", op: "!=", l: "foo", r: "foo", want: false },
  { nomad: "TestCheckConstraint", op: "!=", l: "foo", r: "bar", want: true },
  { nomad: "TestCheckConstraint", op: "!=", l: null, r: "foo", want: true },
  { nomad: "TestCheckConstraint", op: "!=", l: "foo", r: null, want: true },
  { nomad: "TestCheckConstraint", op: "!=", l: null, r: null, want: false },
  { nomad: "TestCheckConstraint", op: "not", l: "foo", r: "bar", want: true },
  { nomad: "TestCheckConstraint", op: "version", l: "1.2.3", r: "~> 1.0", want: true },
  { nomad: "TestCheckConstraint", op: "version", l: null, r: "~> 1.0", want: false },
  { nomad: "TestCheckConstraint", op: "regexp", l: "foobarbaz", r: "[\\w]+", want: true },
  { nomad: "TestCheckConstraint", op: "regexp", l: null, r: "[\\w]+", want: false },
  { nomad: "TestCheckConstraint", op: "<", l: "foo", r: "bar", want: false },
  { nomad: "TestCheckConstraint", op: "<", l: null, r: "bar", want: false },
  { nomad: "TestCheckConstraint", op: "set_contains", l: "foo,bar,baz", r: "foo,  bar  ", want: true },
  { nomad: "TestCheckConstraint", op: "set_contains", l: "foo,bar,baz", r: "foo,bam", want: false },
  { nomad: "TestCheckConstraint", op: "is_set", l: "foo", r: "", want: true },
  { nomad: "TestCheckConstraint", op: "is_set", l: null, r: "", want: false },
  { nomad: "TestCheckConstraint", op: "is_not_set", l: null, r: "", want: true },
  { nomad: "TestCheckConstraint", op: "is_not_set", l: "foo", r: "", want: false },
  // TestCheckOrder
  { nomad: "TestCheckOrder", op: "<", l: "bar", r: "foo", want: true },
  { nomad: "TestCheckOrder", op: "<=", l: "foo", r: "foo", want: true },
  { nomad: "TestCheckOrder", op: ">", l: "bar", r: "foo", want: false },
  { nomad: "TestCheckOrder", op: ">=", l: "bar", r: "bar", want: true },
  { nomad: "TestCheckOrder", op: ">", l: "1", r: "foo", want: false },
  { nomad: "TestCheckOrder", op: "<", l: "10", r: "1", want: false },
  { nomad: "TestCheckOrder", op: "<", l: "1", r: "10", want: true },
  { nomad: "TestCheckOrder", op: "<", l: "10.5", r: "1.5", want: false },
  { nomad: "TestCheckOrder", op: "<", l: "1.5", r: "10.5", want: true },
  // TestCheckVersionConstraint (go-version: pre-releases only match constraints naming the same pre-release base)
  { nomad: "TestCheckVersionConstraint", op: "version", l: "1.2.3", r: "~> 1.0", want: true },
  { nomad: "TestCheckVersionConstraint", op: "version", l: "1.2.3", r: ">= 1.0, < 1.4", want: true },
  { nomad: "TestCheckVersionConstraint", op: "version", l: "2.0.1", r: "~> 1.0", want: false },
  { nomad: "TestCheckVersionConstraint", op: "version", l: "1.4", r: ">= 1.0, < 1.4", want: false },
  { nomad: "TestCheckVersionConstraint", op: "version", l: "1", r: "~> 1.0", want: true },
  { nomad: "TestCheckVersionConstraint", op: "version", l: "1.3.0-beta1", r: ">= 0.6.1", want: false },
  { nomad: "TestCheckVersionConstraint", op: "version", l: "1.7.0-alpha1", r: ">= 1.6.0-beta1", want: false },
  { nomad: "TestCheckVersionConstraint", op: "version", l: "1.3.0-beta1+ent", r: "= 1.3.0-beta1", want: true },
  // TestCheckSemverConstraint (Semver 2.0 ordering; no pessimistic operator)
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.2.3", r: "~> 1.0", want: false },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.2.3", r: ">= 1.0, < 1.4", want: true },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "2.0.1", r: "~> 1.0", want: false },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.4", r: ">= 1.0, < 1.4", want: false },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1", r: "~> 1.0", want: false },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.3.0-beta1", r: ">= 0.6.1", want: true },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.7.0-alpha1", r: ">= 1.6.0-beta1", want: true },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.7.0-beta", r: ">= 1.7.0", want: false },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.7.0", r: ">= 1.7.0-dev", want: true },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.7.0-beta.1", r: ">= 1.7.0-a", want: true },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.7.0-rc.1", r: ">= 1.7.0-dev", want: true },
  { nomad: "TestCheckSemverConstraint", op: "semver", l: "1.3.0-beta1+ent", r: "= 1.3.0-beta1", want: true },
  // TestCheckRegexpConstraint (its non-string left value has no counterpart: node values are strings)
  { nomad: "TestCheckRegexpConstraint", op: "regexp", l: "foobar", r: "bar", want: true },
  { nomad: "TestCheckRegexpConstraint", op: "regexp", l: "foobar", r: "^foo", want: true },
  { nomad: "TestCheckRegexpConstraint", op: "regexp", l: "foobar", r: "^bar", want: false },
  { nomad: "TestCheckRegexpConstraint", op: "regexp", l: "zipzap", r: "foo", want: false },
  // TestSetContainsAny
  { nomad: "TestSetContainsAny", op: "set_contains_any", l: "a", r: "a", want: true },
  { nomad: "TestSetContainsAny", op: "set_contains_any", l: "a,b", r: "a", want: true },
  { nomad: "TestSetContainsAny", op: "set_contains_any", l: "  a,b  ", r: "a ", want: true },
  { nomad: "TestSetContainsAny", op: "set_contains_any", l: "b", r: "a", want: false },
];

describe(`${NOMAD_FILE}: constraint operators`, () => {
  it.each(operators)("$nomad: $l $op $r → $want", (c) => {
    expect(operatorPlaces(c)).toBe(c.want);
  });
});

interface TargetCase {
  nomad: string;
  target: string;
  /** The value the target resolves to on the mock node; null: it does not resolve. */
  value: (n: Node) => string | null;
}

// TestResolveConstraintTarget: a resolved target equals its value; an unresolved one is "not set".
const targets: TargetCase[] = [
  { nomad: "TestResolveConstraintTarget", target: "${node.unique.id}", value: (n) => n.ID },
  { nomad: "TestResolveConstraintTarget", target: "${node.datacenter}", value: (n) => n.Datacenter },
  { nomad: "TestResolveConstraintTarget", target: "${node.unique.name}", value: (n) => n.Name },
  { nomad: "TestResolveConstraintTarget", target: "${node.class}", value: (n) => n.NodeClass },
  { nomad: "TestResolveConstraintTarget", target: "${node.foo}", value: () => null },
  { nomad: "TestResolveConstraintTarget", target: "${attr.kernel.name}", value: (n) => n.Attributes["kernel.name"] },
  { nomad: "TestResolveConstraintTarget", target: "${attr.rand}", value: () => null },
  { nomad: "TestResolveConstraintTarget", target: "${meta.pci-dss}", value: (n) => n.Meta["pci-dss"] },
  { nomad: "TestResolveConstraintTarget", target: "${meta.rand}", value: () => null },
];

describe(`${NOMAD_FILE}: target resolution`, () => {
  it.each(targets)("$nomad: $target", ({ target, value }) => {
    const node = mockNode();
    const v = value(node);
    if (v === null) {
      expect(placesOn(node, { LTarget: target, Operand: "is_not_set", RTarget: "" })).toBe(true);
      expect(placesOn(node, { LTarget: target, Operand: "is_set", RTarget: "" })).toBe(false);
    } else {
      expect(placesOn(node, { LTarget: target, Operand: "=", RTarget: v })).toBe(true);
      expect(placesOn(node, { LTarget: target, Operand: "=", RTarget: `${v}-other` })).toBe(false);
    }
  });
});

interface NodeCase {
  nomad: string;
  what: string;
  node: MockNodeOverrides;
  want: boolean;
}

/** TestConstraintChecker: all five constraints at once. */
const checkerConstraints = [
  { Operand: "=", LTarget: "${node.datacenter}", RTarget: "dc1" },
  { Operand: "is", LTarget: "${attr.kernel.name}", RTarget: "linux" },
  { Operand: "!=", LTarget: "${node.class}", RTarget: "linux-medium-pci" },
  { Operand: "!=", LTarget: "${node.pool}", RTarget: "prod" },
  { Operand: "is_set", LTarget: "${attr.foo}", RTarget: "" },
];
const constraintChecker: NodeCase[] = [
  { nomad: "TestConstraintChecker", what: "freebsd kernel", node: { Attributes: { "kernel.name": "freebsd" } }, want: false },
  { nomad: "TestConstraintChecker", what: "dc2", node: { Datacenter: "dc2" }, want: false },
  {
    nomad: "TestConstraintChecker",
    what: "class large with attr foo",
    node: { NodeClass: "large", Attributes: { foo: "bar" } },
    want: true,
  },
  { nomad: "TestConstraintChecker", what: "pool prod", node: { NodePool: "prod" }, want: false },
];

describe(`${NOMAD_FILE}: constraint checker`, () => {
  it.each(constraintChecker)("$nomad: $what → $want", ({ node, want }) => {
    const { h } = cluster(1, () => node);
    // The job runs in every datacenter and pool, so that only the constraints decide.
    const job = h.upsertJob(constrainedJob(null, { Constraints: checkerConstraints, Datacenters: ["*"], NodePool: "all" }));
    h.run(job);
    expect(h.liveAllocs("default", job.ID).length === 1).toBe(want);
  });
});

const healthy = { Detected: true, Healthy: true, HealthDescription: "", UpdateTime: "2026-01-01T00:00:00Z", Attributes: {} };
const drivers: NodeCase[] = [
  // TestDriverChecker_DriverInfo: the driver must be detected and healthy.
  {
    nomad: "TestDriverChecker_DriverInfo",
    what: "foo detected and healthy",
    node: { Drivers: { exec: healthy, foo: healthy } },
    want: true,
  },
  {
    nomad: "TestDriverChecker_DriverInfo",
    what: "foo detected, unhealthy",
    node: { Drivers: { exec: healthy, foo: { ...healthy, Healthy: false } } },
    want: false,
  },
  {
    nomad: "TestDriverChecker_DriverInfo",
    what: "foo not detected",
    node: { Drivers: { exec: healthy, foo: { ...healthy, Detected: false, Healthy: false } } },
    want: false,
  },
  // TestDriverChecker_Compatibility: without driver info, the driver.<name> attribute as a boolean.
  {
    nomad: "TestDriverChecker_Compatibility",
    what: 'driver.foo "1"',
    node: { Drivers: {}, Attributes: { "driver.foo": "1" } },
    want: true,
  },
  {
    nomad: "TestDriverChecker_Compatibility",
    what: 'driver.foo "0"',
    node: { Drivers: {}, Attributes: { "driver.foo": "0" } },
    want: false,
  },
  {
    nomad: "TestDriverChecker_Compatibility",
    what: 'driver.foo "true"',
    node: { Drivers: {}, Attributes: { "driver.foo": "true" } },
    want: true,
  },
  {
    nomad: "TestDriverChecker_Compatibility",
    what: 'driver.foo "False"',
    node: { Drivers: {}, Attributes: { "driver.foo": "False" } },
    want: false,
  },
];

describe(`${NOMAD_FILE}: driver checker`, () => {
  it.each(drivers)("$nomad: $what → $want", ({ node, want }) => {
    const { h } = cluster(1, () => node);
    const job = h.upsertJob(
      constrainedJob(null, {
        group: {
          Tasks: [
            { Name: "a", Driver: "exec", Resources: { CPU: 100, MemoryMB: 64 } },
            { Name: "b", Driver: "foo", Resources: { CPU: 100, MemoryMB: 64 } },
          ],
        },
      }),
    );
    h.run(job);
    expect(h.liveAllocs("default", job.ID).length === 1).toBe(want);
    if (!want) expect(h.lastEval().FailedTGAllocs!.web.ConstraintFiltered).toEqual({ "missing drivers": 1 });
  });
});

describe(`${NOMAD_FILE}: distinct_hosts`, () => {
  // TestDistinctHostsIterator_JobDistinctHosts_Table: the job has allocations on n1 and n2; a job with the same ID in
  // another namespace has one on every node and must not count.
  it.each([
    { nomad: "TestDistinctHostsIterator_JobDistinctHosts_Table", rtarget: "", feasible: 1 },
    { nomad: "TestDistinctHostsIterator_JobDistinctHosts_Table", rtarget: "true", feasible: 1 },
    { nomad: "TestDistinctHostsIterator_JobDistinctHosts_Table", rtarget: "false", feasible: 3 },
    { nomad: "TestDistinctHostsIterator_JobDistinctHosts_Table", rtarget: "not_a_bool", feasible: 1 },
  ])("$nomad: RTarget $rtarget → $feasible feasible node(s)", ({ rtarget, feasible }) => {
    const h = new Harness({ scoreAllNodes: true });
    const [n1, n2, n3] = [h.upsertNode(mockNode()), h.upsertNode(mockNode()), h.upsertNode(mockNode())];
    const job = h.upsertJob(
      constrainedJob(
        { Operand: "distinct_hosts", LTarget: "", RTarget: rtarget },
        { ID: "foo", group: { Count: 3, Tasks: [{ Name: "t", Driver: "exec", Resources: { CPU: 10, MemoryMB: 10 } }] } },
      ),
    );
    const other = h.upsertJob(constrainedJob(null, { ID: "foo", Namespace: "different", group: { Count: 3 } }));
    seedAllocs(h, job, [n1.ID, n2.ID]);
    seedAllocs(h, other, [n1.ID, n2.ID, n3.ID]);
    h.run(job);
    const next = h.liveAllocs("default", "foo").find((a) => a.Name === "foo.web[2]")!;
    expect(next).toBeDefined();
    expect(next.Metrics!.ScoreMetaData!.length).toBe(feasible);
    if (feasible === 1) {
      expect(next.NodeID).toBe(n3.ID);
      expect(next.Metrics!.ConstraintFiltered).toEqual({ distinct_hosts: 2 });
    }
  });
});
