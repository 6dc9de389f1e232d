/** Evaluations (`api.Evaluation`). */
import type { AllocationMetric } from "./metric";

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
  /** Scheduler type: service, batch, system, sysbatch. */
  Type: string;
  /** Why it was created, e.g. "job-register", "deployment-watcher". */
  TriggeredBy: string;
  /** The job evaluated. */
  JobID: string;
  /** The job's modify index when created. */
  JobModifyIndex: number;
  /** Node, for node-triggered evaluations. */
  NodeID?: string;
  /** Deployment, for deployment-triggered evaluations. */
  DeploymentID?: string;
  /** Current status. */
  Status: EvaluationStatus;
  /** Human-readable status detail. */
  StatusDescription: string;
  /** Nanoseconds to wait before processing. */
  Wait?: number;
  /** Follow-up evaluation ID. */
  NextEval?: string;
  /** Previous evaluation ID. */
  PreviousEval?: string;
  /** Blocked evaluation created for placements that did not fit. */
  BlockedEval?: string;
  /** Per group: why placements failed. */
  FailedTGAllocs: Record<string, AllocationMetric> | null;
  /** Allocations still to place per group. */
  QueuedAllocations?: Record<string, number> | null;
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
