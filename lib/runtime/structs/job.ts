/**
 * A job as the servers store it: the canonicalized submission (lib/jobspec's
 * `Job`) plus the fields the servers own. This is what `GET /v1/job/:id`
 * returns and what every allocation of a version points at.
 */
import type { ReadBackJob, JobSummary as WireJobSummary, TaskGroupSummary as WireTaskGroupSummary } from "../../api/types/job";
import type { Job } from "../../jobspec";

/** Job statuses (`structs.JobStatus*`). */
export type JobStatus = "pending" | "running" | "dead";

/** Server-owned fields of a stored job that are always set, as the wire type declares them. */
type AlwaysSet = "ID" | "Namespace" | "Version" | "StatusDescription" | "Stable" | "SubmitTime" | "CreateIndex" | "ModifyIndex" | "JobModifyIndex";

/** The server-owned fields of a stored job: those of the read-back wire type, with the type and status narrowed. */
export interface JobServerFields extends Required<Pick<ReadBackJob, AlwaysSet>>, Pick<ReadBackJob, "ParentID" | "Dispatched" | "Payload"> {
  /** service, batch, system or sysbatch. */
  Type: "service" | "batch" | "system" | "sysbatch";
  /** pending, running or dead. */
  Status: JobStatus;
}

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
