/**
 * The placement stacks (Nomad's `GenericStack` and `SystemStack` in
 * `scheduler/feasible/stack.go`): feasibility, then ranking, then a limit and
 * a max-score pick, composed from the small iterators of feasible/ and rank/.
 */
import type { AllocatedTaskResources, Node } from "../structs";
import { defaultSchedulerConfiguration } from "../structs";
import type { EvalContext } from "./context";
import {
  ConstraintChecker,
  DriverChecker,
  NetworkChecker,
  VolumeChecker,
  constraintsEscape,
  groupConstraints,
  groupDrivers,
} from "./feasible/checkers";
import { DistinctHostsIterator, DistinctPropertyIterator } from "./feasible/distinct";
import { FeasibilityWrapper, StaticIterator, shuffleNodes } from "./feasible/iterators";
import type { JobView, TaskGroupView } from "./job-view";
import { groupCount } from "./job-view";
import { BinPackIterator } from "./rank/binpack";
import { FeasibleRankIterator, type RankedNode } from "./rank/ranked-node";
import { JobAntiAffinityIterator, NodeAffinityIterator, NodeReschedulingPenaltyIterator, ScoreNormalizationIterator } from "./rank/scorers";
import { SpreadIterator } from "./rank/spread";
import { PreemptionScoringIterator } from "./rank/preemptor";
import { LimitIterator, MaxScoreIterator, defaultLimit } from "./select";

/** Nomad's default for `NodeLimitForFeasibilityChecks`. */
const DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS = 100;

/** Options of one placement (`SelectOptions`). */
export interface SelectOptions {
  /** Nodes where previous attempts of this allocation failed (scored −1). */
  penaltyNodeIDs?: ReadonlySet<string>;
  /** Shared per-task resources to give the allocation (one object per group per eval). */
  taskResources?: Record<string, AllocatedTaskResources>;
  /** Evict lower-priority allocations when the group does not fit otherwise (Nomad's `SelectOptions.Preempt`). Default false. */
  preempt?: boolean;
  /** The allocation's name (`job.group[index]`): a `per_alloc` host volume is looked for as `<source>[<index>]`; default "". */
  allocName?: string;
}

/** Counts of the base node set recorded on every placement's metrics. */
interface BaseCounts {
  inPool: number;
  byDC: Record<string, number>;
}

/** The stack of service and batch jobs. */
export class GenericStack {
  private readonly source: StaticIterator;
  private readonly wrapper: FeasibilityWrapper;
  private readonly distinctHosts: DistinctHostsIterator;
  private readonly distinctProperty: DistinctPropertyIterator;
  private readonly binPack: BinPackIterator;
  private readonly antiAffinity: JobAntiAffinityIterator;
  private readonly penalty: NodeReschedulingPenaltyIterator;
  private readonly affinity: NodeAffinityIterator;
  private readonly spread: SpreadIterator;
  private readonly limit: LimitIterator;
  private readonly maxScore: MaxScoreIterator;
  private readonly jobConstraint: ConstraintChecker;
  private baseLimit = 2;
  private counts: BaseCounts = { inPool: 0, byDC: {} };
  private jobEscapes = false;
  /** Score every feasible node (the benchmark's naive baseline). */
  scoreAllNodes = false;

  constructor(
    private readonly batch: boolean,
    private readonly ctx: EvalContext,
  ) {
    this.source = new StaticIterator(ctx, []);
    this.wrapper = new FeasibilityWrapper(ctx, this.source);
    this.jobConstraint = new ConstraintChecker(ctx, []);
    this.wrapper.jobCheckers = [this.jobConstraint];
    this.distinctHosts = new DistinctHostsIterator(ctx, this.wrapper);
    this.distinctProperty = new DistinctPropertyIterator(ctx, this.distinctHosts);
    const rank = new FeasibleRankIterator(this.distinctProperty);
    this.binPack = new BinPackIterator(ctx, rank);
    this.antiAffinity = new JobAntiAffinityIterator(ctx, this.binPack);
    this.penalty = new NodeReschedulingPenaltyIterator(this.antiAffinity);
    this.affinity = new NodeAffinityIterator(ctx, this.penalty);
    this.spread = new SpreadIterator(ctx, this.affinity);
    const norm = new ScoreNormalizationIterator(ctx, new PreemptionScoringIterator(this.spread));
    this.limit = new LimitIterator(norm, 2);
    this.maxScore = new MaxScoreIterator(this.limit);
  }

  /** Sets the base nodes (already filtered to ready nodes in the job's DCs and pool); shuffles them with the eval's seed. */
  setNodes(nodes: Node[], byDC: Record<string, number>, random: () => number): void {
    const copy = nodes.slice();
    shuffleNodes(copy, random);
    this.source.setNodes(copy);
    this.baseLimit = defaultLimit(this.batch, copy.length);
    this.lastTG = null;
    this.counts = { inPool: copy.length, byDC };
  }

  /** The limit in effect without affinities or spreads. */
  get nodeLimit(): number {
    return this.baseLimit;
  }

  /** Sets the job: its constraints, affinities, spreads and the scheduler algorithm. */
  setJob(job: JobView): void {
    this.jobConstraint.constraints = job.Constraints ?? [];
    this.jobEscapes = constraintsEscape(this.jobConstraint.constraints);
    this.ctx.eligibility.jobEscaped = this.jobEscapes;
    this.distinctHosts.setJob(job);
    this.distinctProperty.setJob(job);
    this.affinity.setJob(job);
    this.spread.setJob(job);
    this.binPack.setJob(job);
    this.ctx.setJob(job.Namespace, job.ID);
    const cfg = this.ctx.state.schedulerConfig?.() ?? defaultSchedulerConfiguration();
    this.binPack.spread = cfg.SchedulerAlgorithm === "spread";
    this.nodeLimitForChecks = cfg.NodeLimitForFeasibilityChecks || DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS;
    this.lastTG = null;
  }

  private nodeLimitForChecks = DEFAULT_NODE_LIMIT_FOR_FEASIBILITY_CHECKS;

  private lastTG: TaskGroupView | null = null;
  private volumes: VolumeChecker | null = null;
  private lastTasks: Record<string, AllocatedTaskResources> | undefined;
  private groupLimit = 2;

  /** Prepares the iterators for a group; skipped when consecutive placements are of the same group (the common case). */
  private setTaskGroup(tg: TaskGroupView, tasks: Record<string, AllocatedTaskResources> | undefined): void {
    if (tg === this.lastTG && tasks === this.lastTasks) return;
    this.lastTG = tg;
    this.lastTasks = tasks;
    const constraints = groupConstraints(tg);
    if (constraintsEscape(constraints)) this.ctx.eligibility.escapeGroup(tg.Name);
    this.wrapper.taskGroup = tg.Name;
    this.wrapper.groupCheckers = [
      new DriverChecker(this.ctx, groupDrivers(tg)),
      new ConstraintChecker(this.ctx, constraints),
      new NetworkChecker(this.ctx, tg.Networks?.[0] ?? null),
    ];
    this.volumes = new VolumeChecker(this.ctx, tg.Volumes);
    this.wrapper.availableCheckers = [this.volumes];
    this.distinctHosts.setTaskGroup(tg);
    this.distinctProperty.setTaskGroup(tg);
    this.binPack.setTaskGroup(tg, tasks);
    this.antiAffinity.setTaskGroup(tg);
    this.affinity.setTaskGroup(tg);
    this.spread.setTaskGroup(tg);
    let limit = this.baseLimit;
    if (this.affinity.hasAffinities() || this.spread.hasSpreads()) {
      const count = groupCount(tg);
      limit = count < this.nodeLimitForChecks ? this.nodeLimitForChecks : count;
    }
    this.groupLimit = limit;
  }

  /** Picks the best node for one allocation of the group, or null; the metrics of the attempt are in ctx.metrics. The returned node is valid until the next select. */
  select(tg: TaskGroupView, options: SelectOptions = {}): RankedNode | null {
    const start = performance.now();
    this.ctx.reset();
    const m = this.ctx.metrics;
    m.NodesInPool = this.counts.inPool;
    m.NodesAvailable = this.counts.byDC;
    this.setTaskGroup(tg, options.taskResources);
    this.volumes!.setAllocName(options.allocName ?? "");
    this.penalty.penaltyNodes = options.penaltyNodeIDs ?? NO_NODES;
    this.binPack.evict = options.preempt ?? false;
    this.limit.limit = this.scoreAllNodes ? Number.MAX_SAFE_INTEGER : this.groupLimit;
    this.maxScore.reset();
    const option = this.maxScore.next();
    this.ctx.finishPlacement();
    m.AllocationTime = Math.round((performance.now() - start) * 1e6);
    return option;
  }
}

const NO_NODES: ReadonlySet<string> = new Set();

/**
 * The stack of system and sysbatch jobs: feasibility and fit on one given
 * node, no limit, anti-affinity, affinity, spread or preemption score
 * (Nomad's `SystemStack`). The caller says per select whether it may
 * preempt (the scheduler configuration's System/SysBatch switch).
 */
export class SystemStack {
  private readonly source: StaticIterator;
  private readonly wrapper: FeasibilityWrapper;
  private readonly distinctProperty: DistinctPropertyIterator;
  private readonly binPack: BinPackIterator;
  private readonly norm: ScoreNormalizationIterator;
  private readonly jobConstraint: ConstraintChecker;
  private counts: BaseCounts = { inPool: 0, byDC: {} };

  constructor(private readonly ctx: EvalContext) {
    this.source = new StaticIterator(ctx, []);
    this.wrapper = new FeasibilityWrapper(ctx, this.source);
    this.jobConstraint = new ConstraintChecker(ctx, []);
    this.wrapper.jobCheckers = [this.jobConstraint];
    this.distinctProperty = new DistinctPropertyIterator(ctx, this.wrapper);
    this.binPack = new BinPackIterator(ctx, new FeasibleRankIterator(this.distinctProperty));
    this.norm = new ScoreNormalizationIterator(ctx, this.binPack);
  }

  /** Sets the job. */
  setJob(job: JobView): void {
    this.jobConstraint.constraints = job.Constraints ?? [];
    this.ctx.eligibility.jobEscaped = constraintsEscape(this.jobConstraint.constraints);
    this.distinctProperty.setJob(job);
    this.binPack.setJob(job);
    this.ctx.setJob(job.Namespace, job.ID);
  }

  /** The job's ready nodes in its datacenters and pool, counted for the metrics (NodesInPool, NodesAvailable per datacenter), as the system scheduler records them. */
  setNodeCounts(inPool: number, byDC: Record<string, number>): void {
    this.counts = { inPool, byDC };
  }

  /** Checks feasibility and fit of the group on exactly this node. */
  select(node: Node, tg: TaskGroupView, options: SelectOptions = {}): RankedNode | null {
    this.ctx.reset();
    this.ctx.metrics.NodesInPool = this.counts.inPool;
    this.ctx.metrics.NodesAvailable = this.counts.byDC;
    this.source.setNodes([node]);
    const constraints = groupConstraints(tg);
    if (constraintsEscape(constraints)) this.ctx.eligibility.escapeGroup(tg.Name);
    this.wrapper.taskGroup = tg.Name;
    this.wrapper.groupCheckers = [
      new DriverChecker(this.ctx, groupDrivers(tg)),
      new ConstraintChecker(this.ctx, constraints),
      new NetworkChecker(this.ctx, tg.Networks?.[0] ?? null),
    ];
    const volumes = new VolumeChecker(this.ctx, tg.Volumes);
    volumes.setAllocName(options.allocName ?? "");
    this.wrapper.availableCheckers = [volumes];
    this.distinctProperty.setTaskGroup(tg);
    this.binPack.setTaskGroup(tg, options.taskResources);
    this.binPack.evict = options.preempt ?? false;
    this.norm.reset();
    const option = this.norm.next();
    this.ctx.finishPlacement();
    return option;
  }
}
