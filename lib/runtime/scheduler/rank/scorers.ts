/**
 * The small scorers of the ranking pipeline (Nomad's
 * `JobAntiAffinityIterator`, `NodeReschedulingPenaltyIterator`,
 * `NodeAffinityIterator`, `ScoreNormalizationIterator`). Each appends at
 * most one value to a node's scores.
 */
import type { EvalContext } from "../context";
import { meetsConstraint } from "../feasible/checkers";
import type { ConstraintView, JobView, TaskGroupView } from "../job-view";
import { groupCount } from "../job-view";
import type { RankIterator, RankedNode } from "./ranked-node";

/** Records a zero score for the metrics only: it shows in ScoreMetaData (as Nomad's scorers record theirs) but does not count in the mean. */
function recordZero(option: RankedNode, name: string): void {
  option.scores.push(0);
  option.scoreNames.push(name);
  option.metricsOnly++;
}

/** Nomad's default affinity weight. */
const DEFAULT_AFFINITY_WEIGHT = 50;

/** Penalizes nodes that already run allocations of the same job and group: −(collisions+1)/count, only when collisions > 0 (else a metrics-only 0). */
export class JobAntiAffinityIterator implements RankIterator {
  private group = "";
  private count = 1;
  constructor(
    private readonly ctx: EvalContext,
    private readonly source: RankIterator,
  ) {}

  /** Sets the group being placed. */
  setTaskGroup(tg: TaskGroupView): void {
    this.group = tg.Name;
    this.count = Math.max(1, groupCount(tg));
  }

  next(): RankedNode | null {
    const option = this.source.next();
    if (!option) return null;
    const collisions = this.ctx.groupAllocsOnNode(option.node.ID, this.group);
    if (collisions > 0) {
      option.scores.push(-(collisions + 1) / this.count);
      option.scoreNames.push("job-anti-affinity");
    } else recordZero(option, "job-anti-affinity");
    return option;
  }

  reset(): void {
    this.source.reset();
  }
}

/** Appends −1 on the nodes a replacement should avoid (where the previous attempts failed); a metrics-only 0 elsewhere. */
export class NodeReschedulingPenaltyIterator implements RankIterator {
  /** Node IDs to penalize for the current placement. */
  penaltyNodes: ReadonlySet<string> = new Set();
  constructor(private readonly source: RankIterator) {}

  next(): RankedNode | null {
    const option = this.source.next();
    if (!option) return null;
    if (this.penaltyNodes.has(option.node.ID)) {
      option.scores.push(-1);
      option.scoreNames.push("node-reschedule-penalty");
    } else recordZero(option, "node-reschedule-penalty");
    return option;
  }

  reset(): void {
    this.source.reset();
  }
}

/** Scores how well a node matches the job, group and task affinities: Σ matching weights / Σ |weights|, appended whenever affinities exist. */
export class NodeAffinityIterator implements RankIterator {
  private jobAffinities: ConstraintView[] = [];
  /** The affinities in effect for the current group. */
  affinities: ConstraintView[] = [];
  private sumWeight = 0;

  constructor(
    private readonly ctx: EvalContext,
    private readonly source: RankIterator,
  ) {}

  /** Reads the job's affinities. */
  setJob(job: JobView): void {
    this.jobAffinities = job.Affinities ?? [];
  }

  /** Combines job, group and task affinities for the group. */
  setTaskGroup(tg: TaskGroupView): void {
    this.affinities = [...this.jobAffinities, ...(tg.Affinities ?? []), ...tg.Tasks.flatMap((t) => t.Affinities ?? [])];
    this.sumWeight = this.affinities.reduce((s, a) => s + Math.abs(a.Weight ?? DEFAULT_AFFINITY_WEIGHT), 0);
  }

  /** True when the group has any affinity. */
  hasAffinities(): boolean {
    return this.affinities.length > 0;
  }

  next(): RankedNode | null {
    const option = this.source.next();
    if (!option) return null;
    if (this.affinities.length === 0) {
      recordZero(option, "node-affinity");
      return option;
    }
    let total = 0;
    for (const a of this.affinities) if (meetsConstraint(this.ctx, a, option.node)) total += a.Weight ?? DEFAULT_AFFINITY_WEIGHT;
    option.scores.push(this.sumWeight > 0 ? total / this.sumWeight : 0);
    option.scoreNames.push("node-affinity");
    return option;
  }

  reset(): void {
    this.source.reset();
  }
}

/** Sets the final score to the mean of the appended scores (the denominator varies per node) and records the top scores in the metrics. */
export class ScoreNormalizationIterator implements RankIterator {
  constructor(
    private readonly ctx: EvalContext,
    private readonly source: RankIterator,
  ) {}

  next(): RankedNode | null {
    const option = this.source.next();
    if (!option) return null;
    const all = option.scores.length;
    const n = all - option.metricsOnly;
    let sum = 0;
    for (let i = 0; i < all; i++) sum += option.scores[i];
    option.finalScore = n > 0 ? sum / n : 0;
    this.ctx.topScores.offer(option.node.ID, option.scoreNames, option.scores, option.finalScore);
    return option;
  }

  reset(): void {
    this.source.reset();
  }
}
