/**
 * Rules of constraints, affinities and spreads
 * (`nomad/structs/structs.go` (*Constraint).Validate, (*Affinity).Validate,
 * (*Spread).Validate).
 */
import { AFFINITY_OPERANDS, CONSTRAINT_OPERANDS } from "../constants";
import type { Obj, Path, RuleContext } from "./context";
import { items, num, q, str } from "./context";

const COMPARISONS = new Set(["=", "==", "is", "!=", "not", "<", "<=", ">", ">="]);
const SET_CONTAINS = new Set(["set_contains", "set_contains_all", "set_contains_any"]);

/** A go-version (hashicorp/go-version `NewConstraint`) clause: an optional operator and a version whose letter pre-release may omit its dash ("1.0beta1"). */
const VERSION_CLAUSE =
  /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?\d+(\.\d+)*(-[0-9][0-9A-Za-z~-]*(\.[0-9A-Za-z~-]+)*|-?[A-Za-z~-][0-9A-Za-z~-]*(\.[0-9A-Za-z~-]+)*)?(\+[0-9A-Za-z~-]+(\.[0-9A-Za-z~-]+)*)?\s*$/;
/** A semver clause (Nomad's helper/constraints/semver `NewConstraint`): no "~>", and a pre-release needs its dash; short versions ("1.2", "10") are fine. */
const SEMVER_CLAUSE =
  /^\s*(=|!=|>=|<=|>|<)?\s*v?\d+(\.\d+)*(-[0-9A-Za-z~-]+(\.[0-9A-Za-z~-]+)*)?(\+[0-9A-Za-z~-]+(\.[0-9A-Za-z~-]+)*)?\s*$/;
/** go-version parses each segment as an int64. */
const INT64_MAX = BigInt("9223372036854775807");

/** Why a version constraint does not parse, or undefined when it does (the text after Nomad's "Version/Semver constraint is invalid: "). */
function versionConstraintError(s: string, semver: boolean): string | undefined {
  const clauses = s.split(",");
  const re = semver ? SEMVER_CLAUSE : VERSION_CLAUSE;
  for (const c of clauses) {
    if (!re.test(c)) return `Malformed constraint: ${c}`;
    const digits = /\d+(\.\d+)*/.exec(c)?.[0] ?? "";
    if (digits.split(".").some((d) => BigInt(d) > INT64_MAX)) return `Malformed constraint: ${c} (a version segment exceeds int64)`;
  }
  return undefined;
}

/** Why a regular expression does not compile, or undefined. JavaScript's RegExp approximates Go's RE2 syntax. */
function regexpError(s: string): string | undefined {
  try {
    new RegExp(s);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A constraint (`(*Constraint).Validate`); `taskLevel` forbids distinct_hosts and distinct_property (`(*Task).Validate`). */
function checkConstraint(ctx: RuleContext, c: Obj, path: Path, taskLevel: boolean): void {
  const op = str(c.Operand) ?? "";
  const r = str(c.RTarget) ?? "";
  const l = str(c.LTarget) ?? "";
  if (c.Operand === undefined || c.Operand === null || op === "") {
    // structs.go (*Constraint).Validate: "Missing constraint operand"
    ctx.error(
      [...path, "Operand"],
      "constraint.operand.required",
      'missing constraint operand (JSON has no default; HCL defaults it to "=")',
    );
    return;
  }
  if (typeof c.Operand !== "string") return;
  if (!(CONSTRAINT_OPERANDS as readonly string[]).includes(op)) {
    // structs.go (*Constraint).Validate: "Unknown constraint type %q"
    ctx.error(
      [...path, "Operand"],
      "constraint.operand.unknown",
      `unknown constraint operand ${q(op)}; use one of ${CONSTRAINT_OPERANDS.join(", ")}`,
    );
    return;
  }
  if (taskLevel && (op === "distinct_hosts" || op === "distinct_property")) {
    // structs.go (*Task).Validate: "Constraint %d has disallowed Operand at task level: %s"
    ctx.error([...path, "Operand"], "constraint.operand.task-level", `${op} is not allowed on a task; put it on the group or the job`);
  }
  if (COMPARISONS.has(op) && r === "")
    ctx.error([...path, "RTarget"], "constraint.rtarget.required", `operator ${q(op)} requires an RTarget`);
  if (SET_CONTAINS.has(op) && r === "")
    ctx.error([...path, "RTarget"], "constraint.rtarget.required", `${op} requires an RTarget (a comma-separated list)`);
  if (op === "regexp") {
    const e = regexpError(r);
    if (e) ctx.error([...path, "RTarget"], "constraint.regexp", `regular expression failed to compile: ${e}`);
  }
  if (op === "version" || op === "semver") {
    const e = versionConstraintError(r, op === "semver");
    if (e) ctx.error([...path, "RTarget"], `constraint.${op}`, `${op === "semver" ? "Semver" : "Version"} constraint is invalid: ${e}`);
  }
  if (op === "distinct_property") {
    if (r !== "") {
      if (!/^\d+$/.test(r))
        ctx.error(
          [...path, "RTarget"],
          "constraint.distinct-property.count",
          `RTarget of distinct_property must be the allowed count, an unsigned integer (got ${q(r)})`,
        );
      else if (Number(r) < 1)
        ctx.error(
          [...path, "RTarget"],
          "constraint.distinct-property.count",
          `distinct_property must allow a count of 1 or greater (got ${r})`,
        );
    }
  }
  if ((op === "is_set" || op === "is_not_set") && r !== "")
    ctx.error([...path, "RTarget"], "constraint.rtarget.forbidden", `operator ${q(op)} does not support an RTarget`);
  // structs.go (*Constraint).Validate: requireLtarget (all operands but distinct_hosts)
  if (op !== "distinct_hosts" && l === "")
    ctx.error([...path, "LTarget"], "constraint.ltarget.required", `operator ${q(op)} requires an LTarget (the attribute to compare)`);
}

/** An affinity (`(*Affinity).Validate`); Weight is judged after canonicalization (default 50). */
function checkAffinity(ctx: RuleContext, a: Obj, path: Path): void {
  const op = str(a.Operand) ?? "";
  const r = str(a.RTarget) ?? "";
  if (op === "") {
    if (a.Operand === undefined || a.Operand === null || a.Operand === "")
      ctx.error([...path, "Operand"], "affinity.operand.required", "missing affinity operand");
  } else if (!(AFFINITY_OPERANDS as readonly string[]).includes(op)) {
    ctx.error(
      [...path, "Operand"],
      "affinity.operand.unknown",
      `unknown affinity operator ${q(op)}; use one of ${AFFINITY_OPERANDS.join(", ")}`,
    );
  } else {
    if ((COMPARISONS.has(op) || SET_CONTAINS.has(op)) && r === "")
      ctx.error([...path, "RTarget"], "affinity.rtarget.required", `operator ${q(op)} requires an RTarget`);
    if (op === "regexp") {
      const e = regexpError(r);
      if (e) ctx.error([...path, "RTarget"], "affinity.regexp", `regular expression failed to compile: ${e}`);
    }
    if (op === "version" || op === "semver") {
      const e = versionConstraintError(r, op === "semver");
      if (e) ctx.error([...path, "RTarget"], `affinity.${op}`, `${op} affinity is invalid: ${e}`);
    }
  }
  if ((str(a.LTarget) ?? "") === "") ctx.error([...path, "LTarget"], "affinity.ltarget.required", "no LTarget provided but it is required");
  const w = num(a.Weight);
  // structs.go (*Affinity).Validate: "Affinity weight must be within the range [-100,100]", "Affinity weight cannot be zero"
  if (w !== undefined) {
    if (w < -100 || w > 100) ctx.error([...path, "Weight"], "affinity.weight.range", `affinity weight must be within -100..100 (got ${w})`);
    else if (w === 0) ctx.error([...path, "Weight"], "affinity.weight.zero", "affinity weight cannot be zero");
  }
}

/** A spread (`(*Spread).Validate`). */
function checkSpread(ctx: RuleContext, s: Obj, path: Path): void {
  if ((str(s.Attribute) ?? "") === "") ctx.error([...path, "Attribute"], "spread.attribute.required", "missing spread attribute");
  const w = num(s.Weight);
  if (w !== undefined && (w <= 0 || w > 100))
    ctx.error([...path, "Weight"], "spread.weight.range", `spread weight must be within 1..100 (got ${w})`);
  const seen = new Set<string>();
  let sum = 0;
  for (const [t, i] of items(s.SpreadTarget)) {
    const v = str(t.Value) ?? "";
    if (seen.has(v))
      ctx.error([...path, "SpreadTarget", i, "Value"], "spread.target.duplicate", `spread target value ${q(v)} already defined`);
    seen.add(v);
    const p = num(t.Percent);
    if (p !== undefined) {
      if (p < 0 || p > 100)
        ctx.error(
          [...path, "SpreadTarget", i, "Percent"],
          "spread.target.percent",
          `spread target percentage for value ${q(v)} must be between 0 and 100 (got ${p})`,
        );
      sum += p;
    }
  }
  if (sum > 100)
    ctx.error(
      [...path, "SpreadTarget"],
      "spread.target.sum",
      `sum of spread target percentages must not be greater than 100%; got ${sum}%`,
    );
}

/** Every constraint, affinity and spread of a block (job, group or task). */
export function checkPlacement(
  ctx: RuleContext,
  o: Obj,
  path: Path,
  opts: { taskLevel: boolean; system: boolean; raw: Obj | undefined },
): void {
  for (const [c, i] of items(o.Constraints)) checkConstraint(ctx, c, [...path, "Constraints", i], opts.taskLevel);
  const rawAffinities = opts.raw?.Affinities;
  if (opts.system && Array.isArray(rawAffinities) && rawAffinities.length > 0) {
    // structs.go (*Job).Validate / (*TaskGroup).Validate / (*Task).Validate: "System jobs may not have an affinity block"
    ctx.error([...path, "Affinities"], "system.affinity", "system jobs may not have affinities");
  } else for (const [a, i] of items(o.Affinities)) checkAffinity(ctx, a, [...path, "Affinities", i]);
  if (opts.taskLevel) return;
  const rawSpreads = opts.raw?.Spreads;
  if (opts.system && Array.isArray(rawSpreads) && rawSpreads.length > 0) {
    // structs.go: "System jobs may not have a spread block"
    ctx.error([...path, "Spreads"], "system.spread", "system jobs may not have spreads");
  } else for (const [s, i] of items(o.Spreads)) checkSpread(ctx, s, [...path, "Spreads", i]);
}
