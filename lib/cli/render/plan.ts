/**
 * Renders a `JobPlan` as readable text, in the spirit of `nomad job plan`:
 * a header per job (`+` create, `~` update, `-/+` replace), one line per
 * changed field path with old → new values and what the change forces, the
 * scheduler's dry-run per group (create, destroy, in-place update,
 * create/destroy update, canary…), placement failures and warnings.
 */
import type { DesiredUpdates, NomadClient } from "../../api";
import type { Job } from "../../jobspec";
import { planJob } from "../../plan";
import type { JobChange, JobPlan, PlanJobOptions } from "../../plan";
import { formatPlacementFailures } from "../../plan/errors";
import { formatDurationAt } from "../../plan/durations";

/** Longest rendering of one value before it is cut with "…". */
const MAX_VALUE_CHARS = 100;

/** Formats a value for a plan line: strings quoted, objects as compact JSON, cut at 100 characters. */
function formatValue(v: unknown): string {
  if (v === undefined) return "(none)";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

const SYMBOL: Record<JobChange["kind"], string> = { add: "+", remove: "-", update: "~" };

/** What a change forces, as the annotation Nomad's plan prints (or "" for plain in-place changes). */
function annotation(c: JobChange): string {
  switch (c.effect) {
    case "replace":
      return "forces replacement";
    case "destructive":
      return "forces create/destroy update";
    case "scale": {
      const o = typeof c.old === "number" ? c.old : 0;
      const n = typeof c.new === "number" ? c.new : 0;
      return n > o ? "forces create" : n < o ? "forces destroy" : "";
    }
    case "create":
      return "forces create";
    case "destroy":
      return "forces destroy";
    default:
      return "";
  }
}

/** A changed value for a plan line: a duration field's nanoseconds as a Go duration ("10s"), anything else as `formatValue` does. */
function formatChangeValue(c: JobChange, v: unknown): string {
  return formatDurationAt(c.segments, v) ?? formatValue(v);
}

/** One line per change: `~ path: old → new (annotation)`; durations as durations (`MinHealthyTime: 10s → 5s`). */
function renderChange(c: JobChange): string {
  let body: string;
  if (c.kind === "update") body = `${c.path}: ${formatChangeValue(c, c.old)} → ${formatChangeValue(c, c.new)}`;
  else if (c.kind === "add") body = `${c.path}: ${formatChangeValue(c, c.new)}`;
  else body = `${c.path}: ${formatChangeValue(c, c.old)}`;
  const note = c.path === "Stop" && c.old === true && c.new === false ? "the stopped job is started again" : annotation(c);
  return `${SYMBOL[c.kind]} ${body}${note ? ` (${note})` : ""}`;
}

/** Nomad's words for DesiredUpdates, in the order `nomad job plan` prints them. */
const UPDATE_WORDS: [keyof DesiredUpdates, string][] = [
  ["Place", "create"],
  ["Stop", "destroy"],
  ["Migrate", "migrate"],
  ["InPlaceUpdate", "in-place update"],
  ["DestructiveUpdate", "create/destroy update"],
  ["Canary", "canary"],
  ["Preemptions", "preempt"],
  ["RescheduleNow", "reschedule now"],
  ["RescheduleLater", "reschedule later"],
  ["Disconnect", "disconnect"],
  ["Reconnect", "reconnect"],
  ["Ignore", "ignore"],
];

/** `1 create, 2 ignore` for one group's DesiredUpdates ("no change" when all are zero). */
function formatDesiredUpdates(u: DesiredUpdates): string {
  const parts = UPDATE_WORDS.filter(([k]) => (u[k] ?? 0) > 0).map(([k, w]) => `${u[k]} ${w}`);
  return parts.length ? parts.join(", ") : "no change";
}

interface NamedGroup {
  Name?: string;
  Count?: number;
  Tasks?: { Name?: string; Driver?: string }[];
}

/** The job's groups and tasks, for a create. */
function renderCreatedJob(plan: JobPlan, lines: string[]): void {
  // The plan holds the job as the API's open JSON shape; only these fields are read, and only as optional.
  const job = plan.job as unknown as { Type?: string; Datacenters?: string[]; TaskGroups?: NamedGroup[] };
  lines.push(`  + Type: ${formatValue(job.Type ?? "service")}`);
  if (job.Datacenters) lines.push(`  + Datacenters: ${formatValue(job.Datacenters)}`);
  for (const g of job.TaskGroups ?? []) {
    const updates = plan.desiredTGUpdates[g.Name ?? ""];
    lines.push(`  + Task Group: "${g.Name}" (${updates ? formatDesiredUpdates(updates) : `${g.Count ?? 1} create`})`);
    for (const t of g.Tasks ?? []) lines.push(`    + Task: "${t.Name}" (${t.Driver ?? "?"})`);
  }
}

/** Renders one job's plan. Deterministic: the same plan renders the same text. */
export function renderPlan(plan: JobPlan): string {
  const lines: string[] = [];
  const ns = plan.namespace !== "default" ? ` (namespace "${plan.namespace}")` : "";
  switch (plan.action) {
    case "create":
      lines.push(`+ Job: "${plan.jobId}"${ns}`);
      renderCreatedJob(plan, lines);
      break;
    case "noop":
      lines.push(
        `  Job: "${plan.jobId}"${ns} (no changes${plan.finished ? "; the batch job has finished and is not run again: --rerun runs it again" : ""})`,
      );
      break;
    case "replace":
      lines.push(`-/+ Job: "${plan.jobId}"${ns} (replace)`);
      for (const r of plan.replacementReasons) lines.push(`  ! ${r}`);
      for (const c of plan.changes) lines.push(`  ${renderChange(c)}`);
      break;
    case "update":
      lines.push(`~ Job: "${plan.jobId}"${ns}`);
      for (const c of plan.changes) lines.push(`  ${renderChange(c)}`);
      break;
  }
  for (const c of plan.preservedCounts ?? [])
    lines.push(`  = TaskGroups[${c.group}].Count: ${c.live} (kept: --preserve-counts; the job says ${c.desired})`);
  const groups = Object.keys(plan.desiredTGUpdates).sort();
  if (plan.action !== "create" && groups.length) {
    lines.push("", "Scheduler annotations:");
    for (const g of groups) lines.push(`  Task Group "${g}": ${formatDesiredUpdates(plan.desiredTGUpdates[g])}`);
  }
  if (plan.serverDiff || Object.keys(plan.failedTGAllocs).length) {
    lines.push("", "Scheduler dry-run:");
    if (Object.keys(plan.failedTGAllocs).length) {
      lines.push("- WARNING: Failed to place all allocations.");
      lines.push(formatPlacementFailures(plan.failedTGAllocs, "  "));
    } else {
      lines.push("- All tasks successfully allocated.");
    }
  }
  if (plan.nextPeriodicLaunch) lines.push("", `- If submitted now, next periodic launch would be at ${plan.nextPeriodicLaunch}.`);
  if (plan.warnings.length) {
    lines.push("", "Warnings:");
    for (const w of plan.warnings) lines.push(`  * ${w}`);
  }
  if (plan.action === "update") lines.push("", `Job Modify Index: ${plan.enforceIndex}`);
  return lines.join("\n") + "\n";
}

/** The closing line after all plans: counts by action. */
function renderPlanSummary(plans: JobPlan[]): string {
  const n = (a: JobPlan["action"]) => plans.filter((p) => p.action === a).length;
  if (plans.every((p) => p.action === "noop")) return "No changes. The cluster matches the jobs.\n";
  return `Plan: ${n("create")} to create, ${n("update")} to update, ${n("replace")} to replace, ${n("noop")} unchanged.\n`;
}

/**
 * Plans every job against the cluster and writes each plan, then the summary,
 * to `out`: the first half of both `drover plan` and `drover apply`.
 */
export async function planAndRender(
  client: NomadClient,
  jobs: readonly Job[],
  out: NodeJS.WritableStream,
  opts: PlanJobOptions = {},
): Promise<JobPlan[]> {
  const plans: JobPlan[] = [];
  for (const job of jobs) {
    const plan = await planJob(client, job, opts);
    plans.push(plan);
    out.write(renderPlan(plan) + "\n");
  }
  out.write(renderPlanSummary(plans));
  return plans;
}
