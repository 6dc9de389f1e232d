/**
 * Evaluations as Nomad's CLI shows them (command/eval_list.go,
 * command/eval_status.go, command/monitor.go): the list, one evaluation's
 * facts with its plan annotations, placed allocations and placement failures,
 * and the placement failure reasons of one task group.
 */
import type { AllocationListStub, AllocationMetric, DesiredUpdates, Evaluation } from "../../api";
import { renderAllocList } from "./alloc-list";
import { formatKV, formatList, formatTime, prettyTimeDiff, shortID } from "./status-format";

function sortedEntries(m: Record<string, number> | null | undefined): [string, number][] {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Why placements failed, one `* …` line per reason (Nomad's `formatAllocMetrics` without scores). */
export function formatAllocMetrics(m: AllocationMetric, prefix = "  "): string {
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

/** The heading of one group's placement failures: `Task Group "web" (failed to place 2 allocations):`. */
export function failedGroupHeading(group: string, m: AllocationMetric): string {
  const n = (m.CoalescedFailures ?? 0) + 1;
  return `Task Group ${JSON.stringify(group)} (failed to place ${n} allocation${n === 1 ? "" : "s"}):`;
}

/** The "Placement Failures" cell: "true"/"false", or "N/A - In Progress" while the evaluation is blocked (Nomad's `evalFailureStatus`). */
function failureStatus(e: Evaluation): string {
  if (e.Status === "blocked") return "N/A - In Progress";
  return String(Object.keys(e.FailedTGAllocs ?? {}).length > 0);
}

/** The evaluation table of `nomad eval list` (no trailing newline). */
export function renderEvalList(evals: readonly Evaluation[], verbose: boolean): string {
  const len = verbose ? 36 : 8;
  const rows = ["ID|Priority|Triggered By|Job ID|Namespace|Node ID|Status|Placement Failures"];
  for (const e of evals)
    rows.push(
      [shortID(e.ID, len), e.Priority, e.TriggeredBy, e.JobID, e.Namespace, shortID(e.NodeID ?? "", len), e.Status, failureStatus(e)].join(
        "|",
      ),
    );
  return formatList(rows);
}

const OPTIONAL_UPDATE_COLUMNS: [string, keyof DesiredUpdates][] = [
  ["Migrate", "Migrate"],
  ["Canary", "Canary"],
  ["Preemptions", "Preemptions"],
  ["Reschedule Now", "RescheduleNow"],
  ["Reschedule Later", "RescheduleLater"],
  ["Disconnect", "Disconnect"],
  ["Reconnect", "Reconnect"],
];

/** The "Plan Annotations" table: the fixed columns, then each optional one that is non-zero somewhere (all with -verbose). */
function planAnnotations(updates: Record<string, DesiredUpdates>, verbose: boolean): string {
  const groups = Object.keys(updates).sort();
  const header = ["Task Group", "Ignore", "Place", "Stop", "InPlace", "Destructive"];
  const rows = groups.map((g) => {
    const u = updates[g];
    return [g, u.Ignore, u.Place, u.Stop, u.InPlaceUpdate, u.DestructiveUpdate].map(String);
  });
  for (const [title, key] of OPTIONAL_UPDATE_COLUMNS) {
    const values = groups.map((g) => Number(updates[g][key] ?? 0));
    if (!verbose && values.every((v) => v === 0)) continue;
    header.push(title);
    values.forEach((v, i) => rows[i].push(String(v)));
  }
  return formatList([header.join("|"), ...rows.map((r) => r.join("|"))]);
}

/** What `renderEvalStatus` shows. */
interface EvalStatusView {
  /** The evaluation (with RelatedEvals when read with `related=true`). */
  evaluation: Evaluation;
  /** The allocations it placed. */
  placed: readonly AllocationListStub[];
}

/** One evaluation as `nomad eval status` prints it. */
export function renderEvalStatus(view: EvalStatusView, opts: { nowMs: number; verbose?: boolean }): string {
  const e = view.evaluation;
  const len = opts.verbose ? 36 : 8;
  const time = (ns: number | undefined) => (opts.verbose ? formatTime((ns ?? 0) / 1e6) : prettyTimeDiff((ns ?? 0) / 1e6, opts.nowMs));
  const basic = [
    `ID|${shortID(e.ID, len)}`,
    `Create Time|${time(e.CreateTime)}`,
    `Modify Time|${time(e.ModifyTime)}`,
    `Status|${e.Status}`,
    `Status Description|${e.StatusDescription || e.Status}`,
    `Type|${e.Type}`,
    `TriggeredBy|${e.TriggeredBy}`,
    `Job ID|${e.JobID}`,
    `Namespace|${e.Namespace}`,
  ];
  if (e.TriggeredBy === "node-update" && e.NodeID) basic.push(`Node ID|${e.NodeID}`);
  if (e.TriggeredBy === "max-plan-attempts" && e.PreviousEval) basic.push(`Previous Eval|${e.PreviousEval}`);
  basic.push(`Priority|${e.Priority}`, `Placement Failures|${failureStatus(e)}`);
  const waitUntil = e.WaitUntil ? Date.parse(e.WaitUntil) : NaN;
  if (Number.isFinite(waitUntil) && waitUntil > 0) basic.push(`Wait Until|${formatTime(waitUntil)}`);
  basic.push(
    `Previous Eval|${shortID(e.PreviousEval ?? "", len)}`,
    `Next Eval|${shortID(e.NextEval ?? "", len)}`,
    `Blocked Eval|${shortID(e.BlockedEval ?? "", len)}`,
  );
  const out = [formatKV(basic)];
  if (e.RelatedEvals?.length) {
    const rows = ["ID|Priority|Triggered By|Node ID|Status|Description"];
    for (const r of e.RelatedEvals)
      rows.push([shortID(r.ID, len), r.Priority, r.TriggeredBy, shortID(r.NodeID ?? "", len), r.Status, r.StatusDescription].join("|"));
    out.push("", "Related Evaluations", formatList(rows));
  }
  const updates = e.PlanAnnotations?.DesiredTGUpdates;
  if (updates && Object.keys(updates).length > 0) out.push("", "Plan Annotations", planAnnotations(updates, !!opts.verbose));
  if (view.placed.length > 0) out.push("", "Placed Allocations", renderAllocList(view.placed, { nowMs: opts.nowMs, verbose: false }));
  const failed = e.FailedTGAllocs ?? {};
  const groups = Object.keys(failed).sort();
  if (groups.length > 0) {
    out.push("", "Failed Placements");
    for (const g of groups) out.push(failedGroupHeading(g, failed[g]), formatAllocMetrics(failed[g]));
    if (e.BlockedEval)
      out.push("", `Evaluation ${JSON.stringify(shortID(e.BlockedEval, len))} waiting for additional capacity to place remainder`);
  }
  return out.join("\n") + "\n";
}
