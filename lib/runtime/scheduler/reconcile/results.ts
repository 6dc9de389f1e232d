/**
 * What the reconciler decides (Nomad's `ReconcileResults`).
 */
import type { Allocation, Deployment, DeploymentStatusUpdate, DesiredUpdates, Evaluation } from "../../structs";
import type { TaskGroupView } from "../job-view";

/** An allocation to place (`allocPlaceResult`). */
export interface PlacementRequest {
  /** `job.group[i]`. */
  name: string;
  taskGroup: TaskGroupView;
  /** The allocation this one replaces (reschedule, lost, migration, destructive update). */
  previousAlloc: Allocation | null;
  /** A reschedule of a failed allocation (penalty nodes apply). */
  reschedule: boolean;
  /** A canary of the current deployment. */
  canary: boolean;
  /** Replaces an allocation on a lost node. */
  lost: boolean;
  /** Stop the previous allocation in the same plan (destructive updates and migrations). */
  stopPrevious: boolean;
  /** Why the previous allocation stops. */
  stopDescription: string;
}

/** An allocation to stop (`allocStopResult`). */
export interface StopRequest {
  alloc: Allocation;
  /** Client status to record with the stop ("lost" for allocations on down nodes), or "". */
  clientStatus: "" | "lost";
  /** DesiredDescription, e.g. "alloc not needed due to job update". */
  statusDescription: string;
  /** The follow-up eval that will reschedule it, when set. */
  followupEvalID?: string;
}

/** The reconciler's output. */
export interface ReconcileResults {
  /** New allocations (including reschedules, lost replacements, canaries). */
  place: PlacementRequest[];
  /** Stop-old-and-place-new pairs with the same name, placed first. */
  destructiveUpdate: PlacementRequest[];
  /** Existing allocations updated to the new job version on their node. */
  inplaceUpdate: Allocation[];
  /** Allocations to stop. */
  stop: StopRequest[];
  /** Allocation copies with changed attributes (FollowupEvalID) to write with the plan. */
  attributeUpdates: Allocation[];
  /** A deployment to create. */
  deployment: Deployment | null;
  /** Status changes of existing deployments. */
  deploymentUpdates: DeploymentStatusUpdate[];
  /** Delayed follow-up evals per group. */
  desiredFollowupEvals: Record<string, Evaluation[]>;
  /** Counts per group. */
  desiredTGUpdates: Record<string, DesiredUpdates>;
}

/** A zeroed DesiredUpdates. */
export function emptyDesiredUpdates(): DesiredUpdates {
  return {
    Ignore: 0,
    Place: 0,
    Migrate: 0,
    Stop: 0,
    InPlaceUpdate: 0,
    DestructiveUpdate: 0,
    Canary: 0,
    Preemptions: 0,
    Disconnect: 0,
    Reconnect: 0,
    RescheduleNow: 0,
    RescheduleLater: 0,
  };
}

/** Nomad's allocation status descriptions. */
export const AllocDescriptions = {
  notNeeded: "alloc not needed due to job update",
  migrating: "alloc is being migrated",
  updating: "alloc is being updated due to job update",
  lost: "alloc is lost since its node is down",
  inPlace: "alloc updating in-place",
  nodeTainted: "alloc not needed as node is tainted",
  rescheduled: "alloc was rescheduled because it failed",
  jobStopped: "alloc not needed since job is stopped",
  nodeIneligible: "alloc not needed as node is no longer eligible",
} as const;
