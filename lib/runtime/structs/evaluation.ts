/**
 * Evaluations: the unit of scheduling work (Nomad's `structs.Evaluation`).
 * One is created whenever desired or actual state changes.
 */
import type { AllocMetric } from "./alloc-metric";

/** Evaluation statuses. */
export type EvalStatus = "blocked" | "pending" | "complete" | "failed" | "canceled";

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

/** An evaluation (`structs.Evaluation`). */
export interface Evaluation {
  ID: string;
  Namespace: string;
  Priority: number;
  /** The scheduler that processes it: service, batch, system, sysbatch (or _core). */
  Type: string;
  TriggeredBy: EvalTrigger;
  JobID: string;
  JobModifyIndex: number;
  NodeID: string;
  NodeModifyIndex: number;
  DeploymentID: string;
  Status: EvalStatus;
  StatusDescription: string;
  /** Nanoseconds to wait before processing. */
  Wait: number;
  /** RFC 3339 time before which the eval is not processed (reschedule follow-ups), or null. */
  WaitUntil: string | null;
  NextEval: string;
  PreviousEval: string;
  BlockedEval: string;
  /** Per task group, why placements failed. */
  FailedTGAllocs: Record<string, AllocMetric> | null;
  /** Computed class → could the job be placed on it (drives unblocking). */
  ClassEligibility: Record<string, boolean> | null;
  /** The job's constraints escape class caching (unique.* targets). */
  EscapedComputedClass: boolean;
  /** Allocations still to be placed, per group. */
  QueuedAllocations: Record<string, number> | null;
  AnnotatePlan: boolean;
  SnapshotIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime: number;
  /** Unix nanoseconds. */
  ModifyTime: number;
}

/** Terminal evaluations are not worked on again. */
export function evalTerminal(e: Evaluation): boolean {
  return e.Status === "complete" || e.Status === "failed" || e.Status === "canceled";
}
