/**
 * Scaling policies as the servers keep them (`structs.ScalingPolicy`): one
 * per task group with a `scaling` block, with a server-made ID that stays
 * the same across the job's versions, and the target it scales.
 */
import type { ScalingPolicy as WireScalingPolicy, ScalingPolicyListStub as WireScalingPolicyListStub } from "../../api/types/scaling";
import type { StoredJob } from "./job";
import { jobGroups } from "./job";

/** The horizontal policy type (`structs.ScalingPolicyTypeHorizontal`), the only one Nomad's community edition keeps. */
export const SCALING_POLICY_TYPE_HORIZONTAL = "horizontal";

/**
 * A stored scaling policy (`structs.ScalingPolicy`): the wire type, with
 * both bounds set (a missing `min` is 0, a missing `max` -1) and the
 * namespace in `Target`.
 */
export interface ScalingPolicy extends Omit<WireScalingPolicy, "Min" | "Max" | "Namespace"> {
  /** The smallest count the target may be scaled to. */
  Min: number;
  /** The largest count the target may be scaled to. */
  Max: number;
}

/** A policy in a list (`structs.ScalingPolicyListStub`), as the wire type. */
export type ScalingPolicyListStub = WireScalingPolicyListStub;

/** The key of a policy within its job (`ScalingPolicy.JobKey`): type, group and task. */
export function scalingPolicyJobKey(p: Pick<ScalingPolicy, "Type" | "Target">): string {
  return `${p.Type}\u0000${p.Target.Group ?? ""}\u0000${p.Target.Task ?? ""}`;
}

/** A policy's list stub. */
export function scalingPolicyStub(p: ScalingPolicy): ScalingPolicyListStub {
  return { ID: p.ID, Enabled: p.Enabled, Type: p.Type, Target: { ...p.Target }, CreateIndex: p.CreateIndex, ModifyIndex: p.ModifyIndex };
}

/**
 * The scaling policies of a job (`Job.GetScalingPolicies`): the groups'
 * `scaling` blocks. Task-level blocks (vertical scaling, Nomad Enterprise)
 * are kept in the job but are no policies, as in Nomad's community edition
 * (`GetEntScalingPolicies` returns none). Indexes are left at 0 for the
 * state store to set.
 */
export function jobScalingPolicies(job: Pick<StoredJob, "TaskGroups" | "Namespace" | "ID">): ScalingPolicy[] {
  const out: ScalingPolicy[] = [];
  for (const tg of jobGroups(job)) {
    const s = tg.Scaling;
    if (!s) continue;
    out.push({
      ID: s.ID ?? "",
      Type: s.Type || SCALING_POLICY_TYPE_HORIZONTAL,
      Target: { Namespace: job.Namespace, Job: job.ID, Group: tg.Name },
      Policy: s.Policy ?? null,
      Min: s.Min ?? 0,
      Max: s.Max ?? -1,
      Enabled: s.Enabled ?? true,
      CreateIndex: 0,
      ModifyIndex: 0,
    });
  }
  return out;
}

/**
 * Gives the groups' scaling blocks of a submitted job their server fields, as
 * Nomad's `Job.Register` does (`propagateScalingPolicyIDs` and
 * `ScalingPolicy.Canonicalize`): the type (default horizontal), the target,
 * and the ID of the existing job's policy with the same type and group, or a
 * new one from `newID`. Any ID the submission carried is ignored.
 */
export function assignScalingPolicyIDs(
  job: Pick<StoredJob, "TaskGroups" | "Namespace" | "ID">,
  existing: Pick<StoredJob, "TaskGroups" | "Namespace" | "ID"> | undefined,
  newID: () => string,
): void {
  const old = new Map<string, string>();
  if (existing) for (const p of jobScalingPolicies(existing)) if (p.ID) old.set(scalingPolicyJobKey(p), p.ID);
  for (const tg of jobGroups(job)) {
    const s = tg.Scaling;
    if (!s) continue;
    s.Type = s.Type || SCALING_POLICY_TYPE_HORIZONTAL;
    s.Target = { Namespace: job.Namespace, Job: job.ID, Group: tg.Name };
    s.ID = old.get(scalingPolicyJobKey({ Type: s.Type, Target: s.Target })) ?? newID();
  }
}
