/**
 * Bounds on a submitted job, checked before it is validated, canonicalized
 * or scheduled: a group count above the agent's maximum (a count of
 * 1,000,000,000 would make the scheduler build that many placements), IDs,
 * names and meta keys longer than drover stores, a namespace name that Nomad
 * would not accept. Nomad's own character rules (no space in a job ID, no
 * null character, no slash in a task name, ...) are lib/jobspec's.
 */
import { VALID_NAMESPACE_NAME } from "../structs";
import { badRequest } from "./errors";

/** Default largest group count (and scale target): see lib/runtime/README.md for what it costs. */
export const DEFAULT_MAX_GROUP_COUNT = 10_000;
/** The highest `max_group_count` an agent may be configured with (memory: about 10 KiB per allocation, and the scheduler's sets). */
export const MAX_GROUP_COUNT_CEILING = 1_000_000;
/** Longest job ID, job name, group name, task name and meta key drover accepts, in UTF-16 code units (Nomad has no limit). */
export const MAX_NAME_LENGTH = 256;

/** The limits a server applies to submitted jobs. */
export interface JobLimits {
  /** Largest `Count` of a task group, and largest scale target. @default 10000 */
  maxGroupCount: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Room a child job's ID has beyond its parent's (`/periodic-<unix>`, `/dispatch-<prefix>-<unix>-<8 hex>`). */
const CHILD_ID_SUFFIX_ROOM = 64;

function checkName(where: string, v: unknown, limit = MAX_NAME_LENGTH): void {
  if (typeof v === "string" && v.length > limit) throw badRequest(`${where}: ${v.length} characters long; the limit is ${limit}`);
}

function checkMeta(where: string, meta: unknown): void {
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (k.length > MAX_NAME_LENGTH) throw badRequest(`${where}: a key is ${k.length} characters long; the limit is ${MAX_NAME_LENGTH}`);
    if (k === "" || k.includes("\0")) throw badRequest(`${where}: keys must be non-empty and must not contain a null character`);
  }
}

/** The refusal of a group count above the maximum. */
export function checkGroupCount(where: string, count: unknown, limits: JobLimits): void {
  if (typeof count === "number" && Number.isFinite(count) && count > limits.maxGroupCount)
    throw badRequest(
      `${where}: ${count} is above this agent's maximum group count of ${limits.maxGroupCount} (limits.max_group_count in the agent config)`,
    );
}

/**
 * Checks a submitted job (api shape, before validation): group counts, the
 * lengths of IDs, names and meta keys, and the namespace name. Throws a 400
 * that names the field. Values of the wrong type are left to validation.
 */
export function checkJobBounds(job: unknown, limits: JobLimits): void {
  if (!isObject(job)) return;
  // A child of a periodic or parameterized job carries a suffix after its parent's ID: it gets that much more room.
  const child = typeof job.ParentID === "string" && job.ParentID !== "";
  if (child) checkName("Job.ParentID", job.ParentID);
  checkName("Job.ID", job.ID, child ? MAX_NAME_LENGTH + CHILD_ID_SUFFIX_ROOM : MAX_NAME_LENGTH);
  checkName("Job.Name", job.Name);
  if (typeof job.Namespace === "string" && job.Namespace !== "" && !VALID_NAMESPACE_NAME.test(job.Namespace))
    throw badRequest(
      `Job.Namespace: invalid name ${JSON.stringify(job.Namespace.length > 140 ? job.Namespace.slice(0, 140) + "…" : job.Namespace)}. Must match regex ${VALID_NAMESPACE_NAME.source}`,
    );
  checkMeta("Job.Meta", job.Meta);
  if (!Array.isArray(job.TaskGroups)) return;
  job.TaskGroups.forEach((tg, i) => {
    if (!isObject(tg)) return;
    const where = `Job.TaskGroups[${i}]`;
    checkName(`${where}.Name`, tg.Name);
    checkGroupCount(`${where}.Count`, tg.Count, limits);
    checkMeta(`${where}.Meta`, tg.Meta);
    if (!Array.isArray(tg.Tasks)) return;
    tg.Tasks.forEach((t, j) => {
      if (!isObject(t)) return;
      checkName(`${where}.Tasks[${j}].Name`, t.Name);
      checkMeta(`${where}.Tasks[${j}].Meta`, t.Meta);
    });
  });
}
