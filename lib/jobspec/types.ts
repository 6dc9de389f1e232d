/**
 * The types of Nomad's job model and of validation results, without zod:
 * what the DSL, the API client, the plan engine and the provider declare
 * their public types with, so that a program importing them compiles under
 * any tsconfig (zod's own declarations need `esModuleInterop`).
 */
export type * from "./types.generated";
export type { JobProblem, JobValidationResult } from "./problem";
