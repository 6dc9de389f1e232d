import { Construct } from "constructs";
import { AffinityProps, ConstraintProps, renderAffinity, renderConstraint, renderSpread, SpreadProps } from "./constraint";
import type { JsonValue } from "./json";
import { NomadConstruct } from "./nomad-construct";

/** The placement props shared by jobs, groups and tasks. */
interface PlacementProps {
  readonly constraints?: readonly ConstraintProps[];
  readonly affinities?: readonly AffinityProps[];
}

/** The rendered placement rules of a block, in Nomad's key order; unset lists are `undefined`. */
interface RenderedPlacement {
  Constraints: JsonValue | undefined;
  Affinities: JsonValue | undefined;
  Spreads?: JsonValue | undefined;
}

/** Renders a list with `render`, or gives `undefined` for an empty one (Nomad then applies none). */
function renderList<T>(items: readonly T[], render: (item: T) => JsonValue): JsonValue | undefined {
  return items.length ? items.map(render) : undefined;
}

/**
 * The base of the constructs that carry placement rules (tasks, and through
 * `SpreadConstruct` groups and jobs): constraints and affinities, from props
 * and added later, rendered as Nomad's `Constraints` and `Affinities`.
 */
export abstract class PlacedConstruct extends NomadConstruct {
  /** The constraints: the props' first, then those added. */
  protected readonly constraints: ConstraintProps[];
  /** The affinities: the props' first, then those added. */
  protected readonly affinities: AffinityProps[];

  /** Takes the initial constraints and affinities from `props`. */
  protected constructor(scope: Construct, id: string, props: PlacementProps) {
    super(scope, id);
    this.constraints = [...(props.constraints ?? [])];
    this.affinities = [...(props.affinities ?? [])];
  }

  /** Adds a placement constraint. */
  public addConstraint(c: ConstraintProps): this {
    this.checkProps("ConstraintProps", c, `constraints[${this.constraints.length}]`);
    this.constraints.push(c);
    return this;
  }

  /** Adds a placement preference. */
  public addAffinity(a: AffinityProps): this {
    this.checkProps("AffinityProps", a, `affinities[${this.affinities.length}]`);
    this.affinities.push(a);
    return this;
  }

  /** The `Constraints` and `Affinities` keys of the rendered block; spread it where they belong in Nomad's order. */
  protected renderPlacement(): RenderedPlacement {
    return { Constraints: renderList(this.constraints, renderConstraint), Affinities: renderList(this.affinities, renderAffinity) };
  }
}

/** A `PlacedConstruct` that also spreads its allocations (groups and jobs): adds `Spreads`. */
export abstract class SpreadConstruct extends PlacedConstruct {
  /** The spreads: the props' first, then those added. */
  protected readonly spreads: SpreadProps[];

  /** Takes the initial constraints, affinities and spreads from `props`. */
  protected constructor(scope: Construct, id: string, props: PlacementProps & { readonly spreads?: readonly SpreadProps[] }) {
    super(scope, id, props);
    this.spreads = [...(props.spreads ?? [])];
  }

  /** Adds a spread. */
  public addSpread(s: SpreadProps): this {
    this.checkProps("SpreadProps", s, `spreads[${this.spreads.length}]`);
    this.spreads.push(s);
    return this;
  }

  /** The `Constraints`, `Affinities` and `Spreads` keys of the rendered block, in Nomad's order. */
  protected override renderPlacement(): RenderedPlacement {
    return { ...super.renderPlacement(), Spreads: renderList(this.spreads, renderSpread) };
  }
}
