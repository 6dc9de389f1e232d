/**
 * Placement metrics (Nomad's `structs.AllocMetric`): why a node was or was not
 * chosen. Evaluations carry one per task group that failed to place
 * (`FailedTGAllocs`), and allocations carry the one of their placement.
 */

/** Scores of one node for one placement (`structs.NodeScoreMeta`). */
export interface NodeScoreMeta {
  NodeID: string;
  /** Each scorer's value by name: "binpack", "job-anti-affinity", "node-affinity", "allocation-spread", "node-reschedule-penalty". */
  Scores: Record<string, number>;
  /** The mean of Scores: the value the max-score pick compares. */
  NormScore: number;
}

/** `structs.AllocMetric`. */
export interface AllocMetric {
  /** Nodes that were considered. */
  NodesEvaluated: number;
  /** Nodes removed by a constraint or driver check. */
  NodesFiltered: number;
  /** Nodes in the job's node pool. */
  NodesInPool: number;
  /** Ready nodes per datacenter of the job. */
  NodesAvailable: Record<string, number>;
  /** Filtered nodes by node class. */
  ClassFiltered: Record<string, number> | null;
  /** Filtered nodes by the constraint (or "missing drivers", …) that removed them. */
  ConstraintFiltered: Record<string, number> | null;
  /** Feasible nodes that could not fit the allocation. */
  NodesExhausted: number;
  ClassExhausted: Record<string, number> | null;
  /** Exhausted nodes by resource dimension: "cpu", "memory", "disk", "network: …". */
  DimensionExhausted: Record<string, number> | null;
  QuotaExhausted: string[] | null;
  ResourcesExhausted: Record<string, unknown> | null;
  /** Scores of the top nodes (Nomad keeps the best 5). */
  ScoreMetaData: NodeScoreMeta[] | null;
  /** Nanoseconds spent placing. */
  AllocationTime: number;
  /** Further placements of the same group that failed the same way. */
  CoalescedFailures: number;
}

/** An empty metric, as the placement stack starts it. */
export function newAllocMetric(): AllocMetric {
  return {
    NodesEvaluated: 0,
    NodesFiltered: 0,
    NodesInPool: 0,
    NodesAvailable: {},
    ClassFiltered: null,
    ConstraintFiltered: null,
    NodesExhausted: 0,
    ClassExhausted: null,
    DimensionExhausted: null,
    QuotaExhausted: null,
    ResourcesExhausted: null,
    ScoreMetaData: null,
    AllocationTime: 0,
    CoalescedFailures: 0,
  };
}
