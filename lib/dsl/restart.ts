import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/** What happens when a task has used its restart attempts within the interval. */
export type RestartMode = "delay" | "fail";

/**
 * The `restart` block: how the client restarts a failed task in place (on
 * the same node). Nomad's defaults depend on the job type: service jobs 2
 * attempts in 30m with a 15s delay; batch jobs 3 attempts in 24h with a 15s
 * delay; mode "fail".
 */
export interface RestartProps {
  /** How many restarts are allowed within `interval`. @default 2 (service), 3 (batch) */
  readonly attempts?: number;
  /** The window in which `attempts` are counted. @default "30m" (service), "24h" (batch) */
  readonly interval?: DurationInput;
  /** How long to wait before restarting the task. @default "15s" */
  readonly delay?: DurationInput;
  /** What to do once the attempts are used up: wait for the interval to pass ("delay") or fail the allocation ("fail"). @default "fail" */
  readonly mode?: RestartMode;
  /** Restart the task when its templates fail to re-render. @default false */
  readonly renderTemplates?: boolean;
}

/** Renders the restart block as Nomad's `RestartPolicy`. */
export function renderRestart(r: RestartProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (r === undefined) return undefined;
  return (
    block({
      Interval: ctx.duration(r.interval, at, "interval"),
      Attempts: r.attempts,
      Delay: ctx.duration(r.delay, at, "delay"),
      Mode: r.mode,
      RenderTemplates: r.renderTemplates,
    }) ?? {}
  );
}
