/**
 * Placement metrics (Nomad's `structs.AllocMetric`): why a node was or was not
 * chosen. Evaluations carry one per task group that failed to place
 * (`FailedTGAllocs`), and allocations carry the one of their placement.
 */

import type { AllocationMetric, NodeScoreMeta } from "../../api/types/metric";

/** Scores of one node for one placement (`structs.NodeScoreMeta`, the wire type). */
export type { NodeScoreMeta };

/** `structs.AllocMetric`: the wire shape with every field set, without the legacy Scores map. */
export interface AllocMetric extends Required<Omit<AllocationMetric, "Scores">> {
  /** Ready nodes per datacenter of the job; never null on the server. */
  NodesAvailable: Record<string, number>;
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
