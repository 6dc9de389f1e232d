/**
 * The cluster's scheduler settings (Nomad's `structs.SchedulerConfiguration`,
 * served at `/v1/operator/scheduler/configuration`): the wire type, plus the
 * runtime's own tuning knob.
 */
import type { SchedulerConfiguration as WireSchedulerConfiguration } from "../../api/types/operator";

/** The settings as the server keeps them. */
export interface SchedulerConfiguration extends WireSchedulerConfiguration {
  /** Nodes scored per placement when a group has affinities or spreads (Nomad default 100). */
  NodeLimitForFeasibilityChecks?: number;
}

/** Nomad's defaults (`nomad/config.go DefaultSchedulerConfig`). */
export function defaultSchedulerConfiguration(): SchedulerConfiguration {
  return {
    SchedulerAlgorithm: "binpack",
    PreemptionConfig: {
      SystemSchedulerEnabled: true,
      SysBatchSchedulerEnabled: false,
      BatchSchedulerEnabled: false,
      ServiceSchedulerEnabled: false,
    },
    MemoryOversubscriptionEnabled: false,
    RejectJobRegistration: false,
    PauseEvalBroker: false,
    NodeLimitForFeasibilityChecks: 100,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}
