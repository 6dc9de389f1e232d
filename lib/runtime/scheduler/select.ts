/**
 * The end of the placement pipeline (Nomad's `LimitIterator` and
 * `MaxScoreIterator` in `scheduler/feasible/select.go`).
 */
import type { RankIterator, RankedNode } from "./rank/ranked-node";

/** Nodes with a score at or below this are set aside by the limit iterator. */
const SKIP_SCORE_THRESHOLD = 0;
/** How many low-scoring nodes may be set aside per placement. */
const MAX_SKIP = 3;

/**
 * Returns at most `limit` ranked nodes. Up to MAX_SKIP nodes scoring ≤ 0 are
 * set aside in favour of later ones, and returned only if the source runs out.
 */
export class LimitIterator implements RankIterator {
  private seen = 0;
  private skipped: RankedNode[] = [];
  private skippedIndex = 0;

  constructor(
    private readonly source: RankIterator,
    /** How many nodes to return per placement. */
    public limit: number,
  ) {}

  next(): RankedNode | null {
    if (this.seen >= this.limit) return null;
    let option = this.source.next();
    while (option !== null && option.finalScore <= SKIP_SCORE_THRESHOLD && this.skipped.length < MAX_SKIP) {
      this.skipped.push(option);
      option = this.source.next();
    }
    if (option === null) {
      if (this.skippedIndex < this.skipped.length) {
        this.seen++;
        return this.skipped[this.skippedIndex++];
      }
      return null;
    }
    this.seen++;
    return option;
  }

  reset(): void {
    this.source.reset();
    this.seen = 0;
    this.skipped = [];
    this.skippedIndex = 0;
  }
}

/** Drains its source and returns the first node with the strictly highest final score. */
export class MaxScoreIterator implements RankIterator {
  private done = false;
  constructor(private readonly source: RankIterator) {}

  next(): RankedNode | null {
    if (this.done) return null;
    this.done = true;
    let best: RankedNode | null = null;
    for (let o = this.source.next(); o !== null; o = this.source.next()) if (best === null || o.finalScore > best.finalScore) best = o;
    return best;
  }

  reset(): void {
    this.source.reset();
    this.done = false;
  }
}

/** The default limit: 2 for batch, max(2, ceil(log2 n)) for service, where n is the number of base nodes. */
export function defaultLimit(batch: boolean, baseNodes: number): number {
  if (batch) return 2;
  return Math.max(2, Math.ceil(Math.log2(Math.max(1, baseNodes))));
}
