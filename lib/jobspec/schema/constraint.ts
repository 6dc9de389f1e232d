/**
 * Placement rules: Constraint (`api/constraint.go`), Affinity and Spread
 * (`api/tasks.go`). Keys are in the order of the api structs.
 */
import { z } from "zod";
import { block, intNum, listOf, str } from "./primitives";

/** A hard placement rule: `LTarget Operand RTarget` must hold on the node. */
export const ConstraintSchema = block({
  /** Left-hand side, usually a node attribute such as "${attr.kernel.name}" (HCL attribute). */
  LTarget: str().describe('Left-hand side, usually a node attribute such as "${attr.kernel.name}" (HCL attribute).'),
  /** Right-hand side value (HCL value). */
  RTarget: str().describe("Right-hand side value (HCL value)."),
  /** Operator; required in JSON (HCL defaults it to "="). One of CONSTRAINT_OPERANDS. */
  Operand: str().describe('Operator; required in JSON (HCL defaults it to "="). One of CONSTRAINT_OPERANDS.'),
}).describe("Constraint: a hard placement rule (api.Constraint).");
/** A Constraint block. */
export type Constraint = z.infer<typeof ConstraintSchema>;

/** A soft placement preference scored by Weight. */
export const AffinitySchema = block({
  /** Left-hand side, usually a node attribute. */
  LTarget: str().describe("Left-hand side, usually a node attribute."),
  /** Right-hand side value. */
  RTarget: str().describe("Right-hand side value."),
  /** Operator; the constraint comparisons, regexp, version, semver and set_contains*. Default "=" in HCL. */
  Operand: str().describe('Operator; the constraint comparisons, regexp, version, semver and set_contains*. Default "=" in HCL.'),
  /** Preference in -100..100, not 0; default 50. */
  Weight: intNum().describe("Preference in -100..100, not 0; default 50."),
}).describe("Affinity: a soft placement preference (api.Affinity).");
/** An Affinity block. */
export type Affinity = z.infer<typeof AffinitySchema>;

/** One target share of a Spread. */
export const SpreadTargetSchema = block({
  /** Attribute value this target applies to. */
  Value: str().describe("Attribute value this target applies to."),
  /** Share of the allocations for this value, 0..100 (uint8). */
  Percent: intNum().describe("Share of the allocations for this value, 0..100 (uint8)."),
}).describe("SpreadTarget: the desired share for one attribute value (api.SpreadTarget).");
/** A SpreadTarget block. */
export type SpreadTarget = z.infer<typeof SpreadTargetSchema>;

/** Spreads allocations over the values of a node attribute. */
export const SpreadSchema = block({
  /** Node attribute to spread over, e.g. "${node.datacenter}". */
  Attribute: str().describe('Node attribute to spread over, e.g. "${node.datacenter}".'),
  /** Relative weight 1..100; default 50. */
  Weight: intNum().describe("Relative weight 1..100; default 50."),
  /** Desired shares per value; percents sum to at most 100. Empty means an even spread. */
  SpreadTarget: listOf(SpreadTargetSchema).describe("Desired shares per value; percents sum to at most 100. Empty means an even spread."),
}).describe("Spread: spread allocations over an attribute's values (api.Spread).");
/** A Spread block. */
export type Spread = z.infer<typeof SpreadSchema>;
