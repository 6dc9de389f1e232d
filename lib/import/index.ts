/**
 * drover import: existing Nomad jobs (HCL files, API JSON, `nomad job
 * inspect` output, jobs running in a cluster) become drover programs that
 * use the DSL as a person would write it, verified to synthesize the same
 * canonical job.
 *
 * @example
 * import { importJob } from "drover/import";
 * const code = importJob(fs.readFileSync("web.nomad.hcl", "utf8"), { file: "web.nomad.hcl" });
 */
export { importJob, importJobs, importSources, readSource, formatDifferences } from "./import";
export type { ImportOptions, ImportResult } from "./import";
export { ImportError, readJobText, fromApiJson, isReadBack } from "./read";
export type { SourceJob, ReadOptions } from "./read";
export { generateProgram } from "./generate";
export type { GenerateOptions, VariablesStyle, JobToWrite } from "./generate";
export { minimizeJob } from "./minimize";
export { runProgram } from "./verify";
export type { ProgramJob } from "./verify";
export { canonicalText, differences } from "./canonical";
export type { JobDifference } from "./canonical";
export type { ImportVariable } from "./variables";
