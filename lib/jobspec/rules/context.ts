/**
 * What every rule shares: a sink for problems and defensive readers. Rules
 * run on any input (even one that failed the schema), so they read values
 * through these helpers and only judge values of the right type.
 */
import type { JobProblem } from "../problem";
import { formatPath } from "../problem";
export { isObject as isObj } from "../../util/object";
import { isObject as isObj } from "../../util/object";

/** A JSON object as rules see it. */
export type Obj = Record<string, unknown>;
/** A location: segments from the job root (without the leading "Job"). */
export type Path = readonly (string | number)[];

/** Collects the problems and warnings of one validation. */
export class RuleContext {
  /** Errors found so far. */
  readonly problems: JobProblem[] = [];
  /** Warnings found so far. */
  readonly warnings: JobProblem[] = [];
  /** `path\0message` of every error recorded, to record each once. */
  private readonly seen = new Set<string>();

  /**
   * Records an error at `path` (relative to the job) found by `rule`. An
   * error identical to one already recorded (a policy inherited by several
   * groups from the job) is recorded once.
   */
  error(path: Path, rule: string, message: string): void {
    const segments = ["Job", ...path];
    const p = formatPath(segments);
    const key = `${p}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push({ path: p, segments, message, rule });
  }

  /** Records a warning at `path`. */
  warn(path: Path, rule: string, message: string): void {
    const segments = ["Job", ...path];
    this.warnings.push({ path: formatPath(segments), segments, message, rule });
  }
}

/** The object at `v`, or undefined. */
export function obj(v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined;
}
/** The objects of an array with their indexes (non-objects skipped). */
export function items(v: unknown): [Obj, number][] {
  if (!Array.isArray(v)) return [];
  const out: [Obj, number][] = [];
  v.forEach((x, i) => {
    if (isObj(x)) out.push([x, i]);
  });
  return out;
}
/** The string at `v`, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
/** The finite number at `v`, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
/** The strings of an array (others skipped). */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
/** A duration in nanoseconds as Go prints it, for messages. */
export function dur(ns: number): string {
  if (!Number.isSafeInteger(ns)) return `${ns}ns`;
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let u = Math.abs(ns);
  const parts: string[] = [];
  const h = Math.floor(u / 3.6e12);
  u -= h * 3.6e12;
  const m = Math.floor(u / 6e10);
  u -= m * 6e10;
  if (h) parts.push(`${h}h`);
  if (h || m) parts.push(`${m}m`);
  if (u || parts.length === 0) parts.push(`${u / 1e9}s`);
  else parts.push("0s");
  return (neg ? "-" : "") + parts.join("");
}

/**
 * True when `dest` (a path relative to a task directory) stays inside the
 * allocation directory, as Nomad's `escapingfs.PathEscapesAllocViaRelative`
 * checks: the task directory is one level below the allocation directory.
 */
export function staysInAllocDir(dest: string): boolean {
  const parts = ["alloc", "task"];
  for (const seg of dest.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      parts.pop();
      if (parts.length === 0) return false;
    } else parts.push(seg);
  }
  return parts.length >= 1 && parts[0] === "alloc";
}

/** A user string quoted for a message, shortened when long: `"abc"`, `"aaaa…" (1000002 characters)`. */
export function q(s: string): string {
  if (s.length <= 80) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, 60) + "…")} (${s.length} characters)`;
}
