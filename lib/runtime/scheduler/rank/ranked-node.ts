/**
 * Ranked nodes and the first ranking iterator (Nomad's `RankedNode`,
 * `FeasibleRankIterator` in `scheduler/feasible/rank.go`).
 */
import type { AllocatedPortMapping, AllocatedTaskResources, Allocation, Node } from "../../structs";
import type { FeasibleIterator } from "../feasible/iterators";

/** A feasible node with its scores for one placement. */
export interface RankedNode {
  node: Node;
  /** Each scorer's value, in the order appended. */
  scores: number[];
  /** The scorer names, parallel to `scores`. */
  scoreNames: string[];
  /** How many entries of `scores` are zeros recorded for the metrics only (Nomad's `ScoreNode(node, name, 0)` without appending to Scores); they do not count in the mean. */
  metricsOnly: number;
  /** Mean of the counted `scores` (set by the normalization iterator). */
  finalScore: number;
  /** Per-task resources the allocation would get. */
  taskResources: Record<string, AllocatedTaskResources> | null;
  /** Ports assigned on this node, or null when the group asks none. */
  ports: AllocatedPortMapping[] | null;
  /** Allocations to evict for this placement to fit (set by the bin-packer when preempting), or null. */
  preemptedAllocs: Allocation[] | null;
}

/** An iterator over ranked nodes. */
export interface RankIterator {
  /** The next ranked node, or null when exhausted. */
  next(): RankedNode | null;
  /** Starts a new placement. */
  reset(): void;
}

/**
 * Wraps feasible nodes into ranked nodes with no scores yet. Ranked node
 * objects are pooled and reused from one placement to the next (a selected
 * node is only valid until the next Select), which keeps the hot path free
 * of per-node allocations.
 */
export class FeasibleRankIterator implements RankIterator {
  private readonly pool: RankedNode[] = [];
  private used = 0;
  constructor(private readonly source: FeasibleIterator) {}

  next(): RankedNode | null {
    const node = this.source.next();
    if (!node) return null;
    let r = this.pool[this.used];
    if (!r) {
      r = { node, scores: [], scoreNames: [], metricsOnly: 0, finalScore: 0, taskResources: null, ports: null, preemptedAllocs: null };
      this.pool.push(r);
    } else {
      r.node = node;
      r.scores.length = 0;
      r.scoreNames.length = 0;
      r.metricsOnly = 0;
      r.finalScore = 0;
      r.taskResources = null;
      r.ports = null;
      r.preemptedAllocs = null;
    }
    this.used++;
    return r;
  }

  reset(): void {
    this.source.reset();
    this.used = 0;
  }
}
