/**
 * The comparison the importer is held to: two jobs are the same when their
 * canonical forms (lib/jobspec's `canonicalize`, Nomad's register-time
 * defaults) are equal, map keys compared in any order, and a field holding
 * Go's zero value the same as an absent one.
 */
import { canonicalize } from "../jobspec";
import type { Job } from "../jobspec";
import { isObject as isObj } from "../util/object";
import { OPAQUE_KEYS } from "./opaque-keys";

type Obj = Record<string, unknown>;

/**
 * A copy without the fields holding Go's zero value (`""`, `0`, `false`) after
 * canonicalization. Nomad's servers store jobs as Go structs without
 * pointers, so a zero value and an absent field are the same job wherever
 * no default is filled in (`nomad job run -output` writes every field, most
 * of them zero); where a default is filled in, the canonical form holds the
 * default instead and the difference stays visible.
 */
function withoutZeroValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutZeroValues);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === "" || x === 0 || x === false) continue;
    // defineProperty: a map key such as "__proto__" stays a plain key.
    Object.defineProperty(out, k, {
      value: OPAQUE_KEYS.has(k) ? x : withoutZeroValues(x),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
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
  // A new object: canonicalize's result may hold its default blocks, which must not be changed.
  // The source was read as plain JSON; canonicalize takes any job-shaped object and validates nothing it relies on.
  return withoutZeroValues(canonicalize(job as unknown as Job)) as Obj;
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
