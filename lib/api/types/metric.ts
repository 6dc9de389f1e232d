/** Placement metrics (`api.AllocationMetric`): why allocations of a group could or could not be placed. */

/** Scores of one node for one placement (`api.NodeScoreMeta`). */
export interface NodeScoreMeta {
  /** Node ID. */
  NodeID: string;
  /** Each scorer's value by name: "binpack", "job-anti-affinity", "node-affinity", "allocation-spread", "node-reschedule-penalty". */
  Scores: Record<string, number>;
  /** The mean of Scores: the value the max-score pick compares. */
  NormScore: number;
}

/** `api.AllocationMetric`. */
export interface AllocationMetric {
  /** Nodes that were considered. */
  NodesEvaluated: number;
  /** Nodes removed by a constraint or driver check. */
  NodesFiltered: number;
  /** Nodes in the job's node pool. */
  NodesInPool?: number;
  /** Ready nodes per datacenter of the job. */
  NodesAvailable: Record<string, number> | null;
  /** Filtered nodes per node class. */
  ClassFiltered: Record<string, number> | null;
  /** Filtered nodes per constraint (e.g. `${attr.kernel.name} = linux`, "missing drivers"). */
  ConstraintFiltered: Record<string, number> | null;
  /** Feasible nodes that could not fit the allocation. */
  NodesExhausted: number;
  /** Exhausted nodes per class. */
  ClassExhausted: Record<string, number> | null;
  /** Exhausted nodes per resource dimension ("cpu", "memory", "disk", "network: …"). */
  DimensionExhausted: Record<string, number> | null;
  /** Quotas exhausted (Enterprise). */
  QuotaExhausted?: string[] | null;
  /** Resources exhausted per task. */
  ResourcesExhausted?: Record<string, unknown> | null;
  /** Scores of the top nodes (Nomad keeps the best 5). */
  ScoreMetaData?: NodeScoreMeta[] | null;
  /** Nanoseconds spent placing. */
  AllocationTime: number;
  /** Further placements of the same group that failed the same way. */
  CoalescedFailures: number;
  /** Legacy scores map. */
  Scores?: Record<string, number> | null;
}
