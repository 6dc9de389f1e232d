/**
 * helper/constraints/semver (constraints_test.go): Nomad's `semver` operator.
 * Parsing runs through job validation (Constraint.Validate: "Semver
 * constraint is invalid: …"); checking runs through the scheduler: a node
 * whose `${meta.v}` is the version, and a job constrained by it.
 */
import { validateJob } from "../../lib/jobspec";
import { minimalJob } from "../jobspec/helpers";
import { placesOn } from "./helpers";

const NOMAD_FILE = "helper/constraints/semver/constraints_test.go";

interface ParseCase {
  nomad: string;
  input: string;
  err: boolean;
}

// TestNewConstraint: which constraint strings parse.
const parse: ParseCase[] = [
  { nomad: "TestNewConstraint", input: ">= 1.2", err: false },
  { nomad: "TestNewConstraint", input: "1.0", err: false },
  { nomad: "TestNewConstraint", input: ">= 1.x", err: true },
  { nomad: "TestNewConstraint", input: ">= 1.2, < 1.0", err: false },
  { nomad: "TestNewConstraint", input: "11387778780781445675529500000000000000000", err: true },
  { nomad: "TestNewConstraint", input: ">= 1.0beta1", err: true },
  { nomad: "TestNewConstraint", input: "~> 1.0", err: true },
  // TestConstraintsString: the constraint is kept as written.
  { nomad: "TestConstraintsString", input: ">= 1.0, < 1.2", err: false },
];

describe(`${NOMAD_FILE}: parsing (job validation)`, () => {
  it.each(parse)("$nomad: $input → error $err", ({ input, err }) => {
    const job = minimalJob() as Record<string, unknown>;
    job.Constraints = [{ LTarget: "${attr.nomad.version}", RTarget: input, Operand: "semver" }];
    const v = validateJob(job);
    const problems = v.valid ? [] : v.problems.map((p) => `${p.path}: ${p.message}`);
    if (err)
      expect(problems).toEqual([
        expect.stringMatching(/^Job\.Constraints\[0\]\.RTarget: Semver constraint is invalid: Malformed constraint: /),
      ]);
    else expect(problems).toEqual([]);
  });
});

interface CheckCase {
  nomad: string;
  constraint: string;
  version: string;
  check: boolean;
}

// TestConstraintCheck: whether a version satisfies a constraint (Semver 2.0 ordering, metadata ignored).
const check: CheckCase[] = [
  { nomad: "TestConstraintCheck", constraint: ">= 1.0, < 1.2", version: "1.1.5", check: true },
  { nomad: "TestConstraintCheck", constraint: "< 1.0, < 1.2", version: "1.1.5", check: false },
  { nomad: "TestConstraintCheck", constraint: "= 1.0", version: "1.1.5", check: false },
  { nomad: "TestConstraintCheck", constraint: "= 1.0", version: "1.0.0", check: true },
  { nomad: "TestConstraintCheck", constraint: "1.0", version: "1.0.0", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 10", version: "8", check: false },
  { nomad: "TestConstraintCheck", constraint: "> 2.0", version: "2.1.0-beta", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 2.1.0-a", version: "2.1.0-beta", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 2.1.0-a", version: "2.1.1-beta", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 2.0.0", version: "2.1.0-beta", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 2.1.0-a", version: "2.1.1", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 2.1.0-a", version: "2.1.0", check: true },
  { nomad: "TestConstraintCheck", constraint: "<= 2.1.0-a", version: "2.0.0", check: true },
  { nomad: "TestConstraintCheck", constraint: ">= 0.6.1", version: "1.3.0-beta1", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 1.0-beta1", version: "1.0-rc1", check: true },
  { nomad: "TestConstraintCheck", constraint: ">= 0.6.1", version: "1.3.0-beta1+ent", check: true },
  { nomad: "TestConstraintCheck", constraint: ">= 1.3.0-beta1", version: "1.3.0-beta1+ent", check: true },
  { nomad: "TestConstraintCheck", constraint: "> 1.3.0-beta1+cgo", version: "1.3.0-beta1+ent", check: false },
  { nomad: "TestConstraintCheck", constraint: "= 1.3.0-beta1+cgo", version: "1.3.0-beta1+ent", check: true },
  // The example: a short version in the constraint (>= 1.5) against full node versions.
  { nomad: "helper/constraints/semver/constraints.go: Constraints.Check", constraint: ">= 1.5", version: "1.7.2", check: true },
  { nomad: "helper/constraints/semver/constraints.go: Constraints.Check", constraint: ">= 1.5", version: "1.4.9", check: false },
  { nomad: "helper/constraints/semver/constraints.go: Constraints.Check", constraint: "< 3", version: "2.9.9", check: true },
];

describe(`${NOMAD_FILE}: checking (scheduler placement)`, () => {
  it.each(check)("$nomad: $version satisfies $constraint → $check", ({ constraint, version, check: want }) => {
    expect(placesOn({ Meta: { v: version } }, { LTarget: "${meta.v}", RTarget: constraint, Operand: "semver" })).toBe(want);
  });
});
