/**
 * `applyJob`: registers a planned job with Nomad's optimistic concurrency
 * check (`EnforceIndex` + the `JobModifyIndex` seen at plan time), then
 * follows what Nomad does about it the way `nomad job run` does: the
 * evaluation (blocking queries until it completes), then, unless detached,
 * the deployment (until it succeeds or fails; healthy canaries that wait
 * for a manual promotion end the wait unless `promote`), or for jobs without
 * one the allocations (until they run, or complete for batch).
 * `followRollout` is that follow on its own, for changes made otherwise
 * (`drover job promote|revert|scale|…`).
 */
import type { AllocationListStub, Deployment, Evaluation, NomadClient, QueryOptions } from "../api";
import { isAllocClientTerminal, isDeploymentTerminal, isEvaluationTerminal, NomadApiError, watch, WatchTimeoutError } from "../api";
import { awaitingPromotionMessage, canaryStatus, formatCanaryGroups } from "./canary";
import type { CanaryStatus } from "./canary";
import { ApplyError, ConcurrentModificationError, describeAllocations, parseEnforceIndexConflict } from "./errors";
import type { JobPlan } from "./plan";
import type { AllocationCounts, ApplyProgressEvent, GroupRollout, ProgressListener } from "./progress";
import { GLOBAL_REGION, requestRegion } from "./region";

/** Options of `applyJob`. Plain data plus callbacks. */
export interface ApplyOptions {
  /** Return after the evaluation instead of waiting for the deployment or allocations. Default false. */
  detach?: boolean;
  /** Overall deadline for following the evaluation and deployment, in milliseconds. Default 600000 (10 minutes). */
  timeoutMs?: number;
  /** Longest blocking query, in milliseconds. Default 30000. */
  waitMs?: number;
  /** Receives progress events. */
  onProgress?: ProgressListener;
  /** Aborts the wait (the registration itself is not undone). */
  signal?: AbortSignal;
  /** Override soft-mandatory Sentinel policies (Enterprise). */
  policyOverride?: boolean;
  /** Least time between polls when an index does not move, in milliseconds. Default 100. */
  pollIntervalMs?: number;
  /**
   * Promote the deployment's canaries once they are healthy (as
   * `drover apply --promote`). Default false: when canaries are healthy and a
   * group needs a manual promotion, stop there with outcome "awaiting-promotion".
   * Groups that all set `auto_promote` are followed until the watcher promotes them.
   */
  promote?: boolean;
}

/** How an apply ended. */
export type ApplyOutcome = "unchanged" | "evaluated" | "deployed" | "running" | "complete" | "detached" | "awaiting-promotion";

/** The result of a successful `applyJob`. */
export interface ApplyResult {
  /** Job ID. */
  jobId: string;
  /** Namespace. */
  namespace: string;
  /** The plan's action. */
  action: JobPlan["action"];
  /** How it ended. */
  outcome: ApplyOutcome;
  /** The registration's evaluation ("" for periodic/parameterized jobs and no-ops). */
  evalId: string;
  /** The job's modify index after registering (the plan's for a no-op). */
  jobModifyIndex: number;
  /** The deployment followed, if any. */
  deploymentId: string | null;
  /** Warnings from Nomad. */
  warnings: string[];
  /** The canaries the deployment waits on, when the outcome is "awaiting-promotion"; else null. */
  canaries: CanaryStatus | null;
  /** For a multiregion job, every region's deployment as followed; [] otherwise. */
  regions?: RegionRollout[];
}

/** Follows with the remaining time of one overall deadline. */
class Deadline {
  private readonly end: number;
  constructor(readonly totalMs: number) {
    this.end = Date.now() + totalMs;
  }
  remaining(): number {
    return Math.max(1, this.end - Date.now());
  }
}

function q(namespace: string, region: string | undefined): Pick<QueryOptions, "namespace" | "region"> {
  return { namespace, region: requestRegion(region) };
}

/** Applies a plan made by `planJob`. Throws `ConcurrentModificationError` when the job changed since, `ApplyError` when it does not come up. */
export async function applyJob(client: NomadClient, plan: JobPlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const emit = (e: ApplyProgressEvent) => opts.onProgress?.(e);
  const base = { jobId: plan.jobId, namespace: plan.namespace, action: plan.action, warnings: [...plan.warnings] };
  if (plan.action === "noop") {
    emit({ type: "done", jobId: plan.jobId, outcome: "unchanged" });
    return { ...base, outcome: "unchanged", evalId: "", jobModifyIndex: plan.enforceIndex, deploymentId: null, canaries: null };
  }
  const region = requestRegion(plan.region);
  if (plan.action === "replace" && plan.previous) {
    const prev = plan.previous;
    const res = await client.jobs.deregister(prev.id, {
      purge: true,
      namespace: prev.namespace ?? "default",
      region: prev.region,
      signal: opts.signal,
    });
    emit({ type: "deregistered", jobId: prev.id, namespace: prev.namespace ?? "default", purge: true, evalId: res.data.EvalID });
  }
  const enforce = plan.action === "replace" || plan.action === "create" ? 0 : plan.enforceIndex;
  let reg;
  try {
    reg = await client.jobs.register(plan.job, {
      enforceIndex: true,
      modifyIndex: enforce,
      preserveCounts: plan.preserveCounts && plan.action === "update",
      policyOverride: opts.policyOverride,
      namespace: plan.namespace,
      region,
      signal: opts.signal,
    });
  } catch (err) {
    const conflict = err instanceof NomadApiError ? parseEnforceIndexConflict(err.body) : undefined;
    if (conflict) throw new ConcurrentModificationError(plan.jobId, enforce, conflict.current);
    throw err;
  }
  const warnings = [
    ...base.warnings,
    ...(reg.data.Warnings
      ? reg.data.Warnings.split("\n")
          .map((w) => w.trim())
          .filter(Boolean)
      : []),
  ];
  const evalId = reg.data.EvalID;
  const jobModifyIndex = reg.data.JobModifyIndex;
  emit({ type: "registered", jobId: plan.jobId, namespace: plan.namespace, evalId, jobModifyIndex, warnings });
  const result: ApplyResult = { ...base, warnings, outcome: "evaluated", evalId, jobModifyIndex, deploymentId: null, canaries: null };
  if (!evalId) {
    // Periodic and parameterized jobs get no evaluation until launched or dispatched.
    emit({ type: "done", jobId: plan.jobId, outcome: "evaluated" });
    return result;
  }
  const followed = await followRollout(
    client,
    { jobId: plan.jobId, namespace: plan.namespace, region: plan.region, job: plan.job },
    { evalId, jobModifyIndex },
    opts,
  );
  return {
    ...result,
    outcome: followed.outcome,
    deploymentId: followed.deploymentId,
    canaries: followed.canaries,
    regions: followed.regions ?? [],
  };
}

/** What `followRollout` follows: a job, by ID, with its spec for the allocation counts of jobs without deployments. */
export interface FollowTarget {
  /** Job ID. */
  jobId: string;
  /** Namespace. */
  namespace: string;
  /** Region ("global" or undefined: the agent's). */
  region?: string;
  /** The job (its Type and the groups' Count are read); without it, jobs without a deployment are followed as services of unknown size. */
  job?: unknown;
}

/** Where `followRollout` starts. */
export interface FollowStart {
  /** The evaluation to follow first ("" for none). */
  evalId: string;
  /** The job modify index of the registration: the deployment to follow is the one created for it (a newer one when there is none of its own). */
  jobModifyIndex?: number;
  /** The deployment to follow, when known (e.g. the one just promoted). */
  deploymentId?: string;
  /** Follow only the evaluation (a dispatch, a periodic launch): outcome "evaluated". */
  evaluationOnly?: boolean;
}

/** One region's deployment of a multiregion job, as followed. */
export interface RegionRollout {
  /** Region name. */
  region: string;
  /** The region's deployment followed ("" when the region had none). */
  deploymentId: string;
  /** Its last status. */
  status: string;
}

/** How `followRollout` ended. */
export interface FollowResult {
  /** For a multiregion job, every region's deployment (the registering region's first); [] otherwise. */
  regions?: RegionRollout[];
  /** How it ended: "evaluated", "detached", "deployed", "awaiting-promotion", "running" or "complete". */
  outcome: ApplyOutcome;
  /** The deployment followed, if any. */
  deploymentId: string | null;
  /** The canaries waited on when the outcome is "awaiting-promotion", else null. */
  canaries: CanaryStatus | null;
}

/**
 * Follows what Nomad does after a change to a job (a registration, a
 * promotion, a revert, a scale), as `nomad job run`'s monitor does: the
 * evaluation, then unless detached the deployment (through its canaries:
 * see `ApplyOptions.promote`) or, for jobs without one, the allocations.
 * Emits the same progress events as `applyJob` (ending with "done") and
 * throws `ApplyError` when the rollout fails or times out.
 */
export async function followRollout(
  client: NomadClient,
  target: FollowTarget,
  start: FollowStart,
  opts: ApplyOptions = {},
): Promise<FollowResult> {
  const emit = (e: ApplyProgressEvent) => opts.onProgress?.(e);
  const deadline = new Deadline(opts.timeoutMs ?? 600_000);
  const follow = new Follower(client, target, opts, deadline, q(target.namespace, target.region));
  const evaluation = start.evalId ? await follow.evaluation(start.evalId) : null;
  if (opts.detach) {
    emit({ type: "done", jobId: target.jobId, outcome: "detached" });
    return { outcome: "detached", deploymentId: null, canaries: null };
  }
  if (start.evaluationOnly) {
    emit({ type: "done", jobId: target.jobId, outcome: "evaluated" });
    return { outcome: "evaluated", deploymentId: evaluation?.DeploymentID || null, canaries: null };
  }
  const deploymentId =
    start.deploymentId ||
    evaluation?.DeploymentID ||
    (start.jobModifyIndex !== undefined ? await follow.deploymentFor(start.jobModifyIndex) : null);
  const result: FollowResult = { outcome: "evaluated", deploymentId: deploymentId || null, canaries: null };
  const peers = deploymentId ? await multiregionPeers(client, target, opts) : [];
  if (deploymentId && peers.length) {
    // A multiregion job: every region's deployment, followed side by side and each reported.
    const own = peers[0].own;
    const followers = peers.map((p) => ({
      ...p,
      follower: new Follower(client, target, opts, deadline, q(target.namespace, p.region), p.region),
    }));
    const ownFollower = new Follower(client, target, opts, deadline, q(target.namespace, target.region), own);
    const settled = await Promise.allSettled([
      ownFollower.deployment(deploymentId),
      ...followers.map((f) => (f.deploymentId ? f.follower.deployment(f.deploymentId) : Promise.resolve(null))),
    ]);
    const regions: RegionRollout[] = [];
    const failures: unknown[] = [];
    settled.forEach((r, i) => {
      const region = i === 0 ? own : followers[i - 1].region;
      const id = i === 0 ? deploymentId : followers[i - 1].deploymentId;
      if (r.status === "fulfilled") regions.push({ region, deploymentId: id, status: r.value?.deployment.Status ?? "none" });
      else {
        failures.push(r.reason);
        regions.push({ region, deploymentId: id, status: "failed" });
      }
    });
    result.regions = regions;
    if (failures.length) throw failures[0];
    const first = settled[0] as PromiseFulfilledResult<{ canaries: CanaryStatus | null }>;
    result.canaries = first.value.canaries;
    result.outcome = first.value.canaries ? "awaiting-promotion" : "deployed";
  } else if (deploymentId) {
    const followed = await follow.deployment(deploymentId);
    result.canaries = followed.canaries;
    result.outcome = followed.canaries ? "awaiting-promotion" : "deployed";
  } else if (evaluation) {
    result.outcome = await follow.allocations(evaluation);
  }
  emit({ type: "done", jobId: target.jobId, outcome: result.outcome });
  return result;
}

/**
 * The other regions of a multiregion job and the deployment each has for the
 * version just registered ([] for other jobs). `own` names the region the
 * job was registered in (the agent's, for "global").
 */
async function multiregionPeers(
  client: NomadClient,
  target: FollowTarget,
  opts: ApplyOptions,
): Promise<{ own: string; region: string; deploymentId: string }[]> {
  const job = target.job as { Multiregion?: { Regions?: { Name?: string }[] | null } | null } | undefined;
  const names = (job?.Multiregion?.Regions ?? []).map((r) => r.Name).filter((n): n is string => !!n);
  if (names.length < 2) return [];
  const scope = q(target.namespace, target.region);
  const live = (await client.jobs.info(target.jobId, { ...scope, signal: opts.signal })).data;
  const own = typeof live.Region === "string" && live.Region ? live.Region : (target.region ?? GLOBAL_REGION);
  const out: { own: string; region: string; deploymentId: string }[] = [];
  for (const region of names.filter((n) => n !== own)) {
    const d = await client.jobs
      .latestDeployment(target.jobId, { namespace: target.namespace, region, signal: opts.signal })
      .catch(() => null);
    out.push({ own, region, deploymentId: d?.data?.ID ?? "" });
  }
  return out;
}

/** Follows one job's evaluation, deployment and allocations within a deadline. */
class Follower {
  constructor(
    private readonly client: NomadClient,
    private readonly plan: FollowTarget,
    private readonly opts: ApplyOptions,
    private readonly deadline: Deadline,
    private readonly scope: Pick<QueryOptions, "namespace" | "region">,
    /** The region named in progress events (multiregion jobs only). */
    private readonly regionLabel?: string,
  ) {}

  private emit(e: ApplyProgressEvent): void {
    this.opts.onProgress?.(e);
  }

  private async timed<T>(stage: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WatchTimeoutError) {
        const allocs = await this.currentAllocations().catch(() => [] as AllocationListStub[]);
        throw new ApplyError({
          jobId: this.plan.jobId,
          registered: true,
          stage: "timeout",
          summary: `timed out after ${Math.round(this.deadline.totalMs / 1000)}s waiting for ${what} (${stage}); the job is registered, check \`nomad job status ${this.plan.jobId}\``,
          allocations: describeAllocations(allocs.filter((a) => !isAllocClientTerminal(a.ClientStatus) || a.ClientStatus === "failed")),
        });
      }
      throw err;
    }
  }

  private watchOpts<T>(until: (d: T) => boolean, onUpdate?: (d: T) => void, from?: { index: number; waitMs: number }) {
    const wait = this.opts.waitMs ?? 30_000;
    return {
      until,
      onUpdate,
      index: from?.index,
      wait: from ? Math.min(from.waitMs, wait) : wait,
      timeoutMs: this.deadline.remaining(),
      signal: this.opts.signal,
      pollIntervalMs: this.opts.pollIntervalMs,
    };
  }

  /** Waits until the evaluation is terminal; placement failures fail the apply. */
  async evaluation(evalId: string): Promise<Evaluation> {
    let last = "";
    const res = await this.timed("evaluation", `evaluation ${evalId.slice(0, 8)}`, () =>
      watch<Evaluation>(
        (w) => this.client.evaluations.info(evalId, { ...this.scope, ...w }),
        this.watchOpts(
          (e) => isEvaluationTerminal(e.Status),
          (e) => {
            if (e.Status !== last) {
              last = e.Status;
              this.emit({ type: "evaluation", evalId, status: e.Status, statusDescription: e.StatusDescription ?? "" });
            }
          },
        ),
      ),
    );
    const e = res.data;
    if (e.Status !== "complete") {
      throw new ApplyError({
        jobId: this.plan.jobId,
        registered: true,
        stage: "evaluation",
        summary: `evaluation ${evalId.slice(0, 8)} ${e.Status}${e.StatusDescription ? `: ${e.StatusDescription}` : ""}`,
      });
    }
    const failed = e.FailedTGAllocs ?? {};
    if (Object.keys(failed).length) {
      this.emit({ type: "placement-failures", evalId, failedTGAllocs: failed, blockedEvalId: e.BlockedEval ?? "" });
      if (!this.opts.detach) {
        throw new ApplyError({
          jobId: this.plan.jobId,
          registered: true,
          stage: "placement",
          summary: `the scheduler could not place all allocations${e.BlockedEval ? ` (evaluation ${e.BlockedEval.slice(0, 8)} is blocked until capacity frees up)` : ""}`,
          failedTGAllocs: failed,
        });
      }
    }
    return e;
  }

  /** The deployment created for this job version, if the job has one. */
  async deploymentFor(jobModifyIndex: number): Promise<string | null> {
    const res = await this.client.jobs.latestDeployment(this.plan.jobId, { ...this.scope, signal: this.opts.signal });
    const d = res.data;
    if (!d || d.JobModifyIndex < jobModifyIndex) return null;
    if (d.JobModifyIndex === jobModifyIndex) return d.ID;
    // A newer version already has a deployment (e.g. an auto-revert of this one): follow this version's own.
    const all = (await this.client.jobs.deployments(this.plan.jobId, { ...this.scope, signal: this.opts.signal })).data ?? [];
    return all.find((x) => x.JobModifyIndex === jobModifyIndex)?.ID ?? d.ID;
  }

  /**
   * Waits until the deployment is terminal; failed or cancelled fails the
   * apply with the failing allocations. Healthy canaries that need a manual
   * promotion end the wait (returned in `canaries`) unless `opts.promote`,
   * which promotes them and follows on.
   */
  async deployment(id: string): Promise<{ deployment: Deployment; canaries: CanaryStatus | null }> {
    let lastKey = "";
    let lastPhase = "";
    // Set while the groups' counters say the canaries are healthy but their allocations do not (yet): re-check often.
    let recheck: { index: number; waitMs: number } | undefined;
    for (;;) {
      const res = await this.timed("deployment", `deployment ${id.slice(0, 8)}`, () =>
        watch<Deployment>(
          (w) => this.client.deployments.info(id, { ...this.scope, ...w }),
          this.watchOpts(
            (d) => isDeploymentTerminal(d.Status) || (d.Status === "running" && canaryStatus(d).phase === "awaiting-promotion"),
            (d) => {
              const groups = rollout(d);
              const key = JSON.stringify([d.Status, d.StatusDescription, groups]);
              if (key !== lastKey) {
                lastKey = key;
                this.emit({
                  type: "deployment",
                  deploymentId: id,
                  status: d.Status,
                  statusDescription: d.StatusDescription,
                  groups,
                  ...(this.regionLabel ? { region: this.regionLabel } : {}),
                });
              }
              const c = canaryStatus(d);
              if (c.phase === "auto-promoting" && lastPhase !== c.phase && !isDeploymentTerminal(d.Status)) {
                this.emit({
                  type: "canaries",
                  jobId: this.plan.jobId,
                  deploymentId: id,
                  phase: "auto-promoting",
                  groups: c.groups,
                  message: `canaries healthy (${formatCanaryGroups(c.groups)}); waiting for automatic promotion`,
                });
              }
              lastPhase = c.phase;
            },
            recheck,
          ),
        ),
      );
      const d = res.data;
      if (!isDeploymentTerminal(d.Status)) {
        // The counters say so; the canary allocations' own health decides, as it does for Nomad's promote.
        const allocs = (await this.client.deployments.allocations(id, { ...this.scope, signal: this.opts.signal })).data ?? [];
        const canaries = canaryStatus(d, allocs);
        if (canaries.phase !== "awaiting-promotion") {
          recheck = { index: res.meta.index, waitMs: 1000 };
          continue;
        }
        recheck = undefined;
        if (!this.opts.promote) {
          this.emit({
            type: "canaries",
            jobId: this.plan.jobId,
            deploymentId: id,
            phase: "awaiting-promotion",
            groups: canaries.groups,
            message: awaitingPromotionMessage(this.plan.jobId, canaries),
          });
          return { deployment: d, canaries };
        }
        this.emit({
          type: "canaries",
          jobId: this.plan.jobId,
          deploymentId: id,
          phase: "promoting",
          groups: canaries.groups,
          message: `canaries healthy (${formatCanaryGroups(canaries.groups.filter((g) => !g.promoted))}); promoting ${canaries.unpromoted.join(", ")}`,
        });
        await this.client.deployments.promoteGroups(id, canaries.unpromoted, { ...this.scope, signal: this.opts.signal });
        continue;
      }
      if (d.Status !== "successful") {
        const allocs = (await this.client.deployments.allocations(id, { ...this.scope, signal: this.opts.signal })).data ?? [];
        const failing = allocs.filter((a) => a.ClientStatus === "failed" || a.DeploymentStatus?.Healthy === false);
        throw new ApplyError({
          jobId: this.plan.jobId,
          registered: true,
          stage: "deployment",
          summary: `deployment ${id.slice(0, 8)} ${d.Status}: ${d.StatusDescription}`,
          allocations: describeAllocations(failing),
        });
      }
      return { deployment: d, canaries: null };
    }
  }

  private async currentAllocations(): Promise<AllocationListStub[]> {
    return (await this.client.jobs.allocations(this.plan.jobId, { ...this.scope, signal: this.opts.signal })).data ?? [];
  }

  /** For jobs without a deployment: waits until the version's allocations run (complete for batch) or one fails. */
  async allocations(evaluation: Evaluation): Promise<ApplyOutcome> {
    const job = (this.plan.job ?? {}) as { Type?: string; TaskGroups?: { Count?: number | null }[] };
    const type = job.Type ?? "service";
    const batch = type === "batch" || type === "sysbatch";
    const perNode = type === "system" || type === "sysbatch";
    const desired = perNode ? 0 : (job.TaskGroups ?? []).reduce((n, g) => n + (g.Count ?? 1), 0);
    let lastKey = "";
    const relevant = (allocs: AllocationListStub[]) => {
      // Allocations of this version: created or updated at or after the registration's evaluation.
      const current = allocs.filter((a) => a.ModifyIndex >= evaluation.CreateIndex && a.DesiredStatus === "run");
      const maxVersion = current.reduce((v, a) => Math.max(v, a.JobVersion), -1);
      return current.filter((a) => a.JobVersion === maxVersion);
    };
    const countsOf = (allocs: AllocationListStub[]): AllocationCounts => {
      const c: AllocationCounts = { desired, pending: 0, running: 0, complete: 0, failed: 0, lost: 0 };
      for (const a of allocs) {
        if (a.ClientStatus === "pending") c.pending++;
        else if (a.ClientStatus === "running") c.running++;
        else if (a.ClientStatus === "complete") c.complete++;
        else if (a.ClientStatus === "failed") c.failed++;
        else c.lost++;
      }
      return c;
    };
    const finalFailure = (a: AllocationListStub) => a.ClientStatus === "failed" && !a.FollowupEvalID;
    const res = await this.timed("allocations", batch ? "allocations to complete" : "allocations to run", () =>
      watch<AllocationListStub[]>(
        (w) => this.client.jobs.allocations(this.plan.jobId, { ...this.scope, ...w }),
        this.watchOpts(
          (all) => {
            const allocs = relevant(all ?? []);
            const c = countsOf(allocs);
            if (allocs.some(finalFailure)) return true;
            const target = perNode ? allocs.length : desired;
            if (target === 0) return perNode || desired === 0;
            return batch ? c.complete >= target : c.running >= target;
          },
          (all) => {
            const c = countsOf(relevant(all ?? []));
            const key = JSON.stringify(c);
            if (key !== lastKey) {
              lastKey = key;
              this.emit({ type: "allocations", counts: c });
            }
          },
        ),
      ),
    );
    const allocs = relevant(res.data ?? []);
    const failed = allocs.filter(finalFailure);
    if (failed.length) {
      throw new ApplyError({
        jobId: this.plan.jobId,
        registered: true,
        stage: "allocations",
        summary: `${failed.length} allocation${failed.length > 1 ? "s" : ""} failed`,
        allocations: describeAllocations(failed),
      });
    }
    return batch ? "complete" : "running";
  }
}

/** Per-group rollout counts of a deployment. */
export function rollout(d: Deployment): Record<string, GroupRollout> {
  const out: Record<string, GroupRollout> = {};
  for (const [name, s] of Object.entries(d.TaskGroups ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    out[name] = {
      desired: s.DesiredTotal,
      placed: s.PlacedAllocs,
      healthy: s.HealthyAllocs,
      unhealthy: s.UnhealthyAllocs,
      desiredCanaries: s.DesiredCanaries,
      placedCanaries: (s.PlacedCanaries ?? []).length,
      promoted: s.Promoted,
    };
  }
  return out;
}
