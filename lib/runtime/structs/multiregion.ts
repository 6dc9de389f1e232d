/**
 * A multiregion job's copy for one region (what Nomad Enterprise's
 * `interpolateMultiregionFields` makes before a region stores the job): the
 * region's name as the job's Region, the region's datacenters and node pool
 * in place of the job's when given, the region's meta merged over the job's,
 * and the region's count in every task group whose count is 0 (groups that
 * give their own count keep it, as the `multiregion` docs say).
 */

/** One `region` block of a multiregion job (`structs.MultiregionRegion`). */
export interface MultiregionRegionSpec {
  /** The region's name. */
  Name: string;
  /** Count of the task groups whose count is 0 (api default 1). */
  Count?: number | null;
  /** Datacenters in place of the job's, when not empty. */
  Datacenters?: string[] | null;
  /** Node pool in place of the job's, when not empty. */
  NodePool?: string | null;
  /** Merged over the job's meta. */
  Meta?: Record<string, string> | null;
}

/** `structs.MultiregionStrategy`. */
export interface MultiregionStrategySpec {
  /** Regions deploying at once; 0 means all of them. */
  MaxParallel?: number | null;
  /** "fail_all", "fail_local", or "" (the failed region and the ones after it fail). */
  OnFailure?: string | null;
}

/** `structs.Multiregion`. */
export interface MultiregionSpec {
  /** How the regions roll out. */
  Strategy?: MultiregionStrategySpec | null;
  /** The regions, in rollout order. */
  Regions?: MultiregionRegionSpec[] | null;
}

/** The multiregion block of a job when it lists at least one region (`Job.IsMultiregion`), else null. */
export function multiregionOf(job: Record<string, unknown>): (MultiregionSpec & { Regions: MultiregionRegionSpec[] }) | null {
  const m = job.Multiregion as MultiregionSpec | null | undefined;
  if (!m || !Array.isArray(m.Regions) || m.Regions.length === 0) return null;
  return m as MultiregionSpec & { Regions: MultiregionRegionSpec[] };
}

/**
 * True for a job as a user submits it: multiregion, and its Region still the
 * placeholder "global" (or empty). A region's stored copy names its region,
 * so registering it again (a revert, an auto-revert) stays in that region.
 */
export function isMultiregionSubmission(job: Record<string, unknown>): boolean {
  const region = job.Region;
  return multiregionOf(job) !== null && (region === undefined || region === null || region === "" || region === "global");
}

/** The job as region `region` stores it. The input is not changed. */
export function regionCopy(job: Record<string, unknown>, region: MultiregionRegionSpec): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(job)) as Record<string, unknown>;
  copy.Region = region.Name;
  if (Array.isArray(region.Datacenters) && region.Datacenters.length > 0) copy.Datacenters = [...region.Datacenters];
  if (typeof region.NodePool === "string" && region.NodePool !== "") copy.NodePool = region.NodePool;
  if (region.Meta && Object.keys(region.Meta).length > 0)
    copy.Meta = { ...((copy.Meta as Record<string, string> | null | undefined) ?? {}), ...region.Meta };
  const count = region.Count ?? 1;
  for (const tg of (copy.TaskGroups ?? []) as { Count?: number | null }[]) if (tg.Count === 0) tg.Count = count;
  return copy;
}
