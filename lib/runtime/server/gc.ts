/**
 * Garbage collection of the server's state, as Nomad's core scheduler does
 * it (`nomad/core_sched.go`): terminal evaluations and their terminal
 * allocations, dead jobs (stopped, or batch jobs that finished), terminal
 * deployments, and down nodes without live allocations, each once it is
 * older than its threshold. A forced collection (`PUT /v1/system/gc`) ignores
 * the thresholds. Every collection is one state write, persisted like any
 * other: what it removed stays removed after a restart.
 */
import type { Allocation, Evaluation, StoredJob } from "../structs";
import { allocTerminal, deploymentActive, evalTerminal } from "../structs";
import type { ReschedulePolicyView, TaskGroupView } from "../scheduler/job-view";
import type { Server } from "./server";
import { appendAll } from "../scheduler/util";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** How old objects must be before they are collected, in milliseconds, and how often the collector runs. */
export interface GCOptions {
  /** `eval_gc_threshold` (Nomad default 1h): terminal evaluations of service and system jobs. */
  evalGCThresholdMs?: number;
  /** `batch_eval_gc_threshold` (Nomad default 24h): terminal evaluations of batch jobs. */
  batchEvalGCThresholdMs?: number;
  /** `job_gc_threshold` (Nomad default 4h): dead jobs, by their submit time. */
  jobGCThresholdMs?: number;
  /** `deployment_gc_threshold` (Nomad default 1h): terminal deployments. */
  deploymentGCThresholdMs?: number;
  /** `node_gc_threshold` (Nomad default 24h): down nodes, by the time their status changed. */
  nodeGCThresholdMs?: number;
  /** `job_gc_interval` (Nomad default 5m; Nomad runs each kind on its own interval, all 5m): how often the periodic collection runs. 0 turns it off. */
  intervalMs?: number;
}

/** Nomad's defaults (`nomad/config.go` DefaultConfig). */
const DEFAULT_GC_OPTIONS: Required<GCOptions> = {
  evalGCThresholdMs: HOUR_MS,
  batchEvalGCThresholdMs: 24 * HOUR_MS,
  jobGCThresholdMs: 4 * HOUR_MS,
  deploymentGCThresholdMs: HOUR_MS,
  nodeGCThresholdMs: 24 * HOUR_MS,
  intervalMs: 5 * MINUTE_MS,
};

/** What one collection removed. */
export interface GCResult {
  jobs: number;
  evals: number;
  allocs: number;
  deployments: number;
  nodes: number;
  /** The index of the write, or 0 when nothing was removed. */
  index: number;
}

/** The collector: periodic while the server runs, or on demand. */
export class GarbageCollector {
  /** Thresholds and interval in effect. */
  readonly options: Required<GCOptions>;
  /** Periodic collections run so far (for stats, and for tests that wait for collections instead of sleeping). */
  collections = 0;
  private timer: unknown = null;
  private running = false;

  constructor(
    private readonly server: Server,
    options: GCOptions = {},
  ) {
    const o = { ...DEFAULT_GC_OPTIONS };
    for (const k of Object.keys(o) as (keyof GCOptions)[]) if (options[k] !== undefined) o[k] = options[k]!;
    this.options = o;
  }

  /** Starts the periodic collection. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops the periodic collection. */
  stop(): void {
    this.running = false;
    if (this.timer !== null) this.server.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.running || this.options.intervalMs <= 0) return;
    this.timer = this.server.clock.setTimer(() => {
      this.timer = null;
      try {
        this.collect(false);
      } catch (err) {
        this.server.logMessage(`gc: ${(err as Error).stack ?? String(err)}`);
      }
      this.collections++;
      this.schedule();
    }, this.options.intervalMs);
  }

  /**
   * Collects once: with `force`, every threshold is zero (Nomad's forceGC).
   * Order as Nomad's: jobs, evaluations, deployments, then nodes (after their
   * allocations are gone).
   */
  collect(force: boolean): GCResult & { durable: Promise<void> } {
    const store = this.server.store;
    const nowMs = this.server.clock.nowMs();
    const cutoffNs = (thresholdMs: number) => (force ? nowMs : nowMs - thresholdMs) * 1_000_000;
    const jobCutoff = cutoffNs(this.options.jobGCThresholdMs);
    const evalCutoff = cutoffNs(this.options.evalGCThresholdMs);
    const batchCutoff = cutoffNs(this.options.batchEvalGCThresholdMs);
    const deploymentCutoff = cutoffNs(this.options.deploymentGCThresholdMs);
    const nodeCutoffS = (force ? nowMs : nowMs - this.options.nodeGCThresholdMs) / 1000;

    const jobs: StoredJob[] = [];
    const evals = new Set<string>();
    const allocs = new Set<string>();

    // Jobs (`jobGC`): dead and gc-able, submitted before the cutoff, every eval collectable.
    for (const job of store.jobs("*")) {
      if (!jobIsGCable(job) || job.SubmitTime > jobCutoff) continue;
      const jobEvals: string[] = [];
      const jobAllocs: string[] = [];
      let all = true;
      for (const e of store.evalsByJob(job.Namespace, job.ID)) {
        const r = this.gcEval(e, jobCutoff, true, nowMs);
        if (!r.gc) {
          all = false;
          break;
        }
        jobEvals.push(e.ID);
        appendAll(jobAllocs, r.allocs);
      }
      if (!all) continue;
      jobs.push(job);
      for (const id of jobEvals) evals.add(id);
      for (const id of jobAllocs) allocs.add(id);
    }
    const purged = new Set(jobs.map((j) => `${j.Namespace}\u0000${j.ID}`));

    // Evaluations (`evalGC`): terminal, old, with their collectable allocations.
    for (const e of store.evals()) {
      if (evals.has(e.ID) || purged.has(`${e.Namespace}\u0000${e.JobID}`)) continue;
      const r = this.gcEval(e, e.Type === "batch" ? batchCutoff : evalCutoff, false, nowMs);
      if (r.gc) evals.add(e.ID);
      for (const id of r.allocs) allocs.add(id);
    }

    // Deployments (`deploymentGC`): terminal, old, no live allocation refers to them.
    const deployments: string[] = [];
    for (const d of store.deployments()) {
      if (deploymentActive(d) || d.ModifyTime > deploymentCutoff) continue;
      if (store.allocsByDeployment(d.ID).some((a) => !allocTerminal(a) && !allocs.has(a.ID))) continue;
      deployments.push(d.ID);
    }

    // Nodes (`nodeGC`): down since before the cutoff, with no live allocation.
    const nodes: string[] = [];
    for (const n of store.nodes()) {
      if (n.Status !== "down" || n.StatusUpdatedAt > nodeCutoffS) continue;
      if (store.allocsByNode(n.ID).some((a) => !allocTerminal(a))) continue;
      nodes.push(n.ID);
    }

    const result: GCResult = {
      jobs: jobs.length,
      evals: evals.size,
      allocs: allocs.size,
      deployments: deployments.length,
      nodes: nodes.length,
      index: 0,
    };
    if (jobs.length + evals.size + allocs.size + deployments.length + nodes.length === 0) return { ...result, durable: Promise.resolve() };
    const { index, durable } = store.write((txn) => {
      for (const id of allocs) txn.deleteAlloc(id);
      for (const id of evals) txn.deleteEval(id);
      for (const j of jobs) txn.purgeJob(j.Namespace, j.ID);
      for (const id of deployments) txn.deleteDeployment(id);
      for (const id of nodes) txn.deleteNode(id);
    });
    for (const id of nodes) this.server.heartbeats.clear(id);
    this.server.logMessage(
      `gc: removed ${result.jobs} jobs, ${result.evals} evals, ${result.allocs} allocs, ${result.deployments} deployments, ${result.nodes} nodes`,
    );
    return { ...result, index, durable };
  }

  /**
   * Nomad's `gcEval`: whether a terminal evaluation older than the cutoff can
   * go, and which of its allocations can. Evaluations of a batch job that is
   * still around keep their current allocations (else the scheduler would run
   * them again); only allocations of older job versions go.
   */
  private gcEval(e: Evaluation, cutoffNs: number, allowBatch: boolean, nowMs: number): { gc: boolean; allocs: string[] } {
    if (!evalTerminal(e) || e.ModifyTime > cutoffNs) return { gc: false, allocs: [] };
    const store = this.server.store;
    const job = store.jobByID(e.Namespace, e.JobID);
    const allocs = store.allocsByEval(e.ID);
    if (e.Type === "batch") {
      const collect = !job || (job.Status === "dead" && (job.Stop === true || allowBatch));
      if (!collect) {
        const old = allocs
          .filter((a) => a.CreateIndex < job!.JobModifyIndex && a.ModifyTime < cutoffNs && allocTerminal(a))
          .map((a) => a.ID);
        return { gc: old.length === allocs.length, allocs: old };
      }
    }
    let gc = true;
    const ids: string[] = [];
    for (const a of allocs) {
      if (allocGCEligible(a, job, nowMs * 1_000_000, cutoffNs)) ids.push(a.ID);
      else gc = false;
    }
    return { gc, allocs: ids };
  }
}

/** Nomad's `jobIsGCable`: periodic and parameterized jobs only once stopped; others once dead, and then only if stopped or batch/sysbatch. */
function jobIsGCable(job: StoredJob): boolean {
  const j = job as StoredJob & { Periodic?: { Enabled?: boolean | null } | null; ParameterizedJob?: unknown; Stop?: boolean | null };
  if (j.Periodic?.Enabled || j.ParameterizedJob) return j.Stop === true;
  if (job.Status !== "dead") return false;
  if (j.Stop) return true;
  return job.Type === "batch" || job.Type === "sysbatch";
}

/** Nomad's `allocGCEligible`: terminal and old, not running, and not a failed allocation that may still be rescheduled. */
function allocGCEligible(a: Allocation, job: StoredJob | undefined, nowNs: number, cutoffNs: number): boolean {
  if (!allocTerminal(a) || a.ModifyTime > cutoffNs) return false;
  if (a.ClientStatus === "running") return false;
  if (!job || job.Stop || job.Status === "dead") return true;
  if (a.DesiredStatus === "stop") return true;
  if (a.ClientStatus !== "failed") return true;
  const tg = ((job.TaskGroups ?? []) as TaskGroupView[]).find((g) => g.Name === a.TaskGroup);
  const policy: ReschedulePolicyView | null | undefined = tg?.ReschedulePolicy;
  if (!policy || (!policy.Unlimited && (policy.Attempts ?? 0) === 0)) return true;
  if (a.NextAllocation) return true;
  if (policy.Unlimited) return false;
  const events = a.RescheduleTracker?.Events ?? [];
  if (events.length === 0) return false;
  return nowNs - events[events.length - 1].RescheduleTime > (policy.Interval ?? 0);
}
