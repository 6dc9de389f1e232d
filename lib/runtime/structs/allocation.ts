/**
 * Allocations: the mapping of one task group instance of a job onto a node
 * (Nomad's `structs.Allocation`), with their task states and metrics.
 */
import type {
  AllocClientStatus,
  AllocDeploymentStatus as WireAllocDeploymentStatus,
  Allocation as WireAllocation,
  AllocationListStub as WireAllocationListStub,
  AllocDesiredStatus,
  DesiredTransition,
  RescheduleEvent,
  TaskEvent as WireTaskEvent,
  TaskState as WireTaskState,
} from "../../api/types/allocation";
import type { AllocMetric } from "./alloc-metric";
import type { StoredJob } from "./job";

/** Allocation statuses (the wire types). */
export type { AllocClientStatus, AllocDesiredStatus };

/** Task states (`structs.TaskState*`). */
export type TaskStateName = WireTaskState["State"];

/** One event in a task's life (`structs.TaskEvent`): the wire shape with every field set. */
export interface TaskEvent extends Required<WireTaskEvent> {
  /** Details by key; never null on the server. */
  Details: Record<string, string>;
}

/** The state of one task in an allocation (`structs.TaskState`): the wire shape with every field set. */
export interface TaskState extends Required<WireTaskState> {
  /** RFC 3339, "0001-01-01T00:00:00Z" when never; never null on the server. */
  LastRestart: string;
  /** Events, oldest first; never null on the server. */
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

/** What the servers ask the client to do next, and past reschedules (the wire types). */
export type { DesiredTransition, RescheduleEvent };

/** Deployment health of an allocation (`structs.AllocDeploymentStatus`): the wire shape with every field set. */
export type AllocDeploymentStatus = Required<WireAllocDeploymentStatus>;

/** Wire fields of a list stub that the server's allocation does not carry itself (the stub takes them from its job), and those it types more precisely. */
type ServerTyped =
  | "JobType"
  | "JobVersion"
  | "PreemptedAllocations"
  | "PreemptedByAllocation"
  | "Job"
  | "Metrics"
  | "AllocatedResources"
  | "RescheduleTracker";

/** An allocation (`structs.Allocation`): the wire shape with every field set. */
export interface Allocation extends Required<Omit<WireAllocation, ServerTyped>> {
  /**
   * The job version this allocation runs. Allocations share the stored job
   * object of their version (never a copy), which keeps a million of them small.
   */
  Job: StoredJob;
  /** Resources allocated; always set on the server. */
  AllocatedResources: AllocatedResources;
  /** Placement metrics. */
  Metrics: AllocMetric | null;
  /** Task name → state. */
  TaskStates: Record<string, TaskState> | null;
  /** Deployment health. */
  DeploymentStatus: AllocDeploymentStatus | null;
  /** Past reschedules. */
  RescheduleTracker: { Events: RescheduleEvent[] } | null;
  /** IDs of the allocations this one evicted to fit (set on a preempting placement). Default null. */
  PreemptedAllocations?: string[] | null;
  /** ID of the allocation that evicted this one (set with DesiredStatus "evict"). Default "". */
  PreemptedByAllocation?: string;
}

/** Nomad's DesiredDescription of a preempted allocation. */
export function preemptedDescription(preemptingAllocID: string): string {
  return `Preempted by alloc ID ${preemptingAllocID}`;
}

/** `structs.AllocListStub`: what the list endpoints return per allocation; the wire shape with every field set. */
export interface AllocationListStub extends Required<Omit<WireAllocationListStub, "AllocatedResources" | "RescheduleTracker">> {
  /** Resources allocated (with `?resources=true`). */
  AllocatedResources: AllocatedResources | null;
  /** Task name → state. */
  TaskStates: Record<string, TaskState> | null;
  /** Deployment health. */
  DeploymentStatus: AllocDeploymentStatus | null;
  /** Past reschedules. */
  RescheduleTracker: { Events: RescheduleEvent[] } | null;
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

/** The index suffix of an allocation name, `[2]` of `web.api[2]` ("" without one): Nomad's `structs.AllocSuffix`. */
export function allocSuffix(name: string): string {
  const at = name.lastIndexOf("[");
  return at === -1 ? "" : name.slice(at);
}

/** Builds `<job>.<group>[<index>]` as Nomad names allocations. */
export function allocName(jobID: string, group: string, index: number): string {
  return `${jobID}.${group}[${index}]`;
}
