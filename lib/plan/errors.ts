/** Errors of plan and apply, each saying what happened and what to do. */
import type { AllocationListStub, AllocationMetric } from "../api";

/** `applyJob` was refused because the job changed since it was planned (Nomad's EnforceIndex check). */
export class ConcurrentModificationError extends Error {
  /** Job ID. */
  readonly jobId: string;
  /** The modify index seen at plan time (0: the job did not exist). */
  readonly plannedIndex: number;
  /** The job's modify index now, when Nomad said it (undefined when unknown; null when the job no longer exists). */
  readonly currentIndex: number | null | undefined;

  constructor(jobId: string, plannedIndex: number, currentIndex: number | null | undefined) {
    let what: string;
    if (plannedIndex === 0) what = `was created by someone else since the plan${currentIndex ? ` (modify index ${currentIndex})` : ""}`;
    else if (currentIndex === null) what = `was deleted by someone else since the plan (modify index ${plannedIndex} → none)`;
    else what = `was changed by someone else since the plan (modify index ${plannedIndex} → ${currentIndex ?? "?"})`;
    super(`job "${jobId}" ${what}: plan again`);
    this.name = "ConcurrentModificationError";
    this.jobId = jobId;
    this.plannedIndex = plannedIndex;
    this.currentIndex = currentIndex;
  }
}

/**
 * Parses Nomad's EnforceIndex refusal (`nomad/job_endpoint.go` Register):
 * `Enforcing job modify index N: job exists with conflicting job modify index: M`,
 * `…: job already exists`, `…: job does not exist`. Undefined for other messages.
 */
export function parseEnforceIndexConflict(body: string): { planned: number; current: number | null | undefined } | undefined {
  const m =
    /Enforcing job modify index (\d+): (?:job exists with conflicting job modify index: (\d+)|(job already exists)|(job does not exist))/.exec(
      body,
    );
  if (!m) return undefined;
  return { planned: Number(m[1]), current: m[2] ? Number(m[2]) : m[4] ? null : undefined };
}

/** A failing allocation with its most recent task events, for error messages. */
export interface FailingAllocation {
  /** Allocation ID. */
  id: string;
  /** `<job>.<group>[<index>]`. */
  name: string;
  /** Client status. */
  clientStatus: string;
  /** Node name. */
  nodeName: string;
  /** Per task, the last events as "Type: message" lines. */
  taskEvents: Record<string, string[]>;
}

/** Summarizes allocations for an error: the last `n` events of every task. */
export function describeAllocations(allocs: AllocationListStub[], n = 3): FailingAllocation[] {
  return allocs.map((a) => {
    const taskEvents: Record<string, string[]> = {};
    for (const [task, st] of Object.entries(a.TaskStates ?? {})) {
      taskEvents[task] = (st.Events ?? []).slice(-n).map((e) => {
        const msg = e.DisplayMessage || e.DriverError || e.Message || e.RestartReason || e.SetupError || e.ValidationError || "";
        return msg ? `${e.Type}: ${msg}` : e.Type;
      });
    }
    return { id: a.ID, name: a.Name, clientStatus: a.ClientStatus, nodeName: a.NodeName, taskEvents };
  });
}

function formatAllocations(allocs: FailingAllocation[]): string {
  const lines: string[] = [];
  for (const a of allocs) {
    lines.push(`  allocation ${a.id.slice(0, 8)} (${a.name}) on ${a.nodeName || "?"}: ${a.clientStatus}`);
    for (const [task, events] of Object.entries(a.taskEvents)) for (const e of events) lines.push(`    ${task}: ${e}`);
  }
  return lines.join("\n");
}

/** Formats placement failures the way `nomad job plan` explains them. */
export function formatPlacementFailures(failed: Record<string, AllocationMetric>, indent = "  "): string {
  const lines: string[] = [];
  for (const group of Object.keys(failed).sort()) {
    const m = failed[group];
    const extra = m.CoalescedFailures ? ` (${m.CoalescedFailures + 1} allocations)` : "";
    lines.push(`${indent}Task Group "${group}"${extra}:`);
    const evaluated = m.NodesEvaluated ?? 0;
    if (evaluated === 0) lines.push(`${indent}  * No nodes were eligible for evaluation`);
    for (const [dc, n] of Object.entries(m.NodesAvailable ?? {}))
      if (n === 0) lines.push(`${indent}  * No nodes are available in datacenter "${dc}"`);
    for (const [c, n] of Object.entries(m.ConstraintFiltered ?? {}))
      lines.push(`${indent}  * Constraint "${c}": ${n} nodes excluded by filter`);
    for (const [c, n] of Object.entries(m.ClassFiltered ?? {})) lines.push(`${indent}  * Class "${c}": ${n} nodes excluded by filter`);
    for (const [d, n] of Object.entries(m.DimensionExhausted ?? {}))
      lines.push(`${indent}  * Resources exhausted on ${n} nodes`, `${indent}  * Dimension "${d}" exhausted on ${n} nodes`);
    for (const q of m.QuotaExhausted ?? []) lines.push(`${indent}  * Quota limit hit "${q}"`);
  }
  return lines.join("\n");
}

/** Apply registered the job but it did not come up: a failed evaluation, placement failures, a failed deployment, failed allocations or a timeout. */
export class ApplyError extends Error {
  /** Job ID. */
  readonly jobId: string;
  /** True when the job was registered before the failure (Pulumi keeps it in state). */
  readonly registered: boolean;
  /** What failed: "evaluation", "placement", "deployment", "allocations", "timeout". */
  readonly stage: string;
  /** The failing allocations with their last task events. */
  readonly allocations: FailingAllocation[];
  /** Placement failures per group, when the stage is "placement". */
  readonly failedTGAllocs: Record<string, AllocationMetric>;

  constructor(init: {
    jobId: string;
    registered: boolean;
    stage: string;
    summary: string;
    allocations?: FailingAllocation[];
    failedTGAllocs?: Record<string, AllocationMetric>;
  }) {
    const allocs = init.allocations ?? [];
    const failed = init.failedTGAllocs ?? {};
    const parts = [`job "${init.jobId}": ${init.summary}`];
    if (Object.keys(failed).length) parts.push(formatPlacementFailures(failed));
    if (allocs.length) parts.push(formatAllocations(allocs));
    super(parts.join("\n"));
    this.name = "ApplyError";
    this.jobId = init.jobId;
    this.registered = init.registered;
    this.stage = init.stage;
    this.allocations = allocs;
    this.failedTGAllocs = failed;
  }
}
