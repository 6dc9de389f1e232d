/**
 * Comparing job specs as Nomad's `Job.SpecChanged` does: two jobs have the
 * same spec when they are equal after ignoring the fields the servers own.
 */
import type { StoredJob } from "../structs";

/** Fields the servers own; they never make a spec "changed" (`structs.Job.SpecChanged`). */
export const SERVER_OWNED_JOB_FIELDS = [
  "Version",
  "Status",
  "StatusDescription",
  "Stable",
  "SubmitTime",
  "CreateIndex",
  "ModifyIndex",
  "JobModifyIndex",
  "NomadTokenID",
  "VaultToken",
  "ConsulToken",
] as const;

/** JSON with object keys sorted, so that key order never matters. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val && typeof val === "object" && !Array.isArray(val)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(val as object).sort()) sorted[k] = (val as Record<string, unknown>)[k];
      return sorted;
    }
    return val;
  });
}

/** The spec part of a job (server-owned fields removed, nulls dropped). */
export function jobSpec(job: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(job)) {
    if ((SERVER_OWNED_JOB_FIELDS as readonly string[]).includes(k) || v === null || v === undefined) continue;
    out[k] = v;
  }
  return out;
}

/** True when `next` differs from `existing` in anything but server-owned fields. */
export function specChanged(existing: StoredJob, next: Record<string, unknown>): boolean {
  return canonicalJson(jobSpec(existing)) !== canonicalJson(jobSpec(next));
}
