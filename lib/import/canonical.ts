/**
 * The comparison the importer is held to: two jobs are the same when their
 * canonical forms (lib/jobspec's `canonicalize`, Nomad's register-time
 * defaults) are equal, map keys compared in any order.
 */
import { canonicalize } from "../jobspec";
import type { Job } from "../jobspec";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `api.Constraint` and `api.Affinity` hold `LTarget`/`RTarget` as plain Go
 * strings, so an empty string and an absent key are the same constraint to
 * Nomad; the DSL always writes both keys.
 */
function dropEmptyTargets(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) dropEmptyTargets(x);
    return;
  }
  if (!isObj(v)) return;
  if ("Operand" in v) {
    if (v.LTarget === "") delete v.LTarget;
    if (v.RTarget === "") delete v.RTarget;
  }
  for (const x of Object.values(v)) dropEmptyTargets(x);
}

/** JSON text with every object's keys sorted: equal for equal values whatever the key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** The canonical form of a bare job (not `{"Job": …}`) as a plain object. */
export function canonicalJob(job: Obj): Obj {
  const out = canonicalize(structuredClone(job) as unknown as Job) as unknown as Obj;
  dropEmptyTargets(out);
  return out;
}

/** The canonical form of a bare job as comparable text. */
export function canonicalText(job: Obj): string {
  return stableJson(canonicalJob(job));
}

/** One difference between two canonical jobs: a JSON path and the two values (undefined where absent). */
export interface JobDifference {
  /** The path, e.g. `TaskGroups[0].Tasks[1].KillTimeout`. */
  readonly path: string;
  /** The value in the source job's canonical form. */
  readonly source: unknown;
  /** The value in the generated program's canonical form. */
  readonly generated: unknown;
}

/** The differences between two values, leaf by leaf (at most `limit`). */
export function differences(a: unknown, b: unknown, path = "", limit = 20): JobDifference[] {
  const out: JobDifference[] = [];
  const walk = (x: unknown, y: unknown, p: string): void => {
    if (out.length >= limit) return;
    if (isObj(x) && isObj(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[k], y[k], p ? `${p}.${k}` : k);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      x.forEach((xi, i) => walk(xi, y[i], `${p}[${i}]`));
      return;
    }
    if (stableJson(x) !== stableJson(y)) out.push({ path: p, source: x, generated: y });
  };
  walk(a, b, path);
  return out;
}
