import { block, JsonObject } from "./json";

/**
 * The `periodic` block: runs the job on a cron schedule (batch jobs). Each
 * launch is a child job `<id>/periodic-<time>`.
 */
export interface PeriodicProps {
  /** A cron expression, e.g. `"0 3 * * *"` (5 fields, or 6 with seconds). Set this or `crons`. */
  readonly cron?: string;
  /** Several cron expressions; the job launches at the earliest next time of any of them. */
  readonly crons?: readonly string[];
  /** Skip a launch while the previous one is still running. @default false */
  readonly prohibitOverlap?: boolean;
  /** The IANA time zone the expressions are read in, e.g. `"Europe/Paris"`. @default "UTC" */
  readonly timeZone?: string;
  /** Whether the schedule is active. @default true */
  readonly enabled?: boolean;
}

/** Renders the periodic block as Nomad's `PeriodicConfig`. */
export function renderPeriodic(p: PeriodicProps | undefined): JsonObject | undefined {
  if (p === undefined) return undefined;
  return (
    block({
      Enabled: p.enabled,
      Spec: p.cron,
      Specs: p.crons ? [...p.crons] : undefined,
      SpecType: p.cron !== undefined || p.crons !== undefined ? "cron" : undefined,
      ProhibitOverlap: p.prohibitOverlap,
      TimeZone: p.timeZone,
    }) ?? {}
  );
}
