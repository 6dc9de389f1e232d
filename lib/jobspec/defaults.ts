/**
 * Nomad's default values, as constants and small factories, for the runtime,
 * the plan engine and canonicalize. Each names the Nomad function it mirrors.
 * Durations are integer nanoseconds.
 */
import type { JobType } from "./constants";
import { NS_PER } from "./duration";
import type { EphemeralDisk, LogConfig, MigrateStrategy, ReschedulePolicy, Resources, RestartPolicy, UpdateStrategy } from "./schema";

const { s: SEC, m: MIN, h: HOUR } = NS_PER;

/** Default job priority (`structs.JobDefaultPriority`). */
export const DEFAULT_JOB_PRIORITY = 50;
/** Highest job priority with the default server config (`structs.JobDefaultMaxPriority`). */
export const MAX_JOB_PRIORITY = 100;
/** Default namespace (`api.DefaultNamespace`). */
export const DEFAULT_NAMESPACE = "default";
/** Default region (`api.GlobalRegion`). */
export const DEFAULT_REGION = "global";
/** Default node pool (`structs.NodePoolDefault`, applied by jobNodePoolMutatingHook). */
export const DEFAULT_NODE_POOL = "default";
/** Datacenters of a job that names none (`structs.Job.Canonicalize`). */
export const DEFAULT_DATACENTERS: readonly string[] = ["*"];
/** Time between the kill signal and SIGKILL: 5s (`structs.DefaultKillTimeout`). */
export const DEFAULT_KILL_TIMEOUT_NS = 5 * SEC;
/** Affinity and spread weight when unset (`api.Affinity.Canonicalize`, `api.Spread.Canonicalize`). */
export const DEFAULT_AFFINITY_WEIGHT = 50;
/** Spread weight when unset. */
export const DEFAULT_SPREAD_WEIGHT = 50;
/** Grace of a check_restart when unset: 1s (`api.CheckRestart.Canonicalize`). */
export const DEFAULT_CHECK_RESTART_GRACE_NS = 1 * SEC;
/** Template splay when unset: 5s (`api.Template.Canonicalize`). */
export const DEFAULT_TEMPLATE_SPLAY_NS = 5 * SEC;
/** Change script timeout when unset: 5s (`api.ChangeScript.Canonicalize`). */
export const DEFAULT_CHANGE_SCRIPT_TIMEOUT_NS = 5 * SEC;
/** CSI plugin health timeout when unset: 30s (`api.TaskCSIPluginConfig.Canonicalize`). */
export const DEFAULT_CSI_HEALTH_TIMEOUT_NS = 30 * SEC;

/** `api.DefaultUpdateStrategy()`: the update block of service and system jobs that set none. */
export const DEFAULT_UPDATE_STRATEGY: Readonly<Required<{ [K in keyof UpdateStrategy]: NonNullable<UpdateStrategy[K]> }>> = Object.freeze({
  Stagger: 30 * SEC,
  MaxParallel: 1,
  HealthCheck: "checks",
  MinHealthyTime: 10 * SEC,
  HealthyDeadline: 5 * MIN,
  ProgressDeadline: 10 * MIN,
  Canary: 0,
  AutoRevert: false,
  AutoPromote: false,
});

/** `api.DefaultMigrateStrategy()`: the migrate block of service groups that set none. */
export const DEFAULT_MIGRATE_STRATEGY: Readonly<Required<{ [K in keyof MigrateStrategy]: NonNullable<MigrateStrategy[K]> }>> =
  Object.freeze({
    MaxParallel: 1,
    HealthCheck: "checks",
    MinHealthyTime: 10 * SEC,
    HealthyDeadline: 5 * MIN,
  });

/** `api.DefaultEphemeralDisk()`: 300 MiB, not sticky, not migrated. */
export const DEFAULT_EPHEMERAL_DISK: Readonly<Required<{ [K in keyof EphemeralDisk]: NonNullable<EphemeralDisk[K]> }>> = Object.freeze({
  Sticky: false,
  Migrate: false,
  SizeMB: 300,
});

/** `api.DefaultLogConfig()`: 10 files of 10 MiB. */
export const DEFAULT_LOG_CONFIG: Readonly<
  Pick<Required<{ [K in keyof LogConfig]: NonNullable<LogConfig[K]> }>, "MaxFiles" | "MaxFileSizeMB" | "Disabled">
> = Object.freeze({
  MaxFiles: 10,
  MaxFileSizeMB: 10,
  Disabled: false,
});

/** `api.DefaultResources()`: 100 MHz CPU, 0 cores, 300 MiB memory. */
export const DEFAULT_RESOURCES: Readonly<
  Pick<Required<{ [K in keyof Resources]: NonNullable<Resources[K]> }>, "CPU" | "Cores" | "MemoryMB">
> = Object.freeze({
  CPU: 100,
  Cores: 0,
  MemoryMB: 300,
});

/** A complete RestartPolicy. */
export type FullRestartPolicy = { Interval: number; Attempts: number; Delay: number; Mode: string; RenderTemplates: boolean };
/** A complete ReschedulePolicy. */
export type FullReschedulePolicy = {
  Attempts: number;
  Interval: number;
  Delay: number;
  DelayFunction: string;
  MaxDelay: number;
  Unlimited: boolean;
};

/**
 * The restart policy of a job type (`api/tasks.go` defaultServiceJobRestartPolicy
 * for service and system: 2 attempts in 30m; defaultBatchJobRestartPolicy for
 * batch and sysbatch: 3 attempts in 24h; both 15s delay, mode "fail").
 */
export function defaultRestartPolicy(type: JobType | string): FullRestartPolicy {
  if (type === "service" || type === "system")
    return { Interval: 30 * MIN, Attempts: 2, Delay: 15 * SEC, Mode: "fail", RenderTemplates: false };
  return { Interval: 24 * HOUR, Attempts: 3, Delay: 15 * SEC, Mode: "fail", RenderTemplates: false };
}

/**
 * The reschedule policy of a job type (`api.NewDefaultReschedulePolicy`):
 * service: unlimited, exponential from 30s up to 1h; batch: 1 attempt in 24h
 * after 5s, constant; system and sysbatch: undefined (they have none).
 */
export function defaultReschedulePolicy(type: JobType | string): FullReschedulePolicy | undefined {
  if (type === "service")
    return { Attempts: 0, Interval: 0, Delay: 30 * SEC, DelayFunction: "exponential", MaxDelay: 1 * HOUR, Unlimited: true };
  if (type === "batch")
    return { Attempts: 1, Interval: 24 * HOUR, Delay: 5 * SEC, DelayFunction: "constant", MaxDelay: 0, Unlimited: false };
  return undefined;
}

/**
 * The fill-in values `api.ReschedulePolicy.Canonicalize(type)` uses for the
 * unset fields of a given policy: the type's defaults, and zero values for
 * system and sysbatch (whose policy is then rejected by validation).
 */
export function rescheduleFillIn(type: JobType | string): FullReschedulePolicy {
  return defaultReschedulePolicy(type) ?? { Attempts: 0, Interval: 0, Delay: 0, DelayFunction: "", MaxDelay: 0, Unlimited: false };
}

/** The UpdateStrategy type with every field set. */
export type FullUpdateStrategy = typeof DEFAULT_UPDATE_STRATEGY;
/** Re-exported for symmetry with the other defaults. */
export type { RestartPolicy, ReschedulePolicy };
