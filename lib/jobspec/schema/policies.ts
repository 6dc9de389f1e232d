/**
 * Lifecycle policies of groups and jobs (`api/tasks.go`, `api/jobs.go`):
 * RestartPolicy, ReschedulePolicy, MigrateStrategy, UpdateStrategy,
 * DisconnectStrategy and EphemeralDisk.
 */
import { z } from "zod";
import { MIGRATE_HEALTH_CHECKS, RECONCILE_OPTIONS, RESCHEDULE_DELAY_FUNCTIONS, RESTART_MODES, UPDATE_HEALTH_CHECKS } from "../constants";
import { block, bool, durationNs, intNum, oneOf } from "./primitives";

/** How the client restarts a failed task in place. */
export const RestartPolicySchema = block({
  /** Window (ns) in which Attempts restarts are allowed; default 30m (service/system) or 24h (batch/sysbatch); at least 5s. */
  Interval: durationNs().describe(
    "Window (ns) in which Attempts restarts are allowed; default 30m (service/system) or 24h (batch/sysbatch); at least 5s.",
  ),
  /** Restarts allowed per Interval; default 2 (service/system) or 3 (batch/sysbatch). */
  Attempts: intNum().describe("Restarts allowed per Interval; default 2 (service/system) or 3 (batch/sysbatch)."),
  /** Wait (ns) before a restart; default 15s. */
  Delay: durationNs().describe("Wait (ns) before a restart; default 15s."),
  /** After Attempts: "fail" (default) or "delay" until the next Interval. */
  Mode: oneOf(["", ...RESTART_MODES]).describe('After Attempts: "fail" (default) or "delay" until the next Interval.'),
  /** Re-render templates on restart; default false. */
  RenderTemplates: bool().describe("Re-render templates on restart; default false."),
}).describe("RestartPolicy: local restarts of failed tasks (api.RestartPolicy).");
/** A RestartPolicy block. */
export type RestartPolicy = z.infer<typeof RestartPolicySchema>;

/** How the scheduler replaces failed allocations on other nodes. */
export const ReschedulePolicySchema = block({
  /** Reschedules allowed per Interval; default 0 (service, Unlimited) or 1 (batch). */
  Attempts: intNum().describe("Reschedules allowed per Interval; default 0 (service, Unlimited) or 1 (batch)."),
  /** Window (ns) for Attempts; default 0 (service) or 24h (batch); at least 15s unless Unlimited. */
  Interval: durationNs().describe("Window (ns) for Attempts; default 0 (service) or 24h (batch); at least 15s unless Unlimited."),
  /** Initial delay (ns); default 30s (service) or 5s (batch); at least 5s. */
  Delay: durationNs().describe("Initial delay (ns); default 30s (service) or 5s (batch); at least 5s."),
  /** "exponential" (service default), "constant" (batch default) or "fibonacci". */
  DelayFunction: oneOf(["", ...RESCHEDULE_DELAY_FUNCTIONS]).describe(
    '"exponential" (service default), "constant" (batch default) or "fibonacci".',
  ),
  /** Upper bound (ns) of the delay; default 1h (service) or 0 (batch). */
  MaxDelay: durationNs().describe("Upper bound (ns) of the delay; default 1h (service) or 0 (batch)."),
  /** Reschedule without limit; default true (service) or false (batch). */
  Unlimited: bool().describe("Reschedule without limit; default true (service) or false (batch)."),
}).describe("ReschedulePolicy: rescheduling of failed allocations (api.ReschedulePolicy); not for system/sysbatch jobs.");
/** A ReschedulePolicy block. */
export type ReschedulePolicy = z.infer<typeof ReschedulePolicySchema>;

/** How allocations move off a draining node (service jobs only). */
export const MigrateStrategySchema = block({
  /** Allocations migrated at once; default 1. */
  MaxParallel: intNum().describe("Allocations migrated at once; default 1."),
  /** "checks" (default) or "task_states". */
  HealthCheck: oneOf(["", ...MIGRATE_HEALTH_CHECKS]).describe('"checks" (default) or "task_states".'),
  /** Healthy for this long (ns) to count; default 10s. */
  MinHealthyTime: durationNs().describe("Healthy for this long (ns) to count; default 10s."),
  /** Deadline (ns) to become healthy; default 5m. */
  HealthyDeadline: durationNs().describe("Deadline (ns) to become healthy; default 5m."),
}).describe("MigrateStrategy: node drain migration (api.MigrateStrategy); service jobs only.");
/** A MigrateStrategy block. */
export type MigrateStrategy = z.infer<typeof MigrateStrategySchema>;

/** Rolling updates and canaries (service and system jobs). */
export const UpdateStrategySchema = block({
  /** Delay (ns) between migrations; default 30s. */
  Stagger: durationNs().describe("Delay (ns) between migrations; default 30s."),
  /** Allocations updated at once; default 1; 0 disables deployments. */
  MaxParallel: intNum().describe("Allocations updated at once; default 1; 0 disables deployments."),
  /** "checks" (default), "task_states" or "manual". */
  HealthCheck: oneOf(["", ...UPDATE_HEALTH_CHECKS]).describe('"checks" (default), "task_states" or "manual".'),
  /** Healthy for this long (ns) to count; default 10s. */
  MinHealthyTime: durationNs().describe("Healthy for this long (ns) to count; default 10s."),
  /** Deadline (ns) to become healthy; default 5m. */
  HealthyDeadline: durationNs().describe("Deadline (ns) to become healthy; default 5m."),
  /** Deadline (ns) for the deployment to make progress; default 10m; 0 disables. */
  ProgressDeadline: durationNs().describe("Deadline (ns) for the deployment to make progress; default 10m; 0 disables."),
  /** Canaries placed before a destructive update; default 0. */
  Canary: intNum().describe("Canaries placed before a destructive update; default 0."),
  /** Revert to the last stable version on failure; default false. */
  AutoRevert: bool().describe("Revert to the last stable version on failure; default false."),
  /** Promote canaries once healthy; default false; needs Canary > 0. */
  AutoPromote: bool().describe("Promote canaries once healthy; default false; needs Canary > 0."),
}).describe("UpdateStrategy: rolling update and canary settings (api.UpdateStrategy).");
/** An UpdateStrategy block. */
export type UpdateStrategy = z.infer<typeof UpdateStrategySchema>;

/** What happens when a node disconnects. */
export const DisconnectStrategySchema = block({
  /** Allocations of a disconnected node are lost after this long (ns); 0 means at once. */
  LostAfter: durationNs().describe("Allocations of a disconnected node are lost after this long (ns); 0 means at once."),
  /** The client stops its allocations after being disconnected this long (ns). */
  StopOnClientAfter: durationNs().describe("The client stops its allocations after being disconnected this long (ns)."),
  /** Replace allocations of a disconnected node; default true. */
  Replace: bool().describe("Replace allocations of a disconnected node; default true."),
  /** Which allocation to keep on reconnect: "best_score" (default), "keep_original", "keep_replacement" or "longest_running". */
  Reconcile: oneOf(["", ...RECONCILE_OPTIONS]).describe(
    'Which allocation to keep on reconnect: "best_score" (default), "keep_original", "keep_replacement" or "longest_running".',
  ),
}).describe("DisconnectStrategy: client disconnect handling (api.DisconnectStrategy).");
/** A DisconnectStrategy block. */
export type DisconnectStrategy = z.infer<typeof DisconnectStrategySchema>;

/** The allocation's local disk. */
export const EphemeralDiskSchema = block({
  /** Prefer the previous node and keep the data; default false. */
  Sticky: bool().describe("Prefer the previous node and keep the data; default false."),
  /** Copy the data to the new node; default false. */
  Migrate: bool().describe("Copy the data to the new node; default false."),
  /** Size in MiB; default 300. */
  SizeMB: intNum().describe("Size in MiB; default 300."),
}).describe("EphemeralDisk: the allocation's local disk (api.EphemeralDisk).");
/** An EphemeralDisk block. */
export type EphemeralDisk = z.infer<typeof EphemeralDiskSchema>;
