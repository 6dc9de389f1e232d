/**
 * lib/jobspec/types.generated.ts: the job model's types without zod, printed
 * from the schemas' inferred types. They must be current and mean the same:
 * the assignments below compile only when each is assignable to the other
 * (this file is compiled by `npm run typecheck`).
 */
import * as fs from "node:fs";
import type * as Generated from "../../lib/jobspec/types.generated";
import type * as Inferred from "../../lib/jobspec/schema";
import { generateJobTypes, OUTPUT } from "../../scripts/job-types";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: [
  Same<Generated.Job, Inferred.Job>,
  Same<Generated.TaskGroup, Inferred.TaskGroup>,
  Same<Generated.Task, Inferred.Task>,
  Same<Generated.Service, Inferred.Service>,
  Same<Generated.JobRegisterRequest, Inferred.JobRegisterRequest>,
] = [true, true, true, true, true];

test("the generated job types are the schemas' types", () => {
  expect(same).toEqual([true, true, true, true, true]);
});

test("types.generated.ts is current (npx tsx scripts/job-types.ts)", () => {
  expect(fs.readFileSync(OUTPUT, "utf8")).toBe(generateJobTypes());
}, 120_000);
