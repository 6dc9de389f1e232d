/**
 * lib/jobspec: Nomad's job model (the HTTP API's JSON shape) as zod schemas,
 * with the inferred TypeScript types, validation with paths, Nomad's
 * register-time defaults, deterministic JSON and a JSON Schema. Every other
 * part of drover (DSL, plan, runtime, API client, CLI) uses this model.
 */
export * from "./constants";
export * from "./duration";
export * from "./schema";
export * from "./defaults";
export { canonicalize } from "./canonicalize";
export { JOB_MODEL, blockModelOf, findBlockModel } from "./model";
export type { BlockModel, FieldKind, ScalarSpec } from "./model";
export { fieldAtPath, hasUserKeys, userKeysOf } from "./model-path";
export type { ModelPathSegment } from "./model-path";
export { formatJobJson, orderJobKeys } from "./format";
export type { FormatJobJsonOptions } from "./format";
export { validateJob, unwrapJob } from "./validate";
export type { ValidateJobOptions } from "./validate";
export { checkDriverConfig, checkJobDriverConfigs, checkedDrivers, DRIVER_CONFIG_SCHEMAS } from "./drivers";
export type { JobProblem, JobValidationResult } from "./problem";
export { formatPath } from "./problem";
export { IGNORED_KEYS, suggestKey } from "./keys";
export { cronSpecError, isKnownTimeZone } from "./rules/periodic";
export { jobJsonSchema } from "./json-schema";
export * from "./hcl";
export { JsonPositions } from "./json-positions";
