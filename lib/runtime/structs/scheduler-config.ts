/**
 * The cluster's scheduler settings (Nomad's `structs.SchedulerConfiguration`,
 * served at `/v1/operator/scheduler/configuration`).
 */
export interface SchedulerConfiguration {
  /** "binpack" (Nomad's default) or "spread". */
  SchedulerAlgorithm: "binpack" | "spread";
  PreemptionConfig: {
    SystemSchedulerEnabled: boolean;
    SysBatchSchedulerEnabled: boolean;
    BatchSchedulerEnabled: boolean;
    ServiceSchedulerEnabled: boolean;
  };
  MemoryOversubscriptionEnabled: boolean;
  RejectJobRegistration: boolean;
  PauseEvalBroker: boolean;
  /** Nodes scored per placement when a group has affinities or spreads (Nomad default 100). */
  NodeLimitForFeasibilityChecks?: number;
  CreateIndex: number;
  ModifyIndex: number;
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
