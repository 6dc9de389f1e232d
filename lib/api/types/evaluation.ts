/** Evaluations (`api.Evaluation`). */
import type { AllocationMetric } from "./metric";
import type { PlanAnnotations } from "./job";

/** Evaluation statuses. "complete", "failed" and "canceled" are terminal; "blocked" waits for capacity. */
export type EvaluationStatus = "blocked" | "pending" | "complete" | "failed" | "canceled";

/** An evaluation: one unit of scheduling work. */
export interface Evaluation {
  /** UUID. */
  ID: string;
  /** Namespace of the job. */
  Namespace: string;
  /** Priority 1..100. */
  Priority: number;
  /** The scheduler that processes it: service, batch, system, sysbatch (or _core). */
  Type: string;
  /** Why it was created, e.g. "job-register", "deployment-watcher". */
  TriggeredBy: string;
  /** The job evaluated. */
  JobID: string;
  /** The job's modify index when created. */
  JobModifyIndex: number;
  /** Node, for node-triggered evaluations. */
  NodeID?: string;
  /** The node's modify index when created. */
  NodeModifyIndex?: number;
  /** Deployment, for deployment-triggered evaluations. */
  DeploymentID?: string;
  /** Current status. */
  Status: EvaluationStatus;
  /** Human-readable status detail. */
  StatusDescription: string;
  /** Nanoseconds to wait before processing. */
  Wait?: number;
  /** RFC 3339 time before which the eval is not processed (reschedule follow-ups), or null. */
  WaitUntil?: string | null;
  /** Follow-up evaluation ID. */
  NextEval?: string;
  /** Previous evaluation ID. */
  PreviousEval?: string;
  /** Blocked evaluation created for placements that did not fit. */
  BlockedEval?: string;
  /** Per group: why placements failed. */
  FailedTGAllocs: Record<string, AllocationMetric> | null;
  /** What the scheduler's reconciler decided per group (DesiredTGUpdates), recorded on the evaluation it processed; null before. */
  PlanAnnotations?: PlanAnnotations | null;
  /** Computed class → could the job be placed on it (drives unblocking). */
  ClassEligibility?: Record<string, boolean> | null;
  /** The job's constraints escape class caching (unique.* targets). */
  EscapedComputedClass?: boolean;
  /** Allocations still to place per group. */
  QueuedAllocations?: Record<string, number> | null;
  /** The scheduler annotates its plan (a dry-run plan). */
  AnnotatePlan?: boolean;
  /** The state index the scheduler worked from. */
  SnapshotIndex?: number;
  /** Related evaluations (with `?related=true`). */
  RelatedEvals?: Evaluation[] | null;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of the last change. */
  ModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime?: number;
  /** Unix nanoseconds. */
  ModifyTime?: number;
}

/** True for statuses after which Nomad does not work on the evaluation again. */
export function isEvaluationTerminal(status: string): boolean {
  return status === "complete" || status === "failed" || status === "canceled";
}
