/**
 * Deployments: the rollout of one job version for service (and system) jobs
 * with an update block (Nomad's `structs.Deployment`).
 */

/** Deployment statuses. */
export type DeploymentStatus =
  | "running"
  | "paused"
  | "failed"
  | "successful"
  | "cancelled"
  | "pending"
  | "blocked"
  | "unblocking"
  | "initializing";

/** The rollout state of one task group (`structs.DeploymentState`). */
export interface DeploymentState {
  AutoRevert: boolean;
  AutoPromote: boolean;
  /** Nanoseconds. */
  ProgressDeadline: number;
  /** RFC 3339 time by which progress must be made ("0001-01-01T00:00:00Z" before the first placement). */
  RequireProgressBy: string;
  Promoted: boolean;
  /** IDs of the canaries placed so far. */
  PlacedCanaries: string[] | null;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
}

/** A deployment (`structs.Deployment`). */
export interface Deployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  JobSpecModifyIndex: number;
  JobCreateIndex: number;
  IsMultiregion: boolean;
  TaskGroups: Record<string, DeploymentState>;
  Status: DeploymentStatus;
  StatusDescription: string;
  EvalPriority: number;
  CreateIndex: number;
  ModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime: number;
  /** Unix nanoseconds. */
  ModifyTime: number;
}

/** A change of a deployment's status made by a plan (`structs.DeploymentStatusUpdate`). */
export interface DeploymentStatusUpdate {
  DeploymentID: string;
  Status: DeploymentStatus;
  StatusDescription: string;
}

/** Active deployments can still make progress. */
export function deploymentActive(d: Deployment): boolean {
  return d.Status === "running" || d.Status === "paused" || d.Status === "pending" || d.Status === "blocked" || d.Status === "unblocking" || d.Status === "initializing";
}

/** Nomad's status descriptions (`structs.DeploymentStatusDescription*`). */
export const DeploymentDescriptions = {
  running: "Deployment is running",
  runningNeedsPromotion: "Deployment is running but requires manual promotion",
  runningAutoPromotion: "Deployment is running pending automatic promotion",
  paused: "Deployment is paused",
  successful: "Deployment completed successfully",
  stoppedJob: "Cancelled because job is stopped",
  newerJob: "Cancelled due to newer version of job",
  failedAllocations: "Failed due to unhealthy allocations",
  progressDeadline: "Failed due to progress deadline",
  failedByUser: "Deployment marked as failed",
  /** Multiregion only: failed because another region's deployment failed. */
  failedByPeer: "Failed because of an error in peer region",
  /** Multiregion only: this region is done and waits for the others. */
  blocked: "Deployment is complete but waiting for peer region",
  /** Multiregion only: the last region to finish, while it unblocks the others. */
  unblocking: "Deployment is unblocking remaining regions",
  /** Multiregion only: waiting for its turn in the rollout. */
  pendingForPeer: "Deployment is pending, waiting for peer region",
} as const;
