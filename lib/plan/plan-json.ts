/**
 * The machine-readable plan (`drover plan --json`): one JSON document with,
 * per job, the action, the field changes with their paths and raw old/new
 * values (durations in nanoseconds, as Nomad's JSON has them), the
 * scheduler's annotations and placement failures, and the modify index
 * apply enforces. Its JSON Schema (`planJsonSchema()`, printed by
 * `drover schema --plan`) is generated from the same zod schema that
 * describes it here, so the two cannot drift.
 */
import { z } from "zod";
import type { JobPlan } from "./plan";

/** The version of the document's format; it changes only when a field changes meaning or goes away. */
export const PLAN_FORMAT_VERSION = 1;

const PathSegmentSchema = z.union([z.string(), z.number().int(), z.object({ name: z.string() }).strict()]).describe("A key, an index, or the name of an element of a named list (TaskGroups, Tasks, Services…).");

const ChangeSchema = z
  .object({
    path: z.string().describe("The changed field, e.g. TaskGroups[cache].Tasks[redis].Resources.MemoryMB."),
    segments: z.array(PathSegmentSchema).describe("The path as segments."),
    kind: z.enum(["add", "remove", "update"]).describe("add: only the new job has it; remove: only the live job has it; update: both, different."),
    old: z.unknown().optional().describe("The live value, raw (absent for add)."),
    new: z.unknown().optional().describe("The desired value, raw (absent for remove)."),
    effect: z.enum(["replace", "destructive", "in-place", "scale", "create", "destroy"]).describe("What the change makes Nomad do (drover's reading of Nomad's update rules)."),
    forcesReplacement: z.boolean().describe("True when only a new job can make the change."),
  })
  .strict();

const DesiredUpdatesSchema = z.record(z.string(), z.number().int().nonnegative()).describe("Nomad's DesiredUpdates of one group: Place, Stop, Migrate, InPlaceUpdate, DestructiveUpdate, Canary, Ignore…");

const JobPlanSchema = z
  .object({
    id: z.string().describe("The job's ID."),
    namespace: z.string(),
    region: z.string().describe('The region ("global": the agent\'s own).'),
    action: z.enum(["create", "update", "replace", "no-op", "delete"]).describe("What apply does to the job (delete: what destroy does)."),
    replacementReasons: z.array(z.string()).describe("Why the job is replaced ([] unless action is replace)."),
    changes: z.array(ChangeSchema).describe("Field changes from the live job to the desired one ([] for no-op)."),
    annotations: z.record(z.string(), DesiredUpdatesSchema).describe("Per task group, what Nomad's scheduler would do (the plan's Annotations.DesiredTGUpdates)."),
    placementFailures: z.record(z.string(), z.record(z.string(), z.unknown())).describe("Per task group, why placements would fail (Nomad's AllocationMetric)."),
    enforceIndex: z.number().int().nonnegative().describe("The JobModifyIndex apply enforces (0: the job must not exist)."),
    liveVersion: z.number().int().nonnegative().nullable().describe("The live job's version, or null when it does not exist."),
    preservedCounts: z.array(z.object({ group: z.string(), live: z.number().int(), desired: z.number().int() }).strict()).describe("Groups whose live count is kept (--preserve-counts)."),
    finished: z.boolean().describe("True when the live job is a batch job that has finished (not run again unless --rerun)."),
    nextPeriodicLaunch: z.string().nullable().describe("RFC 3339 time of the next periodic launch, or null."),
    warnings: z.array(z.string()),
  })
  .strict();

/** The zod schema of the document `drover plan --json` prints. */
export const PlanDocumentSchema = z
  .object({
    formatVersion: z.literal(PLAN_FORMAT_VERSION).describe("The format's version."),
    jobs: z.array(JobPlanSchema),
    summary: z
      .object({ create: z.number().int(), update: z.number().int(), replace: z.number().int(), noop: z.number().int(), delete: z.number().int() })
      .strict()
      .describe("How many jobs each action applies to."),
    changes: z.boolean().describe("True when applying would change something (what --detailed-exitcode reports)."),
  })
  .strict()
  .describe("A drover plan: what `drover apply` would do to each job.");

/** The document `drover plan --json` prints. */
export type PlanDocument = z.infer<typeof PlanDocumentSchema>;

/** The JSON Schema (draft 2020-12) of `drover plan --json` output. */
export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PlanDocumentSchema, { target: "draft-2020-12", unrepresentable: "any", reused: "inline" }) as Record<string, unknown>;
  return { $schema: "https://json-schema.org/draft/2020-12/schema", $id: "https://drover.dev/schemas/plan.schema.json", title: "drover plan --json", ...generated };
}

/** One job's plan as the document has it. */
export function jobPlanJson(plan: JobPlan): PlanDocument["jobs"][number] {
  return {
    id: plan.jobId,
    namespace: plan.namespace,
    region: plan.region,
    action: plan.action === "noop" ? "no-op" : plan.action,
    replacementReasons: [...plan.replacementReasons],
    changes: plan.changes.map((c) => ({
      path: c.path,
      segments: c.segments,
      kind: c.kind,
      ...(c.kind !== "add" ? { old: c.old ?? null } : {}),
      ...(c.kind !== "remove" ? { new: c.new ?? null } : {}),
      effect: c.effect,
      forcesReplacement: c.forcesReplacement,
    })),
    annotations: Object.fromEntries(Object.entries(plan.desiredTGUpdates).map(([g, u]) => [g, { ...u } as Record<string, number>])),
    placementFailures: Object.fromEntries(Object.entries(plan.failedTGAllocs).map(([g, m]) => [g, { ...m } as Record<string, unknown>])),
    enforceIndex: plan.enforceIndex,
    liveVersion: plan.liveVersion,
    preservedCounts: plan.preservedCounts.map((c) => ({ ...c })),
    finished: plan.finished,
    nextPeriodicLaunch: plan.nextPeriodicLaunch,
    warnings: [...plan.warnings],
  };
}

/** A job `drover destroy` would stop or purge (`drover plan --destroy`). */
export interface DeletePlan {
  /** Job ID. */
  jobId: string;
  /** Namespace. */
  namespace: string;
  /** The live job's region. */
  region: string;
  /** The live job's JobModifyIndex. */
  jobModifyIndex: number;
  /** The live job's version. */
  version: number;
  /** What else destroy does (children stopped with it, allocations to stop). */
  warnings: string[];
}

/** One job destroy would stop, as the document has it (action "delete"). */
export function deletePlanJson(d: DeletePlan): PlanDocument["jobs"][number] {
  return {
    id: d.jobId,
    namespace: d.namespace,
    region: d.region,
    action: "delete",
    replacementReasons: [],
    changes: [],
    annotations: {},
    placementFailures: {},
    enforceIndex: d.jobModifyIndex,
    liveVersion: d.version,
    preservedCounts: [],
    finished: false,
    nextPeriodicLaunch: null,
    warnings: [...d.warnings],
  };
}

/** The document for a set of plans, and of jobs destroy would stop. */
export function planDocument(plans: readonly JobPlan[], deletes: readonly DeletePlan[] = []): PlanDocument {
  const n = (a: JobPlan["action"]) => plans.filter((p) => p.action === a).length;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    jobs: [...plans.map(jobPlanJson), ...deletes.map(deletePlanJson)],
    summary: { create: n("create"), update: n("update"), replace: n("replace"), noop: n("noop"), delete: deletes.length },
    changes: plans.some((p) => p.action !== "noop") || deletes.length > 0,
  };
}
