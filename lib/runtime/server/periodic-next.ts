/**
 * When a periodic job launches next (Nomad's `PeriodicConfig.Next` with
 * `CronParseNext`, which parse specs with github.com/hashicorp/cronexpr):
 * the earliest instant strictly after a given time that matches the spec,
 * or any of the specs, in the job's time zone.
 *
 * Field layouts follow cronexpr: 5 fields (minute hour day-of-month month
 * day-of-week), 6 fields (the same plus a year), 7 fields (seconds first,
 * year last), or a descriptor such as "@daily". So `*\/1 * * * * *` is every
 * minute of every year, not every second; a spec with seconds has 7 fields.
 * Time zones are IANA names (plus "UTC" and "Local"); the calendar work,
 * daylight-saving gaps and overlaps included, is cron-parser's.
 */
import { CronExpressionParser } from "cron-parser";

/** The periodic block fields that decide launch times (`api.PeriodicConfig`). */
export interface PeriodicTiming {
  Enabled?: boolean | null;
  Spec?: string | null;
  Specs?: readonly string[] | null;
  SpecType?: string | null;
  TimeZone?: string | null;
}

/** cronexpr's descriptors, as seconds-first 6-field cron-parser expressions. */
const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 0 1 1 *",
  "@annually": "0 0 0 1 1 *",
  "@monthly": "0 0 0 1 * *",
  "@weekly": "0 0 0 * * 0",
  "@daily": "0 0 0 * * *",
  "@midnight": "0 0 0 * * *",
  "@hourly": "0 0 * * * *",
};

/** The largest year cronexpr knows. */
const MAX_YEAR = 2099;

/** A spec split into a seconds-first cron-parser expression and a year test. */
interface ParsedSpec {
  expr: string;
  years: ((year: number) => boolean) | null;
}

function parseYearField(field: string): ((year: number) => boolean) | null {
  if (field === "*" || field === "?") return null;
  const parts = field.split(",").map((part) => {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo = 1970;
    let hi = MAX_YEAR;
    if (range !== "*") {
      const [a, b] = range.split("-");
      lo = Number(a);
      hi = b === undefined ? (stepText === undefined ? lo : MAX_YEAR) : Number(b);
    }
    if (![lo, hi, step].every(Number.isInteger) || step < 1) throw new Error(`invalid year field ${JSON.stringify(field)}`);
    return { lo, hi, step };
  });
  return (year) => parts.some((p) => year >= p.lo && year <= p.hi && (year - p.lo) % p.step === 0);
}

function parseSpec(spec: string): ParsedSpec {
  const s = spec.trim();
  if (s.startsWith("@")) {
    const expr = DESCRIPTORS[s];
    if (!expr) throw new Error(`failed parsing cron expression: ${JSON.stringify(spec)}: unknown descriptor`);
    return { expr, years: null };
  }
  const f = s.split(/\s+/);
  if (f.length === 5) return { expr: `0 ${f.join(" ")}`, years: null };
  if (f.length === 6) return { expr: `0 ${f.slice(0, 5).join(" ")}`, years: parseYearField(f[5]) };
  if (f.length === 7) return { expr: f.slice(0, 6).join(" "), years: parseYearField(f[6]) };
  throw new Error(`failed parsing cron expression: ${JSON.stringify(spec)}: expected 5, 6 or 7 fields, got ${f.length}`);
}

/** The zone option for cron-parser: undefined means the process's local zone (Go's "Local"). */
function zoneOf(timeZone: string | null | undefined): string | undefined {
  if (!timeZone || timeZone === "UTC") return "UTC";
  if (timeZone === "Local") return undefined;
  return timeZone;
}

/** The year of an instant in a zone. */
function yearIn(ms: number, tz: string | undefined): number {
  return Number(new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric" }).format(new Date(ms)));
}

/**
 * The first instant (unix ms) strictly after `fromMs` that matches one cron
 * spec in `timeZone`, or null when none is left (a year field in the past).
 * Throws with the spec named when it does not parse.
 */
export function cronNext(spec: string, fromMs: number, timeZone?: string | null): number | null {
  const { expr, years } = parseSpec(spec);
  const tz = zoneOf(timeZone);
  let interval;
  try {
    interval = CronExpressionParser.parse(expr, { currentDate: new Date(fromMs), tz });
  } catch (err) {
    throw new Error(`failed parsing cron expression: ${spec}: ${(err as Error).message}`);
  }
  // The year is not a cron-parser field: jump over whole years that do not match.
  let minYear = -Infinity;
  for (let guard = 0; guard < 100_000; guard++) {
    let next: number;
    try {
      next = interval.next().getTime();
    } catch {
      return null;
    }
    if (!years) return next;
    const y = yearIn(next, tz);
    if (y < minYear) continue;
    if (years(y)) return next;
    let want = y + 1;
    while (want <= MAX_YEAR && !years(want)) want++;
    if (want > MAX_YEAR) return null;
    minYear = want;
    // Restart shortly before that year begins in any zone (offsets are at most 14 hours).
    interval = CronExpressionParser.parse(expr, { currentDate: new Date(Date.UTC(want, 0, 1) - 15 * 3_600_000), tz });
  }
  return null;
}

/**
 * The next launch (unix ms) of a periodic block strictly after `fromMs`:
 * its Spec, or the earliest of its Specs (`PeriodicConfig.Next`). Null when
 * there is none. A SpecType other than "cron" never launches.
 */
export function periodicNext(p: PeriodicTiming, fromMs: number): number | null {
  if ((p.SpecType ?? "cron") !== "cron") return null;
  if (p.Spec) return cronNext(p.Spec, fromMs, p.TimeZone);
  let best: number | null = null;
  for (const spec of p.Specs ?? []) {
    const t = cronNext(spec, fromMs, p.TimeZone);
    if (t !== null && (best === null || t < best)) best = t;
  }
  return best;
}
