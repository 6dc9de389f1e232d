/**
 * lib/plan: normalize, diff, plan and apply Nomad jobs. The Pulumi provider
 * and the CLI are thin shells over these functions: no global state, a
 * client passed per call, options as plain data.
 */
export * from "./change";
export * from "./rules";
export { diffJobs, equalValues, isZero, UNCOMPARED_JOB_FIELDS } from "./diff";
export { normalizeDesired, normalizeLive, isImpliedConstraint, SERVER_ONLY_JOB_FIELDS } from "./normalize";
export type { NormalizeLiveOptions } from "./normalize";
export { planJob, readLiveJob } from "./plan";
export type { JobPlan, PlanAction, PlanJobOptions, JobKey, PreemptedAlloc, PreservedCount } from "./plan";
export { applyJob, followRollout, rollout } from "./apply";
export type { ApplyOptions, ApplyOutcome, ApplyResult, FollowResult, FollowStart, FollowTarget, RegionRollout } from "./apply";
export * from "./canary";
export { destroyJob, listChildren } from "./destroy";
export type { DestroyOptions, DestroyResult } from "./destroy";
export * from "./errors";
export * from "./progress";
export { GLOBAL_REGION, requestRegion } from "./region";
export { withNomadClient } from "./session";
export type { ConnectionOptions } from "./session";
export { planDocument, jobPlanJson, deletePlanJson, PLAN_FORMAT_VERSION } from "./plan-json";
export type { DeletePlan, JobPlanJson, PlanChangeJson, PlanDocument, PlanPathSegment } from "./plan-json";
export { planJsonSchema } from "./plan-json-schema";
export { isDurationField, formatDurationAt } from "./durations";
