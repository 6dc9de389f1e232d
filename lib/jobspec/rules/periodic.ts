/**
 * Cron specs and time zones of periodic jobs (`(*PeriodicConfig).Validate`,
 * which parses specs with github.com/hashicorp/cronexpr and zones with Go's
 * time.LoadLocation).
 */
import { CronExpressionParser } from "cron-parser";

/** The descriptors cronexpr accepts. */
const DESCRIPTORS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
/** A year field of a 6- or 7-field spec: `*`, a year, a range or a list, with steps. */
const YEAR_FIELD = /^(\*|\d{4}(-\d{4})?)(\/\d+)?(,(\*|\d{4}(-\d{4})?)(\/\d+)?)*$/;

/**
 * Why a cron spec does not parse, or undefined when it does. Like cronexpr:
 * 5 fields (minute hour day-of-month month day-of-week), 6 fields (the same
 * plus a year), 7 fields (seconds first, year last), or a descriptor such as
 * "@daily".
 */
export function cronSpecError(spec: string): string | undefined {
  const s = spec.trim();
  if (s.startsWith("@"))
    return DESCRIPTORS.has(s) ? undefined : `unknown descriptor ${JSON.stringify(s)} (use ${[...DESCRIPTORS].join(", ")})`;
  const fields = s.split(/\s+/);
  let expr: string;
  if (fields.length === 5) expr = fields.join(" ");
  else if (fields.length === 6) {
    if (!YEAR_FIELD.test(fields[5])) return `invalid year field ${JSON.stringify(fields[5])}`;
    expr = fields.slice(0, 5).join(" ");
  } else if (fields.length === 7) {
    if (!YEAR_FIELD.test(fields[6])) return `invalid year field ${JSON.stringify(fields[6])}`;
    expr = fields.slice(0, 6).join(" ");
  } else return `expected 5, 6 or 7 fields, got ${fields.length}`;
  try {
    CronExpressionParser.parse(expr);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const zoneCache = new Map<string, boolean>();

/** True when `tz` names a time zone Intl knows (IANA names, "UTC", "Local" as Go allows). */
export function isKnownTimeZone(tz: string): boolean {
  if (tz === "" || tz === "UTC" || tz === "Local") return true;
  const hit = zoneCache.get(tz);
  if (hit !== undefined) return hit;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    ok = true;
  } catch {
    ok = false;
  }
  if (zoneCache.size < 1000) zoneCache.set(tz, ok);
  return ok;
}
