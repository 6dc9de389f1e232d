import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/** How deployments judge an allocation healthy. */
export type HealthCheckMode = "checks" | "task_states" | "manual";

/**
 * The `update` block: how a new version of the job rolls out (rolling
 * updates, canaries, automatic revert). On a job it applies to every group;
 * on a group it overrides the job's values. Omit it and Nomad uses its own
 * defaults (max parallel 1, health from checks, 10s min healthy time, 5m
 * healthy deadline, 10m progress deadline, no canaries).
 */
export interface UpdateProps {
  /** How many allocations are updated at once; 0 disables deployments. @default 1 */
  readonly maxParallel?: number;
  /** How a new allocation is judged healthy. @default "checks" */
  readonly healthCheck?: HealthCheckMode;
  /** How long an allocation must stay healthy before the next one is updated. @default "10s" */
  readonly minHealthyTime?: DurationInput;
  /** How long an allocation may take to become healthy before it is marked unhealthy. @default "5m" */
  readonly healthyDeadline?: DurationInput;
  /** How long the deployment may go without an allocation becoming healthy before it fails; "0s" disables. @default "10m" */
  readonly progressDeadline?: DurationInput;
  /** How many canaries to place before the rest of the update; 0 means a plain rolling update. @default 0 */
  readonly canary?: number;
  /** Roll back to the last stable version when the deployment fails. @default false */
  readonly autoRevert?: boolean;
  /** Promote the canaries automatically once they are all healthy. @default false */
  readonly autoPromote?: boolean;
  /** Delay between updates of allocations (the legacy rolling-update pause). @default "30s" */
  readonly stagger?: DurationInput;
}

/** Renders the update block as Nomad's `UpdateStrategy`. */
export function renderUpdate(u: UpdateProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (u === undefined) return undefined;
  return (
    block({
      Stagger: ctx.duration(u.stagger, at, "stagger"),
      MaxParallel: u.maxParallel,
      HealthCheck: u.healthCheck,
      MinHealthyTime: ctx.duration(u.minHealthyTime, at, "minHealthyTime"),
      HealthyDeadline: ctx.duration(u.healthyDeadline, at, "healthyDeadline"),
      ProgressDeadline: ctx.duration(u.progressDeadline, at, "progressDeadline"),
      Canary: u.canary,
      AutoRevert: u.autoRevert,
      AutoPromote: u.autoPromote,
    }) ?? {}
  );
}
