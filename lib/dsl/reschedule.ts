import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/** How the delay between reschedules grows. */
export type RescheduleDelayFunction = "constant" | "exponential" | "fibonacci";

/**
 * The `reschedule` block: how Nomad replaces a failed allocation on another
 * node. Defaults depend on the job type: service jobs reschedule unlimited
 * times with an exponential delay from 30s up to 1h; batch jobs once in 24h
 * with a constant 5s delay. Not allowed on system jobs.
 */
export interface RescheduleProps {
  /** How many reschedules are allowed within `interval`. @default 0 with `unlimited` (service), 1 (batch) */
  readonly attempts?: number;
  /** The window in which `attempts` are counted; at least 15s. @default "24h" (batch) */
  readonly interval?: DurationInput;
  /** The first delay before a reschedule; at least 5s. @default "30s" (service), "5s" (batch) */
  readonly delay?: DurationInput;
  /** How the delay grows between reschedules. @default "exponential" (service), "constant" (batch) */
  readonly delayFunction?: RescheduleDelayFunction;
  /** The largest delay. @default "1h" (service) */
  readonly maxDelay?: DurationInput;
  /** Reschedule without limit. @default true (service), false (batch) */
  readonly unlimited?: boolean;
}

/** Renders the reschedule block as Nomad's `ReschedulePolicy`. */
export function renderReschedule(r: RescheduleProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (r === undefined) return undefined;
  return (
    block({
      Attempts: r.attempts,
      Interval: ctx.duration(r.interval, at, "interval"),
      Delay: ctx.duration(r.delay, at, "delay"),
      DelayFunction: r.delayFunction,
      MaxDelay: ctx.duration(r.maxDelay, at, "maxDelay"),
      Unlimited: r.unlimited,
    }) ?? {}
  );
}
