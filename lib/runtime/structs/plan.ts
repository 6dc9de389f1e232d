/**
 * Plans: what a scheduler proposes after processing an evaluation (Nomad's
 * `structs.Plan`), and what the plan applier committed of it (`PlanResult`).
 */
import type { DesiredUpdates as WireDesiredUpdates, PlanAnnotations as WirePlanAnnotations } from "../../api/types/job";
import type { Allocation } from "./allocation";
import type { AllocListStubResponse } from "./alloc-stub";
import type { Deployment, DeploymentStatusUpdate } from "./deployment";
import type { StoredJob } from "./job";

/** Per-group counts of what the scheduler decided (`structs.DesiredUpdates`): the wire shape with every count set. */
export type DesiredUpdates = Required<WireDesiredUpdates>;

/** Plan annotations, returned by `/v1/job/:id/plan` (`structs.PlanAnnotations`): the wire shape without nulls. */
export interface PlanAnnotations extends Required<Omit<WirePlanAnnotations, "PreemptedAllocs">> {
  /** Group name → what the scheduler would do; never null on the server. */
  DesiredTGUpdates: Record<string, DesiredUpdates>;
  /** Stubs of the allocations the plan preempts (only when the evaluation annotates a plan), or null. */
  PreemptedAllocs: AllocListStubResponse[] | null;
}

/** A scheduler's proposal (`structs.Plan`). */
export interface Plan {
  EvalID: string;
  /** The eval's token from the broker (unused in one process; kept for shape). */
  EvalToken: string;
  Priority: number;
  /** The job the plan is for; null for a plan that only stops. */
  Job: StoredJob | null;
  /** Commit everything or nothing. */
  AllAtOnce: boolean;
  /** Node ID → allocations to stop or evict (copies with the new desired status). */
  NodeUpdate: Record<string, Allocation[]>;
  /** Node ID → allocations to create or update in place. */
  NodeAllocation: Record<string, Allocation[]>;
  /** Node ID → allocations preempted to make room. */
  NodePreemptions: Record<string, Allocation[]>;
  /** A deployment to create or update. */
  Deployment: Deployment | null;
  DeploymentUpdates: DeploymentStatusUpdate[];
  /** Set when the plan is only a dry run (`/v1/job/:id/plan`). */
  Annotations: PlanAnnotations | null;
  /** The state index the scheduler worked from. */
  SnapshotIndex: number;
}

/** What the plan applier committed (`structs.PlanResult`). */
export interface PlanResult {
  NodeUpdate: Record<string, Allocation[]>;
  NodeAllocation: Record<string, Allocation[]>;
  NodePreemptions: Record<string, Allocation[]>;
  Deployment: Deployment | null;
  DeploymentUpdates: DeploymentStatusUpdate[];
  /**
   * Non-zero when part of the plan was rejected because state moved on: the
   * scheduler must refresh to at least this index and retry the remainder.
   */
  RefreshIndex: number;
  /** The index the committed part was written at. */
  AllocIndex: number;
}

/** True when a plan proposes nothing. */
export function planIsNoOp(p: Plan): boolean {
  return (
    Object.keys(p.NodeUpdate).length === 0 &&
    Object.keys(p.NodeAllocation).length === 0 &&
    Object.keys(p.NodePreemptions).length === 0 &&
    p.Deployment === null &&
    p.DeploymentUpdates.length === 0
  );
}

/** True when the committed result covers the whole plan. */
export function planFullyCommitted(plan: Plan, result: PlanResult): boolean {
  const count = (m: Record<string, Allocation[]>) => Object.values(m).reduce((n, l) => n + l.length, 0);
  return count(plan.NodeUpdate) === count(result.NodeUpdate) && count(plan.NodeAllocation) === count(result.NodeAllocation);
}
