/**
 * validateJob: every problem of a job, each with its path, never throwing.
 * Two passes: the job's shape and keys (shape.ts: the zod schemas compiled
 * into one walk; unknown keys, keys duplicated in another case, keys Nomad
 * ignores), then Nomad's own Validate rules on the canonicalized job
 * (rules/: `nomad/structs/structs.go` and friends; each rule cites its
 * source).
 */
import { canonicalize } from "./canonicalize";
import { editDistance } from "./keys";
import type { JobProblem, JobValidationResult } from "./problem";
import { formatPath } from "./problem";
import { RuleContext, isObj } from "./rules/context";
import { checkJobDriverConfigs } from "./drivers/check";
import { checkJob } from "./rules/job";
import type { Job } from "./schema";
import { REGISTER_REQUEST_KEYS, describeValue } from "./schema";
import { checkShape } from "./shape";

/**
 * The job object of either accepted form: a register request `{"Job": {...},
 * "EnforceIndex": ...}` or a bare job. Anything else is returned unchanged.
 */
export function unwrapJob(input: unknown): unknown {
  if (isObj(input) && Object.prototype.hasOwnProperty.call(input, "Job")) return input.Job;
  return input;
}

/** Problems of the register request's own keys (everything but Job). */
function checkRequestKeys(input: Record<string, unknown>, out: JobProblem[]): void {
  const known: readonly string[] = REGISTER_REQUEST_KEYS;
  for (const key of Object.keys(input)) {
    if (key === "Job" || known.includes(key)) continue;
    const exact = [...known, "Job"].find((k) => k.toLowerCase() === key.toLowerCase());
    const near = exact ?? [...known, "Job"].find((k) => editDistance(k.toLowerCase(), key.toLowerCase(), 2) <= 2);
    out.push({
      path: formatPath([key]),
      segments: [key],
      message: `unknown key ${JSON.stringify(key)} in the register request${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; it holds Job, ${known.join(", ")}`,
      rule: "key.unknown",
    });
  }
  const types: Record<string, string> = {
    EnforceIndex: "boolean",
    PolicyOverride: "boolean",
    PreserveCounts: "boolean",
    PreserveResources: "boolean",
    JobModifyIndex: "number",
    EvalPriority: "number",
    Region: "string",
    Namespace: "string",
    SecretID: "string",
  };
  for (const [key, t] of Object.entries(types)) {
    const v = input[key];
    if (v !== undefined && v !== null && typeof v !== t)
      out.push({ path: key, segments: [key], message: `must be a ${t} (got ${describeValue(v)})`, rule: "schema.type" });
  }
}

function isUnder(segments: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  if (prefix.length > segments.length) return false;
  for (let i = 0; i < prefix.length; i++) if (segments[i] !== prefix[i]) return false;
  return true;
}

/** Options of {@link validateJob}. */
export interface ValidateJobOptions {
  /**
   * How the built-in drivers' `Config` blocks are checked against their
   * schemas (lib/jobspec/drivers): `"error"` makes a bad key or value a
   * problem (what `drover validate`, synth, plan and apply want: caught
   * before it reaches a cluster); `"warning"` reports it as a warning (what
   * an agent wants: Nomad itself only finds it when the task starts);
   * `"off"` skips the check. @default "error"
   */
  driverConfig?: "error" | "warning" | "off";
}

/**
 * Validates a job in Nomad's API JSON shape, given as a register request
 * (`{"Job": {...}}`, optionally with EnforceIndex, JobModifyIndex,
 * PolicyOverride, PreserveCounts, EvalPriority, Submission, Region,
 * Namespace, SecretID) or as a bare job. Returns every problem (not only the
 * first), each with its full path such as
 * `Job.TaskGroups[0].Tasks[1].Resources.MemoryMB`, and warnings for keys
 * Nomad accepts but ignores. Never throws, whatever the input. When valid,
 * `job` is the input's job object itself (not a copy).
 */
export function validateJob(input: unknown, options: ValidateJobOptions = {}): JobValidationResult {
  try {
    return validateUnsafe(input, options.driverConfig ?? "error");
  } catch (err) {
    // A bug in a rule must not take the caller down; report it as a problem.
    return {
      valid: false,
      problems: [
        {
          path: "Job",
          segments: ["Job"],
          message: `internal error while validating: ${(err as Error)?.message ?? String(err)}`,
          rule: "internal",
        },
      ],
      warnings: [],
    };
  }
}

function validateUnsafe(input: unknown, driverConfig: "error" | "warning" | "off"): JobValidationResult {
  const problems: JobProblem[] = [];
  const wrapped = isObj(input) && Object.prototype.hasOwnProperty.call(input, "Job");
  if (wrapped) checkRequestKeys(input as Record<string, unknown>, problems);
  const job = unwrapJob(input);
  if (!isObj(job)) {
    problems.push({
      path: "Job",
      segments: ["Job"],
      message: `the job must be a JSON object (got ${describeValue(job)})`,
      rule: "schema.type",
    });
    return { valid: false, problems, warnings: [] };
  }

  // 1 and 2. Shape and keys, in one walk compiled from the zod schemas (shape.ts).
  const ctx = new RuleContext();
  checkShape(ctx, job);
  const schemaPaths = ctx.problems.map((p) => p.segments);

  // 3. Nomad's rules on the canonicalized job; skip what the shape pass already reported.
  const rules = new RuleContext();
  let canonical: Record<string, unknown> | undefined;
  try {
    canonical = canonicalize(job as Job) as Record<string, unknown>;
  } catch {
    canonical = undefined; // only possible on an invalid job; the rules then read the job as written
  }
  checkJob(rules, canonical ?? job, job);
  const ruleProblems = rules.problems.filter((p) => !schemaPaths.some((s) => isUnder(p.segments, s)));

  problems.push(...ctx.problems, ...ruleProblems);
  let warnings = ctx.warnings.length === 0 ? rules.warnings : [...ctx.warnings, ...rules.warnings];
  if (driverConfig !== "off") {
    // Config maps the shape pass already refused (not an object) are not checked again.
    const configProblems = checkJobDriverConfigs(job).filter((p) => !schemaPaths.some((s) => isUnder(p.segments, s)));
    if (driverConfig === "error") problems.push(...configProblems);
    else if (configProblems.length > 0) warnings = [...warnings, ...configProblems];
  }
  if (canonical === undefined && problems.length === 0)
    problems.push({
      path: "Job",
      segments: ["Job"],
      message: "internal error: canonicalize failed on a job that passed the shape checks",
      rule: "internal",
    });
  if (problems.length > 0 || canonical === undefined) return { valid: false, problems, warnings };
  return { valid: true, job: job as Job, canonical: canonical as Job, warnings };
}
