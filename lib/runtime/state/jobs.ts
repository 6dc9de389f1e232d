/**
 * Jobs and their stored versions (Nomad's `state_store.go` job functions):
 * the current version of each job, up to six versions kept per job, and the
 * children (periodic launches, dispatches) of each parent.
 */
import { allocTerminal, type StoredJob } from "../structs";
import { JOB_TRACKED_VERSIONS, nsKey, versionKey, type StateTables } from "./schema";

/**
 * The `jobs` row of a job as persisted: which stored version is current,
 * plus the fields the servers change without a new version. The spec itself
 * lives once, in the `job_version` row.
 */
export interface PersistedCurrentJob {
  /** The job's namespace. */
  Namespace: string;
  /** The job. */
  ID: string;
  /** Its current version. */
  Version: number;
  /** Server-derived status. */
  Status: StoredJob["Status"];
  /** Why it has that status. */
  StatusDescription: string;
  /** Whether the version's deployment succeeded. */
  Stable: boolean;
  /** The index of its latest write. */
  ModifyIndex: number;
  /** The index of its latest spec change. */
  JobModifyIndex: number;
}

/** The persisted `jobs` row of a job. */
export function currentJobRow(j: StoredJob): PersistedCurrentJob {
  return {
    Namespace: j.Namespace,
    ID: j.ID,
    Version: j.Version,
    Status: j.Status,
    StatusDescription: j.StatusDescription,
    Stable: j.Stable,
    ModifyIndex: j.ModifyIndex,
    JobModifyIndex: j.JobModifyIndex,
  };
}

/** Every current job of a namespace ("*" for all), ordered by namespace then ID. */
export function jobsIn(t: StateTables, namespace: string): StoredJob[] {
  const out: StoredJob[] = [];
  for (const j of t.jobs.values()) if (namespace === "*" || j.Namespace === namespace) out.push(j);
  return out.sort((a, b) => (a.Namespace + "\u0000" + a.ID < b.Namespace + "\u0000" + b.ID ? -1 : 1));
}

/** The current children of a periodic or parameterized job. */
export function jobChildren(t: StateTables, namespace: string, parentID: string): StoredJob[] {
  return [...t.jobs.index("parent").get(nsKey(namespace, parentID))];
}

/** Drops the versions of a job beyond the tracked ones (the oldest first). */
export function trimVersions(t: StateTables, namespace: string, id: string): void {
  const versions = t.job_version.index("job").get(nsKey(namespace, id));
  for (let i = versions.length - 1; i >= JOB_TRACKED_VERSIONS; i--) t.job_version.delete(versionKey(namespace, id, versions[i].Version));
}

/**
 * Stores a job: as a new version (kept in the versions table), or in place
 * of its current version (a version row replaced only when it is stored).
 */
export function applyJob(t: StateTables, job: StoredJob, asNewVersion: boolean): void {
  const key = nsKey(job.Namespace, job.ID);
  const newIncarnation = !t.jobs.has(key);
  t.jobs.put(job);
  // A new incarnation (registered after a purge): the allocation index's key reads the current job, so the
  // old incarnation's terminal allocations leave the job's list now; live ones stay until they are stopped.
  if (newIncarnation) for (const a of [...t.allocs.index("job").get(key)]) if (allocTerminal(a)) t.allocs.reindex(t.allocs.idOf(a));
  const versions = t.job_version.index("job");
  if (asNewVersion || versions.count(key) === 0 || t.job_version.has(versionKey(job.Namespace, job.ID, job.Version)))
    t.job_version.put(job);
  trimVersions(t, job.Namespace, job.ID);
}

/**
 * Removes a job with its versions, summary, scaling events and last launch.
 * Its allocations and evaluations stay, listed under the job's ID as in
 * Nomad: the deregistration's evaluation must find them to stop them, and
 * the garbage collector removes them once terminal. Returns the versions
 * removed.
 */
export function applyJobPurge(t: StateTables, namespace: string, id: string): readonly StoredJob[] {
  const key = nsKey(namespace, id);
  const versions = t.job_version.index("job").get(key);
  for (const v of versions) t.job_version.delete(versionKey(namespace, id, v.Version));
  t.periodic_launch.delete(key);
  t.jobs.delete(key);
  t.job_summary.delete(key);
  t.scaling_event.delete(key);
  return versions;
}
