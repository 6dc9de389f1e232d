/** Allocations (`api.Allocation`, `api.AllocationListStub`, task states and events). */
import type { AllocationMetric } from "./metric";

/** What the servers want of an allocation. */
export type AllocDesiredStatus = "run" | "stop" | "evict";
/** What the client reports. "complete", "failed" and "lost" are terminal. */
export type AllocClientStatus = "pending" | "running" | "complete" | "failed" | "lost" | "unknown";

/** One event of a task (`api.TaskEvent`). */
export interface TaskEvent {
  /** Event type, Nomad's strings, e.g. "Received", "Started", "Terminated", "Driver Failure". */
  Type: string;
  /** Unix nanoseconds. */
  Time: number;
  /** Human-readable message as Nomad's CLI shows it. */
  DisplayMessage?: string;
  /** Details by key. */
  Details?: Record<string, string> | null;
  /** The event fails the task. */
  FailsTask?: boolean;
  /** Exit code of a terminated task. */
  ExitCode?: number;
  /** Signal that ended a terminated task. */
  Signal?: number;
  /** Nanoseconds, for Killing events. */
  KillTimeout?: number;
  /** Error of a failed kill. */
  KillError?: string;
  /** Why the task was killed. */
  KillReason?: string;
  /** Driver error message. */
  DriverError?: string;
  /** Driver message. */
  DriverMessage?: string;
  /** Nanoseconds before a restart. */
  StartDelay?: number;
  /** Restart reason. */
  RestartReason?: string;
  /** Setup error. */
  SetupError?: string;
  /** Validation error. */
  ValidationError?: string;
  /** Why an artifact download failed ("Failed Artifact Download"). */
  DownloadError?: string;
  /** Legacy message. */
  Message?: string;
}

/** The state of one task (`api.TaskState`). */
export interface TaskState {
  /** pending, running or dead. */
  State: "pending" | "running" | "dead";
  /** The task failed. */
  Failed: boolean;
  /** Restarts so far. */
  Restarts: number;
  /** RFC 3339, "0001-01-01T00:00:00Z" when never. */
  LastRestart?: string | null;
  /** RFC 3339. */
  StartedAt?: string | null;
  /** RFC 3339. */
  FinishedAt?: string | null;
  /** Events, oldest first. */
  Events: TaskEvent[] | null;
}

/** Deployment health of an allocation (`api.AllocDeploymentStatus`). */
export interface AllocDeploymentStatus {
  /** null until the client has decided. */
  Healthy: boolean | null;
  /** RFC 3339 time of the decision. */
  Timestamp?: string;
  /** The allocation is a canary. */
  Canary: boolean;
  /** Raft index. */
  ModifyIndex?: number;
}

/** What the servers ask the client to do next (`api.DesiredTransition`). */
export interface DesiredTransition {
  /** Migrate off a draining node. */
  Migrate: boolean | null;
  /** Reschedule (a failed allocation). */
  Reschedule: boolean | null;
  /** Reschedule now, whatever the reschedule policy says. */
  ForceReschedule: boolean | null;
  /** Stop without the group's shutdown_delay. */
  NoShutdownDelay: boolean | null;
}

/** One past reschedule of an allocation (`api.RescheduleEvent`). */
export interface RescheduleEvent {
  /** Unix nanoseconds. */
  RescheduleTime: number;
  /** The allocation replaced. */
  PrevAllocID: string;
  /** Its node. */
  PrevNodeID: string;
  /** Nanoseconds waited before this reschedule. */
  Delay: number;
}

/** `api.AllocationListStub`: an allocation as list endpoints return it. */
export interface AllocationListStub {
  /** UUID. */
  ID: string;
  /** Evaluation that created it. */
  EvalID: string;
  /** `<job>.<group>[<index>]`. */
  Name: string;
  /** Namespace. */
  Namespace: string;
  /** Node ID. */
  NodeID: string;
  /** Node name. */
  NodeName: string;
  /** Job ID. */
  JobID: string;
  /** Job type. */
  JobType?: string;
  /** Job version the allocation runs. */
  JobVersion: number;
  /** Task group. */
  TaskGroup: string;
  /** Resources allocated (with `?resources=true`; shape as Nomad returns it). */
  AllocatedResources?: Record<string, unknown> | null;
  /** Desired status. */
  DesiredStatus: AllocDesiredStatus;
  /** Why the desired status. */
  DesiredDescription: string;
  /** Client status. */
  ClientStatus: AllocClientStatus;
  /** Client status detail. */
  ClientDescription: string;
  /** What the servers ask the client to do next. */
  DesiredTransition?: DesiredTransition;
  /** Task name → state. */
  TaskStates: Record<string, TaskState> | null;
  /** Deployment health. */
  DeploymentStatus: AllocDeploymentStatus | null;
  /** Follow-up (reschedule) evaluation. */
  FollowupEvalID?: string;
  /** Past reschedules. */
  RescheduleTracker?: { Events: RescheduleEvent[] | null } | null;
  /** Allocations this one preempted. */
  PreemptedAllocations?: string[] | null;
  /** Allocation that preempted this one. */
  PreemptedByAllocation?: string;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime: number;
  /** Unix nanoseconds. */
  ModifyTime: number;
}

/** `api.Allocation`: the full allocation, with its job and metrics. */
export interface Allocation extends AllocationListStub {
  /** The job version, in read-back shape. */
  Job: Record<string, unknown> | null;
  /** Placement metrics. */
  Metrics: AllocationMetric | null;
  /** Deployment that placed it. */
  DeploymentID: string;
  /** Allocation this one replaced. */
  PreviousAllocation: string;
  /** Allocation that replaced this one. */
  NextAllocation: string;
  /** Resources allocated (shape as Nomad returns it). */
  AllocatedResources: Record<string, unknown> | null;
  /** Index of the last server-side change (desired status, transition). */
  AllocModifyIndex?: number;
}

/** True when the client has finished with the allocation. */
export function isAllocClientTerminal(status: string): boolean {
  return status === "complete" || status === "failed" || status === "lost";
}

/** Response of stop (`api.AllocStopResponse`). */
export interface AllocStopResponse {
  /** Evaluation created by the stop. */
  EvalID: string;
  /** Raft index. */
  Index: number;
}
