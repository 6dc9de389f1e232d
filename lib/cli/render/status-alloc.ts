/**
 * `drover alloc status` output, laid out as `nomad alloc status` prints it
 * (`command/alloc_status.go`): the allocation's facts, its nomad service
 * checks, and per task its state, resources and recent events.
 */
import type { Allocation, TaskEvent, TaskState } from "../../api";
import type { AllocResourceUsage, CheckQueryResult } from "../../api/endpoints/client";
import { formatKV, formatList, formatTaskTime, formatTime, formatUnixNano, humanBytes, prettyTimeDiff, shortID } from "./status-format";
import type { StatusRenderOptions } from "./status-job";

/** Everything `drover alloc status` shows. */
interface AllocStatusView {
  alloc: Allocation;
  /** Resource usage, when the client answered. */
  stats: AllocResourceUsage | null;
  /** Nomad service check results, by check ID. */
  checks: Record<string, CheckQueryResult> | null;
  /** When the follow-up (reschedule) evaluation may run, unix ms, if there is one. */
  followupWaitUntilMs?: number | null;
}

interface GroupPolicyView {
  Name: string;
  ReschedulePolicy?: { Attempts?: number | null; Interval?: number | null } | null;
}

/** Reschedule attempts within the policy's interval before `atMs`, and the attempts allowed (Nomad's `Allocation.RescheduleInfo`). */
function rescheduleInfo(a: Allocation, atMs: number): { attempted: number; total: number } {
  const groups = ((a.Job ?? {}) as { TaskGroups?: GroupPolicyView[] }).TaskGroups ?? [];
  const policy = groups.find((g) => g.Name === a.TaskGroup)?.ReschedulePolicy;
  if (!policy) return { attempted: 0, total: 0 };
  const total = policy.Attempts ?? 0;
  const interval = policy.Interval ?? 0;
  const events = a.RescheduleTracker?.Events ?? [];
  const attempted = total > 0 && interval > 0 ? events.filter((e) => atMs * 1e6 - e.RescheduleTime < interval).length : 0;
  return { attempted, total };
}

interface TaskView {
  Name: string;
  Lifecycle?: { Hook?: string; Sidecar?: boolean } | null;
  Resources?: { CPU?: number; MemoryMB?: number; MemoryMaxMB?: number } | null;
}

/** The description Nomad's CLI shows for an event without a DisplayMessage (`buildDisplayMessage`, the common types). */
function eventDescription(e: TaskEvent): string {
  if (e.DisplayMessage) return e.DisplayMessage;
  switch (e.Type) {
    case "Task Setup":
      return e.Message ?? "";
    case "Started":
      return "Task started by client";
    case "Received":
      return "Task received by client";
    case "Driver Failure":
      return e.DriverError || "Failed to start task";
    case "Setup Failure":
      return e.SetupError || "Task setup failed";
    case "Terminated":
      return `Exit Code: ${e.ExitCode ?? 0}`;
    case "Restarting":
      return e.RestartReason ?? "";
    case "Not Restarting":
      return e.RestartReason || "Task exceeded restart policy";
    case "Killed":
      return "Task successfully killed";
    default:
      return e.Message ?? "";
  }
}

function lifecycleName(t: TaskView | undefined): string {
  const hook = t?.Lifecycle?.Hook;
  if (!hook) return "";
  return t?.Lifecycle?.Sidecar ? `${hook} sidecar` : hook;
}

/** Tasks in Nomad's display order: prestart, then main tasks, then poststart and poststop, each by name. */
function sortedTasks(states: Record<string, TaskState>, tasks: Map<string, TaskView>): string[] {
  const rank = (name: string) => {
    const hook = tasks.get(name)?.Lifecycle?.Hook ?? "";
    return hook === "prestart" ? 0 : hook === "" ? 1 : hook === "poststart" ? 2 : 3;
  };
  return Object.keys(states).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function taskResources(view: AllocStatusView, task: string, spec: TaskView | undefined): string {
  const allocated = (
    (view.alloc.AllocatedResources?.Tasks ?? {}) as Record<string, { Cpu?: { CpuShares?: number }; Memory?: { MemoryMB?: number } }>
  )[task];
  const cpu = allocated?.Cpu?.CpuShares ?? spec?.Resources?.CPU ?? 0;
  const memMB = allocated?.Memory?.MemoryMB ?? spec?.Resources?.MemoryMB ?? 0;
  const diskMB = ((view.alloc.AllocatedResources?.Shared ?? {}) as { DiskMB?: number }).DiskMB ?? 0;
  let cpuText = String(cpu);
  let memText = humanBytes(memMB * 1024 * 1024);
  const usage = view.stats?.Tasks?.[task]?.ResourceUsage;
  if (usage && view.alloc.TaskStates?.[task]?.State === "running") {
    cpuText = `${Math.floor(usage.CpuStats.TotalTicks)}/${cpuText}`;
    const used = usage.MemoryStats.RSS || usage.MemoryStats.Usage;
    memText = `${humanBytes(used)}/${memText}`;
  }
  const ports =
    ((view.alloc.AllocatedResources?.Shared ?? {}) as { Ports?: { Label: string; Value: number; HostIP: string }[] | null }).Ports ?? [];
  const addresses = ports.map((p) => `${p.Label}: ${p.HostIP}:${p.Value}`);
  const rows = ["CPU|Memory|Disk|Addresses", `${cpuText} MHz|${memText}|${humanBytes(diskMB * 1024 * 1024)}|${addresses[0] ?? ""}`];
  for (const a of addresses.slice(1)) rows.push(`|||${a}`);
  // Nomad prints this table without the <none> placeholder.
  return formatList(rows)
    .replace(/<none>/g, "")
    .replace(/[ \t]+$/gm, "");
}

function taskEvents(state: TaskState): string {
  const basic = formatKV([
    `Started At|${formatTaskTime(state.StartedAt)}`,
    `Finished At|${formatTaskTime(state.FinishedAt)}`,
    `Total Restarts|${state.Restarts}`,
    `Last Restart|${formatTaskTime(state.LastRestart === "0001-01-01T00:00:00Z" ? null : state.LastRestart)}`,
  ]);
  const rows = ["Time|Type|Description"];
  for (const e of [...(state.Events ?? [])].reverse())
    rows.push(`${formatUnixNano(e.Time)}|${e.Type}|${eventDescription(e).replace(/\|/g, "/")}`);
  return ["Task Events:", basic, "", "Recent Events:", formatList(rows)].join("\n");
}

/** One allocation's status, as `nomad alloc status ALLOC` prints it. */
export function renderAllocStatus(view: AllocStatusView, opts: StatusRenderOptions): string {
  const a = view.alloc;
  const idLen = opts.verbose ? 36 : 8;
  const job = (a.Job ?? {}) as { Version?: number; TaskGroups?: { Name: string; Tasks?: TaskView[] }[] };
  const created = opts.verbose ? formatTime(a.CreateTime / 1e6) : prettyTimeDiff(a.CreateTime / 1e6, opts.nowMs);
  const modified = opts.verbose ? formatTime(a.ModifyTime / 1e6) : prettyTimeDiff(a.ModifyTime / 1e6, opts.nowMs);
  const basic = [
    `ID|${a.ID}`,
    `Eval ID|${shortID(a.EvalID, idLen)}`,
    `Name|${a.Name}`,
    `Node ID|${shortID(a.NodeID, idLen)}`,
    `Node Name|${a.NodeName}`,
    `Job ID|${a.JobID}`,
    `Job Version|${job.Version ?? a.JobVersion}`,
    `Client Status|${a.ClientStatus}`,
    `Client Description|${a.ClientDescription}`,
    `Desired Status|${a.DesiredStatus}`,
    `Desired Description|${a.DesiredDescription}`,
    `Created|${created}`,
    `Modified|${modified}`,
  ];
  if (a.DeploymentID) {
    const healthy = a.DeploymentStatus?.Healthy;
    basic.push(
      `Deployment ID|${shortID(a.DeploymentID, idLen)}`,
      `Deployment Health|${healthy === true ? "healthy" : healthy === false ? "unhealthy" : "unset"}`,
    );
    if (a.DeploymentStatus?.Canary) basic.push("Canary|true");
  }
  const tracked = a.RescheduleTracker?.Events?.length ?? 0;
  if (tracked > 0) {
    const { attempted, total } = rescheduleInfo(a, a.ModifyTime / 1e6);
    if (total > 0) basic.push(`Reschedule Attempts|${attempted}/${total}`);
  }
  if (a.NextAllocation) basic.push(`Replacement Alloc ID|${shortID(a.NextAllocation, idLen)}`);
  if (view.followupWaitUntilMs && view.followupWaitUntilMs > opts.nowMs)
    basic.push(`Reschedule Eligibility|${prettyTimeDiff(view.followupWaitUntilMs, opts.nowMs)}`);
  const out = [formatKV(basic)];
  const checks = Object.values(view.checks ?? {});
  if (checks.length > 0) {
    const rows = ["Service|Task|Name|Mode|Status"];
    for (const c of checks.sort((x, y) => (x.Service + x.Check < y.Service + y.Check ? -1 : 1)))
      rows.push(`${c.Service}|${c.Task ?? "(group)"}|${c.Check}|${c.Mode}|${c.Status}`);
    out.push("", `Nomad Service Checks:\n${formatList(rows)}`);
  }
  const tasks = new Map<string, TaskView>();
  for (const t of job.TaskGroups?.find((g) => g.Name === a.TaskGroup)?.Tasks ?? []) tasks.set(t.Name, t);
  const states = a.TaskStates ?? {};
  for (const name of sortedTasks(states, tasks)) {
    const lc = lifecycleName(tasks.get(name));
    out.push(
      "",
      `Task "${name}"${lc ? ` (${lc})` : ""} is "${states[name].State}"`,
      "Task Resources:",
      taskResources(view, name, tasks.get(name)),
      "",
      taskEvents(states[name]),
    );
  }
  return out.join("\n") + "\n";
}
