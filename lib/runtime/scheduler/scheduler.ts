/**
 * The scheduler factory (Nomad's `NewScheduler` and `BuiltinSchedulers`).
 */
import { GenericScheduler } from "./generic-sched";
import type { Planner, Scheduler, SchedulerFactory, SchedulerOptions, SchedulerState } from "./interfaces";
import { SystemScheduler } from "./system-sched";

/** The scheduler types drover runs. */
export const BUILTIN_SCHEDULERS = ["service", "batch", "system", "sysbatch"] as const;

/** Builds the scheduler for an evaluation type; throws naming the type when it is unknown. */
export const newScheduler: SchedulerFactory = (
  type: string,
  state: SchedulerState,
  planner: Planner,
  options: SchedulerOptions,
): Scheduler => {
  switch (type) {
    case "service":
      return new GenericScheduler(state, planner, options, false);
    case "batch":
      return new GenericScheduler(state, planner, options, true);
    case "system":
      return new SystemScheduler(state, planner, options, false);
    case "sysbatch":
      return new SystemScheduler(state, planner, options, true);
    default:
      throw new Error(`unknown scheduler type ${JSON.stringify(type)}: expected one of ${BUILTIN_SCHEDULERS.join(", ")}`);
  }
};
