/**
 * drover's state store: the in-memory tables of the servers (Nomad's
 * `nomad/state/state_store.go`), one monotonically increasing index per write
 * transaction, watchers for blocking queries, and optional persistence.
 *
 * Reads return the live objects (never copies): callers must treat them as
 * read-only. Writes go through a `StateTxn`, which is applied to memory at
 * once and persisted in a batch; `commit()` returns a promise that resolves
 * once the batch is durable, and callers acknowledge only after it.
 */
import type {
  Allocation,
  Deployment,
  Evaluation,
  JobSummary,
  Node,
  SchedulerConfiguration,
  StoredJob,
  TaskGroupSummary,
} from "../structs";
import { allocTerminal, defaultSchedulerConfiguration, evalTerminal } from "../structs";
import type { SchedulerState } from "../scheduler/interfaces";
import { internNodeClass } from "../scheduler/feasible/node-class";
import type { NodeUsage as SchedulerNodeUsage } from "../scheduler/interfaces";
import { nodeUsageSlot, setNodeUsageSlot } from "../scheduler/usage-slot";

const NO_USAGE: SchedulerNodeUsage = Object.freeze({ cpu: 0, memoryMB: 0, diskMB: 0, allocs: 0 });
import { MemoryPersistence, type PersistOp, type Persistence } from "./persistence";
import { ALL_TABLES, JOB_TRACKED_VERSIONS, nsKey, type TableName } from "./tables";
import { TableWatchers } from "./watch";

/** One scaling event of a task group (`structs.ScalingEvent`). */
export interface ScalingEvent {
  /** Unix nanoseconds. */
  Time: number;
  /** The new count, or null when only a message was recorded. */
  Count: number | null;
  PreviousCount: number;
  Message: string;
  Error: boolean;
  Meta: Record<string, unknown> | null;
  EvalID: string | null;
  CreateIndex: number;
}

/**
 * The last launch of a periodic job (`structs.PeriodicLaunch`). The first
 * record of a job holds the time it was registered, as Nomad overloads it.
 */
export interface PeriodicLaunch {
  /** The periodic job. */
  ID: string;
  Namespace: string;
  /** RFC 3339 time of the last launch. */
  Launch: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** CPU (MHz), memory (MiB) and disk (MiB) used by the non-terminal allocations of one node. */
export interface NodeUsage {
  cpu: number;
  memoryMB: number;
  diskMB: number;
  /** Not counted by the store (the scheduler's placement stack does not read it). */
  allocs?: number;
}

/** How an allocation row is persisted: its job as a reference to a stored version. */
interface PersistedAlloc extends Omit<Allocation, "Job"> {
  Job: { Namespace: string; ID: string; Version: number };
}

/**
 * The `jobs` row of a job: which stored version is current, plus the fields
 * the servers change without a new version. The spec itself lives once, in
 * the `job_version` row.
 */
interface PersistedCurrentJob {
  Namespace: string;
  ID: string;
  Version: number;
  Status: StoredJob["Status"];
  StatusDescription: string;
  Stable: boolean;
  ModifyIndex: number;
  JobModifyIndex: number;
}

function currentJobRow(j: StoredJob): PersistedCurrentJob {
  return { Namespace: j.Namespace, ID: j.ID, Version: j.Version, Status: j.Status, StatusDescription: j.StatusDescription, Stable: j.Stable, ModifyIndex: j.ModifyIndex, JobModifyIndex: j.JobModifyIndex };
}

/** Nomad keeps this many scaling events per group (`structs.JobTrackedScalingEvents`). */
export const JOB_TRACKED_SCALING_EVENTS = 20;

function emptyGroupSummary(): TaskGroupSummary {
  return { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 };
}

/** Resources of an allocation that count against its node. */
function allocUsage(a: Allocation): NodeUsage {
  let cpu = 0;
  let mem = 0;
  const tasks = a.AllocatedResources?.Tasks ?? {};
  for (const name in tasks) {
    cpu += tasks[name].Cpu?.CpuShares ?? 0;
    mem += tasks[name].Memory?.MemoryMB ?? 0;
  }
  return { cpu, memoryMB: mem, diskMB: a.AllocatedResources?.Shared?.DiskMB ?? 0 };
}

const SUMMARY_FIELDS = ["Queued", "Complete", "Failed", "Running", "Starting", "Lost", "Unknown"] as const;

/** True when two summaries have the same groups, in the same order, with the same counts. */
function sameGroupSummaries(a: Record<string, TaskGroupSummary>, b: Record<string, TaskGroupSummary>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const x = a[ka[i]] as unknown as Record<string, unknown>;
    const y = b[kb[i]] as unknown as Record<string, unknown>;
    for (const f of SUMMARY_FIELDS) if (x[f] !== y[f]) return false;
    if (Object.keys(x).length !== Object.keys(y).length) return false;
  }
  return true;
}

/** A row written by a transaction, serialized when its batch is persisted. */
interface PendingRow {
  table: string;
  id: string;
  /** The row object (allocations are stored with their job as a reference), a JSON string, or null to delete. */
  value: unknown;
}

/** The JSON of a pending row (null for a deletion). */
function encodeRow(r: PendingRow): string | null {
  const v = r.value;
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (r.table === "allocs") {
    const a = v as Allocation;
    const persisted: PersistedAlloc = { ...a, Job: { Namespace: a.Job.Namespace, ID: a.Job.ID, Version: a.Job.Version } };
    return JSON.stringify(persisted);
  }
  return JSON.stringify(v);
}

/** The store. Implements the scheduler's `SchedulerState`. */
export class StateStore implements SchedulerState {
  private index = 0;
  private readonly tableIndex = new Map<TableName, number>();
  /** Current job per (namespace, id). */
  private readonly jobTable = new Map<string, StoredJob>();
  /** Stored versions per job, newest first. */
  private readonly versionTable = new Map<string, StoredJob[]>();
  private readonly summaryTable = new Map<string, JobSummary>();
  private readonly evalTable = new Map<string, Evaluation>();
  private readonly evalsByJobIdx = new Map<string, Map<string, Evaluation>>();
  private readonly allocTable = new Map<string, Allocation>();
  private readonly allocsByJobIdx = new Map<string, Map<string, Allocation>>();
  private readonly allocsByNodeIdx = new Map<string, Map<string, Allocation>>();
  private readonly allocsByEvalIdx = new Map<string, Map<string, Allocation>>();
  private readonly allocsByDeploymentIdx = new Map<string, Map<string, Allocation>>();
  private readonly arrayCache = new Map<Map<string, Allocation>, Allocation[]>();
  private readonly deploymentTable = new Map<string, Deployment>();
  private readonly deploymentsByJobIdx = new Map<string, Deployment[]>();
  private readonly nodeTable = new Map<string, Node>();
  private sortedNodes: Node[] | null = null;
  private nodeVersion = 0;
  private readonly usage = new Map<string, NodeUsage>();
  private schedConfig: SchedulerConfiguration = defaultSchedulerConfiguration();
  private readonly scalingTable = new Map<string, Record<string, ScalingEvent[]>>();
  /** Queued placements per job and group, as last reported by an evaluation. */
  private readonly queuedByJob = new Map<string, Record<string, number>>();
  /** Last launch per periodic job. */
  private readonly launchTable = new Map<string, PeriodicLaunch>();
  /** IDs of the children (periodic launches, dispatches) per parent job. */
  private readonly childrenByParent = new Map<string, Set<string>>();
  /** The status each child is counted under in its parent's summary. */
  private readonly childCounted = new Map<string, { parentKey: string; status: StoredJob["Status"] }>();

  private readonly persistence: Persistence;
  private readonly watchers = new TableWatchers();
  private openTxn: StateTxn | null = null;
  /** Rows written since the last batch went out, by table and key: a row written twice in one batch is serialized and sent once, as it is last. */
  private pendingRows = new Map<string, PendingRow>();
  private pendingWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushScheduled = false;
  private committing = false;
  private flushAgain = false;
  private closed = false;
  /** Listeners told about every committed transaction (the client runtime, blocked evals). */
  private readonly listeners = new Set<(change: CommittedChange) => void>();

  /**
   * Creates a store. With a durable persistence, everything it holds is
   * loaded first.
   */
  constructor(persistence: Persistence = new MemoryPersistence()) {
    this.persistence = persistence;
    this.load();
  }

  /** True when writes survive a restart. */
  get durable(): boolean {
    return this.persistence.durable;
  }

  // ---------------------------------------------------------------- reads

  /** All nodes, ordered by ID. */
  nodes(): readonly Node[] {
    if (!this.sortedNodes) this.sortedNodes = [...this.nodeTable.values()].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
    return this.sortedNodes;
  }

  /** A number that changes on every node write (the scheduler's cache key for base node sets). */
  nodesVersion(): number {
    return this.nodeVersion;
  }

  /** A node by ID. */
  nodeByID(id: string): Node | undefined {
    return this.nodeTable.get(id);
  }

  /** The current version of a job. */
  jobByID(namespace: string, id: string): StoredJob | undefined {
    return this.jobTable.get(nsKey(namespace, id));
  }

  /** One stored version of a job. */
  jobByVersion(namespace: string, id: string, version: number): StoredJob | undefined {
    return this.versionTable.get(nsKey(namespace, id))?.find((j) => j.Version === version);
  }

  /** The stored versions of a job, newest first (at most 6). */
  jobVersions(namespace: string, id: string): readonly StoredJob[] {
    return this.versionTable.get(nsKey(namespace, id)) ?? [];
  }

  /** Every current job of a namespace ("*" for all), ordered by namespace then ID. */
  jobs(namespace: string): StoredJob[] {
    const out: StoredJob[] = [];
    for (const j of this.jobTable.values()) if (namespace === "*" || j.Namespace === namespace) out.push(j);
    return out.sort((a, b) => (a.Namespace + "\u0000" + a.ID < b.Namespace + "\u0000" + b.ID ? -1 : 1));
  }

  /** The last launch of a periodic job (`PeriodicLaunchByID`). */
  periodicLaunch(namespace: string, id: string): PeriodicLaunch | undefined {
    return this.launchTable.get(nsKey(namespace, id));
  }

  /** The current children of a periodic or parameterized job. */
  jobChildren(namespace: string, parentID: string): StoredJob[] {
    const ids = this.childrenByParent.get(nsKey(namespace, parentID));
    const out: StoredJob[] = [];
    if (ids) for (const id of ids) {
      const j = this.jobTable.get(nsKey(namespace, id));
      if (j) out.push(j);
    }
    return out;
  }

  /** A job's allocation summary. */
  jobSummary(namespace: string, id: string): JobSummary | undefined {
    return this.summaryTable.get(nsKey(namespace, id));
  }

  /** Allocations of a job's current incarnation. */
  allocsByJob(namespace: string, jobID: string): readonly Allocation[] {
    return this.cachedArray(this.allocsByJobIdx.get(nsKey(namespace, jobID)));
  }

  /** Allocations on a node. */
  allocsByNode(nodeID: string): readonly Allocation[] {
    return this.cachedArray(this.allocsByNodeIdx.get(nodeID));
  }

  /** Allocations created by an evaluation. */
  allocsByEval(evalID: string): readonly Allocation[] {
    return this.cachedArray(this.allocsByEvalIdx.get(evalID));
  }

  /** Allocations of a deployment. */
  allocsByDeployment(deploymentID: string): readonly Allocation[] {
    return this.cachedArray(this.allocsByDeploymentIdx.get(deploymentID));
  }

  /** An allocation by ID. */
  allocByID(id: string): Allocation | undefined {
    return this.allocTable.get(id);
  }

  /** Every allocation. */
  allocs(): IterableIterator<Allocation> {
    return this.allocTable.values();
  }

  /** Number of allocations stored. */
  allocCount(): number {
    return this.allocTable.size;
  }

  /** CPU/memory/disk used on a node by its non-terminal allocations (kept incrementally). */
  nodeUsage(nodeID: string): NodeUsage {
    return this.usage.get(nodeID) ?? { cpu: 0, memoryMB: 0, diskMB: 0 };
  }

  /** `nodeUsage` of a node object from `nodes()` (the scheduler's fast path: the tally is kept on the node object). */
  nodeUsageOf(node: Node): SchedulerNodeUsage {
    return nodeUsageSlot(node) ?? (this.usage.get(node.ID) as SchedulerNodeUsage | undefined) ?? NO_USAGE;
  }

  /** Every evaluation. */
  evals(): IterableIterator<Evaluation> {
    return this.evalTable.values();
  }

  /** An evaluation by ID. */
  evalByID(id: string): Evaluation | undefined {
    return this.evalTable.get(id);
  }

  /** Evaluations of a job. */
  evalsByJob(namespace: string, jobID: string): Evaluation[] {
    return [...(this.evalsByJobIdx.get(nsKey(namespace, jobID))?.values() ?? [])];
  }

  /** Every deployment. */
  deployments(): IterableIterator<Deployment> {
    return this.deploymentTable.values();
  }

  /** A deployment by ID. */
  deploymentByID(id: string): Deployment | undefined {
    return this.deploymentTable.get(id);
  }

  /** Deployments of a job, newest first. */
  deploymentsByJob(namespace: string, jobID: string): readonly Deployment[] {
    return this.deploymentsByJobIdx.get(nsKey(namespace, jobID)) ?? [];
  }

  /** The newest deployment of a job. */
  latestDeploymentByJobID(namespace: string, jobID: string): Deployment | undefined {
    return this.deploymentsByJobIdx.get(nsKey(namespace, jobID))?.[0];
  }

  /** The scheduler configuration. */
  schedulerConfig(): SchedulerConfiguration {
    return this.schedConfig;
  }

  /** Scaling events of a job by group. */
  scalingEvents(namespace: string, jobID: string): Record<string, ScalingEvent[]> {
    return this.scalingTable.get(nsKey(namespace, jobID)) ?? {};
  }

  /** The index of the latest write. */
  latestIndex(): number {
    return this.index;
  }

  /** The latest write index among `tables` (what `X-Nomad-Index` reports for a read of them); at least 1. */
  indexOf(tables: readonly TableName[]): number {
    let max = 0;
    for (const t of tables) max = Math.max(max, this.tableIndex.get(t) ?? 0);
    return Math.max(1, max);
  }

  /** Waits for a write to one of `tables` above `minIndex`, at most `timeoutMs` (a blocking query). */
  waitForChange(tables: readonly TableName[], minIndex: number, timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.watchers.wait(tables, minIndex, timeoutMs, (t) => this.indexOf(t));
  }

  /** Subscribes to committed transactions; returns the unsubscribe function. */
  subscribe(listener: (change: CommittedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---------------------------------------------------------------- writes

  /**
   * Starts a write transaction at the next index. Only one may be open at a
   * time (everything between begin and commit is synchronous).
   */
  begin(): StateTxn {
    if (this.closed) throw new Error("state store is closed");
    if (this.openTxn) throw new Error("a state transaction is already open");
    this.openTxn = new StateTxn(this, this.index + 1, this.persistence.durable);
    return this.openTxn;
  }

  /** Runs `fn` in one transaction and commits it. */
  write<T>(fn: (txn: StateTxn) => T): { index: number; result: T; durable: Promise<void> } {
    const txn = this.begin();
    let result: T;
    try {
      result = fn(txn);
    } catch (err) {
      txn.abort();
      throw err;
    }
    const durable = txn.commit();
    return { index: txn.changed.size > 0 ? txn.index : this.index, result, durable };
  }

  /** Waits until everything written so far is durable. */
  flush(): Promise<void> {
    if (this.pendingRows.size === 0 && this.pendingWaiters.length === 0 && !this.committing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pendingWaiters.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Flushes pending writes, waits until they are durable, closes the persistence and wakes blocked queries. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => {});
    this.closed = true;
    this.watchers.closeAll();
    await this.persistence.close();
  }

  // ------------------------------------------------------------ internals

  /** @internal Called by StateTxn.commit. */
  finishTxn(txn: StateTxn): Promise<void> {
    this.openTxn = null;
    if (txn.changed.size === 0) return Promise.resolve();
    this.index = txn.index;
    for (const t of txn.changed) this.tableIndex.set(t, txn.index);
    this.watchers.notify(txn.changed, txn.index);
    const change: CommittedChange = { index: txn.index, tables: txn.changed, allocs: txn.touchedAllocs, nodes: txn.touchedNodes, evals: txn.touchedEvals };
    for (const l of this.listeners) l(change);
    if (!this.persistence.durable) return Promise.resolve();
    for (const op of txn.ops) this.pendingRows.set(`${op.table}\u0000${op.id}`, op);
    return new Promise((resolve, reject) => {
      this.pendingWaiters.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  /** @internal Called by StateTxn.abort. */
  abortTxn(): void {
    this.openTxn = null;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushNow());
  }

  /**
   * Writes every pending op in one persistence transaction, then
   * acknowledges the writes it holds (group commit). While a batch is being
   * committed the next one gathers; it is sent when the first completes.
   * The server's worker calls this before each slice of scheduling work, so
   * acknowledgements never wait behind the scheduler.
   */
  flushNow(): void {
    this.flushScheduled = false;
    if (this.committing) {
      this.flushAgain = true;
      return;
    }
    const rows = this.pendingRows;
    const waiters = this.pendingWaiters;
    this.pendingRows = new Map();
    // Rows are serialized here, once per batch, as they are now: the batch's index is the latest one.
    const ops: PersistOp[] = [];
    for (const r of rows.values()) ops.push({ table: r.table, id: r.id, body: encodeRow(r) });
    this.pendingWaiters = [];
    if (ops.length === 0 && waiters.length === 0) return;
    const done = (err?: Error) => {
      this.committing = false;
      for (const w of waiters) {
        if (err) w.reject(err);
        else w.resolve();
      }
      if (this.flushAgain || this.pendingWaiters.length > 0) {
        this.flushAgain = false;
        this.flushNow();
      }
    };
    if (ops.length === 0) return done();
    let result: void | Promise<void>;
    try {
      result = this.persistence.commit(ops, this.index, Object.fromEntries(this.tableIndex));
    } catch (err) {
      return done(err as Error);
    }
    if (result && typeof (result as Promise<void>).then === "function") {
      this.committing = true;
      (result as Promise<void>).then(
        () => done(),
        (err: Error) => done(err),
      );
    } else done();
  }

  private cachedArray(m: Map<string, Allocation> | undefined): readonly Allocation[] {
    if (!m) return [];
    let arr = this.arrayCache.get(m);
    if (!arr) {
      arr = [...m.values()];
      this.arrayCache.set(m, arr);
    }
    return arr;
  }

  private indexAdd(idx: Map<string, Map<string, Allocation>>, key: string, a: Allocation): void {
    if (!key) return;
    let m = idx.get(key);
    if (!m) idx.set(key, (m = new Map()));
    m.set(a.ID, a);
    this.arrayCache.delete(m);
  }

  private indexRemove(idx: Map<string, Map<string, Allocation>>, key: string, id: string): void {
    const m = idx.get(key);
    if (!m) return;
    m.delete(id);
    this.arrayCache.delete(m);
    if (m.size === 0) idx.delete(key);
  }

  /** @internal */
  applyJob(job: StoredJob, asNewVersion: boolean): void {
    const key = nsKey(job.Namespace, job.ID);
    // A new incarnation (registered after a purge) leaves out the terminal allocations of the old one;
    // live ones stay listed until the scheduler has stopped them.
    if (!this.jobTable.has(key)) {
      for (const a of this.allocsByJob(job.Namespace, job.ID)) if (a.Job.CreateIndex < job.CreateIndex && allocTerminal(a)) this.indexRemove(this.allocsByJobIdx, key, a.ID);
    }
    this.jobTable.set(key, job);
    this.indexChild(job);
    let versions = this.versionTable.get(key);
    if (!versions) this.versionTable.set(key, (versions = []));
    const at = versions.findIndex((v) => v.Version === job.Version);
    if (at >= 0) versions[at] = job;
    else if (asNewVersion || versions.length === 0) versions.unshift(job);
    versions.sort((a, b) => b.Version - a.Version);
    if (versions.length > JOB_TRACKED_VERSIONS) versions.length = JOB_TRACKED_VERSIONS;
  }

  /**
   * @internal Removes a job, its versions, summary and scaling events. Its
   * allocations and evaluations stay, listed under the job's ID as in Nomad:
   * the deregistration's evaluation must find them to stop them, and the
   * garbage collector removes them once terminal.
   */
  applyJobPurge(namespace: string, id: string): StoredJob[] {
    const key = nsKey(namespace, id);
    const versions = this.versionTable.get(key) ?? [];
    const parentID = this.jobTable.get(key)?.ParentID;
    if (parentID) this.childrenByParent.get(nsKey(namespace, parentID))?.delete(id);
    this.launchTable.delete(key);
    this.jobTable.delete(key);
    this.versionTable.delete(key);
    this.summaryTable.delete(key);
    this.scalingTable.delete(key);
    this.queuedByJob.delete(key);
    return versions;
  }

  private indexChild(job: StoredJob): void {
    if (!job.ParentID) return;
    const parentKey = nsKey(job.Namespace, job.ParentID);
    let set = this.childrenByParent.get(parentKey);
    if (!set) this.childrenByParent.set(parentKey, (set = new Set()));
    set.add(job.ID);
  }

  /** @internal */
  applyPeriodicLaunch(l: PeriodicLaunch): void {
    this.launchTable.set(nsKey(l.Namespace, l.ID), l);
  }

  /**
   * @internal Keeps a parent's `Children` counts in step with one child, as
   * Nomad's state store does on every job status change: the child leaves
   * the status it was counted under and joins `status` (undefined: purged).
   * Returns the parent's new summary when the counts changed.
   */
  countChild(namespace: string, childID: string, parentID: string, status: StoredJob["Status"] | undefined, index: number): JobSummary | null {
    const childKey = nsKey(namespace, childID);
    const parentKey = nsKey(namespace, parentID);
    const counted = this.childCounted.get(childKey);
    const was = counted?.parentKey === parentKey ? counted.status : undefined;
    if (was === status) return null;
    const old = this.summaryTable.get(parentKey);
    if (status === undefined) this.childCounted.delete(childKey);
    else this.childCounted.set(childKey, { parentKey, status });
    if (!old) return null;
    const children = { ...(old.Children ?? { Pending: 0, Running: 0, Dead: 0 }) };
    const field = (s: StoredJob["Status"]): "Pending" | "Running" | "Dead" => (s === "running" ? "Running" : s === "dead" ? "Dead" : "Pending");
    if (was !== undefined) children[field(was)] = Math.max(0, children[field(was)] - 1);
    if (status !== undefined) children[field(status)]++;
    const summary: JobSummary = { ...old, Children: children, ModifyIndex: index };
    this.summaryTable.set(parentKey, summary);
    return summary;
  }

  /** @internal */
  applyEval(e: Evaluation): void {
    this.evalTable.set(e.ID, e);
    let m = this.evalsByJobIdx.get(nsKey(e.Namespace, e.JobID));
    if (!m) this.evalsByJobIdx.set(nsKey(e.Namespace, e.JobID), (m = new Map()));
    m.set(e.ID, e);
    if (e.QueuedAllocations && (e.Status === "complete" || e.Status === "blocked")) this.queuedByJob.set(nsKey(e.Namespace, e.JobID), e.QueuedAllocations);
  }

  /** @internal */
  applyAlloc(a: Allocation): Allocation | undefined {
    const old = this.allocTable.get(a.ID);
    if (old) {
      if (!allocTerminal(old)) this.addUsage(old.NodeID, allocUsage(old), -1);
      this.indexRemove(this.allocsByNodeIdx, old.NodeID, old.ID);
      this.indexRemove(this.allocsByEvalIdx, old.EvalID, old.ID);
      this.indexRemove(this.allocsByDeploymentIdx, old.DeploymentID, old.ID);
    }
    this.allocTable.set(a.ID, a);
    const jobKey = nsKey(a.Namespace, a.JobID);
    const current = this.jobTable.get(jobKey);
    // Listed under the job: the current incarnation's allocations, and a purged one's until terminal.
    if (!current || a.Job.CreateIndex >= current.CreateIndex || !allocTerminal(a)) this.indexAdd(this.allocsByJobIdx, jobKey, a);
    else this.indexRemove(this.allocsByJobIdx, jobKey, a.ID);
    this.indexAdd(this.allocsByNodeIdx, a.NodeID, a);
    this.indexAdd(this.allocsByEvalIdx, a.EvalID, a);
    this.indexAdd(this.allocsByDeploymentIdx, a.DeploymentID, a);
    if (!allocTerminal(a)) this.addUsage(a.NodeID, allocUsage(a), 1);
    return old;
  }

  private addUsage(nodeID: string, u: NodeUsage, sign: 1 | -1): void {
    let cur = this.usage.get(nodeID);
    if (!cur) {
      this.usage.set(nodeID, (cur = { cpu: 0, memoryMB: 0, diskMB: 0 }));
      const node = this.nodeTable.get(nodeID);
      if (node) setNodeUsageSlot(node, cur as SchedulerNodeUsage);
    }
    cur.cpu += sign * u.cpu;
    cur.memoryMB += sign * u.memoryMB;
    cur.diskMB += sign * u.diskMB;
  }

  /** @internal Removes an evaluation (garbage collection). */
  applyEvalDelete(id: string): Evaluation | undefined {
    const e = this.evalTable.get(id);
    if (!e) return undefined;
    this.evalTable.delete(id);
    const key = nsKey(e.Namespace, e.JobID);
    const m = this.evalsByJobIdx.get(key);
    if (m) {
      m.delete(id);
      if (m.size === 0) this.evalsByJobIdx.delete(key);
    }
    return e;
  }

  /** @internal Removes an allocation and its index entries (garbage collection, node purge). */
  applyAllocDelete(id: string): Allocation | undefined {
    const a = this.allocTable.get(id);
    if (!a) return undefined;
    if (!allocTerminal(a)) this.addUsage(a.NodeID, allocUsage(a), -1);
    this.allocTable.delete(id);
    const jobKey = nsKey(a.Namespace, a.JobID);
    const byJob = this.allocsByJobIdx.get(jobKey);
    if (byJob?.get(id) === a) this.indexRemove(this.allocsByJobIdx, jobKey, id);
    this.indexRemove(this.allocsByNodeIdx, a.NodeID, id);
    this.indexRemove(this.allocsByEvalIdx, a.EvalID, id);
    this.indexRemove(this.allocsByDeploymentIdx, a.DeploymentID, id);
    return a;
  }

  /** @internal Removes a deployment (garbage collection). */
  applyDeploymentDelete(id: string): Deployment | undefined {
    const d = this.deploymentTable.get(id);
    if (!d) return undefined;
    this.deploymentTable.delete(id);
    const key = nsKey(d.Namespace, d.JobID);
    const list = this.deploymentsByJobIdx.get(key);
    if (list) {
      const i = list.findIndex((x) => x.ID === id);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.deploymentsByJobIdx.delete(key);
    }
    return d;
  }

  /** @internal */
  applyNode(n: Node): void {
    this.nodeVersion++;
    const u = this.usage.get(n.ID);
    if (u) setNodeUsageSlot(n, u as SchedulerNodeUsage);
    if (n.ComputedClass) n.ComputedClass = internNodeClass(n.ComputedClass);
    if (!this.nodeTable.has(n.ID)) this.sortedNodes = null;
    else if (this.sortedNodes) {
      const i = this.sortedNodes.findIndex((x) => x.ID === n.ID);
      if (i >= 0) this.sortedNodes[i] = n;
      else this.sortedNodes = null;
    }
    this.nodeTable.set(n.ID, n);
  }

  /** @internal */
  applyNodeDelete(id: string): void {
    this.nodeVersion++;
    this.nodeTable.delete(id);
    this.sortedNodes = null;
  }

  /** @internal */
  applyDeployment(d: Deployment): void {
    const isNew = !this.deploymentTable.has(d.ID);
    this.deploymentTable.set(d.ID, d);
    const key = nsKey(d.Namespace, d.JobID);
    let list = this.deploymentsByJobIdx.get(key);
    if (!list) this.deploymentsByJobIdx.set(key, (list = []));
    if (isNew) {
      list.unshift(d);
      list.sort((a, b) => b.CreateIndex - a.CreateIndex);
    } else {
      const i = list.findIndex((x) => x.ID === d.ID);
      if (i >= 0) list[i] = d;
    }
  }

  /** @internal */
  applySchedulerConfig(c: SchedulerConfiguration): void {
    this.schedConfig = c;
  }

  /** @internal */
  applyScalingEvent(namespace: string, jobID: string, group: string, ev: ScalingEvent): void {
    const key = nsKey(namespace, jobID);
    let byGroup = this.scalingTable.get(key);
    if (!byGroup) this.scalingTable.set(key, (byGroup = {}));
    const list = (byGroup[group] ??= []);
    list.unshift(ev);
    if (list.length > JOB_TRACKED_SCALING_EVENTS) list.length = JOB_TRACKED_SCALING_EVENTS;
  }

  /** @internal Recomputes a job's summary from its allocations; returns it when it changed. */
  recomputeSummary(namespace: string, jobID: string, index: number): JobSummary | null {
    const key = nsKey(namespace, jobID);
    const job = this.jobTable.get(key);
    if (!job) return null;
    const groups: Record<string, TaskGroupSummary> = {};
    for (const tg of (job.TaskGroups ?? []) as { Name?: string | null }[]) if (tg.Name) groups[tg.Name] = emptyGroupSummary();
    for (const a of this.allocsByJob(namespace, jobID)) {
      const g = (groups[a.TaskGroup] ??= emptyGroupSummary());
      switch (a.ClientStatus) {
        case "pending":
          if (!allocTerminal(a)) g.Starting++;
          break;
        case "running":
          g.Running++;
          break;
        case "complete":
          g.Complete++;
          break;
        case "failed":
          g.Failed++;
          break;
        case "lost":
          g.Lost++;
          break;
        case "unknown":
          g.Unknown++;
          break;
      }
    }
    const queued = this.queuedByJob.get(key) ?? {};
    for (const name in groups) groups[name].Queued = queued[name] ?? 0;
    const old = this.summaryTable.get(key);
    if (old && sameGroupSummaries(old.Summary, groups)) return null;
    const summary: JobSummary = {
      JobID: jobID,
      Namespace: namespace,
      Summary: groups,
      Children: old?.Children ?? { Pending: 0, Running: 0, Dead: 0 },
      CreateIndex: old?.CreateIndex ?? index,
      ModifyIndex: index,
    };
    this.summaryTable.set(key, summary);
    return summary;
  }

  /** @internal Nomad's `getJobStatus`: dead when stopped or finished, running with live allocations, pending otherwise. */
  computeJobStatus(job: StoredJob): StoredJob["Status"] {
    // Periodic and parameterized parents run until stopped (`IsPeriodic`, `IsParameterized`: a dispatched child is not one).
    const j = job as StoredJob & { Periodic?: unknown; ParameterizedJob?: unknown };
    if ((j.Periodic !== undefined && j.Periodic !== null) || (j.ParameterizedJob !== undefined && j.ParameterizedJob !== null && !j.Dispatched)) return job.Stop ? "dead" : "running";
    let anyAlloc = false;
    for (const a of this.allocsByJob(job.Namespace, job.ID)) {
      anyAlloc = true;
      if (!allocTerminal(a)) return "running";
    }
    const evals = this.evalsByJobIdx.get(nsKey(job.Namespace, job.ID));
    let anyEval = false;
    if (evals)
      for (const e of evals.values()) {
        anyEval = true;
        if (!evalTerminal(e)) return "pending";
      }
    if (job.Stop) return "dead";
    if (anyAlloc || anyEval) return "dead";
    return "pending";
  }

  /** @internal */
  getSummary(namespace: string, id: string): JobSummary | undefined {
    return this.summaryTable.get(nsKey(namespace, id));
  }

  /** @internal */
  setSummary(s: JobSummary): void {
    this.summaryTable.set(nsKey(s.Namespace, s.JobID), s);
  }

  // ------------------------------------------------------------- loading

  private load(): void {
    const rows = this.persistence.load();
    const parse = <T>(table: string): T[] => (rows.tables.get(table) ?? []).map((r) => JSON.parse(r.body) as T);
    for (const v of parse<StoredJob>("job_version")) {
      const key = nsKey(v.Namespace, v.ID);
      let list = this.versionTable.get(key);
      if (!list) this.versionTable.set(key, (list = []));
      list.push(v);
    }
    for (const list of this.versionTable.values()) list.sort((a, b) => b.Version - a.Version);
    for (const row of parse<PersistedCurrentJob>("jobs")) {
      const key = nsKey(row.Namespace, row.ID);
      const version = this.versionTable.get(key)?.find((v) => v.Version === row.Version);
      if (!version) continue; // cannot happen: both rows are written in the same batch
      Object.assign(version, row);
      this.jobTable.set(key, version);
      this.indexChild(version);
      if (version.ParentID) this.childCounted.set(key, { parentKey: nsKey(version.Namespace, version.ParentID), status: version.Status });
    }
    for (const l of parse<PeriodicLaunch>("periodic_launch")) this.applyPeriodicLaunch(l);
    for (const s of parse<JobSummary>("job_summary")) this.summaryTable.set(nsKey(s.Namespace, s.JobID), s);
    for (const n of parse<Node>("nodes")) this.applyNode(n);
    for (const e of parse<Evaluation>("evals")) this.applyEval(e);
    for (const d of parse<Deployment>("deployment")) this.applyDeployment(d);
    const loadedAllocs = parse<PersistedAlloc>("allocs").sort((a, b) => a.CreateIndex - b.CreateIndex);
    for (const pa of loadedAllocs) {
      const ref = pa.Job;
      const job = this.jobByVersion(ref.Namespace, ref.ID, ref.Version) ?? this.jobByID(ref.Namespace, ref.ID) ?? this.orphanJob(ref);
      this.applyAlloc({ ...pa, Job: job } as Allocation);
    }
    // Versions kept only for live allocations are reachable through those allocations, not listed.
    for (const list of this.versionTable.values()) if (list.length > JOB_TRACKED_VERSIONS) list.length = JOB_TRACKED_VERSIONS;
    for (const c of parse<SchedulerConfiguration>("scheduler_config")) this.schedConfig = c;
    for (const s of parse<{ Namespace: string; JobID: string; Groups: Record<string, ScalingEvent[]> }>("scaling_event"))
      this.scalingTable.set(nsKey(s.Namespace, s.JobID), s.Groups);
    this.index = rows.index;
    for (const t of ALL_TABLES) if (rows.tableIndexes[t]) this.tableIndex.set(t, rows.tableIndexes[t]);
  }

  /** A placeholder job for an allocation whose version was purged (only terminal allocations can be in that state). */
  private orphanJob(ref: { Namespace: string; ID: string; Version: number }): StoredJob {
    return { ID: ref.ID, Namespace: ref.Namespace, Version: ref.Version, Type: "service", Status: "dead", StatusDescription: "", Stable: false, SubmitTime: 0, CreateIndex: 0, ModifyIndex: 0, JobModifyIndex: 0, TaskGroups: [] } as unknown as StoredJob;
  }
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
    this.store.applyJob(job, asNewVersion);
    this.changed.add("jobs");
    this.changed.add("job_version");
    this.row("jobs", nsKey(job.Namespace, job.ID), currentJobRow(job));
    this.row("job_version", `${nsKey(job.Namespace, job.ID)}\u0000${job.Version}`, job);
    if (asNewVersion && this.persist) {
      // Versions beyond the tracked six leave the table, except those that live allocations still run.
      const kept = new Set(this.store.jobVersions(job.Namespace, job.ID).map((v) => v.Version));
      for (const a of this.store.allocsByJob(job.Namespace, job.ID)) if (!allocTerminal(a)) kept.add(a.Job.Version);
      for (let v = job.Version - 1; v >= 0 && v >= job.Version - 20; v--)
        if (!kept.has(v)) this.row("job_version", `${nsKey(job.Namespace, job.ID)}\u0000${v}`, null);
    }
    this.touchJob(job.Namespace, job.ID);
  }

  /** Deletes a job with its versions, summary and scaling events (deregister with purge). */
  purgeJob(namespace: string, id: string): void {
    const parentID = this.store.jobByID(namespace, id)?.ParentID;
    if (parentID) this.purgedChildren.push({ ns: namespace, id, parentID });
    const hadLaunch = this.store.periodicLaunch(namespace, id) !== undefined;
    const versions = this.store.applyJobPurge(namespace, id);
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
    for (const v of versions) this.row("job_version", `${key}\u0000${v.Version}`, null);
    this.touchedJobs.delete(key);
  }

  /** Creates or updates an evaluation (sets CreateIndex on first write, ModifyIndex always). */
  putEval(e: Evaluation): void {
    if (!this.store.evalByID(e.ID) || e.CreateIndex === 0) e.CreateIndex = this.store.evalByID(e.ID)?.CreateIndex ?? this.index;
    e.ModifyIndex = this.index;
    this.store.applyEval(e);
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
    this.store.applyAlloc(a);
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
    const state = d?.TaskGroups[a.TaskGroup];
    if (!d || !state) return;
    let placed = 0;
    let healthy = 0;
    let unhealthy = 0;
    if (!existing || existing.DeploymentID !== a.DeploymentID) placed = 1;
    const was = existing?.DeploymentID === a.DeploymentID ? existing.DeploymentStatus?.Healthy : undefined;
    const now = a.DeploymentStatus?.Healthy;
    if (now === true && was !== true) healthy = 1;
    if (now === false && was !== false) unhealthy = 1;
    if (!placed && !healthy && !unhealthy) return;
    // RequireProgressBy: the first placement plus the progress deadline, pushed out by every healthy allocation.
    let requireBy = state.RequireProgressBy;
    if (state.ProgressDeadline > 0) {
      const zero = !requireBy || requireBy.startsWith("0001-");
      const baseMs = healthy && a.DeploymentStatus?.Timestamp ? Date.parse(a.DeploymentStatus.Timestamp) : a.ModifyTime / 1_000_000;
      const candidate = new Date(baseMs + state.ProgressDeadline / 1_000_000).toISOString();
      if ((placed && zero) || (healthy && (zero || candidate > requireBy))) requireBy = candidate;
    }
    const next = { ...d, TaskGroups: { ...d.TaskGroups, [a.TaskGroup]: { ...state, RequireProgressBy: requireBy, PlacedAllocs: state.PlacedAllocs + placed, HealthyAllocs: state.HealthyAllocs + healthy, UnhealthyAllocs: state.UnhealthyAllocs + unhealthy } } };
    this.putDeployment(next);
    if (a.DeploymentStatus && (healthy || unhealthy)) a.DeploymentStatus = { ...a.DeploymentStatus, ModifyIndex: this.index };
  }

  /** Marks a stored job version stable (its deployment succeeded). */
  markJobStable(namespace: string, id: string, version: number): void {
    const v = this.store.jobByVersion(namespace, id, version);
    if (!v || v.Stable) return;
    v.Stable = true;
    this.changed.add("job_version");
    this.row("job_version", `${nsKey(namespace, id)}\u0000${version}`, v);
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
    this.store.applyNode(n);
    this.changed.add("nodes");
    this.row("nodes", n.ID, n);
    this.touchedNodes.push(n);
  }

  /** Removes a node (purge). */
  deleteNode(id: string): void {
    this.store.applyNodeDelete(id);
    this.changed.add("nodes");
    this.row("nodes", id, null);
  }

  /** Removes an evaluation (garbage collection). Its job's summary and status are left as they are, as Nomad's eval reap does. */
  deleteEval(id: string): void {
    if (!this.store.applyEvalDelete(id)) return;
    this.changed.add("evals");
    this.row("evals", id, null);
  }

  /** Removes an allocation (garbage collection). Its job's summary is left as it is, as Nomad's eval reap does. */
  deleteAlloc(id: string): void {
    if (!this.store.applyAllocDelete(id)) return;
    this.changed.add("allocs");
    this.row("allocs", id, null);
  }

  /** Removes a deployment (garbage collection). */
  deleteDeployment(id: string): void {
    if (!this.store.applyDeploymentDelete(id)) return;
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
    this.store.applyDeployment(d);
    this.changed.add("deployment");
    this.row("deployment", d.ID, d);
  }

  /** Replaces the scheduler configuration. */
  putSchedulerConfig(c: SchedulerConfiguration): void {
    c.CreateIndex = this.store.schedulerConfig().CreateIndex || this.index;
    c.ModifyIndex = this.index;
    this.store.applySchedulerConfig(c);
    this.changed.add("scheduler_config");
    this.row("scheduler_config", "config", c);
  }

  /** Records the last launch of a periodic job (RFC 3339 time). */
  putPeriodicLaunch(namespace: string, id: string, launch: string): void {
    const existing = this.store.periodicLaunch(namespace, id);
    const l: PeriodicLaunch = { ID: id, Namespace: namespace, Launch: launch, CreateIndex: existing?.CreateIndex ?? this.index, ModifyIndex: this.index };
    this.store.applyPeriodicLaunch(l);
    this.changed.add("periodic_launch");
    this.row("periodic_launch", nsKey(namespace, id), l);
  }

  /** Records a scaling event of a group. */
  addScalingEvent(namespace: string, jobID: string, group: string, ev: Omit<ScalingEvent, "CreateIndex">): void {
    this.store.applyScalingEvent(namespace, jobID, group, { ...ev, CreateIndex: this.index });
    this.changed.add("scaling_event");
    this.row("scaling_event", nsKey(namespace, jobID), { Namespace: namespace, JobID: jobID, Groups: this.store.scalingEvents(namespace, jobID) });
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
      const summary = this.store.countChild(ns, id, parentID, status, this.index);
      if (summary) parentSummaries.set(nsKey(ns, parentID), summary);
    };
    for (const c of this.purgedChildren) countChild(c.ns, c.id, c.parentID, undefined);
    for (const { ns, id } of this.touchedJobs.values()) {
      const job = this.store.jobByID(ns, id);
      if (!job) continue;
      const summary = this.store.recomputeSummary(ns, id, this.index);
      if (summary) {
        this.changed.add("job_summary");
        this.row("job_summary", nsKey(ns, id), summary);
      }
      const status = this.store.computeJobStatus(job);
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
