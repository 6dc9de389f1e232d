/**
 * `drover deployment list|status` output, laid out as `nomad deployment list`
 * and `nomad deployment status` print it (`command/deployment_*.go`): the
 * list table, the deployment's facts, and its groups table; plus, when the
 * canaries wait for a manual promotion, the command that promotes them.
 */
import type { Deployment } from "../../api";
import { awaitingPromotionMessage, canaryStatus } from "../../plan/canary";
import { formatKV, formatList, formatTime, shortID } from "./status-format";

/** `nomad deployment list`: "No deployments found" when empty. */
export function renderDeploymentList(deployments: readonly Deployment[], verbose = false): string {
  if (deployments.length === 0) return "No deployments found\n";
  const rows = ["ID|Job ID|Job Version|Status|Description"];
  for (const d of deployments) rows.push(`${verbose ? d.ID : shortID(d.ID)}|${d.JobID}|${d.JobVersion}|${d.Status}|${d.StatusDescription}`);
  return formatList(rows) + "\n";
}

/** The per-group table of a deployment (columns for auto-revert, canaries and progress deadlines only when some group has them, as Nomad does). */
function renderDeploymentGroups(d: Deployment): string {
  const groups = d.TaskGroups ?? {};
  const names = Object.keys(groups).sort();
  const autoRevert = names.some((n) => groups[n].AutoRevert);
  const canaries = names.some((n) => groups[n].DesiredCanaries > 0);
  const deadline = names.some((n) => groups[n].ProgressDeadline !== 0);
  const header = [
    "Task Group",
    ...(autoRevert ? ["Auto Revert"] : []),
    ...(canaries ? ["Promoted"] : []),
    "Desired",
    ...(canaries ? ["Canaries"] : []),
    "Placed",
    "Healthy",
    "Unhealthy",
    ...(deadline ? ["Progress Deadline"] : []),
  ];
  const rows = [header.join("|")];
  for (const n of names) {
    const s = groups[n];
    const by = s.RequireProgressBy ? Date.parse(s.RequireProgressBy) : NaN;
    const cells = [
      n,
      ...(autoRevert ? [String(s.AutoRevert)] : []),
      ...(canaries ? [s.DesiredCanaries > 0 ? String(s.Promoted) : "N/A"] : []),
      String(s.DesiredTotal),
      ...(canaries ? [String(s.DesiredCanaries)] : []),
      String(s.PlacedAllocs),
      String(s.HealthyAllocs),
      String(s.UnhealthyAllocs),
      ...(deadline ? [Number.isFinite(by) && by > 0 ? formatTime(by) : "N/A"] : []),
    ];
    rows.push(cells.join("|"));
  }
  return formatList(rows);
}

/** `nomad deployment status`: facts, then "Deployed" and the groups; a hint when canaries await promotion. */
export function renderDeployment(d: Deployment, verbose = false): string {
  const out = [
    formatKV([
      `ID|${verbose ? d.ID : shortID(d.ID)}`,
      `Job ID|${d.JobID}`,
      `Job Version|${d.JobVersion}`,
      `Status|${d.Status}`,
      `Description|${d.StatusDescription}`,
    ]),
  ];
  if (d.TaskGroups && Object.keys(d.TaskGroups).length) out.push("", "Deployed", renderDeploymentGroups(d));
  const canaries = canaryStatus(d);
  if (d.Status === "running" && canaries.phase === "awaiting-promotion") out.push("", awaitingPromotionMessage(d.JobID, canaries));
  return out.join("\n") + "\n";
}
