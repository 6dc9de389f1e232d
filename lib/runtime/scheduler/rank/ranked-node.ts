/**
 * Ranked nodes and the first ranking iterator (Nomad's `RankedNode`,
 * `FeasibleRankIterator` in `scheduler/feasible/rank.go`).
 */
import type { AllocatedPortMapping, AllocatedTaskResources, Node } from "../../structs";
import type { FeasibleIterator } from "../feasible/iterators";

/** A feasible node with its scores for one placement. */
export interface RankedNode {
  node: Node;
  /** Each scorer's value, in the order appended. */
  scores: number[];
  /** The scorer names, parallel to `scores`. */
  scoreNames: string[];
  /** Mean of `scores` (set by the normalization iterator). */
  finalScore: number;
  /** Per-task resources the allocation would get. */
  taskResources: Record<string, AllocatedTaskResources> | null;
  /** Ports assigned on this node, or null when the group asks none. */
  ports: AllocatedPortMapping[] | null;
}

/** An iterator over ranked nodes. */
export interface RankIterator {
  /** The next ranked node, or null when exhausted. */
  next(): RankedNode | null;
  /** Starts a new placement. */
  reset(): void;
}

/** Wraps feasible nodes into ranked nodes with no scores yet. */
export class FeasibleRankIterator implements RankIterator {
  constructor(private readonly source: FeasibleIterator) {}

  next(): RankedNode | null {
    const node = this.source.next();
    if (!node) return null;
    return { node, scores: [], scoreNames: [], finalScore: 0, taskResources: null, ports: null };
  }

  reset(): void {
    this.source.reset();
  }
}
