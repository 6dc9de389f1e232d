/**
 * The scheduler of service and batch jobs (Nomad's `GenericScheduler` in
 * `scheduler/generic_sched.go`): reconcile, place through the generic stack,
 * submit the plan, retry on partial commits, and record the outcome on the
 * evaluation (failed placements, blocked eval, queued allocations).
 */
import type {
  AllocListStubResponse,
  AllocMetric,
  AllocatedResources,
  AllocatedTaskResources,
  Allocation,
  Deployment,
  Evaluation,
  Plan,
  PlanResult,
  StoredJob,
} from "../structs";
import { deploymentActive } from "../structs";
import { EvalContext, seededRandom, shuffleSeed } from "./context";
import { readyNodesForJob } from "./feasible/ready-nodes";
import type { Planner, Scheduler, SchedulerOptions, SchedulerState, SchedulerStateFastPaths } from "./interfaces";
import { jobView, type JobView, type TaskGroupView } from "./job-view";
import { reconcile } from "./reconcile/reconciler";
import { nextDelay } from "./reconcile/reschedule";
import { AllocDescriptions } from "./reconcile/results";
import type { PlacementRequest, ReconcileResults } from "./reconcile/results";
import { allocatedResources, groupDiskMB, taskResourcesFor } from "./resources";
import { GenericStack, SystemStack } from "./stack";
import { appendAll, genericAllocUpdate, makePlan, preemptionEnabled, recordPreemptions, retryMax, stopCopy, taintedNodes } from "./util";

/** Plan attempts of service jobs (`maxServiceScheduleAttempts`). */
const MAX_SERVICE_SCHEDULE_ATTEMPTS = 5;
/** Plan attempts of batch jobs (`maxBatchScheduleAttempts`). */
const MAX_BATCH_SCHEDULE_ATTEMPTS = 2;
/** Description of blocked evals created for failed placements. */
const BLOCKED_EVAL_FAILED_PLACEMENTS = "created to place remaining allocations";
/** Description of blocked evals created when plan attempts ran out. */
const BLOCKED_EVAL_MAX_PLAN = "created due to placement conflicts";
/** How many past reschedule events a tracker keeps when the policy is unlimited. */
const MAX_PAST_RESCHEDULE_EVENTS = 5;

const EMPTY_TRANSITION = Object.freeze({ Migrate: null, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null });

/** The evaluation triggers the generic scheduler accepts. */
export const GENERIC_TRIGGERS: ReadonlySet<string> = new Set([
  "job-register",
  "job-deregister",
  "node-drain",
  "node-update",
  "alloc-stop",
  "alloc-reschedule",
  "rolling-update",
  "queued-allocs",
  "periodic-job",
  "max-plan-attempts",
  "deployment-watcher",
  "alloc-failure",
  "failed-follow-up",
  "preemption",
  "job-scaling",
  "max-disconnect-timeout",
  "reconnect",
  "scheduled",
]);

/** Copies an eval with a new status (`setStatus`). */
export function evalWithStatus(ev: Evaluation, status: Evaluation["Status"], description: string, now: number): Evaluation {
  return { ...ev, Status: status, StatusDescription: description, ModifyTime: now };
}

/** Service and batch scheduling. */
export class GenericScheduler implements Scheduler {
  private evaluation!: Evaluation;
  private job: StoredJob | undefined;
  private plan!: Plan;
  private ctx!: EvalContext;
  private stack!: GenericStack;
  private deployment: Deployment | null = null;
  private failedTGAllocs: Record<string, AllocMetric> | null = null;
  private queued: Record<string, number> = {};
  private blocked: Evaluation | null = null;
  private followups: Evaluation[] = [];
  private lastResults: ReconcileResults | null = null;
  /** Stubs of the allocations the last attempt preempts (the plan annotations' PreemptedAllocs). */
  private preemptedStubs: AllocListStubResponse[] = [];

  constructor(
    private readonly state: SchedulerState & SchedulerStateFastPaths,
    private readonly planner: Planner,
    private readonly options: SchedulerOptions,
    /** Batch (true) or service (false). */
    readonly batch: boolean,
  ) {}

  process(evaluation: Evaluation): void {
    this.evaluation = evaluation;
    const now = this.options.now();
    if (!GENERIC_TRIGGERS.has(evaluation.TriggeredBy)) {
      this.planner.updateEval(
        evalWithStatus(evaluation, "failed", `scheduler cannot handle '${evaluation.TriggeredBy}' evaluation reason`, now),
      );
      return;
    }
    const limit = this.batch ? MAX_BATCH_SCHEDULE_ATTEMPTS : MAX_SERVICE_SCHEDULE_ATTEMPTS;
    if (!retryMax(limit, () => this.processOnce())) {
      const blocked = this.newBlockedEval(BLOCKED_EVAL_MAX_PLAN, "max-plan-attempts");
      this.planner.createEval(blocked);
      this.planner.updateEval({
        ...evalWithStatus(evaluation, "failed", `maximum attempts reached (${limit})`, this.options.now()),
        BlockedEval: blocked.ID,
        QueuedAllocations: this.queued,
        PlanAnnotations: this.planAnnotations(),
      });
      return;
    }
    if (evaluation.Status === "blocked" && this.failedTGAllocs && !evaluation.AnnotatePlan) {
      this.planner.reblockEval({
        ...evaluation,
        ClassEligibility: this.ctx.eligibility.getClasses(),
        EscapedComputedClass: this.ctx.eligibility.hasEscaped(),
        FailedTGAllocs: this.failedTGAllocs,
        QueuedAllocations: this.queued,
      });
      return;
    }
    this.planner.updateEval({
      ...evalWithStatus(evaluation, "complete", "", this.options.now()),
      FailedTGAllocs: this.failedTGAllocs,
      QueuedAllocations: this.queued,
      PlanAnnotations: this.planAnnotations(),
      BlockedEval: this.blocked ? this.blocked.ID : evaluation.BlockedEval,
      // The deployment this evaluation worked within (Nomad's setStatus), so that callers can follow it.
      DeploymentID: this.deployment?.ID ?? evaluation.DeploymentID,
    });
  }

  /** The reconciler's counts of the last attempt as the evaluation records them (Nomad's setStatus with planAnnotations); null when it never ran. */
  private planAnnotations(): Evaluation["PlanAnnotations"] {
    return this.lastResults ? { DesiredTGUpdates: this.lastResults.desiredTGUpdates, PreemptedAllocs: this.preemptedAllocs() } : null;
  }

  /** PreemptedAllocs of the annotations: listed only when the evaluation annotates a plan (Nomad keeps them for `job plan`). */
  private preemptedAllocs(): AllocListStubResponse[] | null {
    return this.evaluation.AnnotatePlan && this.preemptedStubs.length > 0 ? this.preemptedStubs : null;
  }

  /** The reconciler's decisions of the last attempt (for tests and plan annotations). */
  get results(): ReconcileResults | null {
    return this.lastResults;
  }

  private newBlockedEval(description: string, trigger?: Evaluation["TriggeredBy"]): Evaluation {
    const ev = this.evaluation;
    const now = this.options.now();
    // Evaluation.CreateBlockedEval: triggered by queued-allocs (max-plan-attempts when plans kept failing), carrying the
    // failed placements so far; the class eligibility only when no constraint escaped the class cache.
    const escaped = this.ctx ? this.ctx.eligibility.hasEscaped() : false;
    return {
      ...ev,
      ID: this.options.newID(),
      TriggeredBy: trigger ?? "queued-allocs",
      Status: "blocked",
      StatusDescription: description,
      PreviousEval: ev.ID,
      NextEval: "",
      BlockedEval: "",
      NodeID: "",
      NodeModifyIndex: 0,
      DeploymentID: "",
      Wait: 0,
      WaitUntil: null,
      FailedTGAllocs: this.failedTGAllocs,
      QueuedAllocations: null,
      ClassEligibility: this.ctx && !escaped ? this.ctx.eligibility.getClasses() : null,
      EscapedComputedClass: escaped,
      AnnotatePlan: false,
      SnapshotIndex: this.state.latestIndex(),
      CreateIndex: 0,
      ModifyIndex: 0,
      CreateTime: now,
      ModifyTime: now,
    };
  }

  /** One attempt; done=false asks for a retry with fresh state. */
  private processOnce(): { done: boolean; progress: boolean } {
    const ev = this.evaluation;
    this.job = this.state.jobByID(ev.Namespace, ev.JobID);
    const job = this.job ? jobView(this.job) : null;
    this.failedTGAllocs = null;
    this.queued = {};
    this.followups = [];
    this.preemptedStubs = [];
    const index = this.state.latestIndex();
    this.plan = makePlan(ev, this.job ?? null, index);
    this.deployment = null;
    if (!this.batch) {
      const d = this.state.latestDeploymentByJobID(ev.Namespace, ev.JobID);
      this.deployment = d ?? null;
    }
    const seed = shuffleSeed(ev.ID, index);
    this.ctx = new EvalContext(this.state, this.plan, seed);
    this.stack = new GenericStack(this.batch, this.ctx);
    this.stack.scoreAllNodes = !!this.options.scoreAllNodes;
    if (job) {
      const ready = readyNodesForJob(this.state, job.Datacenters, job.NodePool);
      this.stack.setNodes(ready.nodes, ready.byDC, seededRandom(seed));
      this.stack.setJob(job);
    }
    this.computeJobAllocs(job);
    if (ev.AnnotatePlan && this.lastResults)
      this.plan.Annotations = { DesiredTGUpdates: this.lastResults.desiredTGUpdates, PreemptedAllocs: this.preemptedAllocs() };

    if (this.failedTGAllocs && ev.Status !== "blocked" && !ev.AnnotatePlan && !this.blocked) {
      this.blocked = this.newBlockedEval(BLOCKED_EVAL_FAILED_PLACEMENTS);
      this.planner.createEval(this.blocked);
    }
    for (const f of this.followups) this.planner.createEval(f);
    const empty =
      Object.keys(this.plan.NodeUpdate).length === 0 &&
      Object.keys(this.plan.NodeAllocation).length === 0 &&
      !this.plan.Deployment &&
      this.plan.DeploymentUpdates.length === 0;
    if (empty && !ev.AnnotatePlan) return { done: true, progress: false };
    const result: PlanResult = this.planner.submitPlan(this.plan);
    const progress =
      Object.keys(result.NodeUpdate).length > 0 ||
      Object.keys(result.NodeAllocation).length > 0 ||
      result.Deployment !== null ||
      result.DeploymentUpdates.length > 0;
    if (result.RefreshIndex) return { done: false, progress };
    return { done: true, progress };
  }

  private computeJobAllocs(job: JobView | null): void {
    const ev = this.evaluation;
    const allocs = this.state.allocsByJob(ev.Namespace, ev.JobID);
    const tainted = taintedNodes(this.state, allocs);
    // updateNonTerminalAllocsToLost: an allocation already told to stop (or evicted) but still pending or running on a
    // down (or gone) node is marked lost.
    for (const a of allocs) {
      if (!tainted.has(a.NodeID)) continue;
      const n = tainted.get(a.NodeID);
      if (n && n.Status !== "down") continue;
      if ((a.DesiredStatus === "stop" || a.DesiredStatus === "evict") && (a.ClientStatus === "running" || a.ClientStatus === "pending"))
        this.ctx.appendStoppedAlloc(stopCopy(a, AllocDescriptions.lost, "lost"));
    }
    const now = this.options.now();
    const systemStack = new SystemStack(this.ctx);
    if (job) systemStack.setJob(job);
    const results = reconcile({
      job,
      jobID: ev.JobID,
      namespace: ev.Namespace,
      batch: this.batch,
      deployment: this.deployment ?? undefined,
      existing: allocs,
      tainted,
      evaluation: ev,
      now,
      newID: this.options.newID,
      allocUpdateFn: (existing, j, tg) => genericAllocUpdate(this.ctx, systemStack, this.job!, ev.ID, now, existing, j, tg),
    });
    this.lastResults = results;
    for (const s of results.stop) this.ctx.appendStoppedAlloc(stopCopy(s.alloc, s.statusDescription, s.clientStatus, s.followupEvalID));
    for (const a of results.inplaceUpdate) {
      // An in-place update joins the current deployment and has its health
      // decided again there (Nomad's computeJobAllocs does the same).
      const deploymentID = results.deployment?.ID ?? this.deployment?.ID ?? "";
      if (deploymentID && a.DeploymentID !== deploymentID) {
        a.DeploymentID = deploymentID;
        a.DeploymentStatus = null;
      }
      this.ctx.appendAlloc(a);
    }
    for (const a of results.attributeUpdates) (this.plan.NodeAllocation[a.NodeID] ??= []).push(a);
    if (results.deployment) {
      this.plan.Deployment = results.deployment;
      this.deployment = results.deployment;
    }
    this.plan.DeploymentUpdates = results.deploymentUpdates;
    for (const evs of Object.values(results.desiredFollowupEvals)) appendAll(this.followups, evs);
    for (const p of [...results.destructiveUpdate, ...results.place])
      this.queued[p.taskGroup.Name] = (this.queued[p.taskGroup.Name] ?? 0) + 1;
    for (const tg of job?.TaskGroups ?? []) this.queued[tg.Name] ??= 0;
    if (!job) return;
    this.computePlacements(job, [...results.destructiveUpdate, ...results.place]);
  }

  private computePlacements(job: JobView, requests: PlacementRequest[]): void {
    const now = this.options.now();
    const shared = new Map<string, Record<string, AllocatedTaskResources>>();
    // Allocations of a group without ports hold one shared AllocatedResources object (never mutated: replaced on change).
    const sharedResources = new Map<string, AllocatedResources>();
    const deploymentID = this.deployment && deploymentActive(this.deployment) && !this.batch ? this.deployment.ID : "";
    for (const req of requests) {
      const tg = req.taskGroup;
      if (this.failedTGAllocs?.[tg.Name]) {
        this.failedTGAllocs[tg.Name].CoalescedFailures++;
        continue;
      }
      let tasks = shared.get(tg.Name);
      if (!tasks) shared.set(tg.Name, (tasks = taskResourcesFor(tg, this.state.schedulerConfig().MemoryOversubscriptionEnabled)));
      const prev = req.previousAlloc;
      if (req.stopPrevious && prev) this.ctx.appendStoppedAlloc(stopCopy(prev, req.stopDescription));
      let penalty: Set<string> | undefined;
      if (req.reschedule && prev) {
        penalty = new Set<string>();
        if (prev.ClientStatus === "failed") penalty.add(prev.NodeID);
        for (const e of prev.RescheduleTracker?.Events ?? []) penalty.add(e.PrevNodeID);
      }
      let option = this.stack.select(tg, { penaltyNodeIDs: penalty, taskResources: tasks, allocName: req.name });
      // Nomad's selectNextOption: when nothing fits and the job's type may preempt, select again with evictions.
      if (!option && preemptionEnabled(this.state.schedulerConfig(), job.Type))
        option = this.stack.select(tg, { penaltyNodeIDs: penalty, taskResources: tasks, allocName: req.name, preempt: true });
      if (!option) {
        if (req.stopPrevious && prev) this.ctx.popStop(prev);
        (this.failedTGAllocs ??= {})[tg.Name] = this.ctx.metrics;
        continue;
      }
      const taskRes = option.taskResources ?? tasks;
      let resources: AllocatedResources;
      if (option.ports === null && taskRes === tasks) {
        let r = sharedResources.get(tg.Name);
        if (!r) sharedResources.set(tg.Name, (r = allocatedResources(tasks, groupDiskMB(tg), null)));
        resources = r;
      } else resources = allocatedResources(taskRes, groupDiskMB(tg), option.ports);
      const alloc = this.newAllocation(job, tg, req, option.node.ID, option.node.Name, resources, deploymentID, now);
      recordPreemptions(this.ctx, option.preemptedAllocs, alloc, this.preemptedStubs, this.lastResults?.desiredTGUpdates[tg.Name]);
      this.ctx.appendAlloc(alloc, true);
      this.queued[tg.Name]--;
      if (req.canary && this.deployment) {
        const ds = this.deployment.TaskGroups[tg.Name];
        if (ds) ds.PlacedCanaries = [...(ds.PlacedCanaries ?? []), alloc.ID];
      }
    }
  }

  private newAllocation(
    job: JobView,
    tg: TaskGroupView,
    req: PlacementRequest,
    nodeID: string,
    nodeName: string,
    resources: AllocatedResources,
    deploymentID: string,
    now: number,
  ): Allocation {
    const prev = req.previousAlloc;
    let tracker: Allocation["RescheduleTracker"] = null;
    if (req.reschedule && prev) {
      // UpdateRescheduleTracker: with attempts, the past events within the interval; unlimited, the last maxPastRescheduleEvents;
      // then the new event, whose Delay is the delay this reschedule waited (prev.NextDelay(): exponential doubles the last one).
      const policy = tg.ReschedulePolicy;
      const interval = policy?.Interval ?? 0;
      const past = prev.RescheduleTracker?.Events ?? [];
      const events =
        (policy?.Attempts ?? 0) > 0
          ? past.filter((e) => interval > 0 && now - e.RescheduleTime <= interval)
          : past.slice(-MAX_PAST_RESCHEDULE_EVENTS);
      events.push({ RescheduleTime: now, PrevAllocID: prev.ID, PrevNodeID: prev.NodeID, Delay: policy ? nextDelay(prev, policy) : 0 });
      tracker = { Events: events };
    }
    return {
      ID: this.options.newID(),
      Namespace: job.Namespace,
      EvalID: this.evaluation.ID,
      Name: req.name,
      NodeID: nodeID,
      NodeName: nodeName,
      JobID: job.ID,
      Job: this.job!,
      TaskGroup: tg.Name,
      AllocatedResources: resources,
      Metrics: this.ctx.metrics,
      DesiredStatus: "run",
      DesiredDescription: "",
      DesiredTransition: EMPTY_TRANSITION as Allocation["DesiredTransition"],
      ClientStatus: "pending",
      ClientDescription: "",
      TaskStates: null,
      PreviousAllocation: prev ? prev.ID : "",
      NextAllocation: "",
      DeploymentID: deploymentID,
      DeploymentStatus: req.canary ? { Healthy: null, Timestamp: "", Canary: true, ModifyIndex: 0 } : null,
      RescheduleTracker: tracker,
      FollowupEvalID: "",
      CreateIndex: 0,
      ModifyIndex: 0,
      AllocModifyIndex: 0,
      CreateTime: now,
      ModifyTime: now,
    };
  }
}
