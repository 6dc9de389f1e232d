/**
 * The machine-readable plan (`drover plan --json`): one JSON document with,
 * per job, the action, the field changes with their paths and raw old/new
 * values (durations in nanoseconds, as Nomad's JSON has them), the
 * scheduler's annotations and placement failures, and the modify index
 * apply enforces. Its JSON Schema (`planJsonSchema()`, printed by
 * `drover schema --plan`) comes from the zod schema in plan-json-schema.ts,
 * which the compiler holds to the interfaces here, so the two cannot drift.
 * This file's declarations do not mention zod (they are public: `drover`,
 * `drover/plan` and `drover/provider/handlers` reach them, and zod's own
 * declarations need `esModuleInterop`).
 */
import type { JobPlan } from "./plan";

/** The version of the document's format; it changes only when a field changes meaning or goes away. */
export const PLAN_FORMAT_VERSION = 1;

/** A segment of a change's path: a key, an index, or the name of an element of a named list (TaskGroups, Tasks, Services…). */
export type PlanPathSegment = string | number | { name: string };

/** One field change from the live job to the desired one. */
export interface PlanChangeJson {
  /** The changed field, e.g. `TaskGroups[cache].Tasks[redis].Resources.MemoryMB`. */
  path: string;
  /** The path as segments. */
  segments: PlanPathSegment[];
  /** add: only the new job has it; remove: only the live job has it; update: both, different. */
  kind: "add" | "remove" | "update";
  /** The live value, raw (absent for add). */
  old?: unknown;
  /** The desired value, raw (absent for remove). */
  new?: unknown;
  /** What the change makes Nomad do (drover's reading of Nomad's update rules). */
  effect: "replace" | "destructive" | "in-place" | "scale" | "create" | "destroy";
  /** True when only a new job can make the change. */
  forcesReplacement: boolean;
}

/** One job's entry of the document. */
export interface JobPlanJson {
  /** The job's ID. */
  id: string;
  /** The job's namespace. */
  namespace: string;
  /** The region (`"global"`: the agent's own). */
  region: string;
  /** What apply does to the job (delete: what destroy does). */
  action: "create" | "update" | "replace" | "no-op" | "delete";
  /** Why the job is replaced (`[]` unless action is replace). */
  replacementReasons: string[];
  /** Field changes from the live job to the desired one (`[]` for no-op). */
  changes: PlanChangeJson[];
  /** Per task group, what Nomad's scheduler would do (the plan's `Annotations.DesiredTGUpdates`). */
  annotations: Record<string, Record<string, number>>;
  /** Per task group, why placements would fail (Nomad's AllocationMetric). */
  placementFailures: Record<string, Record<string, unknown>>;
  /** Allocations of other jobs the scheduler would evict to place this one (the plan's `Annotations.PreemptedAllocs`). */
  preemptions: { allocId: string; jobId: string; namespace: string; jobType: string; taskGroup: string; nodeId: string }[];
  /** The JobModifyIndex apply enforces (0: the job must not exist). */
  enforceIndex: number;
  /** The live job's version, or null when it does not exist. */
  liveVersion: number | null;
  /** Groups whose live count is kept (`--preserve-counts`). */
  preservedCounts: { group: string; live: number; desired: number }[];
  /** True when the live job is a batch job that has finished (not run again unless `--rerun`). */
  finished: boolean;
  /** RFC 3339 time of the next periodic launch, or null. */
  nextPeriodicLaunch: string | null;
  /** Warnings of the plan. */
  warnings: string[];
}

/** The document `drover plan --json` prints: what `drover apply` would do to each job. */
export interface PlanDocument {
  /** The format's version. */
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** One entry per job. */
  jobs: JobPlanJson[];
  /** How many jobs each action applies to. */
  summary: { create: number; update: number; replace: number; noop: number; delete: number };
  /** True when applying would change something (what `--detailed-exitcode` reports). */
  changes: boolean;
}

/** One job's plan as the document has it. */
export function jobPlanJson(plan: JobPlan): JobPlanJson {
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
    preemptions: plan.preemptions.map((p) => ({ ...p })),
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
export function deletePlanJson(d: DeletePlan): JobPlanJson {
  return {
    id: d.jobId,
    namespace: d.namespace,
    region: d.region,
    action: "delete",
    replacementReasons: [],
    changes: [],
    annotations: {},
    placementFailures: {},
    preemptions: [],
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
