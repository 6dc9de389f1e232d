/**
 * The tables of drover's state store, named as Nomad's memdb tables are
 * (`nomad/state/schema.go`). Each has its own latest-write index, which is
 * what `X-Nomad-Index` reports for a read of that table.
 */

/** A state table. */
export type TableName =
  | "jobs"
  | "job_version"
  | "job_summary"
  | "evals"
  | "allocs"
  | "deployment"
  | "nodes"
  | "scheduler_config"
  | "scaling_event"
  | "periodic_launch";

/** Every table, in a stable order. */
export const ALL_TABLES: readonly TableName[] = [
  "jobs",
  "job_version",
  "job_summary",
  "evals",
  "allocs",
  "deployment",
  "nodes",
  "scheduler_config",
  "scaling_event",
  "periodic_launch",
];

/** Nomad keeps this many versions of each job (`structs.JobDefaultTrackedVersions`). */
export const JOB_TRACKED_VERSIONS = 6;

/** The key of a namespaced object (jobs, summaries, job versions). */
export function nsKey(namespace: string, id: string): string {
  return `${namespace}\u0000${id}`;
}
