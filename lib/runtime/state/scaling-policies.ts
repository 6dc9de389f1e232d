/**
 * Scaling policies (Nomad's `state_store.go` scaling policy functions): kept
 * in step with each job write (`updateJobScalingPolicies`), removed with the
 * job's purge (`deleteJobScalingPolicies`), read by ID, job, namespace and
 * type.
 */
import { jobScalingPolicies, scalingPolicyJobKey, type ScalingPolicy, type StoredJob } from "../structs";
import { nsKey, type StateTables } from "./schema";

/** What one job write did to the scaling policy table. */
export interface ScalingPolicyChanges {
  /** Policies written (new or changed). */
  upserted: ScalingPolicy[];
  /** IDs of policies removed. */
  deleted: string[];
}

/**
 * Brings a job's policies in step with `job` at `index`: policies whose type
 * and group left the job are deleted; new ones are inserted, changed ones
 * replaced (keeping ID and CreateIndex); unchanged ones are left as they are
 * (their ModifyIndex does not move), as `UpsertScalingPoliciesTxn` does.
 * Returns what was written.
 */
export function applyJobScalingPolicies(t: StateTables, job: StoredJob, index: number): ScalingPolicyChanges {
  // A periodic launch or dispatch is a copy of its parent: in Nomad its blocks keep the parent's IDs and target, so
  // the upsert finds the parent's unchanged policies and writes nothing. The children have no policies of their own.
  if (job.ParentID) return { upserted: [], deleted: [] };
  const wanted = jobScalingPolicies(job);
  const keys = new Set(wanted.map(scalingPolicyJobKey));
  const out: ScalingPolicyChanges = { upserted: [], deleted: [] };
  const current = t.scaling_policy.index("job").get(nsKey(job.Namespace, job.ID));
  for (const old of [...current]) {
    if (keys.has(scalingPolicyJobKey(old))) continue;
    t.scaling_policy.delete(old.ID);
    out.deleted.push(old.ID);
  }
  for (const p of wanted) {
    const existing = current.find((o) => scalingPolicyJobKey(o) === scalingPolicyJobKey(p) && t.scaling_policy.has(o.ID));
    if (existing) {
      if (samePolicy(existing, p)) continue;
      p.ID = existing.ID;
      p.CreateIndex = existing.CreateIndex;
    } else p.CreateIndex = index;
    p.ModifyIndex = index;
    t.scaling_policy.put(p);
    out.upserted.push(p);
  }
  return out;
}

/** Removes every policy of a job; returns their IDs. */
export function applyJobScalingPoliciesPurge(t: StateTables, namespace: string, jobID: string): string[] {
  const ids = t.scaling_policy
    .index("job")
    .get(nsKey(namespace, jobID))
    .map((p) => p.ID);
  for (const id of ids) t.scaling_policy.delete(id);
  return ids;
}

/** `ScalingPolicy.Diff`: equal apart from the ID and the indexes. */
function samePolicy(a: ScalingPolicy, b: ScalingPolicy): boolean {
  const strip = (p: ScalingPolicy) => JSON.stringify({ ...p, ID: "", CreateIndex: 0, ModifyIndex: 0 });
  return strip(a) === strip(b);
}

/** What a policy list asks for (`ScalingPolicyListRequest`). */
export interface ScalingPolicyQuery {
  /** Namespace, or "*" for every namespace. */
  namespace: string;
  /** Only this job's policies (ignored for "*", as Nomad ignores it there). */
  job?: string;
  /** Only policies of this type (a prefix, except for a job's list, where it is matched exactly, as in Nomad). */
  type?: string;
  /** Only IDs starting with this. */
  prefix?: string;
}

/**
 * The policies a list returns, in Nomad's order: by target (namespace, job,
 * group) within a namespace, by ID across every namespace.
 */
export function scalingPoliciesMatching(t: StateTables, q: ScalingPolicyQuery): ScalingPolicy[] {
  const all = [...t.scaling_policy.values()];
  let out: ScalingPolicy[];
  if (q.namespace === "*") {
    out = all.filter((p) => (!q.type || p.Type.startsWith(q.type)) && (!q.prefix || p.ID.startsWith(q.prefix)));
    return out.sort((a, b) => cmp(a.ID, b.ID));
  }
  if (q.prefix) out = all.filter((p) => p.Target.Namespace === q.namespace && p.ID.startsWith(q.prefix!));
  else if (q.job) out = all.filter((p) => p.Target.Namespace === q.namespace && p.Target.Job === q.job && (!q.type || p.Type === q.type));
  else out = all.filter((p) => p.Target.Namespace === q.namespace && (!q.type || p.Type.startsWith(q.type)));
  const target = (p: ScalingPolicy) => `${p.Target.Namespace}\u0000${p.Target.Job}\u0000${p.Target.Group}\u0000${p.Target.Task ?? ""}`;
  return q.prefix ? out.sort((a, b) => cmp(a.ID, b.ID)) : out.sort((a, b) => cmp(target(a), target(b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
