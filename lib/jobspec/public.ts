/**
 * What the `drover` entry point's `jobspec` namespace holds: validation,
 * canonical defaults, formatting, the JSON Schema and the model's types,
 * with declarations free of zod (so that `import { jobspec } from "drover"`
 * compiles without `esModuleInterop`). The zod schemas themselves are in
 * `drover/jobspec`.
 */
export type * from "./types";
export type { ValidateJobOptions } from "./validate";
export type { FormatJobJsonOptions } from "./format";
export { validateJob, unwrapJob } from "./validate";
export { canonicalize } from "./canonicalize";
export { formatJobJson, orderJobKeys } from "./format";
export { formatPath } from "./problem";
export { jobJsonSchema } from "./json-schema";
export { checkDriverConfig, checkJobDriverConfigs, checkedDrivers } from "./drivers/check";
export { formatGoDuration, parseGoDuration } from "./duration";
