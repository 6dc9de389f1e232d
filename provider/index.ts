/**
 * drover's Pulumi provider: `NomadJob` (one Nomad job as a dynamic
 * resource) and `NomadApp` (a drover `App` as a component, one `NomadJob`
 * per job). Exposed as `drover/provider`.
 */
export { NomadJob } from "./nomad-job";
export type { NomadJobArgs, NomadConnectionArgs, NomadJobBehaviourArgs } from "./nomad-job";
export { NomadApp } from "./nomad-app";
export type { NomadAppArgs } from "./nomad-app";
export { createNomadJobProvider, handlerLocations } from "./shell";
export { NOMAD_APP_TYPE, NOMAD_JOB_TYPE, UNKNOWN } from "./props";
export type {
  AllocationStatusCounts,
  JobObject,
  NomadConnectionProps,
  NomadJobBehaviourProps,
  NomadJobInputs,
  NomadJobOutputs,
} from "./props";
export { toBareJob, isJobConstruct } from "./job-input";
export type { JobInput, JobConstructLike } from "./job-input";
