/** Placement metrics (`api.AllocationMetric`): why allocations of a group could or could not be placed. */

/** Scores of one node for one placement. */
export interface NodeScoreMeta {
  /** Node ID. */
  NodeID: string;
  /** Scorer name → score. */
  Scores: Record<string, number>;
  /** Normalized score the pick compares. */
  NormScore: number;
}

/** `api.AllocationMetric`. */
export interface AllocationMetric {
  /** Nodes considered. */
  NodesEvaluated: number;
  /** Nodes removed by constraints or missing drivers. */
  NodesFiltered: number;
  /** Nodes in the job's node pool. */
  NodesInPool?: number;
  /** Ready nodes per datacenter. */
  NodesAvailable: Record<string, number> | null;
  /** Filtered nodes per node class. */
  ClassFiltered: Record<string, number> | null;
  /** Filtered nodes per constraint (e.g. `${attr.kernel.name} = linux`, "missing drivers"). */
  ConstraintFiltered: Record<string, number> | null;
  /** Feasible nodes without room. */
  NodesExhausted: number;
  /** Exhausted nodes per class. */
  ClassExhausted: Record<string, number> | null;
  /** Exhausted nodes per resource dimension ("cpu", "memory", "network: …"). */
  DimensionExhausted: Record<string, number> | null;
  /** Quotas exhausted (Enterprise). */
  QuotaExhausted?: string[] | null;
  /** Top node scores. */
  ScoreMetaData?: NodeScoreMeta[] | null;
  /** Nanoseconds spent placing. */
  AllocationTime: number;
  /** Further placements that failed the same way. */
  CoalescedFailures: number;
  /** Legacy scores map. */
  Scores?: Record<string, number> | null;
}
