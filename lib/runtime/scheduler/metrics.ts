/**
 * Helpers that record placement decisions in an AllocMetric, as Nomad's
 * `AllocMetric.FilterNode`, `ExhaustedNode` and `ScoreNode` do.
 */
import type { AllocMetric, Node, NodeScoreMeta } from "../structs";

/** How many top-scoring nodes a metric keeps (Nomad's `MaxRetainedNodeScores`). */
export const MAX_RETAINED_NODE_SCORES = 5;

function bump(m: Record<string, number> | null, key: string): Record<string, number> {
  const out = m ?? {};
  out[key] = (out[key] ?? 0) + 1;
  return out;
}

/** Records a node removed by feasibility, with the constraint (or check) that removed it. */
export function filterNode(m: AllocMetric, node: Node, reason: string): void {
  m.NodesFiltered++;
  if (node.NodeClass) m.ClassFiltered = bump(m.ClassFiltered, node.NodeClass);
  if (reason) m.ConstraintFiltered = bump(m.ConstraintFiltered, reason);
}

/** Records a feasible node that could not fit the allocation, with the exhausted dimension. */
export function exhaustedNode(m: AllocMetric, node: Node, dimension: string): void {
  m.NodesExhausted++;
  if (node.NodeClass) m.ClassExhausted = bump(m.ClassExhausted, node.NodeClass);
  if (dimension) m.DimensionExhausted = bump(m.DimensionExhausted, dimension);
}

/** Keeps the node's scores if they rank among the best MAX_RETAINED_NODE_SCORES. */
export function scoreNode(m: AllocMetric, nodeID: string, names: readonly string[], scores: readonly number[], norm: number): void {
  const list = m.ScoreMetaData ?? (m.ScoreMetaData = []);
  if (list.length >= MAX_RETAINED_NODE_SCORES && list[list.length - 1].NormScore >= norm) return;
  const Scores: Record<string, number> = {};
  for (let i = 0; i < names.length; i++) Scores[names[i]] = scores[i];
  const entry: NodeScoreMeta = { NodeID: nodeID, Scores, NormScore: norm };
  let i = list.length;
  while (i > 0 && list[i - 1].NormScore < norm) i--;
  list.splice(i, 0, entry);
  if (list.length > MAX_RETAINED_NODE_SCORES) list.pop();
}
