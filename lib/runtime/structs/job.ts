/**
 * A job as the servers store it: the canonicalized submission (lib/jobspec's
 * `Job`) plus the fields the servers own. This is what `GET /v1/job/:id`
 * returns and what every allocation of a version points at.
 */
import type { JobSummary as WireJobSummary, TaskGroupSummary as WireTaskGroupSummary } from "../../api/types/job";
import type { Job } from "../../jobspec";

/** Job statuses (`structs.JobStatus*`). */
export type JobStatus = "pending" | "running" | "dead";

/** The server-owned fields of a stored job. */
export interface JobServerFields {
  /** Always set on a stored job. */
  ID: string;
  Namespace: string;
  Type: "service" | "batch" | "system" | "sysbatch";
  /** Starts at 0 and grows by one for every registration that changes the spec. */
  Version: number;
  Status: JobStatus;
  StatusDescription: string;
  /** The deployment of this version succeeded. */
  Stable: boolean;
  /** Unix nanoseconds of the registration of this version. */
  SubmitTime: number;
  CreateIndex: number;
  ModifyIndex: number;
  /** Index of the last change to the job's spec (not to its status). */
  JobModifyIndex: number;
  /** Set on the children of periodic and parameterized jobs. */
  ParentID?: string;
  Dispatched?: boolean;
  /** Base64 payload of a dispatched child. */
  Payload?: string | null;
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
