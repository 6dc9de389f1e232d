/**
 * Evaluations: the unit of scheduling work (Nomad's `structs.Evaluation`).
 * One is created whenever desired or actual state changes.
 */
import type { Evaluation as WireEvaluation, EvaluationStatus } from "../../api/types/evaluation";
import type { PlanAnnotations } from "./plan";
import type { AllocMetric } from "./alloc-metric";
import type { StoredJob } from "./job";

/** Evaluation statuses (the wire type). */
export type EvalStatus = EvaluationStatus;

/** Why an evaluation was created (`structs.EvalTrigger*`). */
export type EvalTrigger =
  | "job-register"
  | "job-deregister"
  | "periodic-job"
  | "node-drain"
  | "node-update"
  | "alloc-stop"
  | "scheduled"
  | "rolling-update"
  | "deployment-watcher"
  | "failed-follow-up"
  | "max-plan-attempts"
  | "alloc-failure"
  | "queued-allocs"
  | "preemption"
  | "job-scaling"
  | "max-disconnect-timeout"
  | "reconnect"
  | "alloc-reschedule";

/** An evaluation (`structs.Evaluation`): the wire shape with every field set, without the related evaluations of a read. */
export interface Evaluation extends Required<Omit<WireEvaluation, "RelatedEvals" | "PlanAnnotations">> {
  /** Why it was created. */
  TriggeredBy: EvalTrigger;
  /** What the scheduler decided per group (and, for a plan, the allocations it would preempt), or null. */
  PlanAnnotations: PlanAnnotations | null;
  /** Per task group, why placements failed. */
  FailedTGAllocs: Record<string, AllocMetric> | null;
}

/** Terminal evaluations are not worked on again. */
export function evalTerminal(e: Evaluation): boolean {
  return e.Status === "complete" || e.Status === "failed" || e.Status === "canceled";
}

// Building evaluations the way the servers do (`structs.Evaluation` created by
// job register, node updates, alloc stops, failures…).

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
export function newJobEval(
  job: Pick<StoredJob, "ID" | "Namespace" | "Type" | "JobModifyIndex"> & { Priority?: number | null },
  f: NewEvalFields,
): Evaluation {
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
    PlanAnnotations: null,
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
