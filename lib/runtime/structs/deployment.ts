/**
 * Deployments: the rollout of one job version for service (and system) jobs
 * with an update block (Nomad's `structs.Deployment`).
 */
import type { Deployment as WireDeployment, DeploymentState as WireDeploymentState, DeploymentStatus } from "../../api/types/deployment";

/** Deployment statuses (the wire type). */
export type { DeploymentStatus };

/** The rollout state of one task group (`structs.DeploymentState`): the wire shape with every field set. */
export interface DeploymentState extends Required<WireDeploymentState> {
  /** RFC 3339 time by which progress must be made; never null on the server. */
  RequireProgressBy: string;
}

/** A deployment (`structs.Deployment`): the wire shape with every field set. */
export interface Deployment extends Required<WireDeployment> {
  /** Group name → state; never null on the server. */
  TaskGroups: Record<string, DeploymentState>;
}

/** A change of a deployment's status made by a plan (`structs.DeploymentStatusUpdate`). */
export interface DeploymentStatusUpdate {
  DeploymentID: string;
  Status: DeploymentStatus;
  StatusDescription: string;
}

/** The update settings a group's deployment state starts from. */
export interface DeploymentStateSettings {
  AutoRevert?: boolean | null;
  AutoPromote?: boolean | null;
  /** Nanoseconds; Nomad's default is 10 minutes. */
  ProgressDeadline?: number | null;
}

/** A group's deployment state before anything is placed (as the reconciler creates it). */
export function newDeploymentState(update: DeploymentStateSettings | null | undefined, desiredTotal: number): DeploymentState {
  return {
    AutoRevert: !!update?.AutoRevert,
    AutoPromote: !!update?.AutoPromote,
    ProgressDeadline: update?.ProgressDeadline ?? 600e9,
    RequireProgressBy: "0001-01-01T00:00:00Z",
    Promoted: false,
    PlacedCanaries: null,
    DesiredCanaries: 0,
    DesiredTotal: desiredTotal,
    PlacedAllocs: 0,
    HealthyAllocs: 0,
    UnhealthyAllocs: 0,
  };
}

/** The job fields a new deployment records (the stored job, or the scheduler's view of it). */
export interface DeploymentJobFields {
  Namespace: string;
  ID: string;
  Version: number;
  JobModifyIndex: number;
  CreateIndex: number;
}

/** A new deployment of the job's current version; indexes are set when the state store writes it. */
export function newDeployment(
  job: DeploymentJobFields,
  fields: {
    id: string;
    now: number;
    isMultiregion: boolean;
    status: DeploymentStatus;
    statusDescription: string;
    evalPriority: number;
    taskGroups?: Record<string, DeploymentState>;
  },
): Deployment {
  return {
    ID: fields.id,
    Namespace: job.Namespace,
    JobID: job.ID,
    JobVersion: job.Version,
    JobModifyIndex: job.JobModifyIndex,
    JobSpecModifyIndex: job.JobModifyIndex,
    JobCreateIndex: job.CreateIndex,
    IsMultiregion: fields.isMultiregion,
    TaskGroups: fields.taskGroups ?? {},
    Status: fields.status,
    StatusDescription: fields.statusDescription,
    EvalPriority: fields.evalPriority,
    CreateIndex: 0,
    ModifyIndex: 0,
    CreateTime: fields.now,
    ModifyTime: fields.now,
  };
}

/** Active deployments can still make progress. */
export function deploymentActive(d: Deployment): boolean {
  return (
    d.Status === "running" ||
    d.Status === "paused" ||
    d.Status === "pending" ||
    d.Status === "blocked" ||
    d.Status === "unblocking" ||
    d.Status === "initializing"
  );
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
