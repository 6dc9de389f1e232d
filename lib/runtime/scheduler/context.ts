/**
 * The per-evaluation context (Nomad's `feasible.EvalContext`): the state
 * snapshot, the plan being built with the resources it proposes per node,
 * the current placement's metrics, and the caches that live for one eval.
 */
import type { Allocation, Node, Plan } from "../structs";
import { allocTerminal, preemptedDescription } from "../structs";
import { EvalEligibility } from "./feasible/eligibility";
import { OperatorCache } from "./feasible/operators";
import type { NodeUsage, SchedulerState, SchedulerStateFastPaths } from "./interfaces";
import { PlacementMetric, TopScores } from "./metrics";
import { addAllocUsage, emptyUsage } from "./resources";

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of an eval's shuffle: the last 8 bytes of its ID XOR the state index, shifted right by 2 (as Nomad's `ShuffleNodes`), folded to 32 bits. */
export function shuffleSeed(evalID: string, index: number): number {
  const hex = evalID.replace(/-/g, "").padStart(16, "0").slice(-16);
  const hi = parseInt(hex.slice(0, 8), 16) >>> 0;
  const lo = parseInt(hex.slice(8), 16) >>> 0;
  const x = (lo ^ (index >>> 0)) >>> 0;
  // (hi:x) >> 2, folded into 32 bits.
  const shiftedLo = ((x >>> 2) | ((hi & 3) << 30)) >>> 0;
  const shiftedHi = hi >>> 2;
  return (shiftedLo ^ Math.imul(shiftedHi, 0x9e3779b1)) >>> 0;
}

/** Per-eval context shared by the stack's iterators. */
export class EvalContext {
  /** Metrics of the placement in progress (reset per placement). */
  metrics = new PlacementMetric();
  /** The best node scores of the placement in progress (packed into `metrics` by `finishPlacement`). */
  readonly topScores = new TopScores();
  /** Feasibility by computed class for this eval. */
  readonly eligibility = new EvalEligibility();
  /** Compiled regexps and version constraints for this eval. */
  readonly operators = new OperatorCache();
  /** Uniform [0,1) numbers for port picks, seeded from the eval. */
  readonly random: () => number;
  private readonly usageCache = new Map<string, NodeUsage>();
  private readonly planDelta = new Map<string, NodeUsage>();
  /** IDs of existing allocations this plan stops or updates (they no longer count as they were). */
  private readonly replaced = new Set<string>();
  /** Per node+group counts of this job's proposed allocations: existing, minus stopped, plus placed. */
  private readonly groupCounts = new Map<string, Map<string, number>>();
  private readonly jobCounts = new Map<string, number>();
  /** Per namespace+job+group: allocations the plan preempts. */
  private readonly preemptedByGroup = new Map<string, number>();
  private jobKey = "";

  /**
   * @param state the snapshot the scheduler reads
   * @param plan the plan being built (its NodeUpdate/NodeAllocation are kept in sync through this context)
   */
  constructor(
    public state: SchedulerState & SchedulerStateFastPaths,
    public readonly plan: Plan,
    seed: number,
  ) {
    this.random = seededRandom(seed ^ 0x5bd1e995);
  }

  /** Starts a new placement: fresh metrics. */
  reset(): void {
    this.metrics = new PlacementMetric();
    this.topScores.clear();
  }

  /** Ends a placement: stores the retained top scores in its metrics. */
  finishPlacement(): void {
    this.metrics.setTopScores(this.topScores);
  }

  /** A random integer in [0, n). */
  randomInt = (n: number): number => Math.floor(this.random() * n);

  /** Loads the job's existing allocations into the per-node counters (anti-affinity, distinct_hosts). */
  setJob(namespace: string, jobID: string): void {
    const key = `${namespace}\u0000${jobID}`;
    if (key === this.jobKey) return;
    this.jobKey = key;
    this.groupCounts.clear();
    this.jobCounts.clear();
    for (const a of this.state.allocsByJob(namespace, jobID)) {
      if (allocTerminal(a) || this.replaced.has(a.ID)) continue;
      this.count(a, 1);
    }
    for (const list of Object.values(this.plan.NodeAllocation))
      for (const a of list) if (a.JobID === jobID && !this.isUpdate(a)) this.count(a, 1);
  }

  private isUpdate(a: Allocation): boolean {
    const prev = this.state.allocByID(a.ID);
    return prev !== undefined && !allocTerminal(prev);
  }

  private count(a: Allocation, sign: 1 | -1): void {
    let g = this.groupCounts.get(a.TaskGroup);
    if (!g) this.groupCounts.set(a.TaskGroup, (g = new Map()));
    g.set(a.NodeID, (g.get(a.NodeID) ?? 0) + sign);
    this.jobCounts.set(a.NodeID, (this.jobCounts.get(a.NodeID) ?? 0) + sign);
  }

  /** Proposed allocations of the current job's group on the node. */
  groupAllocsOnNode(nodeID: string, group: string): number {
    return this.groupCounts.get(group)?.get(nodeID) ?? 0;
  }

  /** Proposed allocations of the current job on the node (any group). */
  jobAllocsOnNode(nodeID: string): number {
    return this.jobCounts.get(nodeID) ?? 0;
  }

  /** Resources held on the node by non-terminal allocations in state (from the store's tallies when it keeps them). */
  baseUsage(nodeID: string, node?: Node): NodeUsage {
    const fast = node !== undefined && this.state.nodeUsageOf ? this.state.nodeUsageOf(node) : this.state.nodeUsage?.(nodeID);
    if (fast) return fast;
    let u = this.usageCache.get(nodeID);
    if (!u) {
      u = emptyUsage();
      for (const a of this.state.allocsByNode(nodeID)) if (!allocTerminal(a)) addAllocUsage(u, a, 1);
      this.usageCache.set(nodeID, u);
    }
    return u;
  }

  /** Writes the resources proposed on the node (state − stopped/updated + placed by this plan) into `out`. */
  proposedUsage(nodeID: string, out: NodeUsage, node?: Node): NodeUsage {
    const b = this.baseUsage(nodeID, node);
    out.cpu = b.cpu;
    out.memoryMB = b.memoryMB;
    out.diskMB = b.diskMB;
    const d = this.planDelta.get(nodeID);
    if (d) {
      out.cpu += d.cpu;
      out.memoryMB += d.memoryMB;
      out.diskMB += d.diskMB;
    }
    return out;
  }

  private delta(nodeID: string): NodeUsage {
    let d = this.planDelta.get(nodeID);
    if (!d) {
      d = emptyUsage();
      this.planDelta.set(nodeID, d);
    }
    return d;
  }

  /** The allocations proposed on a node: non-terminal ones in state not stopped or replaced by the plan, plus the plan's. */
  proposedAllocs(nodeID: string): Allocation[] {
    const out: Allocation[] = [];
    for (const a of this.state.allocsByNode(nodeID)) if (!allocTerminal(a) && !this.replaced.has(a.ID)) out.push(a);
    const placed = this.plan.NodeAllocation[nodeID];
    if (placed) for (const a of placed) out.push(a);
    return out;
  }

  /** Adds an allocation to the plan (a placement, or an in-place update of an existing one); `fresh` says its ID is new (no state lookup). */
  appendAlloc(a: Allocation, fresh = false): void {
    (this.plan.NodeAllocation[a.NodeID] ??= []).push(a);
    const prev = fresh ? undefined : this.state.allocByID(a.ID);
    if (prev && !allocTerminal(prev) && !this.replaced.has(prev.ID)) {
      this.replaced.add(prev.ID);
      addAllocUsage(this.delta(prev.NodeID), prev, -1);
      if (this.matchesJob(prev)) this.count(prev, -1);
    }
    addAllocUsage(this.delta(a.NodeID), a, 1);
    if (this.matchesJob(a)) this.count(a, 1);
  }

  /** Adds a stop (a copy of the allocation with DesiredStatus stop) to the plan. */
  appendStoppedAlloc(stopped: Allocation): void {
    (this.plan.NodeUpdate[stopped.NodeID] ??= []).push(stopped);
    const prev = this.state.allocByID(stopped.ID);
    if (prev && !allocTerminal(prev) && !this.replaced.has(prev.ID)) {
      this.replaced.add(prev.ID);
      addAllocUsage(this.delta(prev.NodeID), prev, -1);
      if (this.matchesJob(prev)) this.count(prev, -1);
    }
  }

  /**
   * Adds an eviction to the plan (Nomad's `Plan.AppendPreemptedAlloc`): a
   * copy of the allocation with DesiredStatus "evict", the preempting
   * allocation's ID and Nomad's description "Preempted by alloc ID …". The
   * allocation no longer counts on its node for the rest of the evaluation.
   */
  appendPreemptedAlloc(alloc: Allocation, preemptingAllocID: string): void {
    (this.plan.NodePreemptions[alloc.NodeID] ??= []).push({
      ...alloc,
      DesiredStatus: "evict",
      DesiredDescription: preemptedDescription(preemptingAllocID),
      PreemptedByAllocation: preemptingAllocID,
    });
    const k = `${alloc.Namespace}\u0000${alloc.JobID}\u0000${alloc.TaskGroup}`;
    this.preemptedByGroup.set(k, (this.preemptedByGroup.get(k) ?? 0) + 1);
    if (!allocTerminal(alloc) && !this.replaced.has(alloc.ID)) {
      this.replaced.add(alloc.ID);
      addAllocUsage(this.delta(alloc.NodeID), alloc, -1);
      if (this.matchesJob(alloc)) this.count(alloc, -1);
    }
  }

  /** How many allocations of the same job and group as `a` the plan preempts so far, on any node. */
  preemptionsOf = (a: Allocation): number => this.preemptedByGroup.get(`${a.Namespace}\u0000${a.JobID}\u0000${a.TaskGroup}`) ?? 0;

  /** Removes the last stop of an allocation from the plan (a destructive update whose replacement did not fit, or a staged in-place check). */
  popStop(alloc: Allocation): void {
    const list = this.plan.NodeUpdate[alloc.NodeID];
    if (!list) return;
    const i = list.map((a) => a.ID).lastIndexOf(alloc.ID);
    if (i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) delete this.plan.NodeUpdate[alloc.NodeID];
    const prev = this.state.allocByID(alloc.ID);
    if (prev && !allocTerminal(prev) && this.replaced.has(prev.ID)) {
      this.replaced.delete(prev.ID);
      addAllocUsage(this.delta(prev.NodeID), prev, 1);
      if (this.matchesJob(prev)) this.count(prev, 1);
    }
  }

  /** True when an existing allocation is stopped or updated by the plan. */
  isReplaced(allocID: string): boolean {
    return this.replaced.has(allocID);
  }

  private matchesJob(a: Allocation): boolean {
    return this.jobKey === `${a.Namespace}\u0000${a.JobID}`;
  }

  /** Node lookup through the snapshot. */
  node(id: string): Node | undefined {
    return this.state.nodeByID(id);
  }
}
