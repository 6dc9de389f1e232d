/**
 * An in-memory cluster for scheduler tests and benchmarks (Nomad's
 * `scheduler/tests/testing.go` Harness): a SchedulerState with incremental
 * per-node usage tallies, and a Planner that verifies each plan like the
 * plan applier and applies it at once.
 */
import type { Allocation, Deployment, Evaluation, Node, Plan, PlanResult, SchedulerConfiguration, StoredJob } from "../structs";
import { allocTerminal, defaultSchedulerConfiguration, newJobEval } from "../structs";
import { computeNodeClass } from "../structs";
import { sequentialIDs } from "./ids";
import type { NodeUsage, Planner, SchedulerOptions, SchedulerState, SchedulerStateFastPaths } from "./interfaces";
import { verifyPlan } from "./plan-verify";
import { addAllocUsage, emptyUsage } from "./resources";
import { nodeUsageSlot, setNodeUsageSlot } from "../state/node-usage";
import { newScheduler } from "./scheduler";

/** Options of a Harness. */
export interface HarnessOptions {
  /** Seed of the ID generator (default 1). */
  seed?: number;
  /** Fixed clock start in unix ns (default 2026-01-01T00:00:00Z); the clock does not move unless `advance` is called. */
  now?: number;
  /** Score every feasible node (the naive baseline). */
  scoreAllNodes?: boolean;
  /** Skip plan verification and apply plans as submitted (Nomad's harness does; default false: verify like the applier). */
  noVerify?: boolean;
  /** Do not apply plans (dry runs, the scheduler benchmark's "no submit" mode). */
  noSubmit?: boolean;
  /** Keep every plan and plan result in `plans` / `planResults` (default true; benchmarks holding a million allocations turn it off). */
  retainPlans?: boolean;
}

function key(ns: string, id: string): string {
  return `${ns}\u0000${id}`;
}

/** An in-memory SchedulerState and Planner. */
export class Harness implements SchedulerState, SchedulerStateFastPaths, Planner {
  private index = 1;
  private readonly nodeMap = new Map<string, Node>();
  private nodeList: Node[] | null = null;
  private nodeVersion = 0;
  private readonly jobs = new Map<string, StoredJob[]>();
  private readonly allocMap = new Map<string, Allocation>();
  private readonly byJob = new Map<string, Map<string, Allocation>>();
  private readonly byNode = new Map<string, Map<string, Allocation>>();
  private readonly byJobList = new Map<string, Allocation[]>();
  private readonly byNodeList = new Map<string, Allocation[]>();
  private readonly usage = new Map<string, NodeUsage>();
  private readonly deployments = new Map<string, Deployment>();
  private config: SchedulerConfiguration = defaultSchedulerConfiguration();
  private clock: number;
  /** Every plan submitted, in order. */
  readonly plans: Plan[] = [];
  /** Every plan result returned. */
  readonly planResults: PlanResult[] = [];
  /** Evaluation updates (status changes) in order. */
  readonly evals: Evaluation[] = [];
  /** Evaluations created by schedulers (blocked evals, follow-ups). */
  readonly createdEvals: Evaluation[] = [];
  /** Blocked evaluations put back by schedulers. */
  readonly reblockedEvals: Evaluation[] = [];
  /** The ID generator used for evals, allocations and deployments. */
  readonly newID: () => string;
  /** Options passed to schedulers. */
  readonly options: HarnessOptions;
  /** Called before a plan is verified (tests use it to change state under the scheduler). */
  beforeSubmit: ((plan: Plan) => void) | null = null;

  constructor(options: HarnessOptions = {}) {
    this.options = options;
    this.newID = sequentialIDs(options.seed ?? 1);
    this.clock = options.now ?? Date.UTC(2026, 0, 1) * 1e6;
  }

  // --- time ---------------------------------------------------------------

  /** The harness clock in unix ns. */
  now(): number {
    return this.clock;
  }

  /** Moves the clock forward by ns. */
  advance(ns: number): void {
    this.clock += ns;
  }

  // --- writes -------------------------------------------------------------

  private nextIndex(): number {
    return ++this.index;
  }

  /** Adds or replaces a node, recomputing its ComputedClass as Nomad's node registration does. */
  upsertNode(node: Node): Node {
    const i = this.nextIndex();
    node.ComputedClass = computeNodeClass(node);
    if (!this.nodeMap.has(node.ID)) node.CreateIndex = i;
    node.ModifyIndex = i;
    const u = this.usage.get(node.ID);
    if (u) setNodeUsageSlot(node, u);
    this.nodeMap.set(node.ID, node);
    this.nodeList = null;
    this.nodeVersion++;
    return node;
  }

  /** Adds many nodes at one index (benchmarks). */
  upsertNodes(nodes: Node[]): void {
    const i = this.nextIndex();
    for (const n of nodes) {
      n.CreateIndex = n.CreateIndex || i;
      n.ModifyIndex = i;
      const u = this.usage.get(n.ID);
      if (u) setNodeUsageSlot(n, u);
      this.nodeMap.set(n.ID, n);
    }
    this.nodeList = null;
    this.nodeVersion++;
  }

  /** Registers a job version. When the spec is new its Version and JobModifyIndex advance. */
  upsertJob(job: StoredJob): StoredJob {
    const i = this.nextIndex();
    const k = key(job.Namespace, job.ID);
    const versions = this.jobs.get(k) ?? [];
    const prev = versions[versions.length - 1];
    job.Version = prev ? prev.Version + 1 : (job.Version ?? 0);
    job.CreateIndex = prev ? prev.CreateIndex : i;
    job.ModifyIndex = i;
    job.JobModifyIndex = i;
    versions.push(job);
    this.jobs.set(k, versions);
    return job;
  }

  /** Adds or replaces allocations, keeping per-node usage tallies. */
  upsertAllocs(allocs: Allocation[]): void {
    const i = this.nextIndex();
    for (const a of allocs) {
      const prev = this.allocMap.get(a.ID);
      if (prev) {
        if (!allocTerminal(prev)) addAllocUsage(this.nodeUsageFor(prev.NodeID), prev, -1);
        a.CreateIndex = prev.CreateIndex;
        a.CreateTime = prev.CreateTime;
      } else a.CreateIndex = i;
      a.ModifyIndex = i;
      a.AllocModifyIndex = i;
      if (!allocTerminal(a)) addAllocUsage(this.nodeUsageFor(a.NodeID), a, 1);
      this.allocMap.set(a.ID, a);
      this.index2(this.byJob, this.byJobList, key(a.Namespace, a.JobID), a);
      this.index2(this.byNode, this.byNodeList, a.NodeID, a);
    }
  }

  private index2(m: Map<string, Map<string, Allocation>>, lists: Map<string, Allocation[]>, k: string, a: Allocation): void {
    let inner = m.get(k);
    if (!inner) m.set(k, (inner = new Map()));
    inner.set(a.ID, a);
    lists.delete(k);
  }

  private nodeUsageFor(nodeID: string): NodeUsage {
    let u = this.usage.get(nodeID);
    if (!u) {
      this.usage.set(nodeID, (u = emptyUsage()));
      const node = this.nodeMap.get(nodeID);
      if (node) setNodeUsageSlot(node, u);
    }
    return u;
  }

  /** Adds or replaces a deployment. */
  upsertDeployment(d: Deployment): void {
    const i = this.nextIndex();
    if (!this.deployments.has(d.ID)) d.CreateIndex = i;
    d.ModifyIndex = i;
    this.deployments.set(d.ID, d);
  }

  /** Replaces the scheduler configuration. */
  setSchedulerConfig(c: Partial<SchedulerConfiguration>): void {
    this.config = { ...this.config, ...c };
  }

  // --- SchedulerState -----------------------------------------------------

  nodes(): readonly Node[] {
    if (!this.nodeList) this.nodeList = [...this.nodeMap.values()].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
    return this.nodeList;
  }
  nodeByID(id: string): Node | undefined {
    return this.nodeMap.get(id);
  }
  jobByID(namespace: string, id: string): StoredJob | undefined {
    const v = this.jobs.get(key(namespace, id));
    return v?.[v.length - 1];
  }
  jobByVersion(namespace: string, id: string, version: number): StoredJob | undefined {
    return this.jobs.get(key(namespace, id))?.find((j) => j.Version === version);
  }
  allocsByJob(namespace: string, jobID: string): readonly Allocation[] {
    const k = key(namespace, jobID);
    let l = this.byJobList.get(k);
    if (!l) {
      l = [...(this.byJob.get(k)?.values() ?? [])];
      this.byJobList.set(k, l);
    }
    return l;
  }
  allocsByNode(nodeID: string): readonly Allocation[] {
    let l = this.byNodeList.get(nodeID);
    if (!l) {
      l = [...(this.byNode.get(nodeID)?.values() ?? [])];
      this.byNodeList.set(nodeID, l);
    }
    return l;
  }
  allocByID(id: string): Allocation | undefined {
    return this.allocMap.get(id);
  }
  latestDeploymentByJobID(namespace: string, jobID: string): Deployment | undefined {
    let best: Deployment | undefined;
    for (const d of this.deployments.values())
      if (d.Namespace === namespace && d.JobID === jobID && (!best || d.CreateIndex > best.CreateIndex)) best = d;
    return best;
  }
  deploymentByID(id: string): Deployment | undefined {
    return this.deployments.get(id);
  }
  schedulerConfig(): SchedulerConfiguration {
    return this.config;
  }
  latestIndex(): number {
    return this.index;
  }
  nodesVersion(): number {
    return this.nodeVersion;
  }
  nodeUsage(nodeID: string): NodeUsage | undefined {
    return this.usage.get(nodeID) ?? EMPTY_USAGE;
  }
  nodeUsageOf(node: Node): NodeUsage | undefined {
    return nodeUsageSlot(node) ?? this.usage.get(node.ID) ?? EMPTY_USAGE;
  }

  /** Every allocation (for assertions). */
  allAllocs(): Allocation[] {
    return [...this.allocMap.values()];
  }

  // --- Planner ------------------------------------------------------------

  submitPlan(plan: Plan): PlanResult {
    const retain = this.options.retainPlans !== false;
    if (retain) this.plans.push(plan);
    this.beforeSubmit?.(plan);
    const result: PlanResult = this.options.noVerify
      ? {
          NodeUpdate: plan.NodeUpdate,
          NodeAllocation: plan.NodeAllocation,
          NodePreemptions: plan.NodePreemptions,
          Deployment: plan.Deployment,
          DeploymentUpdates: plan.DeploymentUpdates,
          RefreshIndex: 0,
          AllocIndex: 0,
        }
      : verifyPlan(this, plan);
    if (retain) this.planResults.push(result);
    if (this.options.noSubmit) return result;
    const allocs: Allocation[] = [];
    for (const l of Object.values(result.NodeUpdate)) allocs.push(...l);
    for (const l of Object.values(result.NodeAllocation)) allocs.push(...l);
    for (const l of Object.values(result.NodePreemptions)) allocs.push(...l);
    if (allocs.length) this.upsertAllocs(allocs);
    // Link replacements to the allocations they replace.
    for (const l of Object.values(result.NodeAllocation)) {
      for (const a of l) {
        if (!a.PreviousAllocation) continue;
        const prev = this.allocMap.get(a.PreviousAllocation);
        if (prev && prev.NextAllocation !== a.ID) this.allocMap.set(prev.ID, Object.assign(prev, { NextAllocation: a.ID }));
      }
    }
    if (result.Deployment) this.upsertDeployment(result.Deployment);
    for (const u of result.DeploymentUpdates) {
      const d = this.deployments.get(u.DeploymentID);
      if (d) this.upsertDeployment({ ...d, Status: u.Status, StatusDescription: u.StatusDescription });
    }
    result.AllocIndex = this.index;
    return result;
  }
  updateEval(evaluation: Evaluation): void {
    this.evals.push(evaluation);
  }
  createEval(evaluation: Evaluation): void {
    this.createdEvals.push(evaluation);
  }
  reblockEval(evaluation: Evaluation): void {
    this.reblockedEvals.push(evaluation);
  }

  // --- running schedulers -------------------------------------------------

  /** The options schedulers run with. */
  schedulerOptions(): SchedulerOptions {
    return { now: () => this.clock, newID: this.newID, scoreAllNodes: this.options.scoreAllNodes };
  }

  /** A pending evaluation for a job, as the server would create on register. */
  newEval(job: StoredJob, overrides: Partial<Evaluation> = {}): Evaluation {
    return {
      ...newJobEval(job, { id: this.newID(), now: this.clock, triggeredBy: "job-register" }),
      CreateIndex: this.index,
      ModifyIndex: this.index,
      ...overrides,
    };
  }

  /** Runs the scheduler of the eval's type on it. */
  process(evaluation: Evaluation): void {
    newScheduler(evaluation.Type, this, this, this.schedulerOptions()).process(evaluation);
  }

  /** Creates an eval for the job and processes it; returns the eval. */
  run(job: StoredJob, overrides: Partial<Evaluation> = {}): Evaluation {
    const ev = this.newEval(job, overrides);
    this.process(ev);
    return ev;
  }

  /** The last plan submitted (throws when none). */
  lastPlan(): Plan {
    const p = this.plans[this.plans.length - 1];
    if (!p) throw new Error("no plan was submitted");
    return p;
  }

  /** The last eval update (throws when none). */
  lastEval(): Evaluation {
    const e = this.evals[this.evals.length - 1];
    if (!e) throw new Error("no evaluation was updated");
    return e;
  }

  /** Non-terminal allocations of a job. */
  liveAllocs(namespace: string, jobID: string): Allocation[] {
    return this.allocsByJob(namespace, jobID).filter((a) => !allocTerminal(a));
  }
}

const EMPTY_USAGE: NodeUsage = Object.freeze({ cpu: 0, memoryMB: 0, diskMB: 0 });
