/**
 * Reschedule policy arithmetic (Nomad's `Allocation.NextDelay`,
 * `NextRescheduleTime` and the reconciler's `updateByReschedulable`).
 */
import type { Allocation } from "../../structs";
import type { ReschedulePolicyView } from "../job-view";

/** A failed allocation is rescheduled now when its time is within this window of now (`rescheduleWindowSize`, 1 s), in ns. */
export const RESCHEDULE_WINDOW_NS = 1e9;
/** Delayed reschedules are batched into one follow-up eval per window (`batchedFailedAllocWindowSize`, 5 s), in ns. */
export const BATCHED_FAILED_ALLOC_WINDOW_NS = 5e9;

/** The time of the allocation's last task finish in unix ns (its ModifyTime when no task reports one). */
function lastEventTime(a: Allocation): number {
  let last = 0;
  for (const k in a.TaskStates ?? {}) {
    const f = a.TaskStates![k].FinishedAt;
    if (f) {
      const t = Date.parse(f) * 1e6;
      if (Number.isFinite(t) && t > last) last = t;
    }
  }
  return last || a.ModifyTime;
}

/** The delay before the next reschedule (constant, exponential or fibonacci; capped at MaxDelay with Nomad's reset rule), in ns. */
export function nextDelay(a: Allocation, policy: ReschedulePolicyView): number {
  const base = policy.Delay ?? 0;
  const events = a.RescheduleTracker?.Events ?? [];
  const fn = policy.DelayFunction ?? "constant";
  if (events.length === 0 || fn === "constant") return base;
  const last = events[events.length - 1];
  let delay: number;
  if (fn === "exponential") delay = last.Delay * 2;
  else if (fn === "fibonacci") {
    if (events.length >= 2) {
      const n1 = last.Delay;
      const n2 = events[events.length - 2].Delay;
      delay = n2 === policy.MaxDelay && n1 === base ? n1 : n1 + n2;
    } else delay = base;
  } else return base;
  const max = policy.MaxDelay ?? 0;
  if (max > 0 && delay > max) {
    delay = max;
    if (lastEventTime(a) - last.RescheduleTime > delay) delay = base;
  }
  return delay;
}

/** When (unix ns) the allocation may be rescheduled, and whether it may be at all. */
export function nextRescheduleTime(
  a: Allocation,
  policy: ReschedulePolicyView | null | undefined,
  now: number,
): { time: number; eligible: boolean } {
  if (!policy) return { time: 0, eligible: false };
  const delay = nextDelay(a, policy);
  const time = lastEventTime(a) + delay;
  if (policy.Unlimited) return { time, eligible: true };
  const attempts = policy.Attempts ?? 0;
  const interval = policy.Interval ?? 0;
  if (attempts <= 0) return { time, eligible: false };
  const within = (a.RescheduleTracker?.Events ?? []).filter((e) => now - e.RescheduleTime < interval).length;
  return { time, eligible: within < attempts && delay < interval };
}
