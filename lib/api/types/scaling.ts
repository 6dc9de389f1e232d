/** Scaling policies (`api.ScalingPolicy`, `api.ScalingPolicyListStub`). */

/** `api.ScalingPolicyListStub`. */
export interface ScalingPolicyListStub {
  /** UUID. */
  ID: string;
  /** Enabled. */
  Enabled: boolean;
  /** horizontal, vertical_cpu, vertical_mem. */
  Type: string;
  /** Target: Namespace, Job, Group (and Task). */
  Target: Record<string, string>;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
}

/** `api.ScalingPolicy`. */
export interface ScalingPolicy extends ScalingPolicyListStub {
  /** Namespace. */
  Namespace?: string;
  /** Minimum count. */
  Min: number | null;
  /** Maximum count. */
  Max: number | null;
  /** Autoscaler policy (opaque). */
  Policy: Record<string, unknown> | null;
}
