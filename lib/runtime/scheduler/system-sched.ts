/**
 * The scheduler of system and sysbatch jobs (Nomad's `SystemScheduler` with
 * the node reconciler of `reconcile_node.go`): one allocation per group on
 * every feasible ready node in the job's datacenters and pool.
 */
import type { AllocMetric, AllocatedTaskResources, Allocation, Evaluation, Node, StoredJob } from "../structs";
import { allocName, allocServerTerminal, allocTerminal } from "../structs";
import { emptyDesiredUpdates as emptyDesiredUpdatesFallback } from "./reconcile/results";
import { EvalContext, shuffleSeed } from "./context";
import { readyNodesForJob } from "./feasible/ready-nodes";
import type { Planner, Scheduler, SchedulerOptions, SchedulerState, SchedulerStateFastPaths } from "./interfaces";
import { jobView, type TaskGroupView } from "./job-view";
import { AllocDescriptions } from "./reconcile/results";
import { groupDiskMB, taskResourcesFor } from "./resources";
import { SystemStack } from "./stack";
import { evalWithStatus, GENERIC_TRIGGERS } from "./generic-sched";
import { genericAllocUpdate, makePlan, preemptionEnabled, recordPreemptions, retryMax, stopCopy } from "./util";
import type { AllocListStubResponse, DesiredUpdates } from "../structs";

/** Plan attempts of system jobs. */
const MAX_SYSTEM_SCHEDULE_ATTEMPTS = 5;
/** Plan attempts of sysbatch jobs. */
const MAX_SYSBATCH_SCHEDULE_ATTEMPTS = 2;

const EMPTY_TRANSITION = Object.freeze({ Migrate: null, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null });

/** System and sysbatch scheduling. */
export class SystemScheduler implements Scheduler {
  private failedTGAllocs: Record<string, AllocMetric> | null = null;
  private queued: Record<string, number> = {};
  private desired: Record<string, DesiredUpdates> = {};
  /** Stubs of the allocations the last attempt preempts. */
  private preemptedStubs: AllocListStubResponse[] = [];

  constructor(
    private readonly state: SchedulerState & SchedulerStateFastPaths,
    private readonly planner: Planner,
    private readonly options: SchedulerOptions,
    /** Sysbatch (true): completed allocations are not replaced. */
    readonly sysbatch: boolean,
  ) {}

  process(evaluation: Evaluation): void {
    if (!GENERIC_TRIGGERS.has(evaluation.TriggeredBy)) {
      this.planner.updateEval(
        evalWithStatus(evaluation, "failed", `scheduler cannot handle '${evaluation.TriggeredBy}' evaluation reason`, this.options.now()),
      );
      return;
    }
    const limit = this.sysbatch ? MAX_SYSBATCH_SCHEDULE_ATTEMPTS : MAX_SYSTEM_SCHEDULE_ATTEMPTS;
    if (retryMax(limit, () => this.processOnce(evaluation))) {
      this.planner.updateEval({
        ...evalWithStatus(evaluation, "complete", "", this.options.now()),
        FailedTGAllocs: this.failedTGAllocs,
        QueuedAllocations: this.queued,
        PlanAnnotations: { DesiredTGUpdates: this.desired, PreemptedAllocs: this.preemptedAllocs(evaluation) },
      });
      return;
    }
    this.planner.updateEval({
      ...evalWithStatus(evaluation, "failed", `maximum attempts reached (${limit})`, this.options.now()),
      QueuedAllocations: this.queued,
      PlanAnnotations: { DesiredTGUpdates: this.desired, PreemptedAllocs: this.preemptedAllocs(evaluation) },
    });
  }

  /** PreemptedAllocs of the annotations: listed only when the evaluation annotates a plan. */
  private preemptedAllocs(ev: Evaluation): AllocListStubResponse[] | null {
    return ev.AnnotatePlan && this.preemptedStubs.length > 0 ? this.preemptedStubs : null;
  }

  private processOnce(ev: Evaluation): { done: boolean; progress: boolean } {
    const stored = this.state.jobByID(ev.Namespace, ev.JobID);
    const job = stored ? jobView(stored) : null;
    const index = this.state.latestIndex();
    const plan = makePlan(ev, stored ?? null, index);
    const ctx = new EvalContext(this.state, plan, shuffleSeed(ev.ID, index));
    const stack = new SystemStack(ctx);
    this.failedTGAllocs = null;
    this.queued = {};
    this.desired = {};
    this.preemptedStubs = [];
    const preempt = preemptionEnabled(this.state.schedulerConfig(), this.sysbatch ? "sysbatch" : "system");
    const now = this.options.now();
    const allocs = this.state.allocsByJob(ev.Namespace, ev.JobID).filter((a) => !allocServerTerminal(a));
    const du = (g: string) => (this.desired[g] ??= emptyDesiredUpdatesFallback());

    if (!job || job.Stop) {
      for (const a of allocs) {
        if (allocTerminal(a)) continue;
        ctx.appendStoppedAlloc(stopCopy(a, AllocDescriptions.jobStopped));
        du(a.TaskGroup).Stop++;
      }
    } else {
      stack.setJob(job);
      const ready = readyNodesForJob(this.state, job.Datacenters, job.NodePool);
      stack.setNodeCounts(ready.nodes.length, ready.byDC);
      const readyIDs = new Set(ready.nodes.map((n) => n.ID));
      const groups = new Map((job.TaskGroups ?? []).map((tg) => [tg.Name, tg]));
      const byNodeGroup = new Map<string, Allocation[]>();
      for (const a of allocs) {
        const tg = groups.get(a.TaskGroup);
        if (!tg) {
          if (!allocTerminal(a)) {
            ctx.appendStoppedAlloc(stopCopy(a, AllocDescriptions.notNeeded));
            du(a.TaskGroup).Stop++;
          }
          continue;
        }
        if (!readyIDs.has(a.NodeID)) {
          if (allocTerminal(a)) continue;
          const node = this.state.nodeByID(a.NodeID);
          const lost = !node || node.Status === "down";
          // On a draining node, system allocations stay until the drainer marks them (after everything else left).
          if (!lost && node?.DrainStrategy && !a.DesiredTransition?.Migrate) {
            du(a.TaskGroup).Ignore++;
            continue;
          }
          ctx.appendStoppedAlloc(
            stopCopy(
              a,
              lost ? AllocDescriptions.lost : node && node.DrainStrategy ? AllocDescriptions.migrating : AllocDescriptions.nodeIneligible,
              lost ? "lost" : "",
            ),
          );
          du(a.TaskGroup).Stop++;
          continue;
        }
        const k = `${a.NodeID}\u0000${a.TaskGroup}`;
        let l = byNodeGroup.get(k);
        if (!l) byNodeGroup.set(k, (l = []));
        l.push(a);
      }
      const shared = new Map<string, Record<string, AllocatedTaskResources>>();
      for (const node of ready.nodes) {
        for (const tg of job.TaskGroups ?? []) {
          const existing = byNodeGroup.get(`${node.ID}\u0000${tg.Name}`) ?? [];
          const live = existing.filter((a) => !allocTerminal(a));
          let tasks = shared.get(tg.Name);
          if (!tasks) shared.set(tg.Name, (tasks = taskResourcesFor(tg, this.state.schedulerConfig().MemoryOversubscriptionEnabled)));
          if (live.length > 0) {
            const a = live[0];
            for (const extra of live.slice(1)) {
              ctx.appendStoppedAlloc(stopCopy(extra, AllocDescriptions.notNeeded));
              du(tg.Name).Stop++;
            }
            const d = genericAllocUpdate(ctx, stack, stored!, ev.ID, now, a, job, tg);
            if (d.kind === "inplace") {
              ctx.appendAlloc(d.alloc);
              du(tg.Name).InPlaceUpdate++;
              continue;
            }
            // Is the node still feasible for the group? (Staged without the existing allocation.)
            ctx.appendStoppedAlloc(stopCopy(a, AllocDescriptions.updating));
            const option = stack.select(node, tg, { taskResources: tasks, allocName: a.Name, preempt });
            if (!option && ctx.metrics.NodesFiltered > 0) {
              // The node no longer satisfies the job: keep the stop.
              du(tg.Name).Stop++;
              continue;
            }
            if (d.kind === "ignore" || !option) {
              ctx.popStop(a);
              du(tg.Name).Ignore++;
              continue;
            }
            const replacement = this.newAllocation(
              ev,
              stored!,
              tg,
              node,
              a.Name,
              option.taskResources ?? tasks,
              option.ports,
              a.ID,
              ctx.metrics,
              now,
            );
            recordPreemptions(ctx, option.preemptedAllocs, replacement, this.preemptedStubs, du(tg.Name));
            ctx.appendAlloc(replacement);
            du(tg.Name).DestructiveUpdate++;
            continue;
          }
          if (this.sysbatch && existing.some((a) => a.ClientStatus === "complete")) {
            du(tg.Name).Ignore++;
            continue;
          }
          this.queued[tg.Name] = (this.queued[tg.Name] ?? 0) + 1;
          const option = stack.select(node, tg, { taskResources: tasks, allocName: allocName(job.ID, tg.Name, 0), preempt });
          if (!option) {
            if (ctx.metrics.NodesFiltered > 0) {
              this.queued[tg.Name]--;
              continue;
            }
            const f = (this.failedTGAllocs ??= {});
            if (f[tg.Name]) f[tg.Name].CoalescedFailures++;
            else f[tg.Name] = ctx.metrics;
            continue;
          }
          const placed = this.newAllocation(
            ev,
            stored!,
            tg,
            node,
            allocName(job.ID, tg.Name, 0),
            option.taskResources ?? tasks,
            option.ports,
            "",
            ctx.metrics,
            now,
          );
          recordPreemptions(ctx, option.preemptedAllocs, placed, this.preemptedStubs, du(tg.Name));
          ctx.appendAlloc(placed, true);
          this.queued[tg.Name]--;
          du(tg.Name).Place++;
        }
      }
      for (const tg of job.TaskGroups ?? []) this.queued[tg.Name] ??= 0;
    }
    if (ev.AnnotatePlan) plan.Annotations = { DesiredTGUpdates: this.desired, PreemptedAllocs: this.preemptedAllocs(ev) };
    const empty = Object.keys(plan.NodeUpdate).length === 0 && Object.keys(plan.NodeAllocation).length === 0;
    if (empty && !ev.AnnotatePlan) return { done: true, progress: false };
    const result = this.planner.submitPlan(plan);
    const progress = Object.keys(result.NodeUpdate).length > 0 || Object.keys(result.NodeAllocation).length > 0;
    return { done: !result.RefreshIndex, progress };
  }

  private newAllocation(
    ev: Evaluation,
    job: StoredJob,
    tg: TaskGroupView,
    node: Node,
    name: string,
    tasks: Record<string, AllocatedTaskResources>,
    ports: Allocation["AllocatedResources"]["Shared"]["Ports"],
    previous: string,
    metrics: AllocMetric,
    now: number,
  ): Allocation {
    return {
      ID: this.options.newID(),
      Namespace: ev.Namespace,
      EvalID: ev.ID,
      Name: name,
      NodeID: node.ID,
      NodeName: node.Name,
      JobID: ev.JobID,
      Job: job,
      TaskGroup: tg.Name,
      AllocatedResources: { Tasks: tasks, Shared: { DiskMB: groupDiskMB(tg), Networks: null, Ports: ports } },
      Metrics: metrics,
      DesiredStatus: "run",
      DesiredDescription: "",
      DesiredTransition: EMPTY_TRANSITION as Allocation["DesiredTransition"],
      ClientStatus: "pending",
      ClientDescription: "",
      TaskStates: null,
      PreviousAllocation: previous,
      NextAllocation: "",
      DeploymentID: "",
      DeploymentStatus: null,
      RescheduleTracker: null,
      FollowupEvalID: "",
      CreateIndex: 0,
      ModifyIndex: 0,
      AllocModifyIndex: 0,
      CreateTime: now,
      ModifyTime: now,
    };
  }
}
