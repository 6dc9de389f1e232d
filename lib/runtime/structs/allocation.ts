/**
 * Allocations: the mapping of one task group instance of a job onto a node
 * (Nomad's `structs.Allocation`), with their task states and metrics.
 */
import type { AllocMetric } from "./alloc-metric";
import type { StoredJob } from "./job";

/** What the servers want of an allocation. */
export type AllocDesiredStatus = "run" | "stop" | "evict";

/** What the client reports of an allocation. */
export type AllocClientStatus = "pending" | "running" | "complete" | "failed" | "lost" | "unknown";

/** Task states (`structs.TaskState*`). */
export type TaskStateName = "pending" | "running" | "dead";

/** One event in a task's life (`structs.TaskEvent`). Types use Nomad's strings, e.g. "Received", "Started", "Terminated". */
export interface TaskEvent {
  Type: string;
  /** Unix nanoseconds. */
  Time: number;
  /** Human-readable message as Nomad's CLI shows it. */
  DisplayMessage: string;
  Details: Record<string, string>;
  Message: string;
  FailsTask: boolean;
  ExitCode: number;
  Signal: number;
  /** Nanoseconds, for Killing events. */
  KillTimeout: number;
  KillError: string;
  KillReason: string;
  RestartReason: string;
  DriverError: string;
  DriverMessage: string;
  SetupError: string;
  StartDelay: number;
  ValidationError: string;
}

/** The state of one task in an allocation (`structs.TaskState`). */
export interface TaskState {
  State: TaskStateName;
  Failed: boolean;
  Restarts: number;
  /** RFC 3339, "0001-01-01T00:00:00Z" when never. */
  LastRestart: string;
  StartedAt: string | null;
  FinishedAt: string | null;
  Events: TaskEvent[];
}

/** A port assigned to an allocation (`structs.AllocatedPortMapping`). */
export interface AllocatedPortMapping {
  Label: string;
  /** The host port. */
  Value: number;
  /** The port inside the task's network namespace (0 = same as Value). */
  To: number;
  HostIP: string;
}

/** Resources given to one task (`structs.AllocatedTaskResources`). */
export interface AllocatedTaskResources {
  /** MHz. */
  Cpu: { CpuShares: number; ReservedCores: number[] | null };
  /** MiB. */
  Memory: { MemoryMB: number; MemoryMaxMB: number };
  Networks: unknown[] | null;
  Devices: unknown[] | null;
}

/** Resources of an allocation (`structs.AllocatedResources`). */
export interface AllocatedResources {
  Tasks: Record<string, AllocatedTaskResources>;
  TaskLifecycles?: Record<string, unknown>;
  Shared: {
    /** MiB of ephemeral disk. */
    DiskMB: number;
    Networks: unknown[] | null;
    Ports: AllocatedPortMapping[] | null;
  };
}

/** What the servers ask the client to do next (`structs.DesiredTransition`). */
export interface DesiredTransition {
  Migrate: boolean | null;
  Reschedule: boolean | null;
  ForceReschedule: boolean | null;
  NoShutdownDelay: boolean | null;
}

/** Deployment health of an allocation (`structs.AllocDeploymentStatus`). */
export interface AllocDeploymentStatus {
  /** null until the client has decided. */
  Healthy: boolean | null;
  /** RFC 3339 time of the decision. */
  Timestamp: string;
  Canary: boolean;
  ModifyIndex: number;
}

/** One past reschedule of an allocation (`structs.RescheduleEvent`). */
export interface RescheduleEvent {
  /** Unix nanoseconds. */
  RescheduleTime: number;
  PrevAllocID: string;
  PrevNodeID: string;
  /** Nanoseconds waited before this reschedule. */
  Delay: number;
}

/** An allocation (`structs.Allocation`). */
export interface Allocation {
  ID: string;
  Namespace: string;
  EvalID: string;
  /** `<job>.<group>[<index>]`. */
  Name: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  /**
   * The job version this allocation runs. Allocations share the stored job
   * object of their version (never a copy), which keeps a million of them small.
   */
  Job: StoredJob;
  TaskGroup: string;
  AllocatedResources: AllocatedResources;
  Metrics: AllocMetric | null;
  DesiredStatus: AllocDesiredStatus;
  DesiredDescription: string;
  DesiredTransition: DesiredTransition;
  ClientStatus: AllocClientStatus;
  ClientDescription: string;
  TaskStates: Record<string, TaskState> | null;
  PreviousAllocation: string;
  NextAllocation: string;
  DeploymentID: string;
  DeploymentStatus: AllocDeploymentStatus | null;
  RescheduleTracker: { Events: RescheduleEvent[] } | null;
  FollowupEvalID: string;
  CreateIndex: number;
  ModifyIndex: number;
  /** Index of the last server-side change (desired status, transition). */
  AllocModifyIndex: number;
  /** Unix nanoseconds. */
  CreateTime: number;
  /** Unix nanoseconds. */
  ModifyTime: number;
}

/** `structs.AllocListStub`: what the list endpoints return per allocation. */
export interface AllocationListStub {
  ID: string;
  EvalID: string;
  Name: string;
  Namespace: string;
  NodeID: string;
  NodeName: string;
  JobID: string;
  JobType: string;
  JobVersion: number;
  TaskGroup: string;
  AllocatedResources: AllocatedResources | null;
  DesiredStatus: AllocDesiredStatus;
  DesiredDescription: string;
  ClientStatus: AllocClientStatus;
  ClientDescription: string;
  DesiredTransition: DesiredTransition;
  TaskStates: Record<string, TaskState> | null;
  DeploymentStatus: AllocDeploymentStatus | null;
  FollowupEvalID: string;
  RescheduleTracker: { Events: RescheduleEvent[] } | null;
  PreemptedAllocations: string[] | null;
  PreemptedByAllocation: string;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

/** Server-terminal: the servers want it stopped or evicted. */
export function allocServerTerminal(a: Allocation): boolean {
  return a.DesiredStatus === "stop" || a.DesiredStatus === "evict";
}

/** Client-terminal: it has finished running, one way or another. */
export function allocClientTerminal(a: Allocation): boolean {
  return a.ClientStatus === "complete" || a.ClientStatus === "failed" || a.ClientStatus === "lost";
}

/** Terminal in Nomad's sense (`TerminalStatus`): server- or client-terminal. Terminal allocations hold no resources. */
export function allocTerminal(a: Allocation): boolean {
  return allocServerTerminal(a) || allocClientTerminal(a);
}

/** The index in `<job>.<group>[<index>]`, or -1. */
export function allocNameIndex(name: string): number {
  const open = name.lastIndexOf("[");
  if (open < 0 || !name.endsWith("]")) return -1;
  const n = Number(name.slice(open + 1, -1));
  return Number.isInteger(n) ? n : -1;
}

/** Builds `<job>.<group>[<index>]` as Nomad names allocations. */
export function allocName(jobID: string, group: string, index: number): string {
  return `${jobID}.${group}[${index}]`;
}
