/** Validates `drover plan --json` documents against the JSON Schema drover publishes (`drover schema --plan`), with Ajv (draft 2020-12). */
import Ajv2020 from "ajv/dist/2020";
import { planDocument, planJsonSchema } from "../../lib/plan";
import type { JobPlan } from "../../lib/plan";

let validate: ReturnType<Ajv2020["compile"]> | undefined;

/** The schema's validator, compiled once. */
function validator(): ReturnType<Ajv2020["compile"]> {
  return (validate ??= new Ajv2020({ strict: false, allErrors: true }).compile(planJsonSchema()));
}

/** The errors of a document against the published schema ([] when valid). */
export function planSchemaErrors(doc: unknown): string[] {
  const v = validator();
  return v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}

/** Expects the JSON document of `plans` (as printed: through JSON) to validate. */
export function expectValidPlanJson(plans: readonly JobPlan[]): void {
  const doc = JSON.parse(JSON.stringify(planDocument(plans)));
  expect(planSchemaErrors(doc)).toEqual([]);
}
