/**
 * The write transaction of the state store: everything written through one
 * gets its index, is visible at once, and is persisted together. At commit
 * it applies the derived updates (job summaries and job status), as Nomad's
 * state store does on every allocation and evaluation write.
 */
import type {
  ACLPolicy,
  ACLRole,
  Allocation,
  Deployment,
  Evaluation,
  JobSummary,
  Namespace,
  Node,
  NodePool,
  SchedulerConfiguration,
  ServiceRegistration,
  StoredACLToken,
  StoredJob,
  VariableEncrypted,
} from "../structs";
import { allocTerminal, implicitNodePool } from "../structs";
import type { PendingRow } from "./commit-queue";
import { deploymentWithAlloc } from "./deployments";
import { currentJobRow } from "./jobs";
import { nsKey, SCHEDULER_CONFIG_ID, versionKey, type PeriodicLaunch, type ScalingEvent, type StateTables, type TableName } from "./schema";
import { applyAlloc, applyAllocDelete } from "./allocs";
import { applyJob, applyJobPurge } from "./jobs";
import type { NodeUsageTallies } from "./node-usage";
import type { NodeList } from "./nodes";
import { applyScalingEvent } from "./scaling-events";
import { applyJobScalingPolicies, applyJobScalingPoliciesPurge } from "./scaling-policies";
import type { StateStore } from "./store";
import type { JobSummaries } from "./summaries";

/** @internal The store's tables and derived state, as its transactions write them. */
export interface StoreParts {
  /** The tables. */
  tables: StateTables;
  /** Node usage tallies. */
  usage: NodeUsageTallies;
  /** The sorted node list. */
  nodeList: NodeList;
  /** Job summaries and status. */
  summaries: JobSummaries;
}

/** What one committed transaction touched, for subscribers. */
export interface CommittedChange {
  /** The transaction's index. */
  index: number;
  /** Tables it wrote. */
  tables: ReadonlySet<TableName>;
  /** Allocations it wrote (new versions). */
  allocs: readonly Allocation[];
  /** Nodes it wrote. */
  nodes: readonly Node[];
  /** Evaluations it wrote. */
  evals: readonly Evaluation[];
  /** True for a snapshot restore, which replaced every table at once (`allocs`, `nodes` and `evals` are then empty: read the store). */
  restored?: boolean;
}

/**
 * One write transaction: everything written through it gets its index, is
 * visible at once, and is persisted together.
 */
export class StateTxn {
  /** The index this transaction writes at. */
  readonly index: number;
  /** @internal Tables written. */
  readonly changed = new Set<TableName>();
  /** @internal Rows to persist. */
  readonly ops: PendingRow[] = [];
  /** @internal */
  readonly touchedAllocs: Allocation[] = [];
  /** @internal */
  readonly touchedNodes: Node[] = [];
  /** @internal */
  readonly touchedEvals: Evaluation[] = [];
  private readonly touchedJobs = new Map<string, { ns: string; id: string }>();
  /** Parents whose children were purged in this transaction. */
  private readonly purgedChildren: { ns: string; id: string; parentID: string }[] = [];
  private done = false;

  /** @internal Use `StateStore.begin()`. */
  constructor(
    private readonly store: StateStore,
    private readonly parts: StoreParts,
    index: number,
    private readonly persist: boolean,
  ) {
    this.index = index;
  }

  /** Records a row write (only when the store persists; serialized when its batch goes out). */
  private row(table: string, id: string, value: unknown): void {
    if (this.persist) this.ops.push({ table, id, value });
  }

  /**
   * Stores a job. With `asNewVersion` the job is a new version (its
   * `Version` must already be set) and the version table keeps it; otherwise
   * it replaces the current version in place (status changes, Stop).
   */
  putJob(job: StoredJob, asNewVersion: boolean): void {
    job.ModifyIndex = this.index;
    applyJob(this.parts.tables, job, asNewVersion);
    this.changed.add("jobs");
    this.changed.add("job_version");
    this.row("jobs", nsKey(job.Namespace, job.ID), currentJobRow(job));
    this.row("job_version", versionKey(job.Namespace, job.ID, job.Version), job);
    this.syncScalingPolicies(job);
    if (asNewVersion && this.persist) {
      // Versions beyond the tracked six leave the table, except those that live allocations still run.
      const kept = new Set(this.store.jobVersions(job.Namespace, job.ID).map((v) => v.Version));
      for (const a of this.store.allocsByJob(job.Namespace, job.ID)) if (!allocTerminal(a)) kept.add(a.Job.Version);
      for (let v = job.Version - 1; v >= 0 && v >= job.Version - 20; v--)
        if (!kept.has(v)) this.row("job_version", versionKey(job.Namespace, job.ID, v), null);
    }
    this.touchJob(job.Namespace, job.ID);
  }

  /** Deletes a job with its versions, summary and scaling events (deregister with purge). */
  purgeJob(namespace: string, id: string): void {
    const parentID = this.store.jobByID(namespace, id)?.ParentID;
    if (parentID) this.purgedChildren.push({ ns: namespace, id, parentID });
    const hadLaunch = this.store.periodicLaunch(namespace, id) !== undefined;
    const versions = applyJobPurge(this.parts.tables, namespace, id);
    this.parts.summaries.forgetJob(namespace, id);
    if (hadLaunch) {
      this.changed.add("periodic_launch");
      this.row("periodic_launch", nsKey(namespace, id), null);
    }
    this.changed.add("jobs");
    this.changed.add("job_version");
    this.changed.add("job_summary");
    const key = nsKey(namespace, id);
    this.row("jobs", key, null);
    this.row("job_summary", key, null);
    this.row("scaling_event", key, null);
    for (const v of versions) this.row("job_version", versionKey(namespace, id, v.Version), null);
    const policies = applyJobScalingPoliciesPurge(this.parts.tables, namespace, id);
    if (policies.length > 0) this.changed.add("scaling_policy");
    for (const p of policies) this.row("scaling_policy", p, null);
    this.touchedJobs.delete(key);
  }

  /** Keeps the job's scaling policies in step with its groups' scaling blocks (`updateJobScalingPolicies`). */
  private syncScalingPolicies(job: StoredJob): void {
    const { upserted, deleted } = applyJobScalingPolicies(this.parts.tables, job, this.index);
    if (upserted.length === 0 && deleted.length === 0) return;
    this.changed.add("scaling_policy");
    for (const p of upserted) this.row("scaling_policy", p.ID, p);
    for (const id of deleted) this.row("scaling_policy", id, null);
  }

  /** Creates or updates an evaluation (sets CreateIndex on first write, ModifyIndex always). */
  putEval(e: Evaluation): void {
    if (!this.store.evalByID(e.ID) || e.CreateIndex === 0) e.CreateIndex = this.store.evalByID(e.ID)?.CreateIndex ?? this.index;
    e.ModifyIndex = this.index;
    this.parts.tables.evals.put(e);
    this.parts.summaries.noteEval(e);
    this.changed.add("evals");
    this.row("evals", e.ID, e);
    this.touchedEvals.push(e);
    if (e.JobID) this.touchJob(e.Namespace, e.JobID);
  }

  /**
   * Creates or updates an allocation. A new allocation gets CreateIndex and
   * AllocModifyIndex; `serverChange` (desired status/transition changes)
   * moves AllocModifyIndex; ModifyIndex always moves.
   */
  putAlloc(a: Allocation, serverChange = true): void {
    const existing = this.store.allocByID(a.ID);
    if (!existing) {
      a.CreateIndex = this.index;
      a.AllocModifyIndex = this.index;
    } else {
      a.CreateIndex = existing.CreateIndex;
      a.AllocModifyIndex = serverChange ? this.index : existing.AllocModifyIndex;
    }
    a.ModifyIndex = this.index;
    this.trackDeployment(existing, a);
    applyAlloc(this.parts.tables, this.parts.usage, a);
    this.changed.add("allocs");
    this.row("allocs", a.ID, a);
    this.touchedAllocs.push(a);
    this.touchJob(a.Namespace, a.JobID);
  }

  /**
   * Keeps the deployment's counters in step with its allocations, as
   * Nomad's state store does (`updateDeploymentWithAlloc`): a new allocation
   * counts as placed, a health decision as healthy or unhealthy.
   */
  private trackDeployment(existing: Allocation | undefined, a: Allocation): void {
    if (!a.DeploymentID) return;
    const d = this.store.deploymentByID(a.DeploymentID);
    const moved = d ? deploymentWithAlloc(d, existing, a) : null;
    if (!moved) return;
    this.putDeployment(moved.next);
    if (a.DeploymentStatus && moved.healthChanged) a.DeploymentStatus = { ...a.DeploymentStatus, ModifyIndex: this.index };
  }

  /** Marks a stored job version stable (its deployment succeeded). */
  markJobStable(namespace: string, id: string, version: number): void {
    const v = this.store.jobByVersion(namespace, id, version);
    if (!v || v.Stable) return;
    v.Stable = true;
    this.changed.add("job_version");
    this.row("job_version", versionKey(namespace, id, version), v);
    const current = this.store.jobByID(namespace, id);
    if (current && current.Version === version) {
      current.Stable = true;
      this.changed.add("jobs");
      this.row("jobs", nsKey(namespace, id), currentJobRow(current));
    }
  }

  /** Creates or updates a node. */
  putNode(n: Node): void {
    const existing = this.store.nodeByID(n.ID);
    n.CreateIndex = existing?.CreateIndex ?? this.index;
    n.ModifyIndex = this.index;
    this.parts.nodeList.apply(this.parts.tables, this.parts.usage, n);
    this.changed.add("nodes");
    this.row("nodes", n.ID, n);
    this.touchedNodes.push(n);
    // A node registering into a pool that does not exist creates it (Nomad's fetchOrCreateNodePoolTxn).
    if (n.NodePool && !this.store.nodePool(n.NodePool)) this.putNodePool(implicitNodePool(n.NodePool));
  }

  /** Creates or replaces a node pool (sets its indexes). Built-in pools are not written (the endpoint refuses them). */
  putNodePool(p: NodePool): void {
    p.CreateIndex = this.parts.tables.node_pools.get(p.Name)?.CreateIndex ?? this.index;
    p.ModifyIndex = this.index;
    this.parts.tables.node_pools.put(p);
    this.changed.add("node_pools");
    this.row("node_pools", p.Name, p);
  }

  /** Removes a node pool; false when there was no row. */
  deleteNodePool(name: string): boolean {
    if (!this.parts.tables.node_pools.delete(name)) return false;
    this.changed.add("node_pools");
    this.row("node_pools", name, null);
    return true;
  }

  /** Removes a node (purge). */
  deleteNode(id: string): void {
    this.parts.nodeList.delete(this.parts.tables, id);
    this.changed.add("nodes");
    this.row("nodes", id, null);
  }

  /** Removes an evaluation (garbage collection). Its job's summary and status are left as they are, as Nomad's eval reap does. */
  deleteEval(id: string): void {
    if (!this.parts.tables.evals.delete(id)) return;
    this.changed.add("evals");
    this.row("evals", id, null);
  }

  /** Removes an allocation (garbage collection). Its job's summary is left as it is, as Nomad's eval reap does. */
  deleteAlloc(id: string): void {
    if (!applyAllocDelete(this.parts.tables, this.parts.usage, id)) return;
    this.changed.add("allocs");
    this.row("allocs", id, null);
  }

  /** Removes a deployment (garbage collection). */
  deleteDeployment(id: string): void {
    if (!this.parts.tables.deployment.delete(id)) return;
    this.changed.add("deployment");
    this.row("deployment", id, null);
  }

  /** Recomputes the job's summary (and status) from its allocations at commit (`/v1/system/reconcile/summaries`). */
  reconcileJobSummary(namespace: string, id: string): void {
    this.touchJob(namespace, id);
  }

  /** Creates or updates a deployment. */
  putDeployment(d: Deployment): void {
    d.CreateIndex = this.store.deploymentByID(d.ID)?.CreateIndex ?? this.index;
    d.ModifyIndex = this.index;
    this.parts.tables.deployment.put(d);
    this.changed.add("deployment");
    this.row("deployment", d.ID, d);
  }

  /** Replaces the scheduler configuration. */
  putSchedulerConfig(c: SchedulerConfiguration): void {
    c.CreateIndex = this.store.schedulerConfig().CreateIndex || this.index;
    c.ModifyIndex = this.index;
    this.parts.tables.scheduler_config.put(c);
    this.changed.add("scheduler_config");
    this.row("scheduler_config", SCHEDULER_CONFIG_ID, c);
  }

  /** Creates or replaces an ACL policy (sets its indexes). */
  putACLPolicy(p: ACLPolicy): void {
    p.CreateIndex = this.parts.tables.acl_policy.get(p.Name)?.CreateIndex ?? this.index;
    p.ModifyIndex = this.index;
    this.parts.tables.acl_policy.put(p);
    this.changed.add("acl_policy");
    this.row("acl_policy", p.Name, p);
  }

  /** Removes an ACL policy. */
  deleteACLPolicy(name: string): void {
    if (!this.parts.tables.acl_policy.delete(name)) return;
    this.changed.add("acl_policy");
    this.row("acl_policy", name, null);
  }

  /** Creates or replaces an ACL token (sets its indexes). */
  putACLToken(t: StoredACLToken): void {
    t.CreateIndex = this.parts.tables.acl_token.get(t.AccessorID)?.CreateIndex ?? this.index;
    t.ModifyIndex = this.index;
    this.parts.tables.acl_token.put(t);
    this.changed.add("acl_token");
    this.row("acl_token", t.AccessorID, t);
  }

  /** Removes an ACL token. */
  deleteACLToken(accessorID: string): void {
    if (!this.parts.tables.acl_token.delete(accessorID)) return;
    this.changed.add("acl_token");
    this.row("acl_token", accessorID, null);
  }

  /** Creates or replaces an ACL role (sets its indexes). */
  putACLRole(r: ACLRole): void {
    r.CreateIndex = this.parts.tables.acl_role.get(r.ID)?.CreateIndex ?? this.index;
    r.ModifyIndex = this.index;
    this.parts.tables.acl_role.put(r);
    this.changed.add("acl_role");
    this.row("acl_role", r.ID, r);
  }

  /** Removes an ACL role. */
  deleteACLRole(id: string): void {
    if (!this.parts.tables.acl_role.delete(id)) return;
    this.changed.add("acl_role");
    this.row("acl_role", id, null);
  }

  /** Records the ACL bootstrap at this transaction's index. */
  markACLBootstrapped(): void {
    const row = { ID: "bootstrap", Index: this.index };
    this.parts.tables.acl_bootstrap.put(row);
    this.changed.add("acl_bootstrap");
    this.row("acl_bootstrap", row.ID, row);
  }

  /** Creates or replaces a namespace (sets its indexes). */
  putNamespace(n: Namespace): void {
    n.CreateIndex = this.parts.tables.namespaces.get(n.Name)?.CreateIndex ?? this.index;
    n.ModifyIndex = this.index;
    this.parts.tables.namespaces.put(n);
    this.changed.add("namespaces");
    this.row("namespaces", n.Name, n);
  }

  /** Removes a namespace. */
  deleteNamespace(name: string): void {
    if (!this.parts.tables.namespaces.delete(name)) return;
    this.changed.add("namespaces");
    this.row("namespaces", name, null);
  }

  /** Records the last launch of a periodic job (RFC 3339 time). */
  putPeriodicLaunch(namespace: string, id: string, launch: string): void {
    const existing = this.store.periodicLaunch(namespace, id);
    const l: PeriodicLaunch = {
      ID: id,
      Namespace: namespace,
      Launch: launch,
      CreateIndex: existing?.CreateIndex ?? this.index,
      ModifyIndex: this.index,
    };
    this.parts.tables.periodic_launch.put(l);
    this.changed.add("periodic_launch");
    this.row("periodic_launch", nsKey(namespace, id), l);
  }

  /** Records a scaling event of a group. */
  addScalingEvent(namespace: string, jobID: string, group: string, ev: Omit<ScalingEvent, "CreateIndex">): void {
    applyScalingEvent(this.parts.tables, namespace, jobID, group, { ...ev, CreateIndex: this.index });
    this.changed.add("scaling_event");
    this.row("scaling_event", nsKey(namespace, jobID), {
      Namespace: namespace,
      JobID: jobID,
      Groups: this.store.scalingEvents(namespace, jobID),
    });
  }

  /**
   * Stores a variable (its items already encrypted). A new variable gets
   * CreateIndex; ModifyIndex always moves. The caller sets the times.
   */
  putVariable(v: VariableEncrypted): void {
    const existing = this.store.variable(v.Namespace, v.Path);
    v.CreateIndex = existing?.CreateIndex ?? this.index;
    v.ModifyIndex = this.index;
    this.parts.tables.variables.put(v);
    this.changed.add("variables");
    this.row("variables", nsKey(v.Namespace, v.Path), v);
  }

  /** Removes a variable; false when there was none. */
  deleteVariable(namespace: string, path: string): boolean {
    if (!this.parts.tables.variables.delete(nsKey(namespace, path))) return false;
    this.changed.add("variables");
    this.row("variables", nsKey(namespace, path), null);
    return true;
  }

  /**
   * Creates or replaces a Nomad service registration (sets its indexes:
   * CreateIndex on first write, ModifyIndex always).
   */
  putServiceRegistration(r: ServiceRegistration): void {
    r.CreateIndex = this.parts.tables.service_registrations.get(r.ID)?.CreateIndex ?? this.index;
    r.ModifyIndex = this.index;
    this.parts.tables.service_registrations.put(r);
    this.changed.add("service_registrations");
    this.row("service_registrations", r.ID, r);
  }

  /** Removes a Nomad service registration; false when there was none with that ID. */
  deleteServiceRegistration(id: string): boolean {
    if (!this.parts.tables.service_registrations.delete(id)) return false;
    this.changed.add("service_registrations");
    this.row("service_registrations", id, null);
    return true;
  }

  private touchJob(ns: string, id: string): void {
    this.touchedJobs.set(nsKey(ns, id), { ns, id });
  }

  /**
   * Applies the derived updates (job summaries and job status, as Nomad's
   * state store does on every alloc/eval write), then commits. The promise
   * resolves once the transaction is durable.
   */
  commit(): Promise<void> {
    if (this.done) throw new Error("state transaction already finished");
    const parentSummaries = new Map<string, JobSummary>();
    const countChild = (ns: string, id: string, parentID: string, status: StoredJob["Status"] | undefined) => {
      const summary = this.parts.summaries.countChild(ns, id, parentID, status, this.index);
      if (summary) parentSummaries.set(nsKey(ns, parentID), summary);
    };
    for (const c of this.purgedChildren) countChild(c.ns, c.id, c.parentID, undefined);
    for (const { ns, id } of this.touchedJobs.values()) {
      const job = this.store.jobByID(ns, id);
      if (!job) continue;
      const summary = this.parts.summaries.recompute(ns, id, this.index);
      if (summary) {
        this.changed.add("job_summary");
        this.row("job_summary", nsKey(ns, id), summary);
      }
      const status = this.parts.summaries.jobStatus(job);
      if (status !== job.Status) {
        job.Status = status;
        job.ModifyIndex = this.index;
        this.changed.add("jobs");
        // Status is server-derived: the version row keeps the spec, only the current row is rewritten.
        this.row("jobs", nsKey(ns, id), currentJobRow(job));
      }
      if (job.ParentID) countChild(ns, id, job.ParentID, job.Status);
    }
    for (const [key, summary] of parentSummaries) {
      this.changed.add("job_summary");
      this.row("job_summary", key, summary);
    }
    this.done = true;
    return this.store.finishTxn(this);
  }

  /** Abandons the transaction. Changes already applied to memory stay (callers validate before writing). */
  abort(): void {
    this.done = true;
    this.store.abortTxn();
  }
}
