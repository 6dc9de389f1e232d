/**
 * The server of drover's runtime: the state store plus the leader's moving
 * parts, wired as in Nomad: the eval broker feeds the scheduler worker, the
 * worker's plans go through the single plan applier, failed placements park
 * in the blocked-evals tracker until capacity appears, and the heartbeat
 * tracker marks silent nodes down. Job, node and allocation operations live
 * in their endpoint classes (`jobs`, `nodes`, `allocs`).
 */
import { SearchEndpoint } from "./search-endpoint";
import { Telemetry } from "./telemetry";
import { performance } from "node:perf_hooks";
import type { Evaluation, Node, PlanResult, StoredJob } from "../structs";
import { evalTerminal } from "../structs";
import type { Planner, SchedulerFactory, SchedulerOptions } from "../scheduler/interfaces";
import type { StateStore } from "../state";
import { BlockedEvals } from "./blocked-evals";
import { nowNs, randomIDs, systemClock, type Clock } from "./clock";
import { EvalBroker, type EvalBrokerOptions } from "./eval-broker";
import { newJobEval } from "../structs";
import { HeartbeatTracker, type HeartbeatOptions } from "./heartbeat";
import { PlanApplier } from "./plan-applier";
import { newScheduler, verifyNodePlan } from "../scheduler";
import { JobEndpoint, type MultiregionRegistrar } from "./job-endpoint";
import type { JobLimits } from "./job-bounds";
import { NodeEndpoint } from "./node-endpoint";
import { AllocEndpoint } from "./alloc-endpoint";
import { computeNodeClass } from "../structs";
import { DeploymentWatcher } from "./deployment-watcher";
import { DeploymentEndpoint } from "./deployment-endpoint";
import { GarbageCollector, type GCOptions } from "./gc";
import { NodeDrainer } from "./drain";
import { ServiceDiscovery } from "../services/discovery";
import { PeriodicDispatch } from "./periodic";
import { ACLEndpoint, type ACLOptions } from "./acl-endpoint";
import { NamespaceEndpoint } from "./namespace-endpoint";
import { NodePoolEndpoint } from "./node-pool-endpoint";
import { Encrypter } from "./encrypter";
import { VariablesEndpoint } from "./variables-endpoint";
import { SnapshotEndpoint } from "./snapshot-endpoint";

/** Server options. Every field has a production default. */
export interface ServerOptions {
  /** The state store (in memory or persisted). */
  store: StateStore;
  /** Region name, Nomad default "global". */
  region?: string;
  /** Datacenter of the server, Nomad default "dc1". */
  datacenter?: string;
  /** Time source (tests inject a fake). */
  clock?: Clock;
  /** ID generator (tests inject a sequence). */
  newID?: () => string;
  /** Randomness for TTL stagger and follow-up delays (tests inject a constant). */
  random?: () => number;
  /** Broker knobs. */
  broker?: EvalBrokerOptions;
  /** Heartbeat knobs. */
  heartbeat?: HeartbeatOptions;
  /** Overrides the scheduler factory (default: lib/runtime/scheduler's `newScheduler`, else the fallback). */
  schedulerFactory?: SchedulerFactory;
  /** Delay of the follow-up eval after an eval failed, ms: base (Nomad 1 min) plus up to `range` (Nomad 5 min). */
  failedFollowupDelayMs?: { base: number; range: number };
  /** Where the server logs (default: nowhere). */
  log?: (message: string) => void;
  /** Garbage collection thresholds and interval (Nomad's defaults when unset). */
  gc?: GCOptions;
  /** Registers multiregion jobs in every region they list (the agent's multiregion coordinator); without it a job is registered in this region alone. */
  multiregion?: MultiregionRegistrar;
  /** Bounds on submitted jobs (the largest group count; default: job-bounds' DEFAULT_MAX_GROUP_COUNT). */
  jobLimits?: JobLimits;
  /** ACL enforcement (default: disabled, every request allowed, as Nomad without `acl { enabled = true }`). */
  acl?: ACLOptions;
  /** The keyring that encrypts Nomad Variables (default: a key held in memory; the agent opens one in its data dir). */
  encrypter?: Encrypter;
}

/** Counters of the worker, for stats and tests. */
export interface WorkerStats {
  /** Evals processed (acked). */
  processed: number;
  /** Evals nacked after the scheduler threw. */
  nacked: number;
}

/** The server. */
export class Server {
  /** The state store. */
  readonly store: StateStore;
  /** The eval broker. */
  readonly broker: EvalBroker;
  /** Blocked evaluations. */
  readonly blocked: BlockedEvals;
  /** Heartbeat deadlines of the client nodes. */
  readonly heartbeats: HeartbeatTracker;
  /** The plan applier. */
  readonly applier: PlanApplier;
  /** Job operations. */
  readonly jobs: JobEndpoint;
  /** Node operations (registration, status, eligibility, drain, client alloc updates). */
  readonly nodes: NodeEndpoint;
  /** Allocation operations. */
  readonly allocs: AllocEndpoint;
  /** Moves deployments along as allocation health is reported. */
  readonly deploymentWatcher: DeploymentWatcher;
  /** Deployment operations (promote, fail, pause, allocation health, unblock). */
  readonly deployments: DeploymentEndpoint;
  /** Counters and timing samples for `/v1/metrics`. */
  readonly telemetry = new Telemetry();
  /** Prefix and fuzzy search over jobs, evaluations, allocations, nodes, deployments, node pools and namespaces. */
  readonly search: SearchEndpoint;
  /** Nomad's built-in service discovery: registrations of `provider = "nomad"` services and their checks. */
  readonly services: ServiceDiscovery;
  /** Moves allocations off draining nodes per their groups' migrate blocks. */
  readonly drainer: NodeDrainer;
  /** Garbage collection of old terminal state (Nomad's core scheduler). */
  readonly gc: GarbageCollector;
  /** Launches the children of periodic jobs on their schedules. */
  readonly periodic: PeriodicDispatch;
  /** ACL policies, tokens, roles and the resolution of a request's token. */
  readonly acl: ACLEndpoint;
  /** Namespace operations. */
  readonly namespaces: NamespaceEndpoint;
  /** Node pool writes. */
  readonly nodePools: NodePoolEndpoint;
  /** Nomad Variables: reads, check-and-set writes, locks (items encrypted by the server's keyring). */
  readonly variables: VariablesEndpoint;
  /** Snapshots of the whole state: save and restore (`/v1/operator/snapshot`). */
  readonly snapshots: SnapshotEndpoint;
  /** Region. */
  readonly region: string;
  /** Datacenter. */
  readonly datacenter: string;
  /** Time source. */
  readonly clock: Clock;
  /** ID generator. */
  readonly newID: () => string;
  /** Randomness. */
  readonly random: () => number;
  /** Worker counters. */
  readonly workerStats: WorkerStats = { processed: 0, nacked: 0 };
  /** The scheduler factory in use. */
  readonly schedulerFactory: SchedulerFactory;
  private readonly log: (message: string) => void;
  private readonly followup: { base: number; range: number };
  private running = false;
  private pumpScheduled = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(options: ServerOptions) {
    this.store = options.store;
    this.region = options.region ?? "global";
    this.datacenter = options.datacenter ?? "dc1";
    this.clock = options.clock ?? systemClock;
    this.newID = options.newID ?? randomIDs;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
    this.followup = options.failedFollowupDelayMs ?? { base: 60_000, range: 300_000 };
    this.schedulerFactory = options.schedulerFactory ?? newScheduler;
    this.broker = new EvalBroker(this.clock, options.broker, { onReady: () => this.kick(), onFailed: () => this.kick() });
    this.blocked = new BlockedEvals((evals) => this.unblockEvals(evals));
    this.heartbeats = new HeartbeatTracker(this.clock, (ids) => this.nodes.heartbeatsMissed(ids), options.heartbeat, this.random);
    this.applier = new PlanApplier(
      this.store,
      verifyNodePlan,
      () => this.now(),
      this.newID,
      (evals) => {
        for (const e of evals) this.route(e);
      },
    );
    this.jobs = new JobEndpoint(this, options.multiregion ?? null, options.jobLimits);
    this.nodes = new NodeEndpoint(this);
    this.allocs = new AllocEndpoint(this);
    this.deploymentWatcher = new DeploymentWatcher(this);
    this.deployments = new DeploymentEndpoint(this);
    this.services = new ServiceDiscovery(this.store, {}, (m) => this.logMessage(m));
    this.acl = new ACLEndpoint(this, options.acl);
    this.namespaces = new NamespaceEndpoint(this);
    this.nodePools = new NodePoolEndpoint(this);
    this.search = new SearchEndpoint(this.store);
    this.drainer = new NodeDrainer(this);
    this.gc = new GarbageCollector(this, options.gc);
    this.periodic = new PeriodicDispatch(this);
    const encrypter = options.encrypter ?? Encrypter.inMemory();
    this.variables = new VariablesEndpoint(this.store, encrypter, this.clock);
    this.snapshots = new SnapshotEndpoint(this, encrypter);
  }

  /** Writes a message to the server's log. */
  logMessage(message: string): void {
    this.log(message);
  }

  /** Unix nanoseconds now. */
  now(): number {
    return nowNs(this.clock);
  }

  /**
   * Starts the leader duties: restores the broker and the blocked evals from
   * state (as a new leader does) and gives every live node a fresh heartbeat
   * deadline.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.broker.enable();
    const evals = [...this.store.evals()].sort((a, b) => a.CreateIndex - b.CreateIndex);
    for (const e of evals) {
      if (e.Status === "pending") this.broker.enqueue(e);
      else if (e.Status === "blocked") this.blocked.block(e);
    }
    const live = this.store
      .nodes()
      .filter((n) => n.Status === "ready" || n.Status === "initializing")
      .map((n) => n.ID);
    if (live.length > 0) this.heartbeats.resetMany(live);
    this.deploymentWatcher.start();
    this.drainer.start();
    this.gc.start();
    this.services.start();
    this.periodic.start();
    this.variables.start();
    this.kick();
  }

  /** Stops the worker, broker and heartbeat timers. */
  stop(): void {
    this.running = false;
    this.broker.disable();
    this.blocked.flush();
    this.heartbeats.stop();
    this.deploymentWatcher.stop();
    this.drainer.stop();
    this.gc.stop();
    this.services.stop();
    this.periodic.stop();
    this.variables.stop();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Whether the server is running. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Options handed to schedulers. */
  schedulerOptions(): SchedulerOptions {
    return { now: () => this.now(), newID: this.newID };
  }

  /** Computed node class of a node (for blocked-eval unblocking). */
  nodeClass(node: Node): string {
    return node.ComputedClass || computeNodeClass(node);
  }

  // ------------------------------------------------------------ evals

  /** Writes new evaluations and hands them to the broker (pending) or the blocked tracker (blocked). */
  createEvals(evals: Evaluation[]): { index: number; durable: Promise<void> } {
    const { index, durable } = this.store.write((txn) => {
      for (const e of evals) txn.putEval(e);
    });
    for (const e of evals) this.route(e);
    return { index, durable };
  }

  /** Puts an eval where its status says it belongs. */
  route(e: Evaluation): void {
    if (!this.running) return;
    if (e.Status === "pending") this.broker.enqueue(e);
    else if (e.Status === "blocked") this.blocked.block(e);
    this.cancelDuplicates();
  }

  private unblockEvals(evals: Evaluation[]): void {
    const now = this.now();
    const updated = evals.map((e) => ({ ...e, Status: "pending" as const, StatusDescription: "", ModifyTime: now }));
    this.store.write((txn) => {
      for (const e of updated) txn.putEval(e);
    });
    for (const e of updated) this.broker.enqueue(e);
  }

  private cancelDuplicates(): void {
    const dups = [...this.blocked.takeDuplicates(), ...this.broker.takeCancelable()];
    if (dups.length === 0) return;
    const now = this.now();
    this.store.write((txn) => {
      for (const d of dups) {
        const current = this.store.evalByID(d.ID) ?? d;
        if (evalTerminal(current)) continue;
        txn.putEval({
          ...current,
          Status: "canceled",
          StatusDescription: "canceled after more recent eval was processed",
          ModifyTime: now,
        });
      }
    });
  }

  // ------------------------------------------------------------ worker

  /** Schedules the worker to run soon. */
  kick(): void {
    if (this.pumpScheduled || !this.running) return;
    this.pumpScheduled = true;
    setImmediate(() => this.pump());
  }

  /** Resolves when the broker has nothing ready or in flight (tests and benchmarks). */
  whenIdle(): Promise<void> {
    const s = this.broker.stats();
    if (s.totalReady === 0 && s.totalUnacked === 0 && !this.pumpScheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (!this.running) return;
    // Acknowledge the writes waiting for durability first (group commit), then schedule for a short slice.
    this.store.flushNow();
    // The scheduler configuration's PauseEvalBroker: evaluations wait in the broker until it is turned off again.
    const paused = this.store.schedulerConfig().PauseEvalBroker;
    const start = performance.now();
    while (!paused && performance.now() - start < 5) {
      const d = this.broker.dequeue();
      if (!d) break;
      this.processEval(d.eval, d.token);
    }
    this.reapFailed();
    this.cancelDuplicates();
    if (paused) return;
    if (this.broker.stats().totalReady > 0) this.kick();
    else for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Runs the scheduler for one evaluation, then acks (or nacks if it threw). */
  private processEval(dequeued: Evaluation, token: string): void {
    const e = this.store.evalByID(dequeued.ID) ?? dequeued;
    if (evalTerminal(e)) {
      this.broker.ack(e.ID, token);
      return;
    }
    try {
      const started = performance.now();
      const scheduler = this.schedulerFactory(e.Type, this.store, this.planner(), this.schedulerOptions());
      scheduler.process(e);
      this.telemetry.sample(`nomad.nomad.worker.invoke_scheduler.${e.Type}`, performance.now() - started);
      this.broker.ack(e.ID, token);
      this.workerStats.processed++;
    } catch (err) {
      this.workerStats.nacked++;
      this.log(`worker: eval ${e.ID} (job ${e.JobID}) failed: ${(err as Error).stack ?? String(err)}`);
      this.broker.nack(e.ID, token);
    }
  }

  /** Evals past the delivery limit: mark failed and create a delayed follow-up (Nomad's `reapFailedEvaluations`). */
  private reapFailed(): void {
    const failed = this.broker.takeFailed();
    if (failed.length === 0) return;
    const now = this.now();
    const followups: Evaluation[] = [];
    this.store.write((txn) => {
      for (const f of failed) {
        const delayMs = this.followup.base + Math.floor(this.random() * this.followup.range);
        const follow: Evaluation = {
          ...newJobEval(
            {
              ID: f.JobID,
              Namespace: f.Namespace,
              Type: f.Type as StoredJob["Type"],
              JobModifyIndex: f.JobModifyIndex,
              Priority: f.Priority,
            },
            { id: this.newID(), now, triggeredBy: "failed-follow-up", wait: delayMs * 1_000_000, previousEval: f.ID },
          ),
        };
        txn.putEval({
          ...(this.store.evalByID(f.ID) ?? f),
          Status: "failed",
          StatusDescription: `evaluation reached delivery limit (${this.broker.deliveryLimit})`,
          NextEval: follow.ID,
          ModifyTime: now,
        });
        txn.putEval(follow);
        followups.push(follow);
      }
    });
    for (const f of followups) this.broker.enqueue(f);
  }

  /** The planner handed to schedulers: plans go to the applier, eval changes to the store. */
  private planner(): Planner {
    return {
      submitPlan: (plan): PlanResult => {
        const started = performance.now();
        const result = this.applier.apply(plan);
        this.telemetry.sample("nomad.nomad.plan.submit", performance.now() - started);
        return result;
      },
      updateEval: (e) => {
        e.ModifyTime = this.now();
        this.store.write((txn) => {
          txn.putEval(e);
          if (e.Status === "complete" && (!e.FailedTGAllocs || Object.keys(e.FailedTGAllocs).length === 0)) {
            const blocked = this.blocked.forJob(e.Namespace, e.JobID);
            if (blocked && blocked.ID !== e.ID && blocked.CreateIndex < e.CreateIndex) {
              this.blocked.untrack(e.Namespace, e.JobID);
              const current = this.store.evalByID(blocked.ID) ?? blocked;
              txn.putEval({
                ...current,
                Status: "canceled",
                StatusDescription: "canceled since a later evaluation placed everything",
                ModifyTime: e.ModifyTime,
              });
            }
          }
        });
      },
      createEval: (e) => {
        this.store.write((txn) => txn.putEval(e));
        this.route(e);
      },
      reblockEval: (e) => {
        e.Status = "blocked";
        e.ModifyTime = this.now();
        this.store.write((txn) => txn.putEval(e));
        this.blocked.reblock(e);
        this.cancelDuplicates();
      },
    };
  }
}
