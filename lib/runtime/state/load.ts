/**
 * Loading a persisted store: every row read back into its table, allocations
 * joined again to the job versions they run, and the derived state (usage
 * tallies, children counts) rebuilt.
 */
import type {
  ACLBootstrap,
  ACLPolicy,
  ACLRole,
  Allocation,
  Namespace,
  StoredACLToken,
  Deployment,
  Evaluation,
  JobSummary,
  Node,
  NodePool,
  SchedulerConfiguration,
  ScalingPolicy,
  ServiceRegistration,
  StoredJob,
  VariableEncrypted,
} from "../structs";
import type { PersistedAlloc } from "./allocs";
import type { PersistedCurrentJob } from "./jobs";
import { trimVersions } from "./jobs";
import { applyAlloc } from "./allocs";
import type { PersistedRows } from "./persistence";
import { nsKey, versionKey, type JobScalingEvents, type PeriodicLaunch } from "./schema";
import type { StoreParts } from "./txn";

/** A placeholder job for an allocation whose version was purged (only terminal allocations can be in that state). */
function orphanJob(ref: { Namespace: string; ID: string; Version: number }): StoredJob {
  return {
    ID: ref.ID,
    Namespace: ref.Namespace,
    Version: ref.Version,
    Type: "service",
    Status: "dead",
    StatusDescription: "",
    Stable: false,
    SubmitTime: 0,
    CreateIndex: 0,
    ModifyIndex: 0,
    JobModifyIndex: 0,
    TaskGroups: [],
  };
}

/** Fills empty tables from persisted rows. */
export function loadRows(parts: StoreParts, rows: PersistedRows): void {
  const { tables: t, usage, nodeList, summaries } = parts;
  const parse = <T>(table: string): T[] => (rows.tables.get(table) ?? []).map((r) => JSON.parse(r.body) as T);
  for (const v of parse<StoredJob>("job_version")) t.job_version.put(v);
  for (const row of parse<PersistedCurrentJob>("jobs")) {
    const version = t.job_version.get(versionKey(row.Namespace, row.ID, row.Version));
    if (!version) continue; // cannot happen: both rows are written in the same batch
    Object.assign(version, row);
    t.jobs.put(version);
    summaries.noteChild(version);
  }
  for (const l of parse<PeriodicLaunch>("periodic_launch")) t.periodic_launch.put(l);
  for (const s of parse<JobSummary>("job_summary")) t.job_summary.put(s);
  for (const n of parse<Node>("nodes")) nodeList.apply(t, usage, n);
  for (const p of parse<NodePool>("node_pools")) t.node_pools.put(p);
  for (const e of parse<Evaluation>("evals")) {
    t.evals.put(e);
    summaries.noteEval(e);
  }
  for (const d of parse<Deployment>("deployment")) t.deployment.put(d);
  const loadedAllocs = parse<PersistedAlloc>("allocs").sort((a, b) => a.CreateIndex - b.CreateIndex);
  for (const pa of loadedAllocs) {
    const ref = pa.Job;
    const job =
      t.job_version.get(versionKey(ref.Namespace, ref.ID, ref.Version)) ?? t.jobs.get(nsKey(ref.Namespace, ref.ID)) ?? orphanJob(ref);
    const a: Allocation = { ...pa, Job: job };
    applyAlloc(t, usage, a);
  }
  // Versions kept only for live allocations are reachable through those allocations, not listed.
  for (const key of [...t.job_version.index("job").keys()]) {
    const newest = t.job_version.index("job").get(key)[0];
    trimVersions(t, newest.Namespace, newest.ID);
  }
  for (const c of parse<SchedulerConfiguration>("scheduler_config")) t.scheduler_config.put(c);
  for (const s of parse<JobScalingEvents>("scaling_event")) t.scaling_event.put(s);
  for (const p of parse<ScalingPolicy>("scaling_policy")) t.scaling_policy.put(p);
  for (const p of parse<ACLPolicy>("acl_policy")) t.acl_policy.put(p);
  for (const tok of parse<StoredACLToken>("acl_token")) t.acl_token.put(tok);
  for (const r of parse<ACLRole>("acl_role")) t.acl_role.put(r);
  for (const b of parse<ACLBootstrap>("acl_bootstrap")) t.acl_bootstrap.put(b);
  for (const n of parse<Namespace>("namespaces")) t.namespaces.put(n);
  for (const v of parse<VariableEncrypted>("variables")) t.variables.put(v);
  for (const r of parse<ServiceRegistration>("service_registrations")) t.service_registrations.put(r);
}
