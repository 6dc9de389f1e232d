/**
 * Deterministic JSON of a job: the same job always gives the same bytes, so
 * that synthesized files diff cleanly and `synth --check` can compare them.
 */
import type { BlockModel, FieldKind } from "./model";
import { JOB_MODEL } from "./model";
import type { Job } from "./types.generated";
import { isObject as isObj } from "../util/object";

type Obj = Record<string, unknown>;

/**
 * Sets an own property, also for the key "__proto__" (which JSON.parse
 * creates as an ordinary key and plain assignment would turn into a
 * prototype change).
 */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** An open JSON value with object keys sorted at every level; nulls inside it are kept (they are the driver's business). */
function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort(byCodePoint)) if (v[k] !== undefined) setOwn(out, k, sortDeep(v[k]));
    return out;
  }
  return v;
}

function orderField(value: unknown, kind: FieldKind | undefined): unknown {
  if (!kind) return sortDeep(value);
  switch (kind.kind) {
    case "scalar":
    case "scalarList":
      return value;
    case "block":
      return isObj(value) ? orderBlock(value, kind.block) : value;
    case "list":
      return Array.isArray(value) ? value.map((x) => (isObj(x) ? orderBlock(x, kind.block) : x)) : value;
    case "map": {
      if (!isObj(value)) return value;
      const out: Obj = {};
      for (const k of Object.keys(value).sort(byCodePoint)) {
        const x = value[k];
        if (x !== null && x !== undefined) setOwn(out, k, isObj(x) ? orderBlock(x, kind.block) : x);
      }
      return out;
    }
    case "scalarMap":
    case "opaqueList":
    case "opaque":
      return sortDeep(value);
  }
}

/** A copy of a block with its keys in model order, unknown keys after them (sorted), nulls dropped. */
function orderBlock(o: Obj, model: BlockModel): Obj {
  const out: Obj = {};
  for (const key of model.keys) {
    const v = o[key];
    if (v !== null && v !== undefined) out[key] = orderField(v, model.fields.get(key));
  }
  const extra = Object.keys(o).filter((k) => !model.fields.has(k));
  if (extra.length > 0) for (const k of extra.sort(byCodePoint)) if (o[k] !== null && o[k] !== undefined) setOwn(out, k, sortDeep(o[k]));
  return out;
}

/**
 * Returns a copy of `job` with every block's keys in the schema's declared
 * order, which is the field order of Nomad's api structs (`api/jobs.go`,
 * `api/tasks.go`, ...; the order `nomad job run -output` prints). Map keys
 * (Meta, Env, Config and everything inside it, Volumes, ...) are sorted by
 * code point. `null` and `undefined` fields are omitted. The input is not
 * modified.
 */
export function orderJobKeys(job: Job): Job {
  return orderBlock(job as Obj, JOB_MODEL) as Job;
}

/** Options of formatJobJson. */
export interface FormatJobJsonOptions {
  /** Wrap the job as `{"Job": ...}`, the register request body. Default true. */
  wrap?: boolean;
}

/**
 * The job as deterministic JSON text: keys in Nomad's api struct order (see
 * orderJobKeys), map keys sorted, nulls omitted, two-space indentation and a
 * trailing newline. By default the job is wrapped as `{"Job": ...}`.
 */
export function formatJobJson(job: Job, opts: FormatJobJsonOptions = {}): string {
  const ordered = orderJobKeys(job);
  const body = opts.wrap === false ? ordered : { Job: ordered };
  return JSON.stringify(body, null, 2) + "\n";
}
