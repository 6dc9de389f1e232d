/**
 * A job as the servers store it: the canonicalized submission (lib/jobspec's
 * `Job`) plus the fields the servers own. This is what `GET /v1/job/:id`
 * returns and what every allocation of a version points at.
 */
import type { ReadBackJob, JobSummary as WireJobSummary, TaskGroupSummary as WireTaskGroupSummary } from "../../api/types/job";
import type { Job } from "../../jobspec/types";

/** Job statuses (`structs.JobStatus*`). */
export type JobStatus = "pending" | "running" | "dead";

/** Server-owned fields of a stored job that are always set, as the wire type declares them. */
type AlwaysSet =
  "ID" | "Namespace" | "Version" | "StatusDescription" | "Stable" | "SubmitTime" | "CreateIndex" | "ModifyIndex" | "JobModifyIndex";

/**
 * The server-owned fields of a stored job: those of the read-back wire type,
 * with the type and status narrowed (ParentID, Dispatched and Payload keep
 * lib/jobspec's types: a submission may carry them as null). A type alias, not an interface, so that
 * a stored job is also a plain JSON object (`Record<string, unknown>`).
 */
export type JobServerFields = Required<Pick<ReadBackJob, AlwaysSet>> & {
  /** service, batch, system or sysbatch. */
  Type: "service" | "batch" | "system" | "sysbatch";
  /** pending, running or dead. */
  Status: JobStatus;
};

/**
 * A submitted job once validated and canonicalized by lib/jobspec (Nomad's
 * register-time defaults applied, its namespace set): what the job endpoint
 * turns into a new stored version.
 */
export type SubmittedJob = Job & { ID: string; Namespace: string; Type: JobServerFields["Type"] };

/** A stored, canonicalized job version. */
export type StoredJob = Omit<Job, keyof JobServerFields> & JobServerFields;

/** `structs.JobSummary`: allocation counts per group; the wire shape without nulls. */
export interface JobSummary extends WireJobSummary {
  /** Group → counts; never null on the server. */
  Summary: Record<string, TaskGroupSummary>;
  /** Children of periodic/parameterized jobs; never null on the server. */
  Children: NonNullable<WireJobSummary["Children"]>;
}

/** Allocation counts of one group (`structs.TaskGroupSummary`): the wire shape with every count set. */
export type TaskGroupSummary = Required<WireTaskGroupSummary>;

/** A task group of a stored job: lib/jobspec's `TaskGroup`, whose Name validation requires. */
export type StoredTaskGroup = NonNullable<StoredJob["TaskGroups"]>[number] & { Name: string };

/** The task groups of a stored job (none when it has none). */
export function jobGroups(job: Pick<StoredJob, "TaskGroups">): StoredTaskGroup[] {
  // Narrowing only: a stored job passed validation, which requires every group's Name.
  return (job.TaskGroups ?? []) as StoredTaskGroup[];
}

/** A task group of a stored job by name. */
export function findJobGroup(job: Pick<StoredJob, "TaskGroups">, name: string): StoredTaskGroup | undefined {
  return jobGroups(job).find((g) => g.Name === name);
}

/** The fields that say what kind of job a job is. */
type JobKindFields = Pick<Job, "Periodic" | "ParameterizedJob" | "Dispatched" | "Stop">;

/** `Job.IsPeriodic`: the job has a periodic block (enabled or not). */
export function isPeriodicJob(job: JobKindFields): boolean {
  return job.Periodic !== undefined && job.Periodic !== null;
}

/** `Job.IsParameterized`: the job has a parameterized block and is not itself a dispatched child. */
export function isParameterizedJob(job: JobKindFields): boolean {
  return job.ParameterizedJob !== undefined && job.ParameterizedJob !== null && !job.Dispatched;
}

/** `Job.IsPeriodicActive`: periodic, enabled, not stopped and not a parameterized template. */
export function isPeriodicActive(job: JobKindFields): boolean {
  return Boolean(job.Periodic && job.Periodic.Enabled !== false && !job.Stop && !isParameterizedJob(job));
}

/** A task of a stored job: lib/jobspec's `Task`, whose Name and Driver validation requires. */
export type StoredTask = NonNullable<StoredTaskGroup["Tasks"]>[number] & { Name: string; Driver: string };

/** The tasks of a stored task group (none for a connect gateway group). */
export function groupTasks(tg: Pick<StoredTaskGroup, "Tasks">): StoredTask[] {
  // Narrowing only: a stored job passed validation, which requires every task's Name and Driver.
  return (tg.Tasks ?? []) as StoredTask[];
}
