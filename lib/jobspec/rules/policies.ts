/**
 * Rules of the lifecycle policies (`nomad/structs/structs.go`
 * (*RestartPolicy).Validate, (*ReschedulePolicy).Validate,
 * (*UpdateStrategy).Validate, (*MigrateStrategy).Validate). They judge
 * canonicalized policies (every field set), as the server does.
 */
import { RESCHEDULE_DELAY_FUNCTIONS } from "../constants";
import { NS_PER } from "../duration";
import type { Obj, Path, RuleContext } from "./context";
import { dur, num, q, str } from "./context";

/** structs.RestartPolicyMinInterval */
const RESTART_MIN_INTERVAL = 5 * NS_PER.s;
/** structs.ReschedulePolicyMinDelay */
const RESCHEDULE_MIN_DELAY = 5 * NS_PER.s;
/** structs.ReschedulePolicyMinInterval */
const RESCHEDULE_MIN_INTERVAL = 15 * NS_PER.s;

/** `(*RestartPolicy).Validate`. */
export function checkRestartPolicy(ctx: RuleContext, r: Obj, path: Path): void {
  const mode = str(r.Mode);
  const attempts = num(r.Attempts);
  const interval = num(r.Interval);
  const delay = num(r.Delay);
  if (attempts !== undefined && attempts < 0)
    ctx.error([...path, "Attempts"], "restart.attempts.negative", `attempts must not be negative (got ${attempts})`);
  // "Restart policy %q with %d attempts is ambiguous"
  if (attempts === 0 && mode !== undefined && mode !== "fail")
    ctx.error([...path, "Mode"], "restart.mode.ambiguous", `restart policy ${q(mode)} with 0 attempts is ambiguous; use mode "fail"`);
  // "Interval can not be less than %v (got %v)"
  if (interval !== undefined && interval < RESTART_MIN_INTERVAL)
    ctx.error([...path, "Interval"], "restart.interval.min", `Interval can not be less than 5s (got ${dur(interval)})`);
  // "Nomad can't restart the TaskGroup %v times in an interval of %v with a delay of %v"
  if (attempts !== undefined && delay !== undefined && interval !== undefined && attempts * delay > interval)
    ctx.error(
      [...path, "Delay"],
      "restart.delay.interval",
      `Nomad can't restart ${attempts} times in an interval of ${dur(interval)} with a delay of ${dur(delay)} (Attempts × Delay must not exceed Interval)`,
    );
}

/**
 * `(*ReschedulePolicy).Validate` (only when enabled: Attempts > 0 or Unlimited), with Nomad's texts; one deliberate
 * difference: "Max Delay cannot be less than 5s" reports the MaxDelay it judged (Nomad prints the Delay there).
 */
export function checkReschedulePolicy(ctx: RuleContext, r: Obj, path: Path): void {
  const attempts = num(r.Attempts) ?? 0;
  const unlimited = r.Unlimited === true;
  if (attempts < 0) ctx.error([...path, "Attempts"], "reschedule.attempts.negative", `attempts must not be negative (got ${attempts})`);
  if (!(attempts > 0 || unlimited)) return;
  const interval = num(r.Interval) ?? 0;
  const delay = num(r.Delay) ?? 0;
  const maxDelay = num(r.MaxDelay) ?? 0;
  const fn = str(r.DelayFunction) ?? "";
  if (attempts > 0 && unlimited)
    ctx.error([...path, "Unlimited"], "reschedule.unlimited.attempts", "If Attempts >0, Unlimited cannot also be set to true");
  if (attempts > 0 && interval <= 0)
    ctx.error([...path, "Interval"], "reschedule.interval.required", "Interval must be a non zero value if Attempts > 0");
  if (delay < RESCHEDULE_MIN_DELAY)
    ctx.error([...path, "Delay"], "reschedule.delay.min", `Delay cannot be less than 5s (got ${dur(delay)})`);
  if (!(RESCHEDULE_DELAY_FUNCTIONS as readonly string[]).includes(fn))
    ctx.error(
      [...path, "DelayFunction"],
      "reschedule.delay-function",
      `Invalid delay function ${q(fn)}, must be one of [${RESCHEDULE_DELAY_FUNCTIONS.map((f) => q(f)).join(" ")}]`,
    );
  else if (fn !== "constant") {
    if (maxDelay < RESCHEDULE_MIN_DELAY)
      ctx.error([...path, "MaxDelay"], "reschedule.max-delay.min", `Max Delay cannot be less than 5s (got ${dur(maxDelay)})`);
    else if (maxDelay < delay)
      ctx.error(
        [...path, "MaxDelay"],
        "reschedule.max-delay.delay",
        `Max Delay cannot be less than Delay ${dur(delay)} (got ${dur(maxDelay)})`,
      );
  }
  if (!unlimited && interval > 0 && interval < RESCHEDULE_MIN_INTERVAL)
    ctx.error([...path, "Interval"], "reschedule.interval.min", `Interval cannot be less than 15s (got ${dur(interval)})`);
}

/** `(*UpdateStrategy).Validate`. */
export function checkUpdateStrategy(ctx: RuleContext, u: Obj, path: Path): void {
  const maxParallel = num(u.MaxParallel);
  const canary = num(u.Canary);
  const minHealthy = num(u.MinHealthyTime);
  const healthy = num(u.HealthyDeadline);
  const progress = num(u.ProgressDeadline);
  const stagger = num(u.Stagger);
  if (maxParallel !== undefined && maxParallel < 0)
    ctx.error([...path, "MaxParallel"], "update.max-parallel.negative", `max parallel can not be less than zero (got ${maxParallel})`);
  if (canary !== undefined && canary < 0)
    ctx.error([...path, "Canary"], "update.canary.negative", `canary count can not be less than zero (got ${canary})`);
  if (canary === 0 && u.AutoPromote === true)
    ctx.error([...path, "AutoPromote"], "update.auto-promote.canary", "auto promote requires a Canary count greater than zero");
  if (healthy !== undefined && healthy <= 0)
    ctx.error(
      [...path, "HealthyDeadline"],
      "update.healthy-deadline.positive",
      `healthy deadline must be greater than zero (got ${dur(healthy)})`,
    );
  if (minHealthy !== undefined && healthy !== undefined && minHealthy >= healthy)
    ctx.error(
      [...path, "MinHealthyTime"],
      "update.min-healthy-time.deadline",
      `minimum healthy time (${dur(minHealthy)}) must be less than the healthy deadline (${dur(healthy)})`,
    );
  if (progress !== undefined && progress !== 0 && healthy !== undefined && healthy >= progress)
    ctx.error(
      [...path, "ProgressDeadline"],
      "update.progress-deadline.healthy",
      `healthy deadline (${dur(healthy)}) must be less than the progress deadline (${dur(progress)}), or set the progress deadline to 0`,
    );
  if (stagger !== undefined && stagger <= 0)
    ctx.error([...path, "Stagger"], "update.stagger.positive", `stagger must be greater than zero (got ${dur(stagger)})`);
}

/** `(*MigrateStrategy).Validate`. */
export function checkMigrateStrategy(ctx: RuleContext, m: Obj, path: Path): void {
  const maxParallel = num(m.MaxParallel);
  if (maxParallel !== undefined && maxParallel < 0)
    ctx.error([...path, "MaxParallel"], "migrate.max-parallel.negative", `MaxParallel must be >= 0 (got ${maxParallel})`);
  if (m.HealthCheck === "" && (maxParallel ?? 0) > 0)
    ctx.error([...path, "HealthCheck"], "migrate.health-check.required", 'missing HealthCheck: "checks" or "task_states"');
  const minHealthy = num(m.MinHealthyTime);
  const healthy = num(m.HealthyDeadline);
  if (minHealthy !== undefined && healthy !== undefined && minHealthy > healthy)
    ctx.error(
      [...path, "MinHealthyTime"],
      "migrate.min-healthy-time.deadline",
      `MinHealthyTime (${dur(minHealthy)}) must be less than HealthyDeadline (${dur(healthy)})`,
    );
}
