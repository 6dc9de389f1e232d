/**
 * The allocation reconciler of service and batch jobs (Nomad's
 * `AllocReconciler` in `scheduler/reconciler/reconcile_cluster.go`): compares
 * the job's desired groups with its existing allocations and decides what to
 * place, stop, update in place or destructively, migrate and reschedule, and
 * the deployment that tracks the rollout.
 */
import type { Allocation, Deployment, DeploymentState, Evaluation, Node } from "../../structs";
import {
  DeploymentDescriptions,
  newDeployment,
  newDeploymentState,
  allocClientTerminal,
  allocNameIndex,
  allocServerTerminal,
  allocTerminal,
  deploymentActive,
} from "../../structs";
import type { JobView, TaskGroupView } from "../job-view";
import { groupCount, groupUpdate } from "../job-view";
import { AllocNameIndex } from "./names";
import { BATCHED_FAILED_ALLOC_WINDOW_NS, RESCHEDULE_WINDOW_NS, nextRescheduleTime } from "./reschedule";
import { AllocDescriptions, emptyDesiredUpdates, type PlacementRequest, type ReconcileResults, type StopRequest } from "./results";
import { appendAll } from "../util";

/** How an existing allocation takes the new job version. */
export type AllocUpdateDecision = { kind: "ignore" } | { kind: "destructive" } | { kind: "inplace"; alloc: Allocation };

/** Decides ignore / destructive / in-place for one allocation (Nomad's `allocUpdateFn`). */
export type AllocUpdateFn = (existing: Allocation, job: JobView, tg: TaskGroupView) => AllocUpdateDecision;

/** Inputs of one reconciliation. */
export interface ReconcilerInput {
  /** The job's current version, or null when it was purged. */
  job: JobView | null;
  jobID: string;
  namespace: string;
  /** Batch jobs: no deployments, complete allocations are not replaced. */
  batch: boolean;
  /** The job's latest deployment. */
  deployment: Deployment | undefined;
  /** Every allocation of the job. */
  existing: readonly Allocation[];
  /** Tainted nodes: ID → node (down, draining, disconnected) or null when the node is gone. */
  tainted: ReadonlyMap<string, Node | null>;
  /** The evaluation being processed. */
  evaluation: Evaluation;
  /** Unix ns. */
  now: number;
  newID: () => string;
  allocUpdateFn: AllocUpdateFn;
}

/** Computes the reconciliation (`Compute`). */
export function reconcile(input: ReconcilerInput): ReconcileResults {
  return new AllocReconciler(input).compute();
}

function byName(a: Allocation, b: Allocation): number {
  return allocNameIndex(a.Name) - allocNameIndex(b.Name) || (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0);
}

/** The reconciler's working state for one evaluation. */
class AllocReconciler {
  private readonly result: ReconcileResults = {
    place: [],
    destructiveUpdate: [],
    inplaceUpdate: [],
    stop: [],
    attributeUpdates: [],
    deployment: null,
    deploymentUpdates: [],
    desiredFollowupEvals: {},
    desiredTGUpdates: {},
  };
  private deployment: Deployment | null;
  private deploymentPaused = false;
  private deploymentFailed = false;
  /** Per group: is the deployment complete for it. */
  private groupComplete = new Map<string, boolean>();

  constructor(private readonly input: ReconcilerInput) {
    this.deployment = input.deployment ?? null;
  }

  compute(): ReconcileResults {
    const { job } = this.input;
    this.cancelUnneededDeployments();
    if (!job || job.Stop) {
      this.handleStop();
      return this.result;
    }
    if (this.deployment) {
      this.deploymentPaused =
        this.deployment.Status === "paused" || this.deployment.Status === "pending" || this.deployment.Status === "initializing";
      this.deploymentFailed = this.deployment.Status === "failed";
    }
    const groups = new Map<string, Allocation[]>();
    for (const a of this.input.existing) {
      let l = groups.get(a.TaskGroup);
      if (!l) groups.set(a.TaskGroup, (l = []));
      l.push(a);
    }
    for (const tg of job.TaskGroups ?? []) {
      this.computeGroup(job, tg, groups.get(tg.Name) ?? []);
      groups.delete(tg.Name);
    }
    // Groups removed from the job: stop everything they still run.
    for (const [name, allocs] of groups) {
      const du = (this.result.desiredTGUpdates[name] = emptyDesiredUpdates());
      for (const a of allocs) {
        if (allocTerminal(a)) continue;
        this.markStop(a, "", AllocDescriptions.notNeeded);
        du.Stop++;
      }
    }
    this.finishDeployment();
    return this.result;
  }

  private cancelUnneededDeployments(): void {
    const d = this.deployment;
    const job = this.input.job;
    if (!d) return;
    if (!job || job.Stop) {
      if (deploymentActive(d))
        this.result.deploymentUpdates.push({
          DeploymentID: d.ID,
          Status: "cancelled",
          StatusDescription: DeploymentDescriptions.stoppedJob,
        });
      this.deployment = null;
      return;
    }
    if (d.JobCreateIndex !== job.CreateIndex || d.JobVersion !== job.Version) {
      if (deploymentActive(d))
        this.result.deploymentUpdates.push({ DeploymentID: d.ID, Status: "cancelled", StatusDescription: DeploymentDescriptions.newerJob });
      this.deployment = null;
      return;
    }
    if (d.Status === "successful" || d.Status === "cancelled") this.deployment = null;
  }

  private handleStop(): void {
    const groups = new Map<string, number>();
    for (const a of this.input.existing) {
      if (allocTerminal(a)) continue;
      const lost = this.input.tainted.has(a.NodeID) && this.nodeLost(a.NodeID);
      this.markStop(a, lost ? "lost" : "", lost ? AllocDescriptions.lost : AllocDescriptions.jobStopped);
      groups.set(a.TaskGroup, (groups.get(a.TaskGroup) ?? 0) + 1);
    }
    for (const [g, n] of groups) this.result.desiredTGUpdates[g] = { ...emptyDesiredUpdates(), Stop: n };
  }

  private nodeLost(nodeID: string): boolean {
    const n = this.input.tainted.get(nodeID);
    return n === null || n === undefined || n.Status === "down";
  }

  private markStop(alloc: Allocation, clientStatus: StopRequest["clientStatus"], statusDescription: string): void {
    this.result.stop.push({ alloc, clientStatus, statusDescription });
  }

  private computeGroup(job: JobView, tg: TaskGroupView, all: Allocation[]): void {
    const du = (this.result.desiredTGUpdates[tg.Name] = emptyDesiredUpdates());
    const count = groupCount(tg);
    const strategy = this.input.batch ? null : groupUpdate(job, tg);
    const live = all.filter((a) => !allocServerTerminal(a));

    // Deployment state of this group.
    let dstate: DeploymentState | undefined = this.deployment?.TaskGroups[tg.Name];
    const existingDeployment = dstate !== undefined;
    if (!dstate) dstate = newDeploymentState(strategy, count);

    if (count === 0) {
      for (const a of live) {
        if (allocClientTerminal(a)) continue;
        this.markStop(a, "", AllocDescriptions.notNeeded);
        du.Stop++;
      }
      this.groupComplete.set(tg.Name, true);
      return;
    }

    // Terminal allocations of older versions are history: ignore them (batch keeps current-version completions).
    const current = this.input.batch ? live.filter((a) => !(allocClientTerminal(a) && a.Job.Version < job.Version)) : live;

    // Canaries of the current deployment; unneeded canaries of old deployments are stopped.
    const canaries: Allocation[] = [];
    for (const a of current) {
      if (!a.DeploymentStatus?.Canary || allocClientTerminal(a)) continue;
      if (this.deployment && a.DeploymentID === this.deployment.ID) canaries.push(a);
      else if (!this.deployment || a.DeploymentID !== this.deployment.ID) {
        if (a.Job.Version !== job.Version) {
          this.markStop(a, "", AllocDescriptions.notNeeded);
          du.Stop++;
        }
      }
    }
    const stoppedCanaries = new Set(this.result.stop.map((s) => s.alloc.ID));

    // Classify.
    let untainted: Allocation[] = [];
    const migrate: Allocation[] = [];
    const lost: Allocation[] = [];
    for (const a of current) {
      if (stoppedCanaries.has(a.ID)) continue;
      if (a.DesiredTransition?.Migrate && !allocClientTerminal(a)) {
        migrate.push(a);
        continue;
      }
      if (this.input.tainted.has(a.NodeID)) {
        const node = this.input.tainted.get(a.NodeID);
        if (!allocClientTerminal(a) && (node === null || node === undefined || node.Status === "down" || node.Status === "disconnected")) {
          lost.push(a);
          continue;
        }
        // On a draining node, an allocation moves once the drainer marked it (DesiredTransition.Migrate, above).
      }
      untainted.push(a);
    }

    // Reschedule filter.
    const rescheduleNow: Allocation[] = [];
    const rescheduleLater: { alloc: Allocation; time: number }[] = [];
    const kept: Allocation[] = [];
    for (const a of untainted) {
      if (a.NextAllocation) continue;
      if (a.ClientStatus !== "failed") {
        // Service allocations that finished (complete) are replaced; batch ones count as done.
        if (!this.input.batch && allocClientTerminal(a)) continue;
        kept.push(a);
        continue;
      }
      const inDeployment = this.deployment !== null && a.DeploymentID === this.deployment.ID && deploymentActive(this.deployment);
      if (inDeployment && !a.DesiredTransition?.Reschedule) {
        kept.push(a);
        continue;
      }
      if (a.DesiredTransition?.ForceReschedule || a.FollowupEvalID === this.input.evaluation.ID) {
        rescheduleNow.push(a);
        continue;
      }
      const { time, eligible } = nextRescheduleTime(a, tg.ReschedulePolicy, this.input.now);
      if (!eligible) {
        kept.push(a);
        continue;
      }
      if (time <= this.input.now + RESCHEDULE_WINDOW_NS) rescheduleNow.push(a);
      else {
        kept.push(a);
        if (!a.FollowupEvalID) rescheduleLater.push({ alloc: a, time });
      }
    }
    untainted = kept;
    // Nomad counts RescheduleNow only for disconnecting allocations (computeDisconnecting), which the runtime does not have;
    // a reschedule shows as a Place and a Stop (TestReconciler_RescheduleNow_Service).
    du.RescheduleLater += rescheduleLater.length;
    this.createRescheduleLaterEvals(job, tg, rescheduleLater);

    const promoted = !!dstate.Promoted;
    const canaryState = dstate.DesiredCanaries !== 0 && !promoted;
    // While canarying, canaries do not count towards the group's count.
    const canaryIDs = new Set(canaries.map((c) => c.ID));
    if (canaryState) untainted = untainted.filter((a) => !canaryIDs.has(a.ID));

    const nameIndex = new AllocNameIndex(job.ID, tg.Name, count, [
      ...untainted,
      ...migrate,
      ...rescheduleNow,
      ...lost,
      ...(canaryState ? canaries : []),
    ]);

    // computeStop.
    for (const a of lost) {
      this.markStop(a, "lost", AllocDescriptions.lost);
      du.Stop++;
    }
    const stopped = new Set<string>();
    let remove = untainted.filter((a) => !allocClientTerminal(a)).length + migrate.length - count;
    if (remove > 0) {
      // After promotion: old allocations sharing a name with a canary go first.
      if (promoted) {
        const canaryNames = new Set(canaries.map((c) => c.Name));
        for (const a of untainted) {
          if (remove <= 0) break;
          if (!canaryIDs.has(a.ID) && canaryNames.has(a.Name)) {
            this.markStop(a, "", AllocDescriptions.notNeeded);
            stopped.add(a.ID);
            remove--;
          }
        }
      }
      for (const a of AllocNameIndex.highest(migrate, remove)) {
        this.markStop(a, "", AllocDescriptions.notNeeded);
        stopped.add(a.ID);
        remove--;
      }
      const candidates = untainted.filter((a) => !stopped.has(a.ID) && !allocClientTerminal(a));
      for (const a of AllocNameIndex.highest(candidates, remove)) {
        this.markStop(a, "", AllocDescriptions.notNeeded);
        stopped.add(a.ID);
      }
      du.Stop += stopped.size;
    }
    untainted = untainted.filter((a) => !stopped.has(a.ID));
    const migrating = migrate.filter((a) => !stopped.has(a.ID));

    // computeUpdates.
    const destructive: Allocation[] = [];
    const inplace: Allocation[] = [];
    let ignoreCount = 0;
    for (const a of untainted) {
      const d = this.input.allocUpdateFn(a, job, tg);
      if (d.kind === "ignore") ignoreCount++;
      else if (d.kind === "destructive") destructive.push(a);
      else inplace.push(d.alloc);
    }
    destructive.sort(byName);
    du.Ignore += ignoreCount;
    du.InPlaceUpdate += inplace.length;
    appendAll(this.result.inplaceUpdate, inplace);

    // Canaries.
    const requireCanary =
      destructive.length !== 0 && strategy !== null && (strategy.Canary ?? 0) > 0 && canaries.length < (strategy.Canary ?? 0) && !promoted;
    if (requireCanary) dstate.DesiredCanaries = strategy!.Canary ?? 0;
    const place: PlacementRequest[] = [];
    if (requireCanary && !this.deploymentPaused && !this.deploymentFailed) {
      const n = (strategy!.Canary ?? 0) - canaries.length;
      du.Canary += n;
      for (const name of nameIndex.nextCanaries(n, canaries, destructive)) {
        place.push({
          name,
          taskGroup: tg,
          previousAlloc: null,
          reschedule: false,
          canary: true,
          lost: false,
          stopPrevious: false,
          stopDescription: "",
        });
      }
    }
    const isCanarying = dstate.DesiredCanaries !== 0 && !dstate.Promoted;

    // MaxParallel gate.
    const underProvisionedBy = this.computeUnderProvisionedBy(tg, strategy, untainted, destructive, migrating, isCanarying);

    // Placements.
    const deploymentPlaceReady = !this.deploymentPaused && !this.deploymentFailed && !isCanarying;
    let existing = untainted.length + migrating.length;
    const placements: PlacementRequest[] = [];
    for (const a of rescheduleNow) {
      placements.push({
        name: a.Name,
        taskGroup: tg,
        previousAlloc: a,
        reschedule: true,
        canary: !!a.DeploymentStatus?.Canary,
        lost: false,
        stopPrevious: false,
        stopDescription: "",
      });
      existing++;
      if (existing >= count) break;
    }
    for (const a of lost) {
      if (existing >= count) break;
      existing++;
      placements.push({
        name: a.Name,
        taskGroup: tg,
        previousAlloc: a,
        reschedule: false,
        canary: false,
        lost: true,
        stopPrevious: false,
        stopDescription: "",
      });
    }
    if (existing < count) {
      for (const name of nameIndex.next(count - existing))
        placements.push({
          name,
          taskGroup: tg,
          previousAlloc: null,
          reschedule: false,
          canary: false,
          lost: false,
          stopPrevious: false,
          stopDescription: "",
        });
    }
    let placed: PlacementRequest[];
    if (deploymentPlaceReady) placed = placements;
    else placed = placements.filter((p) => p.lost || p.reschedule);
    for (const a of rescheduleNow) {
      if (placed.some((p) => p.previousAlloc === a)) {
        this.markStop(a, "", AllocDescriptions.rescheduled);
        du.Stop++;
      }
    }
    // placeAllocs: canaries were counted as Canary, not Place (TestReconciler_NewCanaries: {Canary: 1, Ignore: 3}).
    du.Place += placed.length;
    appendAll(place, placed);
    // "We can never have more placements than the count": the cap counts canaries too, and Place then reads the count.
    if (place.length > count) {
      place.length = count;
      du.Place = count;
    }
    appendAll(this.result.place, place);

    // Destructive updates, MaxParallel at a time.
    let destructiveDone = 0;
    if (deploymentPlaceReady) {
      const n = Math.min(destructive.length, underProvisionedBy);
      for (const a of destructive.slice(0, n)) {
        this.result.destructiveUpdate.push({
          name: a.Name,
          taskGroup: tg,
          previousAlloc: a,
          reschedule: false,
          canary: false,
          lost: false,
          stopPrevious: true,
          stopDescription: AllocDescriptions.updating,
        });
      }
      destructiveDone = n;
      du.DestructiveUpdate += n;
    }
    du.Ignore += destructive.length - destructiveDone;

    // Migrations.
    // computeMigrations: the migrating allocation stops whether or not its replacement finds a node (unlike a destructive
    // update, whose stop goes with its placement), as it must leave the draining or down node (TestServiceSched_NodeDown).
    for (const a of migrating) {
      this.markStop(a, "", AllocDescriptions.migrating);
      this.result.place.push({
        name: a.Name,
        taskGroup: tg,
        previousAlloc: a,
        reschedule: false,
        canary: false,
        lost: false,
        stopPrevious: false,
        stopDescription: "",
      });
      du.Migrate++;
    }

    // Deployment creation.
    const updatingSpec = destructive.length !== 0 || inplace.length !== 0;
    const hadRunning = this.input.existing.some((a) => a.Job.Version === job.Version && a.Job.CreateIndex === job.CreateIndex);
    if (!existingDeployment && strategy && dstate.DesiredTotal !== 0 && (!hadRunning || updatingSpec)) {
      if (!this.deployment) {
        this.deployment = this.newDeployment(job);
        this.result.deployment = this.deployment;
      }
      this.deployment.TaskGroups[tg.Name] = dstate;
    }
    if (existingDeployment && dstate.DesiredTotal < count && !isCanarying) dstate.DesiredTotal = count;

    // Completion of this group.
    const complete =
      place.length === 0 &&
      destructive.length === 0 &&
      migrating.length === 0 &&
      rescheduleNow.length === 0 &&
      rescheduleLater.length === 0 &&
      dstate.HealthyAllocs >= Math.max(dstate.DesiredTotal, dstate.DesiredCanaries) &&
      !(dstate.DesiredCanaries > 0 && !dstate.Promoted);
    this.groupComplete.set(tg.Name, complete);
  }

  private computeUnderProvisionedBy(
    tg: TaskGroupView,
    strategy: ReturnType<typeof groupUpdate>,
    untainted: Allocation[],
    destructive: Allocation[],
    migrate: Allocation[],
    canaryState: boolean,
  ): number {
    if (!strategy || destructive.length + migrate.length === 0) return groupCount(tg);
    if (this.deploymentPaused || this.deploymentFailed || canaryState) return 0;
    let limit = strategy.MaxParallel ?? 1;
    if (this.deployment) {
      for (const a of untainted) {
        if (a.DeploymentID !== this.deployment.ID) continue;
        if (a.DeploymentStatus?.Healthy === false) return 0;
        if (a.DeploymentStatus?.Healthy !== true) limit--;
      }
    }
    return Math.max(0, limit);
  }

  private createRescheduleLaterEvals(job: JobView, tg: TaskGroupView, later: { alloc: Allocation; time: number }[]): void {
    if (later.length === 0) return;
    later.sort((a, b) => a.time - b.time);
    const evals: Evaluation[] = [];
    let windowStart = -Infinity;
    let current: Evaluation | null = null;
    for (const { alloc, time } of later) {
      if (!current || time - windowStart >= BATCHED_FAILED_ALLOC_WINDOW_NS) {
        windowStart = time;
        const ev = this.input.evaluation;
        current = {
          ...ev,
          ID: this.input.newID(),
          Namespace: job.Namespace,
          Priority: job.Priority ?? ev.Priority,
          Type: job.Type,
          TriggeredBy: evals.length === 0 ? "alloc-reschedule" : "alloc-failure",
          JobID: job.ID,
          Status: "pending",
          StatusDescription: "created for delayed rescheduling",
          WaitUntil: new Date(Math.floor(time / 1e6)).toISOString(),
          PreviousEval: ev.ID,
          NextEval: "",
          BlockedEval: "",
          FailedTGAllocs: null,
          ClassEligibility: null,
          QueuedAllocations: null,
          AnnotatePlan: false,
          CreateIndex: 0,
          ModifyIndex: 0,
          CreateTime: this.input.now,
          ModifyTime: this.input.now,
        };
        evals.push(current);
      }
      this.result.attributeUpdates.push({ ...alloc, FollowupEvalID: current.ID });
    }
    this.result.desiredFollowupEvals[tg.Name] = evals;
  }

  private newDeployment(job: JobView): Deployment {
    return newDeployment(job, {
      id: this.input.newID(),
      now: this.input.now,
      isMultiregion: ((job as { Multiregion?: { Regions?: unknown[] | null } | null }).Multiregion?.Regions?.length ?? 0) > 0,
      status: "running",
      statusDescription: DeploymentDescriptions.running,
      evalPriority: this.input.evaluation.Priority,
    });
  }

  private finishDeployment(): void {
    const d = this.deployment;
    if (!d || this.result.deployment === d) return;
    if (d.Status !== "running") return;
    for (const g of Object.keys(d.TaskGroups)) if (this.groupComplete.get(g) === false) return;
    if (this.result.place.length || this.result.destructiveUpdate.length) return;
    // A multiregion region waits for its peers (`setDeploymentStatusAndUpdates`); the multiregion coordinator unblocks it.
    if (d.IsMultiregion)
      this.result.deploymentUpdates.push({ DeploymentID: d.ID, Status: "blocked", StatusDescription: DeploymentDescriptions.blocked });
    else
      this.result.deploymentUpdates.push({
        DeploymentID: d.ID,
        Status: "successful",
        StatusDescription: DeploymentDescriptions.successful,
      });
  }
}
