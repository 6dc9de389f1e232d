/**
 * The JSON Schema of `drover plan --json` output (`drover schema --plan`),
 * generated from a zod schema of the document. The compiler holds that
 * schema to the interfaces of plan-json.ts (each must be assignable to the
 * other), so the published schema and the document's types cannot drift.
 * The zod schema stays inside this file: its declarations export only
 * `planJsonSchema`, so that the public declarations never load zod's.
 */
import { z } from "zod";
import { PLAN_FORMAT_VERSION } from "./plan-json";
import type { PlanDocument } from "./plan-json";

const PathSegmentSchema = z
  .union([z.string(), z.number().int(), z.object({ name: z.string() }).strict()])
  .describe("A key, an index, or the name of an element of a named list (TaskGroups, Tasks, Services…).");

const ChangeSchema = z
  .object({
    path: z.string().describe("The changed field, e.g. TaskGroups[cache].Tasks[redis].Resources.MemoryMB."),
    segments: z.array(PathSegmentSchema).describe("The path as segments."),
    kind: z
      .enum(["add", "remove", "update"])
      .describe("add: only the new job has it; remove: only the live job has it; update: both, different."),
    old: z.unknown().optional().describe("The live value, raw (absent for add)."),
    new: z.unknown().optional().describe("The desired value, raw (absent for remove)."),
    effect: z
      .enum(["replace", "destructive", "in-place", "scale", "create", "destroy"])
      .describe("What the change makes Nomad do (drover's reading of Nomad's update rules)."),
    forcesReplacement: z.boolean().describe("True when only a new job can make the change."),
  })
  .strict();

const DesiredUpdatesSchema = z
  .record(z.string(), z.number().int().nonnegative())
  .describe("Nomad's DesiredUpdates of one group: Place, Stop, Migrate, InPlaceUpdate, DestructiveUpdate, Canary, Ignore…");

const JobPlanSchema = z
  .object({
    id: z.string().describe("The job's ID."),
    namespace: z.string(),
    region: z.string().describe('The region ("global": the agent\'s own).'),
    action: z.enum(["create", "update", "replace", "no-op", "delete"]).describe("What apply does to the job (delete: what destroy does)."),
    replacementReasons: z.array(z.string()).describe("Why the job is replaced ([] unless action is replace)."),
    changes: z.array(ChangeSchema).describe("Field changes from the live job to the desired one ([] for no-op)."),
    annotations: z
      .record(z.string(), DesiredUpdatesSchema)
      .describe("Per task group, what Nomad's scheduler would do (the plan's Annotations.DesiredTGUpdates)."),
    placementFailures: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .describe("Per task group, why placements would fail (Nomad's AllocationMetric)."),
    preemptions: z
      .array(
        z
          .object({
            allocId: z.string(),
            jobId: z.string(),
            namespace: z.string(),
            jobType: z.string(),
            taskGroup: z.string(),
            nodeId: z.string(),
          })
          .strict(),
      )
      .describe("Allocations of other jobs the scheduler would evict to place this one (the plan's Annotations.PreemptedAllocs)."),
    enforceIndex: z.number().int().nonnegative().describe("The JobModifyIndex apply enforces (0: the job must not exist)."),
    liveVersion: z.number().int().nonnegative().nullable().describe("The live job's version, or null when it does not exist."),
    preservedCounts: z
      .array(z.object({ group: z.string(), live: z.number().int(), desired: z.number().int() }).strict())
      .describe("Groups whose live count is kept (--preserve-counts)."),
    finished: z.boolean().describe("True when the live job is a batch job that has finished (not run again unless --rerun)."),
    nextPeriodicLaunch: z.string().nullable().describe("RFC 3339 time of the next periodic launch, or null."),
    warnings: z.array(z.string()),
  })
  .strict();

const PlanDocumentSchema = z
  .object({
    formatVersion: z.literal(PLAN_FORMAT_VERSION).describe("The format's version."),
    jobs: z.array(JobPlanSchema),
    summary: z
      .object({
        create: z.number().int(),
        update: z.number().int(),
        replace: z.number().int(),
        noop: z.number().int(),
        delete: z.number().int(),
      })
      .strict()
      .describe("How many jobs each action applies to."),
    changes: z.boolean().describe("True when applying would change something (what --detailed-exitcode reports)."),
  })
  .strict()
  .describe("A drover plan: what `drover apply` would do to each job.");

/** True when each of A and B is assignable to the other. */
type Interchangeable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Compile time only: fails to type-check when the interfaces and the schema part ways.
const documentMatchesSchema: Interchangeable<z.infer<typeof PlanDocumentSchema>, PlanDocument> = true;
void documentMatchesSchema;

/** The JSON Schema (draft 2020-12) of `drover plan --json` output. */
export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PlanDocumentSchema, { target: "draft-2020-12", unrepresentable: "any", reused: "inline" }) as Record<
    string,
    unknown
  >;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://drover.dev/schemas/plan.schema.json",
    title: "drover plan --json",
    ...generated,
  };
}
