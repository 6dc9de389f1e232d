import { block, JsonObject, stringMap } from "./json";

/** What a multiregion deployment does when a region fails. */
export type MultiregionOnFailure = "fail_all" | "fail_local";

/** One region of a multiregion job. */
export interface MultiregionRegionProps {
  /** The region name, e.g. `"us-east"`. */
  readonly name: string;
  /** The count of every group in this region; overrides the group's count. @default the group's count */
  readonly count?: number;
  /** Datacenters of this region eligible for placement. @default the job's datacenters */
  readonly datacenters?: readonly string[];
  /** The node pool in this region. @default the job's node pool */
  readonly nodePool?: string;
  /** Metadata merged over the job's meta in this region. */
  readonly meta?: Readonly<Record<string, string>>;
}

/**
 * The `multiregion` block (Nomad Enterprise): deploys one job to several
 * regions in order, with a strategy for how many at once and what happens
 * when one fails.
 */
export interface MultiregionProps {
  /** How many regions deploy at once. @default 0 (all at once) */
  readonly maxParallel?: number;
  /** What a failed region does to the others. @default unset: the failed region alone stops */
  readonly onFailure?: MultiregionOnFailure;
  /** The regions, deployed in this order. */
  readonly regions: readonly MultiregionRegionProps[];
}

/** Renders the multiregion block as Nomad's `Multiregion`. */
export function renderMultiregion(m: MultiregionProps | undefined): JsonObject | undefined {
  if (m === undefined) return undefined;
  return block({
    Strategy: block({ MaxParallel: m.maxParallel, OnFailure: m.onFailure }),
    Regions: m.regions.map(
      (r) =>
        block({
          Name: r.name,
          Count: r.count,
          Datacenters: r.datacenters ? [...r.datacenters] : undefined,
          NodePool: r.nodePool,
          Meta: stringMap(r.meta),
        }) as JsonObject,
    ),
  }) as JsonObject;
}
