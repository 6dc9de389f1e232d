/**
 * drover's state store: the in-memory tables of the servers (Nomad's
 * `nomad/state/state_store.go`), one monotonically increasing index per write
 * transaction, watchers for blocking queries, and optional persistence.
 *
 * The tables are declared in schema.ts; each feature's reads and writes live
 * in a file of its own (jobs.ts, allocs.ts, evals.ts, deployments.ts,
 * nodes.ts, scaling-events.ts, summaries.ts, variables.ts,
 * service-registrations.ts), the write transaction in
 * txn.ts and the group commit in commit-queue.ts.
 *
 * Reads return the live objects (never copies): callers must treat them as
 * read-only. Writes go through a `StateTxn`, which is applied to memory at
 * once and persisted in a batch; `commit()` returns a promise that resolves
 * once the batch is durable, and callers acknowledge only after it.
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
  ScalingPolicy,
  ServiceRegistration,
  StoredACLToken,
  StoredJob,
  VariableEncrypted,
} from "../structs";
import { builtInNodePool, defaultNamespace, defaultSchedulerConfiguration, NODE_POOL_ALL, NODE_POOL_DEFAULT } from "../structs";
import { CommitQueue } from "./commit-queue";
import { evalsOfJob } from "./evals";
import { jobChildren, jobsIn } from "./jobs";
import { loadRows } from "./load";
import { NodeUsageTallies, nodeUsageSlot, type NodeUsage } from "./node-usage";
import { NodeList } from "./nodes";
import { MemoryPersistence, type Persistence } from "./persistence";
import { scalingEventsOf } from "./scaling-events";
import { scalingPoliciesMatching, type ScalingPolicyQuery } from "./scaling-policies";
import {
  ALL_TABLES,
  createTables,
  nsKey,
  SCHEDULER_CONFIG_ID,
  versionKey,
  type PeriodicLaunch,
  type ScalingEvent,
  type StateTables,
  type TableName,
} from "./schema";
import { JobSummaries } from "./summaries";
import { EventBroker } from "./event-broker";
import { eventsFromChanges } from "./events";
import { ChangeLog } from "./table";
import { persistedRowsOf, snapshotRows, SnapshotError, type Snapshot, type SnapshotRow } from "./snapshot";
import { serviceRegistrationsByName, serviceRegistrationsIn } from "./service-registrations";
import { StateTxn, type CommittedChange, type StoreParts } from "./txn";
import { variableOf, variablesIn } from "./variables";
import { TableWatchers } from "./watch";

const NO_USAGE: NodeUsage = Object.freeze({ cpu: 0, memoryMB: 0, diskMB: 0 });

/** Options of a state store. */
export interface StateStoreOptions {
  /** How many writes the event stream keeps for subscribers that resume from an index (Nomad's `event_buffer_size`, default 100). */
  eventBufferSize?: number;
  /** How many bytes of event JSON it keeps at most (drover's `event_buffer_max_bytes`, default 64 MiB). */
  eventBufferMaxBytes?: number;
}

/** The store. It offers what the scheduler reads (`SchedulerState` and its fast paths). */
export class StateStore {
  private index = 0;
  /** Every table write of the open transaction, for the event stream. */
  private readonly changeLog = new ChangeLog();
  // The tables and what is derived from them are replaced as a whole by a snapshot restore.
  private tables: StateTables = createTables(this.changeLog);
  /** The event stream's broker: every committed write publishes its events here (`/v1/event/stream`). */
  readonly events: EventBroker;
  private byName: Record<TableName, { watchIndex: number }>;
  private usage = new NodeUsageTallies();
  private nodeList = new NodeList();
  private summaries = new JobSummaries(this.tables);
  private parts: StoreParts;
  private readonly defaultSchedulerConfig = defaultSchedulerConfiguration();
  private readonly builtInPools = {
    [NODE_POOL_ALL]: builtInNodePool(NODE_POOL_ALL),
    [NODE_POOL_DEFAULT]: builtInNodePool(NODE_POOL_DEFAULT),
  };
  private readonly persistence: Persistence;
  private readonly queue: CommitQueue;
  private readonly watchers = new TableWatchers();
  private openTxn: StateTxn | null = null;
  private closed = false;
  /** Listeners told about every committed transaction (the client runtime, blocked evals). */
  private readonly listeners = new Set<(change: CommittedChange) => void>();

  /**
   * Creates a store. With a durable persistence, everything it holds is
   * loaded first.
   */
  constructor(persistence: Persistence = new MemoryPersistence(), options: StateStoreOptions = {}) {
    this.persistence = persistence;
    this.events = new EventBroker(options.eventBufferSize, options.eventBufferMaxBytes);
    this.byName = this.tables;
    this.parts = { tables: this.tables, usage: this.usage, nodeList: this.nodeList, summaries: this.summaries };
    this.queue = new CommitQueue(persistence, () => ({ index: this.index, tables: this.tableIndexes() }));
    const rows = persistence.load();
    loadRows(this.parts, rows);
    this.index = rows.index;
    for (const t of ALL_TABLES) if (rows.tableIndexes[t]) this.byName[t].watchIndex = rows.tableIndexes[t];
    this.changeLog.recording = true;
  }

  /** True when writes survive a restart. */
  get durable(): boolean {
    return this.persistence.durable;
  }

  // ---------------------------------------------------------------- reads

  /** All nodes, ordered by ID. */
  nodes(): readonly Node[] {
    return this.nodeList.all(this.tables);
  }

  /** A number that changes on every node write (the scheduler's cache key for base node sets). */
  nodesVersion(): number {
    return this.nodeList.current;
  }

  /** A node by ID. */
  nodeByID(id: string): Node | undefined {
    return this.tables.nodes.get(id);
  }

  /** A node pool by name (`all` and `default` always exist). */
  nodePool(name: string): NodePool | undefined {
    return this.tables.node_pools.get(name) ?? (name === NODE_POOL_ALL || name === NODE_POOL_DEFAULT ? this.builtInPools[name] : undefined);
  }

  /** Every node pool, sorted by name, the built-in ones included. */
  nodePools(): NodePool[] {
    const all = new Map<string, NodePool>(Object.entries(this.builtInPools));
    for (const p of this.tables.node_pools.values()) all.set(p.Name, p);
    return [...all.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }

  /** The nodes of a pool (every node for `all`), ordered by ID. */
  nodesInPool(name: string): Node[] {
    const nodes = this.nodes();
    return name === NODE_POOL_ALL ? [...nodes] : nodes.filter((n) => n.NodePool === name);
  }

  /** The current version of a job. */
  jobByID(namespace: string, id: string): StoredJob | undefined {
    return this.tables.jobs.get(nsKey(namespace, id));
  }

  /** One stored version of a job. */
  jobByVersion(namespace: string, id: string, version: number): StoredJob | undefined {
    return this.tables.job_version.get(versionKey(namespace, id, version));
  }

  /** The stored versions of a job, newest first (at most 6). */
  jobVersions(namespace: string, id: string): readonly StoredJob[] {
    return this.tables.job_version.index("job").get(nsKey(namespace, id));
  }

  /** Every current job of a namespace ("*" for all), ordered by namespace then ID. */
  jobs(namespace: string): StoredJob[] {
    return jobsIn(this.tables, namespace);
  }

  /** The last launch of a periodic job (`PeriodicLaunchByID`). */
  periodicLaunch(namespace: string, id: string): PeriodicLaunch | undefined {
    return this.tables.periodic_launch.get(nsKey(namespace, id));
  }

  /** The current children of a periodic or parameterized job. */
  jobChildren(namespace: string, parentID: string): StoredJob[] {
    return jobChildren(this.tables, namespace, parentID);
  }

  /** A job's allocation summary. */
  jobSummary(namespace: string, id: string): JobSummary | undefined {
    return this.tables.job_summary.get(nsKey(namespace, id));
  }

  /** Allocations of a job's current incarnation. */
  allocsByJob(namespace: string, jobID: string): readonly Allocation[] {
    return this.tables.allocs.index("job").get(nsKey(namespace, jobID));
  }

  /** Allocations on a node. */
  allocsByNode(nodeID: string): readonly Allocation[] {
    return this.tables.allocs.index("node").get(nodeID);
  }

  /** Allocations created by an evaluation. */
  allocsByEval(evalID: string): readonly Allocation[] {
    return this.tables.allocs.index("eval").get(evalID);
  }

  /** Allocations of a deployment. */
  allocsByDeployment(deploymentID: string): readonly Allocation[] {
    return this.tables.allocs.index("deployment").get(deploymentID);
  }

  /** An allocation by ID. */
  allocByID(id: string): Allocation | undefined {
    return this.tables.allocs.get(id);
  }

  /** Every allocation. */
  allocs(): IterableIterator<Allocation> {
    return this.tables.allocs.values();
  }

  /** Number of allocations stored. */
  allocCount(): number {
    return this.tables.allocs.size;
  }

  /** CPU/memory/disk used on a node by its non-terminal allocations (kept incrementally). */
  nodeUsage(nodeID: string): NodeUsage {
    return this.usage.get(nodeID) ?? { cpu: 0, memoryMB: 0, diskMB: 0 };
  }

  /** `nodeUsage` of a node object from `nodes()` (the scheduler's fast path: the tally is kept on the node object). */
  nodeUsageOf(node: Node): NodeUsage {
    return nodeUsageSlot(node) ?? this.usage.get(node.ID) ?? NO_USAGE;
  }

  /** Every evaluation. */
  evals(): IterableIterator<Evaluation> {
    return this.tables.evals.values();
  }

  /** An evaluation by ID. */
  evalByID(id: string): Evaluation | undefined {
    return this.tables.evals.get(id);
  }

  /** Evaluations of a job. */
  evalsByJob(namespace: string, jobID: string): Evaluation[] {
    return evalsOfJob(this.tables, namespace, jobID);
  }

  /** Every deployment. */
  deployments(): IterableIterator<Deployment> {
    return this.tables.deployment.values();
  }

  /** A deployment by ID. */
  deploymentByID(id: string): Deployment | undefined {
    return this.tables.deployment.get(id);
  }

  /** Deployments of a job, newest first. */
  deploymentsByJob(namespace: string, jobID: string): readonly Deployment[] {
    return this.tables.deployment.index("job").get(nsKey(namespace, jobID));
  }

  /** The newest deployment of a job. */
  latestDeploymentByJobID(namespace: string, jobID: string): Deployment | undefined {
    return this.deploymentsByJob(namespace, jobID)[0];
  }

  /** The scheduler configuration (Nomad's defaults until one is written). */
  schedulerConfig(): SchedulerConfiguration {
    return this.tables.scheduler_config.get(SCHEDULER_CONFIG_ID) ?? this.defaultSchedulerConfig;
  }

  /** An ACL policy by name. */
  aclPolicy(name: string): ACLPolicy | undefined {
    return this.tables.acl_policy.get(name);
  }

  /** Every ACL policy, sorted by name. */
  aclPolicies(): ACLPolicy[] {
    return [...this.tables.acl_policy.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }

  /** An ACL token by accessor ID. */
  aclTokenByAccessor(accessorID: string): StoredACLToken | undefined {
    return this.tables.acl_token.get(accessorID);
  }

  /** The ACL token whose secret hashes to `secretHash` (hex SHA-256). */
  aclTokenBySecretHash(secretHash: string): StoredACLToken | undefined {
    return this.tables.acl_token.index("secret").get(secretHash)[0];
  }

  /** Every ACL token, by creation. */
  aclTokens(): StoredACLToken[] {
    return [...this.tables.acl_token.values()].sort((a, b) => a.CreateIndex - b.CreateIndex);
  }

  /** An ACL role by ID. */
  aclRole(id: string): ACLRole | undefined {
    return this.tables.acl_role.get(id);
  }

  /** An ACL role by name. */
  aclRoleByName(name: string): ACLRole | undefined {
    return this.tables.acl_role.index("name").get(name)[0];
  }

  /** Every ACL role, by creation. */
  aclRoles(): ACLRole[] {
    return [...this.tables.acl_role.values()].sort((a, b) => a.CreateIndex - b.CreateIndex);
  }

  /** The index of the ACL bootstrap (Nomad's reset index), 0 before one. */
  aclBootstrapIndex(): number {
    return this.tables.acl_bootstrap.get("bootstrap")?.Index ?? 0;
  }

  /** A namespace by name (`default` always exists). */
  namespace(name: string): Namespace | undefined {
    return this.tables.namespaces.get(name) ?? (name === "default" ? defaultNamespace() : undefined);
  }

  /** Every namespace, sorted by name, `default` included. */
  namespaces(): Namespace[] {
    const all = new Map<string, Namespace>([["default", defaultNamespace()]]);
    for (const n of this.tables.namespaces.values()) all.set(n.Name, n);
    return [...all.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }

  /** Scaling events of a job by group. */
  scalingEvents(namespace: string, jobID: string): Record<string, ScalingEvent[]> {
    return scalingEventsOf(this.tables, namespace, jobID);
  }

  /** A scaling policy by ID. */
  scalingPolicy(id: string): ScalingPolicy | undefined {
    return this.tables.scaling_policy.get(id);
  }

  /** The scaling policies a list asks for, in Nomad's order. */
  scalingPolicies(query: ScalingPolicyQuery): ScalingPolicy[] {
    return scalingPoliciesMatching(this.tables, query);
  }

  /** A variable by namespace and path (items encrypted). */
  variable(namespace: string, path: string): VariableEncrypted | undefined {
    return variableOf(this.tables, namespace, path);
  }

  /** Variables of a namespace ("*" for all) under a path prefix, ordered by namespace then path. */
  variables(namespace: string, prefix = ""): VariableEncrypted[] {
    return variablesIn(this.tables, namespace, prefix);
  }

  /** A Nomad service registration by ID. */
  serviceRegistration(id: string): ServiceRegistration | undefined {
    return this.tables.service_registrations.get(id);
  }

  /** Nomad service registrations of a namespace ("*" for all), ordered by service name then ID. */
  serviceRegistrations(namespace: string): ServiceRegistration[] {
    return serviceRegistrationsIn(this.tables, namespace);
  }

  /** Nomad service registrations of one service in a namespace ("*" for all), ordered by ID. */
  serviceRegistrationsByName(namespace: string, name: string): readonly ServiceRegistration[] {
    return serviceRegistrationsByName(this.tables, namespace, name);
  }

  /** Nomad service registrations of an allocation. */
  serviceRegistrationsByAlloc(allocID: string): readonly ServiceRegistration[] {
    return this.tables.service_registrations.index("alloc").get(allocID);
  }

  /** Nomad service registrations of the allocations on a node. */
  serviceRegistrationsByNode(nodeID: string): readonly ServiceRegistration[] {
    return this.tables.service_registrations.index("node").get(nodeID);
  }

  /** The index of the latest write. */
  latestIndex(): number {
    return this.index;
  }

  /** The latest write index among `tables` (what `X-Nomad-Index` reports for a read of them); at least 1. */
  indexOf(tables: readonly TableName[]): number {
    let max = 0;
    for (const t of tables) max = Math.max(max, this.byName[t].watchIndex);
    return Math.max(1, max);
  }

  /** The number of blocking queries waiting on the store now. */
  get blockingQueries(): number {
    return this.watchers.size;
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
    this.openTxn = new StateTxn(this, this.parts, this.index + 1, this.persistence.durable);
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

  // ------------------------------------------------------------- snapshots

  /**
   * A point-in-time copy of the whole state (every row of every table, as
   * JSON, with the indexes), for `GET /v1/operator/snapshot`.
   */
  snapshot(): { index: number; tableIndexes: Record<string, number>; rows: SnapshotRow[] } {
    return { index: this.index, tableIndexes: this.tableIndexes(), rows: snapshotRows(this.tables) };
  }

  /**
   * Replaces the whole state by a snapshot's (Nomad's FSM restore): the rows
   * are loaded into new tables first, so a snapshot that cannot be loaded
   * changes nothing (a `SnapshotError`). Then, in one step, the new tables
   * take the old ones' place. The restore is itself a write: its index is
   * one above both the snapshot's and the store's latest, every table's
   * index becomes it (so `X-Nomad-Index` only moves forward), and every
   * blocking query wakes. The event stream's subscriptions are closed and
   * its buffer emptied (Nomad's restore abandons the old state store and its
   * event broker); subscribers are told with a change whose `restored` is
   * true. With a durable persistence the database is replaced by the
   * snapshot's rows in one transaction; the promise resolves once that is
   * durable.
   */
  restore(snapshot: Snapshot): { index: number; durable: Promise<void> } {
    if (this.closed) throw new Error("state store is closed");
    if (this.openTxn) throw new Error("a state transaction is open");
    const tables = createTables(this.changeLog);
    const parts: StoreParts = {
      tables,
      usage: new NodeUsageTallies(),
      nodeList: new NodeList(this.nodeList.current + 1),
      summaries: new JobSummaries(tables),
    };
    this.changeLog.recording = false;
    try {
      loadRows(parts, persistedRowsOf(snapshot));
    } catch (err) {
      throw new SnapshotError(`snapshot rows could not be loaded: ${(err as Error).message}`);
    } finally {
      this.changeLog.drain();
      this.changeLog.recording = true;
    }
    const index = Math.max(this.index, snapshot.header.Index) + 1;
    this.tables = tables;
    this.byName = tables;
    this.parts = parts;
    this.usage = parts.usage;
    this.nodeList = parts.nodeList;
    this.summaries = parts.summaries;
    this.index = index;
    for (const t of ALL_TABLES) this.byName[t].watchIndex = index;
    this.events.reset();
    const all = new Set<TableName>(ALL_TABLES);
    this.watchers.notify(all, index);
    const change: CommittedChange = { index, tables: all, allocs: [], nodes: [], evals: [], restored: true };
    for (const l of this.listeners) l(change);
    if (!this.persistence.durable) return { index, durable: Promise.resolve() };
    const rows = snapshot.rows.map((r) => ({ table: r.table, id: r.id, value: r.body }));
    return { index, durable: this.queue.replaceAll(rows) };
  }

  /** Waits until everything written so far is durable. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /**
   * Sends the writes waiting for durability to the persistence now (group
   * commit). The server's worker calls this before each slice of scheduling
   * work, so acknowledgements never wait behind the scheduler.
   */
  flushNow(): void {
    this.queue.flushNow();
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

  /** The latest write index of every table written so far. */
  private tableIndexes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of ALL_TABLES) if (this.byName[t].watchIndex > 0) out[t] = this.byName[t].watchIndex;
    return out;
  }

  /** @internal Called by StateTxn.commit. */
  finishTxn(txn: StateTxn): Promise<void> {
    this.openTxn = null;
    const changes = this.changeLog.drain();
    if (txn.changed.size === 0) return Promise.resolve();
    this.index = txn.index;
    this.events.publish(txn.index, eventsFromChanges(txn.index, changes));
    for (const t of txn.changed) this.byName[t].watchIndex = txn.index;
    this.watchers.notify(txn.changed, txn.index);
    const change: CommittedChange = {
      index: txn.index,
      tables: txn.changed,
      allocs: txn.touchedAllocs,
      nodes: txn.touchedNodes,
      evals: txn.touchedEvals,
    };
    for (const l of this.listeners) l(change);
    if (!this.persistence.durable) return Promise.resolve();
    return this.queue.enqueue(txn.ops);
  }

  /** @internal Called by StateTxn.abort. */
  abortTxn(): void {
    this.openTxn = null;
    this.changeLog.drain();
  }
}
