/**
 * Spread scoring (Nomad's `SpreadIterator` in `scheduler/feasible/spread.go`):
 * steers placements of a group towards the target share of each value of an
 * attribute, or towards an even spread when no targets are given.
 */
import { allocTerminal } from "../../structs";
import type { EvalContext } from "../context";
import { resolveTarget } from "../feasible/target";
import type { JobView, SpreadView, TaskGroupView } from "../job-view";
import { groupCount } from "../job-view";
import type { RankIterator, RankedNode } from "./ranked-node";

/** The implicit target that takes the remainder when targets sum to less than 100%. */
const IMPLICIT_TARGET = "*";
/** Nomad's default spread weight. */
const DEFAULT_SPREAD_WEIGHT = 50;

/** One spread block prepared for a group. */
interface SpreadInfo {
  attribute: string;
  weight: number;
  /** Desired allocations per value (empty for an even spread). */
  desired: Map<string, number>;
  /** Proposed allocations of the group per value. */
  used: Map<string, number>;
}

/**
 * The even-spread boost: 0 when nothing is placed yet; −1 for a missing
 * attribute; otherwise it favours values below the current minimum and
 * penalizes values above it (Nomad's `evenSpreadScoreBoost`).
 */
export function evenSpreadScoreBoost(used: ReadonlyMap<string, number>, value: string | undefined): number {
  // Nothing placed yet: no boost either way (TestSpreadIterator_EvenSpread).
  if (used.size === 0) return 0;
  if (value === undefined) return -1;
  const current = used.get(value) ?? 0;
  let min = 0;
  let max = 0;
  for (const v of used.values()) {
    if (min === 0 || v < min) min = v;
    if (max === 0 || v > max) max = v;
  }
  if (current !== min) return min === 0 ? -1 : (min - current) / min;
  if (min === max) return -1;
  if (min === 0) return 1;
  return (max - min) / min;
}

/** Appends the summed spread boost under "allocation-spread" when it is non-zero. */
export class SpreadIterator implements RankIterator {
  private job: JobView | null = null;
  private group = "";
  private infos: SpreadInfo[] = [];
  private sumWeights = 0;
  private lowestBoost = -1;

  constructor(
    private readonly ctx: EvalContext,
    private readonly source: RankIterator,
  ) {}

  /** Reads the job. */
  setJob(job: JobView): void {
    this.job = job;
  }

  /** Prepares desired counts for the group's (and job's) spread blocks. */
  setTaskGroup(tg: TaskGroupView): void {
    this.group = tg.Name;
    const spreads: SpreadView[] = [...(this.job?.Spreads ?? []), ...(tg.Spreads ?? [])];
    const count = groupCount(tg);
    this.sumWeights = 0;
    this.infos = spreads.map((s) => {
      const weight = s.Weight ?? DEFAULT_SPREAD_WEIGHT;
      this.sumWeights += weight;
      const desired = new Map<string, number>();
      let sum = 0;
      for (const t of s.SpreadTarget ?? []) {
        const d = (t.Percent / 100) * count;
        desired.set(t.Value, d);
        sum += d;
      }
      if (desired.size > 0 && sum < count) desired.set(IMPLICIT_TARGET, count - sum);
      return { attribute: s.Attribute, weight, desired, used: new Map() };
    });
  }

  /** True when the group has any spread block. */
  hasSpreads(): boolean {
    return this.infos.length > 0;
  }

  private recount(): void {
    if (this.infos.length === 0 || !this.job) return;
    for (const i of this.infos) i.used.clear();
    const add = (nodeID: string) => {
      const node = this.ctx.node(nodeID);
      if (!node) return;
      for (const i of this.infos) {
        const v = resolveTarget(i.attribute, node);
        if (v.found) i.used.set(v.value, (i.used.get(v.value) ?? 0) + 1);
      }
    };
    for (const a of this.ctx.state.allocsByJob(this.job.Namespace, this.job.ID)) {
      if (a.TaskGroup !== this.group || allocTerminal(a) || this.ctx.isReplaced(a.ID)) continue;
      add(a.NodeID);
    }
    for (const list of Object.values(this.ctx.plan.NodeAllocation)) {
      for (const a of list) {
        if (a.JobID !== this.job.ID || a.TaskGroup !== this.group) continue;
        const prev = this.ctx.state.allocByID(a.ID);
        if (prev && !allocTerminal(prev)) continue;
        add(a.NodeID);
      }
    }
  }

  next(): RankedNode | null {
    const option = this.source.next();
    if (!option || this.infos.length === 0) return option;
    let total = 0;
    for (const info of this.infos) {
      const v = resolveTarget(info.attribute, option.node);
      if (info.desired.size === 0) {
        total += evenSpreadScoreBoost(info.used, v.found ? v.value : undefined);
        continue;
      }
      if (!v.found) {
        total -= 1;
        continue;
      }
      const used = (info.used.get(v.value) ?? 0) + 1;
      let desired = info.desired.get(v.value);
      if (desired === undefined) desired = info.desired.get(IMPLICIT_TARGET);
      if (desired === undefined) {
        total -= 1;
        continue;
      }
      if (desired === 0) {
        total += this.lowestBoost;
        continue;
      }
      const boost = ((desired - used) / desired) * (info.weight / this.sumWeights);
      total += boost;
      if (boost < this.lowestBoost) this.lowestBoost = boost;
    }
    if (total !== 0) {
      option.scores.push(total);
      option.scoreNames.push("allocation-spread");
    }
    return option;
  }

  reset(): void {
    this.source.reset();
    this.recount();
  }
}
