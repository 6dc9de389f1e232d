/**
 * The client side of drover's runtime: every client node of the process
 * (the local node and any simulated ones) served by one runtime, so that
 * ten thousand nodes cost one heartbeat timer and one status-sync timer.
 * It registers its nodes, heartbeats them in a batch, watches the state
 * store for allocations placed on them, runs those through alloc runners,
 * and reports status changes to the server in batches (Nomad's client syncs
 * every 200 ms).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Allocation, Node } from "../structs";
import { allocClientTerminal } from "../structs";
import type { CommittedChange } from "../state";
import type { Server } from "../server/server";
import type { ClientAllocUpdate } from "../server/node-endpoint";
import { AllocRunner } from "./alloc-runner";
import type { DriverFingerprint, TaskDriver, TaskStream } from "../drivers/driver";
import { MockDriver } from "../drivers/mock";
import { buildNode, fingerprintDrivers, type ClientNodeSpec } from "./fingerprint";
import type { TaskEnvNode } from "./task-env";
import type { TemplateSources } from "./template/funcs";
import type { ArtifactLimits } from "./artifact";
import { NodeMetaStore, type NodeMetaResponse } from "./node-meta";

/** Client runtime options. */
export interface ClientRuntimeOptions {
  /** Drivers offered on the local node (default: the mock driver). */
  drivers?: TaskDriver[];
  /** Drivers offered on simulated nodes (default: the mock driver only). */
  simDrivers?: TaskDriver[];
  /**
   * The agent's data directory: the client keeps task directories under
   * `<dataDir>/client` and reattaches tasks after a restart. Without it a
   * per-agent temp directory is used (removed at stop), mock output stays
   * in memory, and real tasks are killed at stop.
   */
  dataDir?: string;
  /** Region, for NOMAD_REGION (default "global"). */
  region?: string;
  /** Directories of terminal allocations kept (Nomad's `gc_max_allocs`, default 50); older ones are removed. */
  gcMaxAllocs?: number;
  /** How often status changes are sent to the server, ms (default 100; Nomad 200). */
  syncIntervalMs?: number;
  /** Log sink. */
  log?: (message: string) => void;
  /** Limits of artifact downloads (Nomad's `client.artifact`; its defaults when unset). */
  artifactLimits?: ArtifactLimits;
}

/** The client runtime. */
export class ClientRuntime {
  private readonly nodeIDs = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly runners = new Map<string, AllocRunner>();
  private readonly drivers: TaskDriver[];
  private readonly driverMap: Map<string, TaskDriver>;
  private readonly simDrivers: TaskDriver[];
  private readonly simDriverMap: Map<string, TaskDriver>;
  private readonly simNodeIDs = new Set<string>();
  private readonly nodeInfo = new Map<string, TaskEnvNode>();
  /** The nodes as this runtime registered them (registered again when a snapshot restore left them out). */
  private readonly registered = new Map<string, Node>();
  private fingerprints: Promise<Map<string, DriverFingerprint>> | null = null;
  private simFingerprints: Promise<Map<string, DriverFingerprint>> | null = null;
  private readonly dataDir: string | undefined;
  private readonly region: string;
  private tempDir: string | null = null;
  private readonly seenStopped = new Set<string>();
  private readonly gcMaxAllocs: number;
  /** Dynamic node metadata (`/v1/client/metadata`), persisted under the data dir. */
  private readonly nodeMeta: NodeMetaStore;
  private readonly gcQueue: { allocID: string; root: string }[] = [];
  private readonly gcQueued = new Set<string>();
  private readonly syncIntervalMs: number;
  private dirty = new Map<string, ClientAllocUpdate>();
  private syncTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatEveryMs = 5000;
  private unsubscribe: (() => void) | null = null;
  private queue: Allocation[] = [];
  private queueScheduled = false;
  private running = false;
  private inflight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly server: Server,
    options: ClientRuntimeOptions = {},
  ) {
    this.drivers = options.drivers ?? [new MockDriver()];
    this.driverMap = new Map(this.drivers.map((d) => [d.name, d]));
    this.simDrivers = options.simDrivers ?? [this.drivers.find((d) => d.name === "mock_driver") ?? new MockDriver()];
    this.simDriverMap = new Map(this.simDrivers.map((d) => [d.name, d]));
    this.dataDir = options.dataDir;
    this.artifactLimits = options.artifactLimits;
    this.region = options.region ?? "global";
    this.gcMaxAllocs = options.gcMaxAllocs ?? 50;
    this.nodeMeta = new NodeMetaStore(options.dataDir ? path.join(options.dataDir, "client", "node-meta.json") : undefined);
    this.syncIntervalMs = options.syncIntervalMs ?? 100;
  }

  /** IDs of the nodes this runtime serves. */
  get nodes(): readonly string[] {
    return [...this.nodeIDs];
  }

  /**
   * The client directory (`<data-dir>/client`, or a per-agent temp dir
   * created on first use and removed at stop). Allocation directories are
   * laid out under it as `AllocDirLayout` describes.
   */
  get clientDir(): string {
    if (this.dataDir) return path.join(this.dataDir, "client");
    // Created on first use; after stop() the (removed) path is returned, never a new directory.
    if (!this.tempDir) {
      this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-client-"));
      // Traversable (not listable) by others, so that tasks run as another `user` reach their own directories.
      fs.chmodSync(this.tempDir, 0o711);
    }
    return this.tempDir;
  }

  /**
   * Output of a task kept in memory (clients without a data dir run mock
   * tasks without files); undefined when the task writes files (read them
   * through `AllocDirLayout`) or is unknown.
   */
  memoryLog(allocID: string, task: string, stream: TaskStream): Buffer | undefined {
    return this.runners.get(allocID)?.memoryLog(task)?.read(stream);
  }

  /** Every alloc runner of this client (read-only use: task states, for tests and benchmarks). */
  allocRunners(): AllocRunner[] {
    return [...this.runners.values()];
  }

  /** The alloc runner of an allocation this client runs, if any (for client endpoints: task IDs, drivers). */
  allocRunner(allocID: string): AllocRunner | undefined {
    return this.runners.get(allocID);
  }

  /**
   * Process IDs of a running task: its main process and the rest of its
   * process group (for CPU and memory stats); [] when it runs none here.
   */
  taskPids(allocID: string, task: string): number[] {
    const pid = this.runners.get(allocID)?.taskRunners.find((t) => t.name === task)?.pid;
    if (pid === undefined) return [];
    const out = [pid];
    try {
      for (const p of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(p) || Number(p) === pid) continue;
        try {
          const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
          const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          if (Number(rest[2]) === pid) out.push(Number(p));
        } catch {
          // gone
        }
      }
    } catch {
      // no /proc
    }
    return out;
  }

  private tasksOf(allocID: string, task: string) {
    const runner = this.runners.get(allocID);
    if (!runner) throw new Error(`Unknown allocation "${allocID}" on this client`);
    const tasks = task ? runner.taskRunners.filter((t) => t.name === task) : runner.taskRunners.filter((t) => t.state.State === "running");
    if (task && tasks.length === 0) throw new Error(`Unknown task "${task}" in allocation "${allocID}"`);
    return tasks;
  }

  /**
   * Restarts one task, every running task when `task` is "", or with
   * `allTasks` every task including those that have completed, the
   * lifecycle running again (`nomad alloc restart [-all-tasks]`).
   */
  async restartTask(allocID: string, task: string, allTasks = false): Promise<void> {
    if (allTasks && task) throw new Error("task name cannot be set when restarting all tasks");
    if (allTasks) {
      const runner = this.runners.get(allocID);
      if (!runner) throw new Error(`Unknown allocation "${allocID}" on this client`);
      await runner.restartAll("User requested all tasks to restart");
      return;
    }
    const reason = task ? "User requested task to restart" : "User requested running tasks to restart";
    await Promise.all(this.tasksOf(allocID, task).map((t) => t.restart(reason)));
  }

  /** Signals one task, or every running task when `task` is "" (`nomad alloc signal`). */
  async signalTask(allocID: string, task: string, signal: string): Promise<void> {
    await Promise.all(this.tasksOf(allocID, task).map((t) => t.signal(signal)));
  }

  /** Looks at the allocations of these nodes again (after they were paused or revived). */
  resyncNodes(nodeIDs: readonly string[]): void {
    for (const id of nodeIDs) if (this.nodeIDs.has(id)) for (const a of this.server.store.allocsByNode(id)) this.enqueue(a);
  }

  /** Number of allocations being run. */
  get runningAllocs(): number {
    return this.runners.size;
  }

  /** Starts watching allocations (call before adding nodes). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const unsubscribeStore = this.server.store.subscribe((c) => this.onChange(c));
    const unsubscribeChecks = this.server.services.onCheckStatusChange((id) => this.runners.get(id)?.checksChanged());
    this.unsubscribe = () => {
      unsubscribeStore();
      unsubscribeChecks();
    };
    this.syncTimer = setInterval(() => this.sync(), this.syncIntervalMs);
    this.syncTimer.unref?.();
  }

  /**
   * Registers nodes (one write for all of them) and starts running the
   * allocations the state already places on them (after a restart).
   */
  async addNodes(specs: readonly ClientNodeSpec[]): Promise<Node[]> {
    const now = this.server.clock.nowMs();
    const real = specs.some((s) => !s.simulated);
    const sim = specs.some((s) => s.simulated);
    if (real && !this.fingerprints) this.fingerprints = fingerprintDrivers(this.drivers);
    if (sim && !this.simFingerprints) this.simFingerprints = fingerprintDrivers(this.simDrivers);
    const fp = real ? await this.fingerprints! : null;
    const simFp = sim ? await this.simFingerprints! : null;
    const nodes = specs.map((s) => buildNode(s, s.simulated ? simFp! : fp!, now));
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      n.Meta = this.nodeMeta.register(n.ID, n.Meta ?? {});
      this.nodeIDs.add(n.ID);
      this.registered.set(n.ID, n);
      if (specs[i].simulated) this.simNodeIDs.add(n.ID);
      else
        this.nodeInfo.set(n.ID, {
          ID: n.ID,
          Name: n.Name,
          Datacenter: n.Datacenter,
          NodeClass: n.NodeClass,
          NodePool: n.NodePool,
          Attributes: n.Attributes,
          Meta: n.Meta,
        });
    }
    const { heartbeatTTLMs } = await this.server.nodes.register(nodes);
    this.scheduleHeartbeats(heartbeatTTLMs);
    for (const n of nodes) for (const a of this.server.store.allocsByNode(n.ID)) this.enqueue(a);
    return nodes;
  }

  /** Stops heartbeating some nodes (they will be marked down after their TTL), or resumes them. */
  setHeartbeating(nodeIDs: readonly string[], on: boolean): void {
    for (const id of nodeIDs) {
      if (on) this.paused.delete(id);
      else this.paused.add(id);
    }
  }

  private scheduleHeartbeats(ttlMs: number): void {
    const every = Math.max(10, Math.floor(ttlMs / 2));
    if (this.heartbeatTimer && every >= this.heartbeatEveryMs) return;
    this.heartbeatEveryMs = every;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), every);
    this.heartbeatTimer.unref?.();
  }

  private heartbeat(): void {
    if (!this.running) return;
    const ids: string[] = [];
    for (const id of this.nodeIDs) if (!this.paused.has(id)) ids.push(id);
    if (ids.length === 0) return;
    try {
      const ttl = this.server.nodes.heartbeat(ids);
      this.scheduleHeartbeats(ttl);
    } catch {
      // The server is shutting down.
    }
  }

  private onChange(change: CommittedChange): void {
    if (change.restored) {
      setImmediate(() => this.afterRestore());
      return;
    }
    for (const a of change.allocs) if (this.nodeIDs.has(a.NodeID)) this.enqueue(a);
    const what = { variables: change.tables.has("variables"), services: change.tables.has("service_registrations") };
    if ((what.variables || what.services) && this.templateListeners.size > 0) for (const l of [...this.templateListeners]) l(what);
  }

  /**
   * After a snapshot restore replaced the server's state, the client falls
   * in with it, as a Nomad client does with its servers' state: a node of
   * this runtime that the restored state does not know registers again; an
   * allocation it runs that the restored state does not hold is killed and
   * forgotten; the allocations the restored state places on its nodes run
   * (or stop, as their desired status says).
   */
  private afterRestore(): void {
    if (!this.running) return;
    const store = this.server.store;
    for (const [id, runner] of [...this.runners]) {
      const a = store.allocByID(id);
      if (a && this.nodeIDs.has(a.NodeID)) continue;
      this.runners.delete(id);
      this.dirty.delete(id);
      void runner.discard();
    }
    const missing = [...this.registered.values()].filter((n) => !store.nodeByID(n.ID));
    const rerun = () => {
      if (!this.running) return;
      for (const id of this.nodeIDs) for (const a of store.allocsByNode(id)) this.enqueue(a);
    };
    if (missing.length === 0) return rerun();
    const now = this.server.clock.nowMs();
    const nodes = missing.map((n) => ({ ...n, Status: "ready" as const, StatusUpdatedAt: Math.floor(now / 1000), Events: [] }));
    this.server.nodes.register(nodes).then(
      ({ heartbeatTTLMs }) => {
        this.scheduleHeartbeats(heartbeatTTLMs);
        rerun();
      },
      () => rerun(),
    );
  }

  private readonly artifactLimits: ArtifactLimits | undefined;

  private readonly templateListeners = new Set<(what: { variables: boolean; services: boolean }) => void>();

  /** What the templates of this client's tasks read: the server's variables and service registrations. */
  private readonly templateSources: TemplateSources = {
    variable: (ns, p) => this.server.variables.read(ns, p),
    variables: (ns, prefix) => this.server.store.variables(ns, prefix).map((v) => this.server.variables.decrypt(v)),
    service: (ns, name) =>
      this.server.services.byName(ns, name).map((r) => ({
        ID: r.ID,
        Name: r.ServiceName,
        Namespace: r.Namespace,
        NodeID: r.NodeID,
        Datacenter: r.Datacenter,
        JobID: r.JobID,
        AllocID: r.AllocID,
        Tags: [...(r.Tags ?? [])],
        Address: r.Address,
        Port: r.Port,
      })),
    services: (ns) => {
      const byName = new Map<string, Set<string>>();
      for (const r of this.server.services.list(ns)) {
        const tags = byName.get(r.ServiceName) ?? new Set<string>();
        for (const t of r.Tags ?? []) tags.add(t);
        byName.set(r.ServiceName, tags);
      }
      return [...byName.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([Name, tags]) => ({ Name, Tags: [...tags].sort() }));
    },
    onChange: (listener) => {
      this.templateListeners.add(listener);
      return () => this.templateListeners.delete(listener);
    },
  };

  private enqueue(a: Allocation): void {
    this.queue.push(a);
    if (this.queueScheduled) return;
    this.queueScheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.queueScheduled = false;
    const items = this.queue;
    this.queue = [];
    for (const a of items) {
      if (!this.running || this.paused.has(a.NodeID)) continue;
      const current = this.server.store.allocByID(a.ID) ?? a;
      const runner = this.runners.get(current.ID);
      if (!runner) {
        if (current.DesiredStatus === "run" && !allocClientTerminal(current)) {
          const r = this.newRunner(current);
          this.runners.set(current.ID, r);
          r.run();
        } else if (
          this.dataDir &&
          !allocClientTerminal(current) &&
          !this.seenStopped.has(current.ID) &&
          fs.existsSync(path.join(this.clientDir, "state", `${current.ID}.json`))
        ) {
          // Stopped while this agent was down, with tasks it had started: reattach them to stop them.
          this.seenStopped.add(current.ID);
          const r = this.newRunner(current);
          r.run();
          r.stop();
        }
        continue;
      }
      if (current.DesiredStatus !== "run") {
        if (allocClientTerminal(current) && !runner.terminal) {
          // The server already decided the outcome (lost): forget it quietly.
          void runner.discard();
          this.runners.delete(current.ID);
        } else {
          runner.stop();
          this.runners.delete(current.ID);
        }
      } else runner.update(current);
    }
  }

  private newRunner(alloc: Allocation): AllocRunner {
    const sim = this.simNodeIDs.has(alloc.NodeID);
    const r: AllocRunner = new AllocRunner(alloc, sim ? this.simDriverMap : this.driverMap, (u) => this.report(u, r), {
      clockMs: () => this.server.clock.nowMs(),
      clientDir: () => this.clientDir,
      // Simulated nodes run nothing that could be reattached after a restart.
      persistent: this.dataDir !== undefined && !sim,
      memoryLogs: this.dataDir === undefined,
      node: () => this.nodeInfo.get(alloc.NodeID) ?? nodeFromStore(this.server, alloc.NodeID),
      region: this.region,
      checksHealthy: (a) => this.server.services.checksHealthy(a),
      templateSources: this.templateSources,
      hostVolumes: () => this.server.store.nodeByID(alloc.NodeID)?.HostVolumes ?? null,
      artifactLimits: this.artifactLimits,
    });
    return r;
  }

  private report(u: ClientAllocUpdate, runner: AllocRunner): void {
    this.dirty.set(u.ID, u);
    const terminal = u.ClientStatus === "complete" || u.ClientStatus === "failed";
    if (terminal && runner.hasAllocDir && !this.gcQueued.has(u.ID)) this.collectLater(u.ID, runner);
  }

  /**
   * Keeps the directories of the newest `gcMaxAllocs` terminal allocations
   * (Nomad's `gc_max_allocs`, default 50) and removes older ones, so that
   * logs stay readable after a task ends without the disk filling up.
   */
  private collectLater(allocID: string, runner: AllocRunner): void {
    this.gcQueued.add(allocID);
    this.gcQueue.push({ allocID, root: runner.layout.root });
    while (this.gcQueue.length > this.gcMaxAllocs) {
      const old = this.gcQueue.shift()!;
      this.gcQueued.delete(old.allocID);
      const live = this.runners.get(old.allocID);
      if (live && !live.terminal) continue;
      fs.rm(old.root, { recursive: true, force: true }, () => {});
    }
  }

  /**
   * Garbage collects one terminal allocation now (Nomad's
   * `Client.CollectAllocation`, `/v1/client/allocation/:id/gc`): removes its
   * directory and forgets its runner and in-memory output. False when this
   * client holds nothing of it (never ran here, or already collected) or it
   * is not terminal yet.
   */
  async collectAllocation(allocID: string): Promise<boolean> {
    const runner = this.runners.get(allocID);
    if (runner && !runner.terminal) return false;
    const queued = this.gcQueue.findIndex((q) => q.allocID === allocID);
    if (!runner && queued < 0) return false;
    const root = queued >= 0 ? this.gcQueue[queued].root : runner!.hasAllocDir ? runner!.layout.root : undefined;
    if (queued >= 0) this.gcQueue.splice(queued, 1);
    this.gcQueued.delete(allocID);
    if (runner) {
      this.runners.delete(allocID);
      await runner.discard();
    }
    if (root) await fs.promises.rm(root, { recursive: true, force: true });
    return true;
  }

  /**
   * Garbage collects every terminal allocation of a node (Nomad's
   * `Client.CollectAllAllocs`, `/v1/client/gc`); returns how many.
   */
  async collectAllAllocations(nodeID: string): Promise<number> {
    const ids = new Set<string>();
    for (const q of this.gcQueue) ids.add(q.allocID);
    for (const [id, r] of this.runners) if (r.terminal) ids.add(id);
    let n = 0;
    for (const id of ids) {
      if (this.server.store.allocByID(id)?.NodeID !== nodeID) continue;
      if (await this.collectAllocation(id)) n++;
    }
    return n;
  }

  /** A node's metadata, dynamic and static (`GET /v1/client/metadata`); undefined for a node this client does not run. */
  readNodeMeta(nodeID: string): NodeMetaResponse | undefined {
    if (!this.nodeIDs.has(nodeID)) return undefined;
    return this.nodeMeta.read(nodeID, this.server.store.nodeByID(nodeID)?.Meta ?? {});
  }

  /**
   * Applies dynamic metadata to a node (`POST /v1/client/metadata`, Nomad's
   * `NodeMeta.Apply`; `meta` checked by the caller, null unsets a key):
   * persisted first, then the node is updated on the server, which
   * re-evaluates what its constraints may now allow. Undefined for a node
   * this client does not run.
   */
  async applyNodeMeta(nodeID: string, meta: Record<string, string | null>): Promise<NodeMetaResponse | undefined> {
    if (!this.nodeIDs.has(nodeID)) return undefined;
    const reply = await this.nodeMeta.apply(nodeID, this.server.store.nodeByID(nodeID)?.Meta ?? {}, meta);
    await this.server.nodes.updateMeta(nodeID, reply.Meta);
    const info = this.nodeInfo.get(nodeID);
    if (info) this.nodeInfo.set(nodeID, { ...info, Meta: reply.Meta });
    return reply;
  }

  /** Sends pending status changes to the server now. */
  sync(): Promise<unknown> {
    if (this.dirty.size === 0) return this.inflight;
    const batch = [...this.dirty.values()];
    this.dirty = new Map();
    this.inflight = this.server.nodes.updateAllocs(batch).catch(() => {});
    return this.inflight;
  }

  /**
   * Stops every runner and timer. With a data dir, tasks whose driver can
   * reattach keep running (as when a Nomad client shuts down) and are
   * recovered at the next start; otherwise they are killed, and the temp
   * client dir is removed.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.syncTimer) clearInterval(this.syncTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(runners.map((r) => r.destroy()));
    await this.inflight;
    const drivers = new Set([...this.drivers, ...this.simDrivers]);
    await Promise.all([...drivers].map((d) => d.close?.().catch(() => undefined)));
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
    else this.tempDir = path.join(os.tmpdir(), "drover-client-stopped");
  }
}

function nodeFromStore(server: Server, nodeID: string): TaskEnvNode | null {
  const n = server.store.nodeByID(nodeID);
  return n
    ? {
        ID: n.ID,
        Name: n.Name,
        Datacenter: n.Datacenter,
        NodeClass: n.NodeClass,
        NodePool: n.NodePool,
        Attributes: n.Attributes,
        Meta: n.Meta,
      }
    : null;
}
