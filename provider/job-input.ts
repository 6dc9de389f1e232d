/**
 * The forms a `NomadJob`'s `job` input may take, and the conversion to the
 * one form the provider stores: a bare job object. Light on purpose (no
 * imports): both the resource (in the Pulumi program) and the provider
 * handlers use it.
 */
import { UNKNOWN } from "./props";

/** Anything with a drover DSL `Job`'s `toJson()` (lib/dsl `Job`), without importing lib/dsl. */
export interface JobConstructLike {
  /** The job as Nomad's API takes it, `{"Job": {...}}`. */
  toJson(): { Job: Record<string, unknown> };
}

/** A job as a `NomadJob` accepts it: a register request `{"Job": …}`, a bare job, or a drover DSL `Job`. */
export type JobInput = Record<string, unknown> | { Job: Record<string, unknown> } | JobConstructLike;

/** True for a drover DSL `Job` construct (anything with a `toJson()` method). */
export function isJobConstruct(v: unknown): v is JobConstructLike {
  return typeof v === "object" && v !== null && typeof (v as { toJson?: unknown }).toJson === "function";
}

/**
 * The bare job of `input`: a DSL `Job` is rendered with `toJson()`, a
 * register request `{"Job": …}` is unwrapped, a bare job is returned as is.
 * Anything else is returned unchanged (validation reports it).
 */
export function toBareJob(input: unknown): unknown {
  const v = isJobConstruct(input) ? input.toJson() : input;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, "Job"))
    return (v as { Job: unknown }).Job;
  return v;
}

/** True when Pulumi's unknown placeholder appears anywhere in `v` (a preview with values not yet known). */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}
