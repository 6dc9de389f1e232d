/**
 * Evaluations: the unit of scheduling work (Nomad's `structs.Evaluation`).
 * One is created whenever desired or actual state changes.
 */
import type { Evaluation as WireEvaluation, EvaluationStatus } from "../../api/types/evaluation";
import type { AllocMetric } from "./alloc-metric";

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
export interface Evaluation extends Required<Omit<WireEvaluation, "RelatedEvals">> {
  /** Why it was created. */
  TriggeredBy: EvalTrigger;
  /** Per task group, why placements failed. */
  FailedTGAllocs: Record<string, AllocMetric> | null;
}

/** Terminal evaluations are not worked on again. */
export function evalTerminal(e: Evaluation): boolean {
  return e.Status === "complete" || e.Status === "failed" || e.Status === "canceled";
}
