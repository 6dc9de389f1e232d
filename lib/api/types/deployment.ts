/** Deployments (`api.Deployment`). */

/** Deployment statuses. "successful", "failed" and "cancelled" are terminal. */
export type DeploymentStatus =
  "running" | "paused" | "failed" | "successful" | "cancelled" | "pending" | "blocked" | "unblocking" | "initializing";

/** Rollout state of one group (`api.DeploymentState`). */
export interface DeploymentState {
  /** Roll back to the last stable version on failure. */
  AutoRevert: boolean;
  /** Promote canaries automatically when healthy. */
  AutoPromote?: boolean;
  /** Nanoseconds. */
  ProgressDeadline: number;
  /** RFC 3339 time by which progress must be made ("0001-01-01T00:00:00Z" before the first placement). */
  RequireProgressBy: string | null;
  /** Canaries were promoted. */
  Promoted: boolean;
  /** IDs of the canaries placed so far. */
  PlacedCanaries: string[] | null;
  /** Canaries wanted. */
  DesiredCanaries: number;
  /** Allocations wanted. */
  DesiredTotal: number;
  /** Allocations placed. */
  PlacedAllocs: number;
  /** Allocations healthy. */
  HealthyAllocs: number;
  /** Allocations unhealthy. */
  UnhealthyAllocs: number;
}

/** A deployment. */
export interface Deployment {
  /** UUID. */
  ID: string;
  /** Namespace. */
  Namespace: string;
  /** Job ID. */
  JobID: string;
  /** Job version deployed. */
  JobVersion: number;
  /** Job modify index deployed. */
  JobModifyIndex: number;
  /** Job spec modify index deployed. */
  JobSpecModifyIndex: number;
  /** Job create index. */
  JobCreateIndex: number;
  /** Multiregion deployment. */
  IsMultiregion?: boolean;
  /** Group name → state. */
  TaskGroups: Record<string, DeploymentState> | null;
  /** Status. */
  Status: DeploymentStatus;
  /** Status detail, e.g. "Deployment completed successfully". */
  StatusDescription: string;
  /** Priority of the evaluations the deployment creates (the job's priority). */
  EvalPriority?: number;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime?: number;
  /** Unix nanoseconds. */
  ModifyTime?: number;
}

/** Response of the deployment write endpoints (`api.DeploymentUpdateResponse`). */
export interface DeploymentUpdateResponse {
  /** Evaluation created. */
  EvalID: string;
  /** Raft index of the evaluation. */
  EvalCreateIndex: number;
  /** Raft index of the deployment change. */
  DeploymentModifyIndex: number;
  /** Version reverted to, when auto-revert happened. */
  RevertedJobVersion?: number | null;
  /** Raft index. */
  Index: number;
}

/** True for statuses after which a deployment makes no further progress. */
export function isDeploymentTerminal(status: string): boolean {
  return status === "successful" || status === "failed" || status === "cancelled";
}
