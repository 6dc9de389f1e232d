import { block, JsonObject } from "./json";

/** The comparison of a constraint or affinity, as Nomad spells it. */
export type ConstraintOperator =
  | "="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "regexp"
  | "version"
  | "semver"
  | "set_contains"
  | "set_contains_all"
  | "set_contains_any"
  | "distinct_hosts"
  | "distinct_property"
  | "is_set"
  | "is_not_set";

/**
 * A placement constraint: a node is eligible only when `attribute operator
 * value` holds. Use {@link Attr}, {@link Node} and {@link Meta} for the
 * attribute, or the factories of {@link Constraint}.
 */
export interface ConstraintProps {
  /** The left side: a node attribute such as `Attr.kernelName` (`${attr.kernel.name}`) or a literal. Empty for `distinct_hosts`. */
  readonly attribute?: string;
  /**
   * The comparison.
   * @default "=" (Nomad's JSON requires an operator; the DSL fills in HCL's default)
   */
  readonly operator?: ConstraintOperator;
  /** The right side: the value to compare with, e.g. `"linux"` or `">= 1.2.0"` for `semver`. */
  readonly value?: string;
}

/** Factories for constraints that read better than the three props. */
export class Constraint {
  /** Places each allocation of the job (or group) on a different node. */
  public static distinctHosts(): ConstraintProps {
    return { operator: "distinct_hosts", value: "true" };
  }

  /** Allows at most `limit` allocations (default 1) per distinct value of `attribute`, e.g. per rack. */
  public static distinctProperty(attribute: string, limit?: number): ConstraintProps {
    return { attribute, operator: "distinct_property", value: limit === undefined ? undefined : String(limit) };
  }

  /** Requires the attribute to equal `value`. */
  public static equals(attribute: string, value: string): ConstraintProps {
    return { attribute, operator: "=", value };
  }

  /** Requires the attribute to match a regular expression. */
  public static regexp(attribute: string, pattern: string): ConstraintProps {
    return { attribute, operator: "regexp", value: pattern };
  }

  /** Requires a semantic version range, e.g. `Constraint.semver(Attr.nomadVersion, ">= 1.8.0")`. */
  public static semver(attribute: string, range: string): ConstraintProps {
    return { attribute, operator: "semver", value: range };
  }

  /** Requires a version range with Nomad's lenient version parsing. */
  public static version(attribute: string, range: string): ConstraintProps {
    return { attribute, operator: "version", value: range };
  }

  /** Requires the comma-separated attribute to contain every one of `values`. */
  public static setContains(attribute: string, values: readonly string[]): ConstraintProps {
    return { attribute, operator: "set_contains", value: values.join(",") };
  }

  /** Requires the attribute to be set on the node. */
  public static isSet(attribute: string): ConstraintProps {
    return { attribute, operator: "is_set" };
  }

  /** Requires the attribute not to be set on the node. */
  public static isNotSet(attribute: string): ConstraintProps {
    return { attribute, operator: "is_not_set" };
  }

  private constructor() {}
}

/** Renders a constraint as Nomad's `Constraint` (`LTarget`, `RTarget`, `Operand`). */
export function renderConstraint(c: ConstraintProps): JsonObject {
  return block({ LTarget: c.attribute ?? "", RTarget: c.value ?? "", Operand: c.operator ?? "=" }) as JsonObject;
}

/**
 * A placement preference: nodes where `attribute operator value` holds score
 * higher (positive weight) or lower (negative weight), without excluding others.
 */
export interface AffinityProps {
  /** The left side, e.g. `Node.datacenter` or `Attr.of("platform.aws.instance-type")`. */
  readonly attribute: string;
  /** The comparison. @default "=" */
  readonly operator?: ConstraintOperator;
  /** The right side, the value to compare with. */
  readonly value: string;
  /**
   * How strongly to prefer (positive) or avoid (negative) matching nodes,
   * -100 to 100, not 0.
   * @default 50
   */
  readonly weight?: number;
}

/** Renders an affinity as Nomad's `Affinity`. */
export function renderAffinity(a: AffinityProps): JsonObject {
  return block({ LTarget: a.attribute, RTarget: a.value, Operand: a.operator ?? "=", Weight: a.weight }) as JsonObject;
}

/** One target of a spread: the share of allocations that should land where the attribute has `value`. */
export interface SpreadTargetProps {
  /** The attribute value, e.g. `"us-east1"`. */
  readonly value: string;
  /** The share of allocations, 0 to 100 (percent). */
  readonly percent: number;
}

/** Spreads allocations across the values of a node attribute (datacenters, racks). */
export interface SpreadProps {
  /** The attribute to spread over, e.g. `Node.datacenter` or `Meta.of("rack")`. */
  readonly attribute: string;
  /** How much the spread counts against other scoring, 1 to 100. @default 50 */
  readonly weight?: number;
  /** Desired shares per value; without targets, allocations are spread evenly over the values seen. */
  readonly targets?: readonly SpreadTargetProps[];
}

/** Renders a spread as Nomad's `Spread`. */
export function renderSpread(s: SpreadProps): JsonObject {
  return block({
    Attribute: s.attribute,
    Weight: s.weight,
    SpreadTarget: s.targets?.map((t) => ({ Value: t.value, Percent: t.percent })),
  }) as JsonObject;
}
