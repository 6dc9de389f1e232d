/**
 * Job operations of the server (Nomad's `nomad/job_endpoint.go`): register
 * with validation and canonicalization by lib/jobspec and EnforceIndex,
 * deregister (stop or purge), evaluate, scale, plan (a dry run of the
 * scheduler in annotate mode) and validate.
 */
import type { AllocMetric, Deployment, Evaluation, Plan, PlanAnnotations, PlanResult, StoredJob, SubmittedJob } from "../structs";
import type { Planner, SchedulerState, SchedulerStateFastPaths } from "../scheduler/interfaces";
import { assignScalingPolicyIDs, deploymentActive } from "../structs";
import { CodedError, badRequest, formatMultiError, notFound } from "./errors";
import { newJobEval } from "../structs";
import { annotateJobDiff, jobDiff, type JobDiff } from "./job-diff";
import { validateJob } from "../../jobspec";
import type { JobProblem } from "../../jobspec/problem";
import { specChanged } from "./job-spec";
import { addImpliedConstraints } from "./job-hooks";
import type { Server } from "./server";
import {
  findJobGroup,
  isMultiregionSubmission,
  isParameterizedJob as isParameterized,
  isPeriodicActive,
  isPeriodicJob as isPeriodic,
  jobGroups,
  type StoredTaskGroup,
} from "../structs";
import { ZERO_TIME, rfc3339 } from "./clock";
import { periodicNext } from "./periodic-next";
import { DEFAULT_MAX_GROUP_COUNT, checkGroupCount, checkJobBounds, type JobLimits } from "./job-bounds";

/** A register request (`api.JobRegisterRequest`). */
export interface JobRegisterRequest {
  /** The job (api shape). */
  Job: unknown;
  /** Only register if the job's JobModifyIndex equals `JobModifyIndex` (0 = only if new). */
  EnforceIndex?: boolean;
  JobModifyIndex?: number;
  /** Keep the counts of the existing groups. */
  PreserveCounts?: boolean;
  /** Priority of the created eval (default: the job's). */
  EvalPriority?: number;
  /** Namespace from the query string, used when the job names none. */
  Namespace?: string;
  /** Multiregion (Nomad's `JobRegisterRequest.Deployment`): the deployment written with a new job version, in the same write; set by the multiregion coordinator for a region's copy. */
  Deployment?: (job: StoredJob) => Deployment | null;
}

/** `api.JobRegisterResponse` (without the query meta). */
export interface JobRegisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  Warnings: string;
  Index: number;
}

/** `api.JobDeregisterResponse`. */
export interface JobDeregisterResponse {
  EvalID: string;
  EvalCreateIndex: number;
  JobModifyIndex: number;
  VolumeEvalID: string;
  VolumeEvalIndex: number;
  Index: number;
}

/** `api.JobPlanResponse`. */
export interface JobPlanResponse {
  Annotations: PlanAnnotations;
  FailedTGAllocs: Record<string, AllocMetric> | null;
  JobModifyIndex: number;
  CreatedEvals: Evaluation[] | null;
  Diff: JobDiff | null;
  NextPeriodicLaunch: string;
  Warnings: string;
  Index: number;
}

/** `api.JobValidateResponse`. */
export interface JobValidateResponse {
  DriverConfigValidated: boolean;
  ValidationErrors: string[] | null;
  Error: string;
  Warnings: string;
  /** drover addition: every problem with its path, structured. */
  Problems?: JobProblem[];
}

/** A scale request (`api.ScalingRequest`). */
export interface ScaleRequest {
  Count?: number | null;
  Target?: Record<string, string>;
  Message?: string;
  Error?: boolean;
  Meta?: Record<string, unknown> | null;
  PolicyOverride?: boolean;
  JobModifyIndex?: number;
}

function problemLine(p: JobProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** The server's `job_max_count` (Nomad's default, structs.JobDefaultMaxCount): the most allocations one job may ask for. */
const JOB_MAX_COUNT = 50_000;

/** What registers a multiregion job in every region it lists (the agent's multiregion coordinator, lib/runtime/multiregion). */
export interface MultiregionRegistrar {
  /**
   * Registers `job`, submitted to `server`, in each region it lists; null
   * when multiregion jobs are not being coordinated (the coordinator is
   * stopped): the job is then registered in `server`'s region alone.
   */
  registerMultiregion(server: Server, req: JobRegisterRequest, job: Record<string, unknown>): Promise<JobRegisterResponse> | null;
}

/** The job endpoint. */
export class JobEndpoint {
  /**
   * @param server the server whose state the endpoint reads and writes
   * @param multiregion registers multiregion jobs in every region (null: none, each job stays in this region)
   * @param limits bounds on submitted jobs (the largest group count), from the agent's config
   */
  constructor(
    private readonly server: Server,
    private readonly multiregion: MultiregionRegistrar | null,
    private readonly limits: JobLimits = { maxGroupCount: DEFAULT_MAX_GROUP_COUNT },
  ) {}

  /**
   * Validates and canonicalizes a submitted job. Invalid jobs throw a 500
   * with every problem listed (Nomad returns admission failures as 500).
   */
  admit(input: unknown, queryNamespace?: string): { job: SubmittedJob; warnings: JobProblem[] } {
    checkJobBounds(input, this.limits);
    // Driver config problems are warnings here: Nomad's servers accept them and the task fails when it starts.
    const v = validateJob(input, { driverConfig: "warning" });
    if (!v.valid) {
      // Values of the wrong JSON type fail Nomad's decoder in the agent: 400. Everything else is an admission failure: 500.
      const decode = v.problems.filter((p) => p.rule?.startsWith("schema.type"));
      if (decode.length > 0) throw new CodedError(400, formatMultiError(decode.map(problemLine)));
      throw new CodedError(500, formatMultiError(v.problems.map(problemLine)));
    }
    // Validation already applied Nomad's register-time defaults (lib/jobspec's canonicalize).
    // Validation passed: the canonical job has its ID and a known Type (lib/jobspec reports either missing).
    const job = v.canonical as SubmittedJob;
    if (!job.Namespace) job.Namespace = queryNamespace || "default";
    // Job.Register: the scaling blocks get their target and the IDs of the existing job's policies (or new ones).
    assignScalingPolicyIDs(job, this.server.store.jobByID(job.Namespace, job.ID), this.server.newID);
    // jobImpliedConstraints, an admission mutator.
    addImpliedConstraints(job);
    // Admission validators (nomad/job_endpoint_hooks.go): their errors come back together as a multierror.
    const refusals: string[] = [];
    // jobNodePoolValidatingHook (job_endpoint_hook_node_pool.go).
    const pool = typeof job.NodePool === "string" && job.NodePool !== "" ? job.NodePool : "default";
    if (!this.server.store.nodePool(pool))
      refusals.push(`job ${JSON.stringify(job.ID)} is in nonexistent node pool ${JSON.stringify(pool)}`);
    // jobValidate: the server's job_max_count (Nomad's default, 50000) bounds the sum of the group counts.
    const total = jobGroups(job).reduce((n, tg) => n + (typeof tg.Count === "number" ? tg.Count : 0), 0);
    if (total > JOB_MAX_COUNT) refusals.push(`total count was greater than configured job_max_count: ${total} > ${JOB_MAX_COUNT}`);
    if (refusals.length) throw new CodedError(500, formatMultiError(refusals));
    return { job, warnings: v.warnings };
  }

  /** Registers (creates or updates) a job. Resolves after the write is durable. */
  async register(req: JobRegisterRequest): Promise<JobRegisterResponse> {
    const { job: submitted, warnings } = this.admit(req.Job, req.Namespace);
    if (this.multiregion && !req.Deployment && isMultiregionSubmission(submitted)) {
      const everywhere = this.multiregion.registerMultiregion(this.server, req, submitted);
      if (everywhere) return everywhere;
    }
    const store = this.server.store;
    const existing = store.jobByID(submitted.Namespace, submitted.ID);
    if (req.EnforceIndex) {
      const want = req.JobModifyIndex ?? 0;
      if (want === 0 && existing) throw new CodedError(500, `Enforcing job modify index 0: job already exists`);
      if (want !== 0 && !existing) throw new CodedError(500, `Enforcing job modify index ${want}: job does not exist`);
      if (existing && want !== 0 && existing.JobModifyIndex !== want)
        throw new CodedError(
          500,
          `Enforcing job modify index ${want}: job exists with conflicting job modify index: ${existing.JobModifyIndex}`,
        );
    }
    this.checkUpdate(existing, submitted);
    if (store.schedulerConfig().RejectJobRegistration) throw new CodedError(403, "Permission denied");
    if (req.PreserveCounts && existing) {
      for (const tg of jobGroups(submitted)) {
        const old = findJobGroup(existing, tg.Name);
        if (old) tg.Count = old.Count;
      }
    }
    const changed = !existing || specChanged(existing, submitted);
    const now = this.server.now();
    const noEval = isPeriodic(submitted) || isParameterized(submitted);
    let stored: StoredJob | undefined = existing;
    let evaluation: Evaluation | undefined;
    const { index, durable } = store.write((txn) => {
      if (changed) {
        stored = nextJobVersion(submitted, existing, txn.index, now);
        txn.putJob(stored, true);
        const deployment = req.Deployment?.(stored);
        if (deployment) txn.putDeployment(deployment);
      }
      // The first launch record of a periodic job is its registration time (as Nomad's FSM writes it).
      if (stored && isPeriodicActive(stored) && !store.periodicLaunch(stored.Namespace, stored.ID))
        txn.putPeriodicLaunch(stored.Namespace, stored.ID, rfc3339(now / 1_000_000));
      if (!noEval && stored) {
        evaluation = newJobEval(stored, {
          id: this.server.newID(),
          now,
          triggeredBy: "job-register",
          priority: req.EvalPriority || undefined,
        });
        txn.putEval(evaluation);
      }
    });
    if (evaluation) this.server.route(evaluation);
    if (stored && (isPeriodic(stored) || this.server.periodic.isTracked(stored.Namespace, stored.ID))) this.server.periodic.add(stored);
    await durable;
    return {
      EvalID: evaluation?.ID ?? "",
      EvalCreateIndex: evaluation ? evaluation.CreateIndex : 0,
      JobModifyIndex: (stored as StoredJob).JobModifyIndex,
      Warnings: warnings.length ? formatMultiError(warnings.map(problemLine)) : "",
      Index: index || store.latestIndex(),
    };
  }

  /** Nomad's `validateJobUpdate`: changes that cannot be made to an existing job. */
  private checkUpdate(existing: StoredJob | undefined, next: SubmittedJob): void {
    if (!existing) {
      if (next.Dispatched) throw new CodedError(500, "job can't be submitted with 'Dispatched' set");
      return;
    }
    if (existing.Type !== next.Type) throw new CodedError(500, `cannot update job from type "${existing.Type}" to "${next.Type}"`);
    if (isPeriodic(existing) && !isPeriodic(next)) throw new CodedError(500, "cannot update periodic job to being non-periodic");
    if (!isPeriodic(existing) && isPeriodic(next)) throw new CodedError(500, "cannot update non-periodic job to being periodic");
    if (isParameterized(existing) && !isParameterized(next))
      throw new CodedError(500, "cannot update parameterized job to being non-parameterized");
    if (!isParameterized(existing) && isParameterized(next))
      throw new CodedError(500, "cannot update non-parameterized job to being parameterized");
    if (Boolean(existing.Dispatched) !== Boolean(next.Dispatched)) throw new CodedError(500, "field 'Dispatched' is read-only");
  }

  /** Deregisters a job: marks it stopped, or with `purge` deletes it. A missing job is not an error (empty response). */
  async deregister(namespace: string, id: string, opts: { purge?: boolean; evalPriority?: number } = {}): Promise<JobDeregisterResponse> {
    const store = this.server.store;
    const existing = store.jobByID(namespace, id);
    if (!existing)
      return { EvalID: "", EvalCreateIndex: 0, JobModifyIndex: 0, VolumeEvalID: "", VolumeEvalIndex: 0, Index: store.latestIndex() };
    const now = this.server.now();
    let evaluation: Evaluation | undefined;
    let jobModifyIndex = existing.JobModifyIndex;
    const { index, durable } = store.write((txn) => {
      if (opts.purge) {
        txn.purgeJob(namespace, id);
        jobModifyIndex = txn.index;
      } else {
        const stopped: StoredJob = { ...existing, Stop: true, JobModifyIndex: txn.index } as StoredJob;
        txn.putJob(stopped, false);
        jobModifyIndex = txn.index;
      }
      if (!isPeriodic(existing) && !isParameterized(existing)) {
        evaluation = newJobEval(
          { ...existing, JobModifyIndex: jobModifyIndex },
          { id: this.server.newID(), now, triggeredBy: "job-deregister", priority: opts.evalPriority || undefined },
        );
        txn.putEval(evaluation);
      }
    });
    if (opts.purge) this.server.blocked.untrack(namespace, id);
    this.server.periodic.remove(namespace, id);
    if (evaluation) this.server.route(evaluation);
    await durable;
    return {
      EvalID: evaluation?.ID ?? "",
      EvalCreateIndex: evaluation?.CreateIndex ?? 0,
      JobModifyIndex: jobModifyIndex,
      VolumeEvalID: "",
      VolumeEvalIndex: 0,
      Index: index,
    };
  }

  /** Forces a new evaluation of a job (`Job.Evaluate`). */
  async evaluate(namespace: string, id: string, opts: { forceReschedule?: boolean } = {}): Promise<JobRegisterResponse> {
    const store = this.server.store;
    const job = store.jobByID(namespace, id);
    if (!job) throw notFound("job not found");
    if (isPeriodic(job)) throw badRequest("can't evaluate periodic job");
    if (isParameterized(job)) throw badRequest("can't evaluate parameterized job");
    const now = this.server.now();
    const evaluation = newJobEval(job, { id: this.server.newID(), now, triggeredBy: "job-register" });
    const { index, durable } = store.write((txn) => {
      if (opts.forceReschedule)
        for (const a of store.allocsByJob(namespace, id))
          if (a.ClientStatus === "failed" && a.DesiredStatus === "run")
            txn.putAlloc({ ...a, DesiredTransition: { ...a.DesiredTransition, ForceReschedule: true }, ModifyTime: now });
      txn.putEval(evaluation);
    });
    this.server.route(evaluation);
    await durable;
    return {
      EvalID: evaluation.ID,
      EvalCreateIndex: evaluation.CreateIndex,
      JobModifyIndex: job.JobModifyIndex,
      Warnings: "",
      Index: index,
    };
  }

  /** Changes a group's count (`Job.Scale`), with Nomad's checks. */
  async scale(namespace: string, id: string, req: ScaleRequest): Promise<JobRegisterResponse> {
    const store = this.server.store;
    const job = store.jobByID(namespace, id);
    if (!job) throw notFound("job not found");
    const group = req.Target?.Group;
    if (!group) throw badRequest("missing task group name for scaling action");
    if (req.Target?.Job !== undefined && req.Target.Job !== id) throw badRequest("job ID in payload did not match URL");
    const groups = jobGroups(job);
    const tg = groups.find((g) => g.Name === group);
    if (!tg) throw badRequest(`task group "${group}" specified for scaling does not exist in job`);
    if (req.Error && req.Count !== undefined && req.Count !== null)
      throw badRequest("scaling action should not contain count if error is true");
    if (req.Count !== undefined && req.Count !== null) {
      if (!Number.isInteger(req.Count)) throw badRequest("scaling action count must be an integer");
      if (req.Count < 0) throw badRequest("scaling action count can't be negative");
      checkGroupCount("scaling action count", req.Count, this.limits);
      if (job.Type === "system" && req.Count > 1) throw badRequest(`task group count for system jobs must be 0 or 1`);
      if (tg.Scaling && tg.Scaling.Enabled !== false) {
        if (tg.Scaling.Max !== undefined && tg.Scaling.Max !== null && req.Count > tg.Scaling.Max)
          throw badRequest(`group count was greater than scaling policy maximum: ${req.Count} > ${tg.Scaling.Max}`);
        if (tg.Scaling.Min !== undefined && tg.Scaling.Min !== null && req.Count < tg.Scaling.Min)
          throw badRequest(`group count was less than scaling policy minimum: ${req.Count} < ${tg.Scaling.Min}`);
      }
      const d = store.latestDeploymentByJobID(namespace, id);
      if (d && deploymentActive(d) && d.JobVersion === job.Version && !req.PolicyOverride)
        throw badRequest("job scaling blocked due to active deployment");
    }
    const now = this.server.now();
    const previous = tg.Count ?? 1;
    let evaluation: Evaluation | undefined;
    let jobModifyIndex = job.JobModifyIndex;
    const { index, durable } = store.write((txn) => {
      if (req.Count !== undefined && req.Count !== null) {
        const next = JSON.parse(JSON.stringify(job)) as StoredJob;
        const ng = findJobGroup(next, group) as StoredTaskGroup;
        ng.Count = req.Count;
        next.Version = job.Version + 1;
        next.JobModifyIndex = txn.index;
        next.SubmitTime = now;
        next.Stable = false;
        txn.putJob(next, true);
        jobModifyIndex = txn.index;
        if (!isPeriodic(next) && !isParameterized(next)) {
          evaluation = newJobEval(next, { id: this.server.newID(), now, triggeredBy: "job-scaling" });
          txn.putEval(evaluation);
        }
      }
      txn.addScalingEvent(namespace, id, group, {
        Time: now,
        Count: req.Count ?? null,
        PreviousCount: previous,
        Message: req.Message ?? "",
        Error: Boolean(req.Error),
        Meta: req.Meta ?? null,
        EvalID: evaluation?.ID ?? null,
      });
    });
    if (evaluation) this.server.route(evaluation);
    await durable;
    return {
      EvalID: evaluation?.ID ?? "",
      EvalCreateIndex: evaluation?.CreateIndex ?? 0,
      JobModifyIndex: jobModifyIndex,
      Warnings: "",
      Index: index,
    };
  }

  /**
   * Reverts a job to an earlier version (`Job.Revert`): that version's spec
   * is registered again as a new version. With `enforcePriorVersion`, the
   * current version must be that one.
   */
  async revert(namespace: string, id: string, version: number, enforcePriorVersion?: number | null): Promise<JobRegisterResponse> {
    const store = this.server.store;
    const current = store.jobByID(namespace, id);
    if (!current) throw notFound("job not found");
    if (enforcePriorVersion !== undefined && enforcePriorVersion !== null && current.Version !== enforcePriorVersion)
      throw new CodedError(500, `current job has version ${current.Version}; enforcing version ${enforcePriorVersion}`);
    if (version === current.Version) throw badRequest(`can't revert to current version`);
    const target = store.jobByVersion(namespace, id, version);
    if (!target) throw notFound(`job ${JSON.stringify(id)} in namespace ${JSON.stringify(namespace)} at version ${version} not found`);
    const spec: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(target))
      if (!["Version", "Status", "StatusDescription", "Stable", "SubmitTime", "CreateIndex", "ModifyIndex", "JobModifyIndex"].includes(k))
        spec[k] = v;
    return this.register({ Job: spec, Namespace: namespace });
  }

  /** Marks a version stable or not (`Job.Stable`). */
  async setStable(namespace: string, id: string, version: number, stable: boolean): Promise<{ JobModifyIndex: number; Index: number }> {
    const store = this.server.store;
    const target = store.jobByVersion(namespace, id, version);
    if (!target) throw notFound("job not found");
    const { index, durable } = store.write((txn) => {
      if (stable) txn.markJobStable(namespace, id, version);
      else if (target.Stable) {
        target.Stable = false;
        txn.putJob(target, false);
      }
    });
    await durable;
    return { JobModifyIndex: store.jobByID(namespace, id)?.JobModifyIndex ?? 0, Index: index };
  }

  /** Validates a job without registering it (`/v1/validate/job`): 200 with the problems listed. */
  validate(input: unknown): JobValidateResponse {
    try {
      checkJobBounds(input, this.limits);
    } catch (err) {
      // What register would refuse, validation reports.
      if (!(err instanceof CodedError)) throw err;
      return { DriverConfigValidated: false, ValidationErrors: [err.message], Error: formatMultiError([err.message]), Warnings: "" };
    }
    const v = validateJob(input);
    if (v.valid)
      return {
        DriverConfigValidated: true,
        ValidationErrors: null,
        Error: "",
        Warnings: v.warnings.length ? formatMultiError(v.warnings.map(problemLine)) : "",
      };
    const lines = v.problems.map(problemLine);
    return { DriverConfigValidated: false, ValidationErrors: lines, Error: formatMultiError(lines), Warnings: "", Problems: v.problems };
  }

  /**
   * Plans a job (`Job.Plan`): runs the scheduler against the live state with
   * the proposed job in place of the stored one, commits nothing, and
   * returns the annotations, failed placements and (with `diff`) the JobDiff.
   */
  plan(input: unknown, opts: { diff?: boolean; namespace?: string }): JobPlanResponse {
    const { job: submitted, warnings } = this.admit(input, opts.namespace);
    const store = this.server.store;
    const existing = store.jobByID(submitted.Namespace, submitted.ID);
    this.checkUpdate(existing, submitted);
    const changed = !existing || specChanged(existing, submitted);
    const nextIndex = store.latestIndex() + 1;
    const now = this.server.now();
    const proposed: StoredJob = existing && !changed ? existing : nextJobVersion(submitted, existing, nextIndex, now);
    const overlay = overlayState(store, proposed);
    const evaluation: Evaluation = {
      ...newJobEval(proposed, { id: this.server.newID(), now, triggeredBy: "job-register" }),
      AnnotatePlan: true,
    };
    const created: Evaluation[] = [];
    let captured: Plan | null = null;
    let finalEval: Evaluation = evaluation;
    const planner: Planner = {
      submitPlan: (plan: Plan): PlanResult => {
        captured = plan;
        return {
          NodeUpdate: plan.NodeUpdate,
          NodeAllocation: plan.NodeAllocation,
          NodePreemptions: plan.NodePreemptions,
          Deployment: plan.Deployment,
          DeploymentUpdates: plan.DeploymentUpdates,
          RefreshIndex: 0,
          AllocIndex: nextIndex,
        };
      },
      updateEval: (e) => {
        finalEval = e;
      },
      createEval: (e) => {
        created.push(e);
      },
      reblockEval: () => {},
    };
    if (!isPeriodic(proposed) && !isParameterized(proposed))
      this.server.schedulerFactory(proposed.Type, overlay, planner, this.server.schedulerOptions()).process(evaluation);
    const plan = captured as Plan | null;
    const annotations: PlanAnnotations = plan?.Annotations ?? { DesiredTGUpdates: {}, PreemptedAllocs: null };
    let diff: JobDiff | null = null;
    if (opts.diff) {
      diff = jobDiff(existing ?? null, proposed);
      annotateJobDiff(diff, annotations);
    }
    const failed = finalEval.FailedTGAllocs && Object.keys(finalEval.FailedTGAllocs).length ? finalEval.FailedTGAllocs : null;
    return {
      Annotations: annotations,
      FailedTGAllocs: failed,
      JobModifyIndex: existing?.JobModifyIndex ?? 0,
      CreatedEvals: created.length ? created : null,
      Diff: diff,
      NextPeriodicLaunch: nextPeriodicLaunch(proposed, this.server.clock.nowMs()),
      Warnings: warnings.length ? formatMultiError(warnings.map(problemLine)) : "",
      Index: store.latestIndex(),
    };
  }
}

/**
 * The stored form of `submitted` as a new version of `existing` (or as a new
 * job, version 0, pending), written at store index `index` at time `now`
 * (nanoseconds): what registering it stores and what planning it proposes.
 */
function nextJobVersion(submitted: SubmittedJob, existing: StoredJob | undefined, index: number, now: number): StoredJob {
  return {
    ...submitted,
    Version: existing ? existing.Version + 1 : 0,
    Status: existing ? existing.Status : "pending",
    StatusDescription: "",
    Stable: false,
    SubmitTime: now,
    CreateIndex: existing ? existing.CreateIndex : index,
    ModifyIndex: index,
    JobModifyIndex: index,
  };
}

/** `JobPlanResponse.NextPeriodicLaunch`: the next launch of an enabled periodic job after now, else Go's zero time. */
function nextPeriodicLaunch(job: StoredJob, nowMs: number): string {
  const p = job.Periodic;
  if (!p || p.Enabled === false) return ZERO_TIME;
  let next: number | null;
  try {
    next = periodicNext(p, nowMs);
  } catch (err) {
    throw new CodedError(500, `Failed to parse cron expression: ${(err as Error).message}`);
  }
  return next === null ? ZERO_TIME : rfc3339(next);
}

/** The live state with one job replaced by a proposed version (for plans). No copying. */
function overlayState(base: SchedulerState & SchedulerStateFastPaths, job: StoredJob): SchedulerState & SchedulerStateFastPaths {
  return {
    nodes: () => base.nodes(),
    nodeByID: (id) => base.nodeByID(id),
    jobByID: (ns, id) => (ns === job.Namespace && id === job.ID ? job : base.jobByID(ns, id)),
    jobByVersion: (ns, id, v) => (ns === job.Namespace && id === job.ID && v === job.Version ? job : base.jobByVersion(ns, id, v)),
    allocsByJob: (ns, id) => base.allocsByJob(ns, id),
    allocsByNode: (id) => base.allocsByNode(id),
    allocByID: (id) => base.allocByID(id),
    latestDeploymentByJobID: (ns, id) => base.latestDeploymentByJobID(ns, id),
    deploymentByID: (id) => base.deploymentByID(id),
    schedulerConfig: () => base.schedulerConfig(),
    latestIndex: () => base.latestIndex(),
    ...(base.nodeUsage ? { nodeUsage: (id: string) => base.nodeUsage?.(id) } : {}),
  };
}
