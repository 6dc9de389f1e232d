/**
 * Building evaluations the way the servers do (`structs.Evaluation` created
 * by job register, node updates, alloc stops, failures…).
 */
import type { EvalTrigger, Evaluation, StoredJob } from "../structs";

/** Nomad's default job priority (`structs.JobDefaultPriority`). */
export const DEFAULT_JOB_PRIORITY = 50;

/** Fields of a new evaluation that callers choose. */
export interface NewEvalFields {
  id: string;
  /** Unix nanoseconds. */
  now: number;
  triggeredBy: EvalTrigger;
  /** Overrides the job's priority (`EvalPriority` of a register request). */
  priority?: number;
  nodeID?: string;
  nodeModifyIndex?: number;
  status?: Evaluation["Status"];
  /** Nanoseconds to wait before processing. */
  wait?: number;
  previousEval?: string;
}

/** A new pending evaluation of a job. CreateIndex/ModifyIndex are set when it is written. */
export function newJobEval(job: Pick<StoredJob, "ID" | "Namespace" | "Type" | "JobModifyIndex"> & { Priority?: number | null }, f: NewEvalFields): Evaluation {
  return {
    ID: f.id,
    Namespace: job.Namespace,
    Priority: f.priority ?? job.Priority ?? DEFAULT_JOB_PRIORITY,
    Type: job.Type,
    TriggeredBy: f.triggeredBy,
    JobID: job.ID,
    JobModifyIndex: job.JobModifyIndex,
    NodeID: f.nodeID ?? "",
    NodeModifyIndex: f.nodeModifyIndex ?? 0,
    DeploymentID: "",
    Status: f.status ?? "pending",
    StatusDescription: "",
    Wait: f.wait ?? 0,
    WaitUntil: null,
    NextEval: "",
    PreviousEval: f.previousEval ?? "",
    BlockedEval: "",
    FailedTGAllocs: null,
    ClassEligibility: null,
    EscapedComputedClass: false,
    QueuedAllocations: null,
    AnnotatePlan: false,
    SnapshotIndex: 0,
    CreateIndex: 0,
    ModifyIndex: 0,
    CreateTime: f.now,
    ModifyTime: f.now,
  };
}
