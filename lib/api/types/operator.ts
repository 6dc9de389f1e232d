/** Operator wire types (Nomad's `api/operator.go`). */

/** The cluster's scheduler settings (`api.SchedulerConfiguration`). */
export interface SchedulerConfiguration {
  /** `binpack` (default) or `spread`. */
  SchedulerAlgorithm: "binpack" | "spread";
  /** Which schedulers may preempt lower-priority allocations. */
  PreemptionConfig: {
    SystemSchedulerEnabled: boolean;
    SysBatchSchedulerEnabled: boolean;
    BatchSchedulerEnabled: boolean;
    ServiceSchedulerEnabled: boolean;
  };
  /** Whether tasks get their `memory_max`. */
  MemoryOversubscriptionEnabled: boolean;
  /** Whether job registrations are refused. */
  RejectJobRegistration: boolean;
  /** Whether the eval broker hands out no evaluations. */
  PauseEvalBroker: boolean;
  /** Index of its creation. */
  CreateIndex: number;
  /** Index of its last change (the `cas` value for a check-and-set update). */
  ModifyIndex: number;
}

/** `GET /v1/operator/scheduler/configuration`. */
export interface SchedulerConfigurationResponse {
  /** The settings. */
  SchedulerConfig: SchedulerConfiguration;
  /** The index they were read at. */
  Index: number;
}

/** `PUT /v1/operator/scheduler/configuration`. */
export interface SchedulerSetConfigurationResponse {
  /** False when a check-and-set index was stale (nothing changed). */
  Updated: boolean;
  /** The write's index. */
  Index: number;
}

/** `GET /v1/operator/snapshot`: the snapshot file and what the headers say of it. */
export interface SnapshotSaveResponse {
  /** The snapshot file (gzip bytes), as the server sent it. */
  data: Buffer;
  /** X-Nomad-Index: the state index the snapshot holds (0 when the server does not send it, as Nomad's agent does not). */
  index: number;
  /** The server's `Digest` header (`sha-256=<base64>`), already checked against `data`; "" when absent. */
  digest: string;
}

/** `PUT /v1/operator/snapshot`. */
export interface SnapshotRestoreResponse {
  /** X-Nomad-Index: the index of the restore (0 when the server does not send it). */
  index: number;
}
