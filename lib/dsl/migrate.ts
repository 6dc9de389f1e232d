import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/**
 * The `migrate` block: how allocations move off a node being drained.
 * Service jobs only.
 */
export interface MigrateProps {
  /** How many allocations of the group migrate at once. @default 1 */
  readonly maxParallel?: number;
  /** How a migrated allocation is judged healthy. @default "checks" */
  readonly healthCheck?: "checks" | "task_states";
  /** How long a migrated allocation must stay healthy before the next one moves. @default "10s" */
  readonly minHealthyTime?: DurationInput;
  /** How long a migrated allocation may take to become healthy. @default "5m" */
  readonly healthyDeadline?: DurationInput;
}

/** Renders the migrate block as Nomad's `MigrateStrategy`. */
export function renderMigrate(m: MigrateProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (m === undefined) return undefined;
  return (
    block({
      MaxParallel: m.maxParallel,
      HealthCheck: m.healthCheck,
      MinHealthyTime: ctx.duration(m.minHealthyTime, at, "minHealthyTime"),
      HealthyDeadline: ctx.duration(m.healthyDeadline, at, "healthyDeadline"),
    }) ?? {}
  );
}
