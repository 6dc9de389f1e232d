/**
 * `drover status` output, laid out as `nomad job status` prints it
 * (`command/job_status.go`): the job list, and for one job its basic facts,
 * the summary per task group, the latest deployment and the allocations.
 */
import type { AllocationListStub, AllocationMetric, Deployment, Evaluation, JobListStub, JobSummary, ReadBackJob } from "../../api";
import { formatKV, formatList, formatTime, prettyTimeDiff, shortID } from "./status-format";

/** Options of the renderers. */
export interface StatusRenderOptions {
  /** Unix ms "now" for relative times. */
  nowMs: number;
  /** Full IDs and absolute times (`-verbose`). */
  verbose?: boolean;
}

function statusString(status: string, stop: boolean | undefined): string {
  return stop ? `${status} (stopped)` : status;
}

function typeString(j: JobListStub): string {
  if (j.Periodic) return `${j.Type}/periodic`;
  if (j.ParameterizedJob) return `${j.Type}/parameterized`;
  return j.Type;
}

/** The job list (`nomad job status` without a job): "No running jobs" when empty. */
export function renderJobList(jobs: readonly JobListStub[], allNamespaces: boolean): string {
  if (jobs.length === 0) return "No running jobs\n";
  const rows = [allNamespaces ? "ID|Namespace|Type|Priority|Status|Submit Date" : "ID|Type|Priority|Status|Submit Date"];
  for (const j of jobs) {
    const cells = [
      j.ID,
      ...(allNamespaces ? [j.Namespace] : []),
      typeString(j),
      String(j.Priority),
      statusString(j.Status, j.Stop),
      formatTime(j.SubmitTime / 1e6),
    ];
    rows.push(cells.join("|"));
  }
  return formatList(rows) + "\n";
}

/** Everything `drover status JOB` shows. */
interface JobStatusView {
  job: ReadBackJob;
  summary: JobSummary | null;
  deployment: Deployment | null;
  allocations: readonly AllocationListStub[];
  /** The job's evaluations (for the "Placement Failure" section); optional. */
  evaluations?: readonly Evaluation[];
  /** Children of a periodic or parameterized job (launched or dispatched jobs). */
  children?: readonly JobListStub[];
  /** A periodic job's next launch, unix ms (null when it has none). */
  nextLaunchMs?: number | null;
}

/** A duration as Go's `time.Duration.String()` prints whole seconds: "4m0s", "1h2m3s", "59s". */
function goDurationString(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

function childrenList(title: string, none: string, parentID: string, children: readonly JobListStub[]): string[] {
  const own = children.filter((c) => c.ParentID === parentID);
  if (children.length === 0) return ["", none];
  return ["", title, formatList(["ID|Status", ...own.map((c) => `${c.ID}|${c.Status}`)])];
}

/** Task groups shown in "Placement Failure" at most (Nomad's `maxFailedTGs`). */
const MAX_FAILED_TGS = 5;

function sortedEntries(m: Record<string, number> | null | undefined): [string, number][] {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Why placements failed, one `* …` line per reason (Nomad's `formatAllocMetrics` without scores). */
function formatAllocMetrics(m: AllocationMetric, prefix = "  "): string {
  const lines: string[] = [];
  if (m.NodesEvaluated === 0) lines.push(`${prefix}* No nodes were eligible for evaluation`);
  for (const [dc, n] of sortedEntries(m.NodesAvailable)) if (n === 0) lines.push(`${prefix}* No nodes are available in datacenter "${dc}"`);
  for (const [cls, n] of sortedEntries(m.ClassFiltered)) lines.push(`${prefix}* Class "${cls}": ${n} nodes excluded by filter`);
  for (const [c, n] of sortedEntries(m.ConstraintFiltered)) lines.push(`${prefix}* Constraint "${c}": ${n} nodes excluded by filter`);
  if (m.NodesExhausted > 0) lines.push(`${prefix}* Resources exhausted on ${m.NodesExhausted} nodes`);
  for (const [cls, n] of sortedEntries(m.ClassExhausted)) lines.push(`${prefix}* Class "${cls}" exhausted on ${n} nodes`);
  for (const [dim, n] of sortedEntries(m.DimensionExhausted)) lines.push(`${prefix}* Dimension "${dim}" exhausted on ${n} nodes`);
  for (const q of m.QuotaExhausted ?? []) lines.push(`${prefix}* Quota limit hit "${q}"`);
  return lines.join("\n");
}

/** The "Placement Failure" section: shown while an evaluation of the job is blocked, from the latest evaluation with failures. */
function placementFailures(evals: readonly Evaluation[]): string[] {
  if (!evals.some((e) => e.Status === "blocked")) return [];
  let latest: Evaluation | undefined;
  for (const e of evals)
    if (e.FailedTGAllocs && Object.keys(e.FailedTGAllocs).length > 0 && (!latest || latest.CreateIndex < e.CreateIndex)) latest = e;
  if (!latest?.FailedTGAllocs) return [];
  const groups = Object.keys(latest.FailedTGAllocs).sort();
  const out = ["", "Placement Failure"];
  groups.slice(0, MAX_FAILED_TGS).forEach((g, i) => {
    out.push(`Task Group "${g}":`, formatAllocMetrics(latest!.FailedTGAllocs![g]));
    if (i !== groups.length - 1) out.push("");
  });
  if (groups.length > MAX_FAILED_TGS) out.push("", `Placement failures truncated. To see remainder run:\nnomad eval status ${latest.ID}`);
  return out;
}

function deploymentGroups(d: Deployment): string {
  const groups = d.TaskGroups ?? {};
  const names = Object.keys(groups).sort();
  const autoRevert = names.some((n) => groups[n].AutoRevert);
  const canaries = names.some((n) => groups[n].DesiredCanaries > 0);
  const deadline = names.some((n) => groups[n].ProgressDeadline !== 0);
  let header = "Task Group|";
  if (autoRevert) header += "Auto Revert|";
  if (canaries) header += "Promoted|";
  header += "Desired|";
  if (canaries) header += "Canaries|";
  header += "Placed|Healthy|Unhealthy";
  if (deadline) header += "|Progress Deadline";
  const rows = [header];
  for (const n of names) {
    const s = groups[n];
    let row = `${n}|`;
    if (autoRevert) row += `${s.AutoRevert}|`;
    if (canaries) row += s.DesiredCanaries > 0 ? `${s.Promoted}|` : "N/A|";
    row += `${s.DesiredTotal}|`;
    if (canaries) row += `${s.DesiredCanaries}|`;
    row += `${s.PlacedAllocs}|${s.HealthyAllocs}|${s.UnhealthyAllocs}`;
    if (deadline) {
      const by = s.RequireProgressBy ? Date.parse(s.RequireProgressBy) : NaN;
      row += `|${Number.isFinite(by) && by > 0 ? formatTime(by) : "N/A"}`;
    }
    rows.push(row);
  }
  return formatList(rows);
}

/** One job's status, as `nomad job status JOB` prints it. */
export function renderJobStatus(view: JobStatusView, opts: StatusRenderOptions): string {
  const j = view.job;
  const idLen = opts.verbose ? 36 : 8;
  // A child (a periodic launch or a dispatched job) is shown as the job it is, with its parent named:
  // Nomad's IsPeriodic/IsParameterized are false for it even when it carries its parent's blocks.
  const child = Boolean(j.ParentID);
  const periodic = !child && Boolean((j.Periodic as { Enabled?: boolean } | null | undefined)?.Enabled ?? j.Periodic);
  const parameterized = !child && !j.Dispatched && j.ParameterizedJob !== null && j.ParameterizedJob !== undefined;
  const out: string[] = [];
  const basic = [
    `ID|${j.ID}`,
    `Name|${j.Name ?? j.ID}`,
    ...(child ? [`Parent ID|${j.ParentID}${j.Dispatched ? " (dispatched)" : " (periodic launch)"}`] : []),
    `Submit Date|${formatTime((j.SubmitTime ?? 0) / 1e6)}`,
    `Type|${j.Type}`,
    `Priority|${(j.Priority as number | undefined) ?? 50}`,
    `Datacenters|${((j.Datacenters as string[] | undefined) ?? []).join(",")}`,
    `Namespace|${j.Namespace}`,
    `Node Pool|${(j.NodePool as string | undefined) || "default"}`,
    `Status|${statusString(j.Status, j.Stop)}`,
    `Periodic|${periodic}`,
    `Parameterized|${parameterized}`,
  ];
  if (periodic && !parameterized) {
    if (j.Stop) basic.push("Next Periodic Launch|none (job stopped)");
    else if (view.nextLaunchMs)
      basic.push(
        `Next Periodic Launch|${formatTime(view.nextLaunchMs)} (${goDurationString(Math.floor(view.nextLaunchMs / 1000) * 1000 - Math.floor(opts.nowMs / 1000) * 1000)} from now)`,
      );
  }
  out.push(formatKV(basic));
  if (parameterized) {
    const p = (j.ParameterizedJob ?? {}) as { Payload?: string; MetaRequired?: string[] | null; MetaOptional?: string[] | null };
    out.push(
      "",
      "Parameterized Job",
      formatKV([
        `Payload|${p.Payload ?? ""}`,
        `Required Metadata|${(p.MetaRequired ?? []).join(", ")}`,
        `Optional Metadata|${(p.MetaOptional ?? []).join(", ")}`,
      ]),
    );
  }
  const summary = view.summary?.Summary;
  if (summary && !periodic && !parameterized) {
    const rows = ["Task Group|Queued|Starting|Running|Failed|Complete|Lost|Unknown"];
    for (const g of Object.keys(summary).sort()) {
      const s = summary[g];
      rows.push(`${g}|${s.Queued}|${s.Starting}|${s.Running}|${s.Failed}|${s.Complete}|${s.Lost}|${s.Unknown ?? 0}`);
    }
    out.push("", "Summary", formatList(rows));
  }
  const children = view.summary?.Children;
  if (children && (periodic || parameterized || children.Pending + children.Running + children.Dead > 0)) {
    out.push(
      "",
      parameterized ? "Parameterized Job Summary" : "Children Job Summary",
      formatList(["Pending|Running|Dead", `${children.Pending}|${children.Running}|${children.Dead}`]),
    );
  }
  if (periodic && !parameterized) {
    out.push(...childrenList("Previously Launched Jobs", "No instances of periodic job found", j.ID, view.children ?? []));
    return out.join("\n") + "\n";
  }
  if (parameterized) {
    out.push(...childrenList("Dispatched Jobs", "No dispatched instances of parameterized job found", j.ID, view.children ?? []));
    return out.join("\n") + "\n";
  }
  out.push(...placementFailures(view.evaluations ?? []));
  if (view.deployment) {
    const d = view.deployment;
    out.push("", "Latest Deployment", formatKV([`ID|${shortID(d.ID, idLen)}`, `Status|${d.Status}`, `Description|${d.StatusDescription}`]));
    if (d.TaskGroups && Object.keys(d.TaskGroups).length > 0) out.push("", "Deployed", deploymentGroups(d));
  }
  out.push("", "Allocations");
  if (view.allocations.length === 0) out.push("No allocations placed");
  else {
    const rows = ["ID|Node ID|Task Group|Version|Desired|Status|Created|Modified"];
    const allocs = [...view.allocations].sort((a, b) => b.CreateIndex - a.CreateIndex);
    for (const a of allocs) {
      const created = opts.verbose ? formatTime(a.CreateTime / 1e6) : prettyTimeDiff(a.CreateTime / 1e6, opts.nowMs);
      const modified = opts.verbose ? formatTime(a.ModifyTime / 1e6) : prettyTimeDiff(a.ModifyTime / 1e6, opts.nowMs);
      rows.push(
        `${shortID(a.ID, idLen)}|${shortID(a.NodeID, idLen)}|${a.TaskGroup}|${a.JobVersion}|${a.DesiredStatus}|${a.ClientStatus}|${created}|${modified}`,
      );
    }
    out.push(formatList(rows));
  }
  return out.join("\n") + "\n";
}
