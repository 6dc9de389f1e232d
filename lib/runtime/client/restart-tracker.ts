/**
 * The client's restart policy (Nomad's `client/allocrunner/taskrunner/restarts`):
 * attempts counted within a window of `interval` that starts at the first
 * run, a delay with up to 25% jitter, and mode "fail" (give up) or "delay"
 * (wait for the window to end, then keep trying). Batch and sysbatch tasks,
 * ephemeral prestart/poststart tasks and poststop tasks are not restarted
 * after a successful exit; service tasks and sidecars are.
 */

/** Restart policy in milliseconds (`structs.RestartPolicy`). */
export interface RestartPolicyMs {
  /** Restarts allowed within the interval. */
  attempts: number;
  /** Length of the counting window, ms. */
  intervalMs: number;
  /** Base delay before a restart, ms. */
  delayMs: number;
  /** "fail" or "delay". */
  mode: string;
}

/** Nomad's restart reasons. */
export const RestartReasons = {
  noRestartsAllowed: "Policy allows no restarts",
  unrecoverable: "Error was unrecoverable",
  withinPolicy: "Restart within policy",
  delay: "Exceeded allowed attempts, applying a delay",
  successful: "Restart unnecessary as task terminated successfully",
} as const;

/** What to do after an exit or start failure. */
export type RestartDecision =
  /** Restart after `delayMs`. */
  | { kind: "restart"; delayMs: number; reason: string }
  /** Stop for good and fail the task. */
  | { kind: "fail"; reason: string }
  /** Done, successfully (no restart needed). */
  | { kind: "done"; reason: string };

/** Tracks restarts of one task. */
export class RestartTracker {
  private windowStartMs: number;
  private count = 0;

  /**
   * @param policy the task's restart policy
   * @param onSuccess restart after a successful exit too
   * @param nowMs clock
   * @param random jitter source in [0, 1)
   */
  constructor(
    private readonly policy: RestartPolicyMs,
    private readonly onSuccess: boolean,
    private readonly nowMs: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.windowStartMs = nowMs();
  }

  /** Whether a task restarts after a successful exit, per Nomad's rules (`NewRestartTracker`). */
  static restartsOnSuccess(jobType: string, hook: string, sidecar: boolean): boolean {
    if (hook === "prestart" || hook === "poststart") return sidecar;
    if (hook === "poststop") return false;
    return !(jobType === "batch" || jobType === "sysbatch");
  }

  /**
   * Decides after an exit (`success` tells whether it was successful) or a
   * start failure (`startError`: recoverable or not).
   */
  decide(outcome: { success: boolean } | { startError: { recoverable: boolean } }): RestartDecision {
    const success = "success" in outcome && outcome.success;
    if (this.policy.attempts === 0) {
      if (!this.onSuccess && success) return { kind: "done", reason: RestartReasons.successful };
      return { kind: "fail", reason: RestartReasons.noRestartsAllowed };
    }
    const now = this.nowMs();
    if (now > this.windowStartMs + this.policy.intervalMs) {
      this.count = 0;
      this.windowStartMs = now;
    }
    this.count++;
    if ("startError" in outcome) {
      if (!outcome.startError.recoverable) return { kind: "fail", reason: RestartReasons.unrecoverable };
    } else if (success && !this.onSuccess) {
      return { kind: "done", reason: RestartReasons.successful };
    }
    if (this.count > this.policy.attempts) {
      if (this.policy.mode === "fail") {
        return {
          kind: "fail",
          reason: `Exceeded allowed attempts ${this.policy.attempts} in interval ${goDuration(this.policy.intervalMs)} and mode is "fail"`,
        };
      }
      return { kind: "restart", delayMs: Math.max(0, this.windowStartMs + this.policy.intervalMs - now), reason: RestartReasons.delay };
    }
    const d = Math.max(this.policy.delayMs, 1e-6);
    return { kind: "restart", delayMs: d + Math.floor(this.random() * d) * 0.25, reason: RestartReasons.withinPolicy };
  }
}

/** Formats milliseconds as Go's `time.Duration.String` does ("1m0s", "15s", "250ms", "1.5s"). */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const ns = Math.round(ms * 1e6);
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  let s = ns / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = trim(Math.round(s * 1e9) / 1e9);
  if (h) return `${h}h${m}m${sec}s`;
  if (m) return `${m}m${sec}s`;
  return `${sec}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
