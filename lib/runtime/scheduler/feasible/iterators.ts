/**
 * The feasibility half of the placement stack (Nomad's `StaticIterator`,
 * `FeasibilityWrapper`): a round-robin source over the shuffled base nodes
 * and a wrapper that runs checkers with per-class caching.
 */
import type { Node } from "../../structs";
import type { EvalContext } from "../context";
import { filterNode } from "../metrics";
import type { FeasibilityChecker } from "./checkers";

/** An iterator over feasible nodes. */
export interface FeasibleIterator {
  /** The next feasible node, or null when exhausted. */
  next(): Node | null;
  /** Starts a new placement (sources keep their offset: round-robin). */
  reset(): void;
}

/** Fisher–Yates shuffle driven by a seeded generator (Nomad's `ShuffleNodes`). */
export function shuffleNodes(nodes: Node[], random: () => number): void {
  for (let i = nodes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = nodes[i];
    nodes[i] = nodes[j];
    nodes[j] = t;
  }
}

/**
 * Walks the base nodes once per placement, starting where the previous
 * placement stopped and wrapping around (Nomad's `StaticIterator`: Reset
 * clears `seen`, not `offset`). Counts NodesEvaluated.
 */
export class StaticIterator implements FeasibleIterator {
  private offset = 0;
  private seen = 0;
  constructor(
    private readonly ctx: EvalContext,
    /** The nodes to walk. */
    public nodes: Node[],
  ) {}

  next(): Node | null {
    const n = this.nodes.length;
    if (this.seen >= n) return null;
    if (this.offset >= n) this.offset = 0;
    const node = this.nodes[this.offset++];
    this.seen++;
    this.ctx.metrics.NodesEvaluated++;
    return node;
  }

  reset(): void {
    this.seen = 0;
  }

  /** Replaces the nodes and rewinds completely. */
  setNodes(nodes: Node[]): void {
    this.nodes = nodes;
    this.offset = 0;
    this.seen = 0;
  }
}

/**
 * Runs the job checkers and the group checkers on each node, skipping the
 * checks when the node's computed class is already known for this eval
 * (Nomad's `FeasibilityWrapper`). Ineligible classes are filtered with the
 * reason "computed class ineligible".
 */
export class FeasibilityWrapper implements FeasibleIterator {
  /** The group whose checkers run (for the eligibility cache). */
  taskGroup = "";
  /** Checkers of the job's own constraints. */
  jobCheckers: FeasibilityChecker[] = [];
  /** Checkers of the group: drivers, constraints (group and tasks), network. */
  groupCheckers: FeasibilityChecker[] = [];
  /** Checkers of the group whose answer the node's computed class does not decide (Nomad's `tgAvailable`: host volumes), run on every node. */
  availableCheckers: FeasibilityChecker[] = [];

  constructor(
    private readonly ctx: EvalContext,
    private readonly source: FeasibleIterator,
  ) {}

  next(): Node | null {
    const elig = this.ctx.eligibility;
    for (let node = this.source.next(); node !== null; node = this.source.next()) {
      const cls = node.ComputedClass;
      const js = elig.jobStatus(cls);
      if (js === "ineligible") {
        filterNode(this.ctx.metrics, node, "computed class ineligible");
        continue;
      }
      if (js !== "eligible") {
        let ok = true;
        for (const c of this.jobCheckers)
          if (!c.feasible(node)) {
            ok = false;
            break;
          }
        elig.setJobEligibility(ok, cls);
        if (!ok) continue;
      }
      const gs = elig.groupStatus(this.taskGroup, cls);
      if (gs === "ineligible") {
        filterNode(this.ctx.metrics, node, "computed class ineligible");
        continue;
      }
      if (gs !== "eligible") {
        let ok = true;
        for (const c of this.groupCheckers)
          if (!c.feasible(node)) {
            ok = false;
            break;
          }
        elig.setGroupEligibility(ok, this.taskGroup, cls);
        if (!ok) continue;
      }
      let available = true;
      for (const c of this.availableCheckers)
        if (!c.feasible(node)) {
          available = false;
          break;
        }
      if (!available) continue;
      return node;
    }
    return null;
  }

  reset(): void {
    this.source.reset();
  }
}
