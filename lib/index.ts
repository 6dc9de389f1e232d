/**
 * drover: author, review and ship Nomad jobs from TypeScript.
 *
 * The top level exports the DSL (what programs write: `App`, `Job`, `Group`,
 * `Task`, `Service`, `Duration`, `Driver`, …). The other parts are namespaces:
 * - `jobspec`: Nomad's job model as zod schemas, `validateJob`, `canonicalize`, `formatJobJson`, `jobJsonSchema`;
 * - `api`: `NomadClient`, a typed client of Nomad's HTTP API;
 * - `plan`: `planJob`, `applyJob`, `destroyJob`, `diffJobs`, shared by the CLI and the Pulumi provider.
 * The included runtime is `drover/runtime` (`startAgent`), the Pulumi provider `drover/provider`, and
 * each part above also has its own entry point (`drover/dsl`, `drover/jobspec`, `drover/api`, `drover/plan`, `drover/hcl`, `drover/import`).
 */
export * from "./dsl";
export * as jobspec from "./jobspec/public";
export * as api from "./api";
export * as plan from "./plan";
