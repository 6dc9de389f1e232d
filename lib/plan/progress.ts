/**
 * Progress events `applyJob` and `destroyJob` emit while they follow
 * Nomad's evaluation and deployment. Plain data, for the CLI's display and the
 * Pulumi provider's log.
 */
import type { AllocationMetric } from "../api";
import type { CanaryGroupState } from "./canary";

/** Per-group rollout counts of a deployment. */
export interface GroupRollout {
  /** Allocations wanted. */
  desired: number;
  /** Allocations placed. */
  placed: number;
  /** Healthy allocations. */
  healthy: number;
  /** Unhealthy allocations. */
  unhealthy: number;
  /** Canaries wanted. */
  desiredCanaries: number;
  /** Canaries placed. */
  placedCanaries: number;
  /** Canaries promoted. */
  promoted: boolean;
}

/** Allocation counts by client status for the job version being applied. */
export interface AllocationCounts {
  /** Allocations wanted (sum of the groups' Count; 0 when unknown, e.g. system jobs). */
  desired: number;
  /** pending. */
  pending: number;
  /** running. */
  running: number;
  /** complete. */
  complete: number;
  /** failed. */
  failed: number;
  /** lost or unknown. */
  lost: number;
}

/** One progress event. */
export type ApplyProgressEvent =
  /** The job was deregistered; `parentId` is set for a child stopped with its periodic or parameterized parent. */
  | { type: "deregistered"; jobId: string; namespace: string; purge: boolean; evalId: string; parentId?: string }
  /** While a deregistered job's allocations stop: how many of the `total` that were live still run on their clients. */
  | { type: "stopping"; jobId: string; total: number; running: number }
  | { type: "registered"; jobId: string; namespace: string; evalId: string; jobModifyIndex: number; warnings: string[] }
  | { type: "evaluation"; evalId: string; status: string; statusDescription: string }
  | { type: "placement-failures"; evalId: string; failedTGAllocs: Record<string, AllocationMetric>; blockedEvalId: string }
  /** A deployment's progress; `region` is set for each region's deployment of a multiregion job. */
  | {
      type: "deployment";
      deploymentId: string;
      status: string;
      statusDescription: string;
      groups: Record<string, GroupRollout>;
      region?: string;
    }
  | { type: "allocations"; counts: AllocationCounts }
  /** The deployment's canaries are healthy: it stops for a manual promotion ("awaiting-promotion"), promotes them ("promoting"), or waits for auto_promote ("auto-promoting"). */
  | {
      type: "canaries";
      jobId: string;
      deploymentId: string;
      phase: "awaiting-promotion" | "promoting" | "auto-promoting";
      groups: CanaryGroupState[];
      message: string;
    }
  | { type: "done"; jobId: string; outcome: string };

/** The callback that receives progress events. */
export type ProgressListener = (event: ApplyProgressEvent) => void;
