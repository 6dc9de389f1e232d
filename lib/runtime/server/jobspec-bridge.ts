/**
 * The register path's link to lib/jobspec, the single source of truth for
 * what a job is: validation with paths and Nomad's register-time defaults.
 * lib/jobspec is written in parallel with the runtime, so the functions are
 * looked up when first used; until they exist, a minimal structural check
 * and the handful of defaults the scheduler needs stand in (and say so in
 * their problem messages).
 */
import * as path from "node:path";

/** One validation problem: where (a path like `Job.TaskGroups[0].Count`) and why. */
export interface JobProblem {
  path: string;
  message: string;
  /** The lib/jobspec rule that found it (`schema.type` for a value of the wrong JSON type). */
  rule?: string;
}

/** The outcome of validating a submitted job. */
export type JobValidation =
  | { valid: true; job: Record<string, unknown>; warnings: JobProblem[] }
  | { valid: false; problems: JobProblem[]; warnings: JobProblem[] };

interface JobspecModule {
  validateJob?: (input: unknown) => JobValidation;
  canonicalize?: (job: unknown) => Record<string, unknown>;
}

let cached: JobspecModule | null = null;

function jobspec(): JobspecModule {
  if (cached && cached.validateJob && cached.canonicalize) return cached;
  try {
    // Resolved at run time: lib/jobspec may not export these yet.
    cached = require(path.join(__dirname, "..", "..", "jobspec")) as JobspecModule;
  } catch {
    cached = {};
  }
  return cached;
}

/** True when lib/jobspec provides validation and canonicalization (the fallback is not in use). */
export function jobspecAvailable(): boolean {
  const m = jobspec();
  return typeof m.validateJob === "function" && typeof m.canonicalize === "function";
}

/** Validates a submitted job (bare or wrapped in `{"Job": …}`) with lib/jobspec. */
export function validateSubmittedJob(input: unknown): JobValidation {
  const m = jobspec();
  if (typeof m.validateJob === "function") return m.validateJob(input);
  return fallbackValidate(input);
}

/** Applies Nomad's register-time defaults (lib/jobspec `canonicalize`). */
export function canonicalizeJob(job: Record<string, unknown>): Record<string, unknown> {
  const m = jobspec();
  if (typeof m.canonicalize === "function") return m.canonicalize(job);
  return fallbackCanonicalize(job);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Structural checks used only while lib/jobspec's validateJob is missing. */
function fallbackValidate(input: unknown): JobValidation {
  const job = isObject(input) && isObject(input.Job) ? input.Job : input;
  const problems: JobProblem[] = [];
  if (!isObject(job)) return { valid: false, problems: [{ path: "Job", message: "must be an object" }], warnings: [] };
  if (typeof job.ID !== "string" || job.ID === "") problems.push({ path: "Job.ID", message: "Missing job ID" });
  if (job.Type !== undefined && job.Type !== null && !["service", "batch", "system", "sysbatch"].includes(job.Type as string))
    problems.push({ path: "Job.Type", message: `Invalid job type: "${String(job.Type)}"` });
  if (job.Priority !== undefined && job.Priority !== null && (typeof job.Priority !== "number" || job.Priority < 1 || job.Priority > 100))
    problems.push({ path: "Job.Priority", message: "Job priority must be between [1, 100]" });
  const groups = job.TaskGroups;
  if (!Array.isArray(groups) || groups.length === 0) problems.push({ path: "Job.TaskGroups", message: "Missing job task groups" });
  else
    groups.forEach((tg, i) => {
      const p = `Job.TaskGroups[${i}]`;
      if (!isObject(tg)) return problems.push({ path: p, message: "must be an object" });
      if (typeof tg.Name !== "string" || tg.Name === "") problems.push({ path: `${p}.Name`, message: "Missing task group name" });
      if (tg.Count !== undefined && tg.Count !== null && (typeof tg.Count !== "number" || !Number.isInteger(tg.Count) || tg.Count < 0))
        problems.push({ path: `${p}.Count`, message: "Task group count can't be negative" });
      if (!Array.isArray(tg.Tasks) || tg.Tasks.length === 0) problems.push({ path: `${p}.Tasks`, message: "Missing tasks for task group" });
      else
        tg.Tasks.forEach((t: unknown, j: number) => {
          const tp = `${p}.Tasks[${j}]`;
          if (!isObject(t)) return problems.push({ path: tp, message: "must be an object" });
          if (typeof t.Name !== "string" || t.Name === "") problems.push({ path: `${tp}.Name`, message: "Missing task name" });
          if (typeof t.Driver !== "string" || t.Driver === "") problems.push({ path: `${tp}.Driver`, message: "Missing task driver" });
        });
    });
  return problems.length > 0 ? { valid: false, problems, warnings: [] } : { valid: true, job, warnings: [] };
}

/** The defaults the runtime depends on, used only while lib/jobspec's canonicalize is missing. */
function fallbackCanonicalize(input: Record<string, unknown>): Record<string, unknown> {
  const job = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  job.Namespace ??= "default";
  job.Region ??= "global";
  job.Type ??= "service";
  job.Priority ??= 50;
  job.Name ??= job.ID;
  job.Datacenters ??= ["*"];
  job.NodePool ??= "default";
  job.Stop ??= false;
  for (const tg of (job.TaskGroups ?? []) as Record<string, unknown>[]) {
    tg.Count ??= 1;
    tg.EphemeralDisk ??= { SizeMB: 300, Migrate: false, Sticky: false };
    for (const t of (tg.Tasks ?? []) as Record<string, unknown>[]) {
      const r = (t.Resources ??= {}) as Record<string, unknown>;
      r.CPU ??= 100;
      r.MemoryMB ??= 300;
      t.KillTimeout ??= 5_000_000_000;
    }
  }
  return job;
}
