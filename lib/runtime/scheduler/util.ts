/**
 * Helpers shared by the schedulers (Nomad's `scheduler/util.go`): tainted
 * nodes, stop copies, plans, the in-place update check.
 */
import type {
  AllocListStubResponse,
  Allocation,
  DesiredUpdates,
  Evaluation,
  Node,
  Plan,
  SchedulerConfiguration,
  StoredJob,
} from "../structs";
import { allocListStub } from "../structs";
import type { EvalContext } from "./context";
import { nodeInAnyDC, nodeInPool } from "./feasible/ready-nodes";
import type { JobView, TaskGroupView } from "./job-view";
import { jobView } from "./job-view";
import type { AllocUpdateDecision } from "./reconcile/reconciler";
import { tasksUpdated } from "./reconcile/tasks-updated";
import type { SchedulerState } from "./interfaces";
import type { SystemStack } from "./stack";

/**
 * Runs one scheduling attempt after another until one is done, giving up
 * after `limit` attempts in a row that made no progress (Nomad's `retryMax`
 * with its progress reset). Returns whether an attempt finished the work.
 */
export function retryMax(limit: number, attempt: () => { done: boolean; progress: boolean }): boolean {
  let attempts = 0;
  while (attempts < limit) {
    attempts++;
    const r = attempt();
    if (r.done) return true;
    if (r.progress) attempts = 0;
  }
  return false;
}

/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes every
 * item as an argument and overflows the call stack for large arrays (a group
 * with a count in the hundreds of thousands); this does not.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Nodes of the allocations that are missing, down, disconnected or draining (Nomad's `taintedNodes`): ID → node, or null when gone. */
export function taintedNodes(state: SchedulerState, allocs: readonly Allocation[]): Map<string, Node | null> {
  const out = new Map<string, Node | null>();
  for (const a of allocs) {
    if (out.has(a.NodeID)) continue;
    const n = state.nodeByID(a.NodeID);
    if (!n) out.set(a.NodeID, null);
    else if (n.Status === "down" || n.Status === "disconnected" || n.DrainStrategy !== null) out.set(a.NodeID, n);
  }
  return out;
}

/** A copy of an allocation with DesiredStatus "stop" (and optionally a client status), as a plan carries it. */
export function stopCopy(a: Allocation, description: string, clientStatus: "" | "lost" = "", followupEvalID?: string): Allocation {
  return {
    ...a,
    DesiredStatus: "stop",
    DesiredDescription: description,
    ClientStatus: clientStatus || a.ClientStatus,
    FollowupEvalID: followupEvalID ?? a.FollowupEvalID,
  };
}

/** An empty plan for an evaluation (`Evaluation.MakePlan`). */
export function makePlan(evaluation: Evaluation, job: StoredJob | null, snapshotIndex: number): Plan {
  return {
    EvalID: evaluation.ID,
    EvalToken: "",
    Priority: evaluation.Priority,
    Job: job,
    AllAtOnce: job ? !!jobView(job).AllAtOnce : false,
    NodeUpdate: {},
    NodeAllocation: {},
    NodePreemptions: {},
    Deployment: null,
    DeploymentUpdates: [],
    Annotations: null,
    SnapshotIndex: snapshotIndex,
  };
}

/**
 * Nomad's `genericAllocUpdateFn`: ignore when the job did not change;
 * destructive when tasksUpdated says so or the node is gone, out of the
 * job's DCs or pool, or no longer fits; otherwise an in-place update that
 * keeps the allocation's ports, checked by re-running the stack on its node
 * with the old allocation staged as stopped.
 */
export function genericAllocUpdate(
  ctx: EvalContext,
  stack: SystemStack,
  newJob: StoredJob,
  evalID: string,
  now: number,
  existing: Allocation,
  job: JobView,
  tg: TaskGroupView,
): AllocUpdateDecision {
  if (existing.Job.JobModifyIndex === job.JobModifyIndex) return { kind: "ignore" };
  if (tasksUpdated(jobView(existing.Job), job, tg.Name)) return { kind: "destructive" };
  if (
    existing.DesiredStatus !== "run" ||
    existing.ClientStatus === "complete" ||
    existing.ClientStatus === "failed" ||
    existing.ClientStatus === "lost"
  )
    return { kind: "ignore" };
  const node = ctx.node(existing.NodeID);
  if (!node || !nodeInAnyDC(node, job.Datacenters) || !nodeInPool(node, job.NodePool)) return { kind: "destructive" };
  ctx.appendStoppedAlloc(stopCopy(existing, "alloc updating in-place"));
  const option = stack.select(node, tg, { allocName: existing.Name });
  ctx.popStop(existing);
  if (!option) return { kind: "destructive" };
  const updated: Allocation = {
    ...existing,
    EvalID: evalID,
    Job: newJob,
    AllocatedResources: {
      Tasks: option.taskResources ?? existing.AllocatedResources.Tasks,
      TaskLifecycles: existing.AllocatedResources.TaskLifecycles,
      Shared: { ...existing.AllocatedResources.Shared, Ports: existing.AllocatedResources.Shared.Ports },
    },
    DesiredDescription: "",
    ModifyTime: now,
  };
  return { kind: "inplace", alloc: updated };
}

/**
 * Whether the scheduler configuration lets jobs of this type preempt
 * (`PreemptionConfig`; Nomad's defaults: system on, the others off).
 */
export function preemptionEnabled(config: SchedulerConfiguration, jobType: string): boolean {
  const p = config.PreemptionConfig;
  switch (jobType) {
    case "system":
      return p.SystemSchedulerEnabled;
    case "sysbatch":
      return p.SysBatchSchedulerEnabled;
    case "batch":
      return p.BatchSchedulerEnabled;
    default:
      return p.ServiceSchedulerEnabled;
  }
}

/**
 * Records a preempting placement (Nomad's `handlePreemptions`): each
 * preempted allocation goes into the plan as an eviction by `alloc`, is
 * listed (as a stub) in `stubs` and counted in the group's `Preemptions`;
 * `alloc.PreemptedAllocations` gets their IDs.
 */
export function recordPreemptions(
  ctx: EvalContext,
  preempted: readonly Allocation[] | null,
  alloc: Allocation,
  stubs: AllocListStubResponse[],
  desired: DesiredUpdates | undefined,
): void {
  if (!preempted || preempted.length === 0) return;
  const ids: string[] = [];
  for (const p of preempted) {
    ctx.appendPreemptedAlloc(p, alloc.ID);
    ids.push(p.ID);
    stubs.push(allocListStub(p));
    if (desired) desired.Preemptions = (desired.Preemptions ?? 0) + 1;
  }
  alloc.PreemptedAllocations = ids;
}
