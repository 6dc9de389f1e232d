/**
 * The scheduler's typed view of the job fields it reads, with Nomad's JSON
 * keys. A stored job is lib/jobspec's canonicalized `Job`; reading it through
 * this narrow view keeps the scheduler independent of how the schema module
 * spells optionality, and documents exactly which fields placement depends on.
 */
import type { StoredJob } from "../structs";

/** A constraint or affinity operand pair (`structs.Constraint`, `structs.Affinity`). */
export interface ConstraintView {
  /** Left target, e.g. "${attr.kernel.name}". */
  LTarget?: string | null;
  /** Right target: a literal or another interpolation. */
  RTarget?: string | null;
  /** Operator: "=", "regexp", "version", "distinct_hosts", … */
  Operand?: string | null;
  /** Affinity weight, −100…100 (Nomad default 50); absent on constraints. */
  Weight?: number | null;
}

/** One spread target (`structs.SpreadTarget`). */
export interface SpreadTargetView {
  /** The attribute value. */
  Value: string;
  /** Percent of the group's count wanted on this value. */
  Percent: number;
}

/** A spread block (`structs.Spread`). */
export interface SpreadView {
  /** The attribute to spread over, e.g. "${node.datacenter}". */
  Attribute: string;
  /** 0…100, Nomad default 50. */
  Weight?: number | null;
  /** Explicit targets; none means an even spread. */
  SpreadTarget?: SpreadTargetView[] | null;
}

/** A port of a group network (`structs.Port`). */
export interface PortView {
  Label: string;
  /** Static host port (0 for dynamic). */
  Value?: number | null;
  /** Port inside the task's namespace; −1 means the same as the host port. */
  To?: number | null;
  HostNetwork?: string | null;
  /** Allow a static port that another allocation already holds. */
  IgnoreCollision?: boolean | null;
}

/** A network request (`structs.NetworkResource`). */
export interface NetworkView {
  /** "host" (default), "bridge", "none", "cni/…". */
  Mode?: string | null;
  ReservedPorts?: PortView[] | null;
  DynamicPorts?: PortView[] | null;
  MBits?: number | null;
  Hostname?: string | null;
  DNS?: unknown;
  CNI?: unknown;
}

/** Task resources (`structs.Resources`). */
export interface ResourcesView {
  /** MHz. Nomad default 100. */
  CPU?: number | null;
  Cores?: number | null;
  /** MiB. Nomad default 300. */
  MemoryMB?: number | null;
  MemoryMaxMB?: number | null;
  Networks?: NetworkView[] | null;
  Devices?: unknown;
  NUMA?: unknown;
  SecretsMB?: number | null;
}

/** A task (`structs.Task`). */
export interface TaskView {
  Name: string;
  Driver: string;
  User?: string | null;
  Config?: unknown;
  Env?: unknown;
  Meta?: Record<string, string> | null;
  Resources?: ResourcesView | null;
  Constraints?: ConstraintView[] | null;
  Affinities?: ConstraintView[] | null;
  Artifacts?: unknown;
  Vault?: unknown;
  Secrets?: unknown;
  Templates?: unknown;
  VolumeMounts?: unknown;
  CSIPluginConfig?: unknown;
  Identity?: unknown;
  Identities?: unknown;
  Consul?: unknown;
  LogConfig?: { Disabled?: boolean | null } | null;
  RestartPolicy?: { RenderTemplates?: boolean | null } | null;
}

/** The update block (`structs.UpdateStrategy`). Durations in nanoseconds. */
export interface UpdateView {
  /** Destructive updates at once; Nomad default 1; 0 disables deployments. */
  MaxParallel?: number | null;
  /** Canaries per deployment, Nomad default 0. */
  Canary?: number | null;
  AutoRevert?: boolean | null;
  AutoPromote?: boolean | null;
  /** Nanoseconds, Nomad default 10 min. */
  ProgressDeadline?: number | null;
  HealthCheck?: string | null;
}

/** The reschedule block (`structs.ReschedulePolicy`). Durations in nanoseconds. */
export interface ReschedulePolicyView {
  Attempts?: number | null;
  Interval?: number | null;
  Delay?: number | null;
  /** "constant", "exponential" or "fibonacci". */
  DelayFunction?: string | null;
  MaxDelay?: number | null;
  Unlimited?: boolean | null;
}

/** A task group (`structs.TaskGroup`). */
export interface TaskGroupView {
  Name: string;
  /** Instances wanted, Nomad default 1. */
  Count?: number | null;
  Constraints?: ConstraintView[] | null;
  Affinities?: ConstraintView[] | null;
  Spreads?: SpreadView[] | null;
  Tasks: TaskView[];
  Networks?: NetworkView[] | null;
  EphemeralDisk?: { Sticky?: boolean | null; Migrate?: boolean | null; SizeMB?: number | null } | null;
  Update?: UpdateView | null;
  /** The group's migrate block; its MaxParallel also limits how many of the group's allocations one plan preempts before a penalty. */
  Migrate?: { MaxParallel?: number | null } | null;
  ReschedulePolicy?: ReschedulePolicyView | null;
  RestartPolicy?: { RenderTemplates?: boolean | null } | null;
  Meta?: Record<string, string> | null;
  Volumes?: unknown;
  Consul?: unknown;
  Services?: unknown;
}

/** The job fields the scheduler reads (`structs.Job`). */
export interface JobView {
  ID: string;
  Namespace: string;
  Type: "service" | "batch" | "system" | "sysbatch";
  Priority?: number | null;
  /** Glob patterns, Nomad default ["*"]. */
  Datacenters?: string[] | null;
  /** Nomad default "default"; "all" means every pool. */
  NodePool?: string | null;
  Constraints?: ConstraintView[] | null;
  Affinities?: ConstraintView[] | null;
  Spreads?: SpreadView[] | null;
  TaskGroups?: TaskGroupView[] | null;
  Update?: UpdateView | null;
  /** A stopped job has all its allocations stopped. */
  Stop?: boolean | null;
  AllAtOnce?: boolean | null;
  Meta?: Record<string, string> | null;
  Version: number;
  JobModifyIndex: number;
  CreateIndex: number;
  Stable?: boolean;
}

/** Reads a stored job through the scheduler's view (no copy). */
export function jobView(job: StoredJob): JobView {
  // The view declares as required what validation and canonicalization guarantee (spread attributes, target values, port labels).
  return job as unknown as JobView;
}

/** The group's count (Nomad default 1). */
export function groupCount(tg: TaskGroupView): number {
  return tg.Count ?? 1;
}

/** The group's task group by name. */
export function findTaskGroup(job: JobView, name: string): TaskGroupView | undefined {
  return (job.TaskGroups ?? []).find((tg) => tg.Name === name);
}

/** The update strategy in effect for a group: the group's own, else the job's. Null when there is none or MaxParallel is 0. */
export function groupUpdate(job: JobView, tg: TaskGroupView): UpdateView | null {
  const u = tg.Update ?? job.Update ?? null;
  if (!u) return null;
  if ((u.MaxParallel ?? 1) <= 0) return null;
  return u;
}
