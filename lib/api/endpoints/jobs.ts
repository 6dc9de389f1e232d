/**
 * `client.jobs`: the job endpoints, grouped as Nomad's Go client groups them
 * (`api/jobs.go`). Paths and bodies follow `command/agent/job_endpoint.go`.
 */
import type { Job } from "../../jobspec/types";
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { AllocationListStub } from "../types/allocation";
import type { Deployment } from "../types/deployment";
import type { Evaluation } from "../types/evaluation";
import type {
  DeregisterOptions,
  JobDeregisterResponse,
  JobDispatchResponse,
  JobListStub,
  JobPlanResponse,
  JobRegisterRequest,
  JobRegisterResponse,
  JobScaleStatus,
  JobStabilityResponse,
  JobSummary,
  JobValidateResponse,
  JobVersionsResponse,
  PeriodicForceResponse,
  ReadBackJob,
  RegisterOptions,
  ScalingRequest,
} from "../types/job";

/** `/v1/job/<id>` with the ID escaped. */
export function jobPath(id: string, suffix = ""): string {
  return `/v1/job/${encodeURIComponent(id)}${suffix}`;
}

/** Options of `jobs.plan`. */
export interface PlanOptions extends WriteOptions {
  /** Return the structural diff. Default true. */
  diff?: boolean;
  /** Override soft-mandatory policies. */
  policyOverride?: boolean;
}

/** Options of `jobs.dispatch`. */
export interface DispatchOptions extends WriteOptions {
  /** Meta of the child; must satisfy the parameterized block's MetaRequired/MetaOptional. */
  meta?: Record<string, string>;
  /** Payload bytes (sent base64-encoded, at most 16 KiB). */
  payload?: Uint8Array | string;
  /** Template for the child ID prefix. */
  idPrefixTemplate?: string;
  /** Priority of the child. */
  priority?: number;
}

/** The job endpoints. */
export class JobsEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/jobs`: job stubs; `opts.prefix`, `opts.filter`, `opts.namespace` ("*" for all) narrow it. */
  list(opts: QueryOptions & { meta?: boolean } = {}): Promise<QueryResponse<JobListStub[]>> {
    return this.t.query("/v1/jobs", { meta: opts.meta ? true : undefined }, opts);
  }

  /** `GET /v1/job/:id`: the stored job (read-back shape). 404 `job not found` when absent. */
  info(id: string, opts: QueryOptions = {}): Promise<QueryResponse<ReadBackJob>> {
    return this.t.query(jobPath(id), {}, opts);
  }

  /** `PUT /v1/jobs`: registers (creates or updates) a job. With `enforceIndex`, fails on a concurrent change. */
  register(job: Job, opts: RegisterOptions & WriteOptions = {}): Promise<WriteResponse<JobRegisterResponse>> {
    const body: JobRegisterRequest = { Job: job };
    if (opts.enforceIndex) {
      body.EnforceIndex = true;
      body.JobModifyIndex = opts.modifyIndex ?? 0;
    }
    if (opts.preserveCounts) body.PreserveCounts = true;
    if (opts.policyOverride) body.PolicyOverride = true;
    if (opts.evalPriority) body.EvalPriority = opts.evalPriority;
    if (opts.submission) body.Submission = opts.submission;
    return this.t.write("PUT", "/v1/jobs", body, {}, writeOpts(job, opts));
  }

  /** `PUT /v1/job/:id/plan`: a dry run of the scheduler for this job, with the structural diff. */
  plan(job: Job, opts: PlanOptions = {}): Promise<WriteResponse<JobPlanResponse>> {
    const id = requireID(job);
    return this.t.write(
      "PUT",
      jobPath(id, "/plan"),
      { Job: job, Diff: opts.diff ?? true, PolicyOverride: opts.policyOverride ?? false },
      {},
      writeOpts(job, opts),
    );
  }

  /** `PUT /v1/validate/job`: server-side validation; answers 200 with `ValidationErrors` even for an invalid job. */
  validate(job: Job, opts: WriteOptions = {}): Promise<WriteResponse<JobValidateResponse>> {
    return this.t.write("PUT", "/v1/validate/job", { Job: job }, {}, writeOpts(job, opts));
  }

  /** `PUT /v1/jobs/parse`: parses HCL into a job (the submission shape), optionally canonicalized. */
  parse(hcl: string, opts: WriteOptions & { canonicalize?: boolean; variables?: string } = {}): Promise<WriteResponse<Job>> {
    return this.t.write(
      "PUT",
      "/v1/jobs/parse",
      { JobHCL: hcl, Canonicalize: opts.canonicalize ?? false, Variables: opts.variables },
      {},
      opts,
    );
  }

  /** `DELETE /v1/job/:id`: stops the job, or removes it with `purge`. A missing job is not an error. */
  deregister(id: string, opts: DeregisterOptions & WriteOptions = {}): Promise<WriteResponse<JobDeregisterResponse>> {
    return this.t.write(
      "DELETE",
      jobPath(id),
      undefined,
      {
        purge: opts.purge ? true : undefined,
        global: opts.global ? true : undefined,
        eval_priority: opts.evalPriority || undefined,
        no_shutdown_delay: opts.noShutdownDelay ? true : undefined,
      },
      opts,
    );
  }

  /** `GET /v1/job/:id/versions`: the tracked versions, newest first, with diffs between them when `diffs`. */
  versions(
    id: string,
    opts: QueryOptions & { diffs?: boolean; diffVersion?: number; diffTag?: string } = {},
  ): Promise<QueryResponse<JobVersionsResponse>> {
    return this.t.query(
      jobPath(id, "/versions"),
      { diffs: opts.diffs ? true : undefined, diff_version: opts.diffVersion, diff_tag: opts.diffTag },
      opts,
    );
  }

  /** `GET /v1/job/:id/allocations`: the job's allocations (`all` includes those of older job instances). */
  allocations(id: string, opts: QueryOptions & { all?: boolean } = {}): Promise<QueryResponse<AllocationListStub[]>> {
    return this.t.query(jobPath(id, "/allocations"), { all: opts.all ? true : undefined }, opts);
  }

  /** `GET /v1/job/:id/evaluations`. */
  evaluations(id: string, opts: QueryOptions = {}): Promise<QueryResponse<Evaluation[]>> {
    return this.t.query(jobPath(id, "/evaluations"), {}, opts);
  }

  /** `GET /v1/job/:id/deployments`. */
  deployments(id: string, opts: QueryOptions & { all?: boolean } = {}): Promise<QueryResponse<Deployment[]>> {
    return this.t.query(jobPath(id, "/deployments"), { all: opts.all ? true : undefined }, opts);
  }

  /** `GET /v1/job/:id/deployment`: the most recent deployment, or null when the job has none. */
  latestDeployment(id: string, opts: QueryOptions = {}): Promise<QueryResponse<Deployment | null>> {
    return this.t.query(jobPath(id, "/deployment"), {}, opts);
  }

  /** `GET /v1/job/:id/summary`: allocation counts per group. */
  summary(id: string, opts: QueryOptions = {}): Promise<QueryResponse<JobSummary>> {
    return this.t.query(jobPath(id, "/summary"), {}, opts);
  }

  /** `GET /v1/job/:id/scale`: desired and actual counts per group. */
  scaleStatus(id: string, opts: QueryOptions = {}): Promise<QueryResponse<JobScaleStatus>> {
    return this.t.query(jobPath(id, "/scale"), {}, opts);
  }

  /** `PUT /v1/job/:id/scale`: sets a group's count (null `count` records an event only). */
  scale(
    id: string,
    group: string,
    count: number | null,
    opts: WriteOptions & {
      message?: string;
      error?: boolean;
      meta?: Record<string, unknown>;
      policyOverride?: boolean;
      modifyIndex?: number;
    } = {},
  ): Promise<WriteResponse<JobRegisterResponse>> {
    const body: ScalingRequest = {
      Count: count,
      Target: { Job: id, Group: group },
      Message: opts.message ?? "",
      Error: opts.error ?? false,
      Meta: opts.meta,
      PolicyOverride: opts.policyOverride ?? false,
    };
    if (opts.modifyIndex !== undefined) body.JobModifyIndex = opts.modifyIndex;
    return this.t.write("PUT", jobPath(id, "/scale"), body, {}, opts);
  }

  /** `PUT /v1/job/:id/dispatch`: launches a child of a parameterized job; `idempotencyToken` makes retries safe. */
  dispatch(id: string, opts: DispatchOptions = {}): Promise<WriteResponse<JobDispatchResponse>> {
    const payload = opts.payload === undefined ? undefined : Buffer.from(opts.payload).toString("base64");
    return this.t.write(
      "PUT",
      jobPath(id, "/dispatch"),
      { JobID: id, Payload: payload, Meta: opts.meta, IdPrefixTemplate: opts.idPrefixTemplate, Priority: opts.priority },
      {},
      opts,
    );
  }

  /** `PUT /v1/job/:id/revert`: registers an older version again; `enforcePriorVersion` guards against races. */
  revert(
    id: string,
    version: number,
    opts: WriteOptions & { enforcePriorVersion?: number } = {},
  ): Promise<WriteResponse<JobRegisterResponse>> {
    return this.t.write(
      "PUT",
      jobPath(id, "/revert"),
      { JobID: id, JobVersion: version, EnforcePriorVersion: opts.enforcePriorVersion ?? null },
      {},
      opts,
    );
  }

  /** `PUT /v1/job/:id/stable`: marks a version stable or not. */
  stable(id: string, version: number, stable: boolean, opts: WriteOptions = {}): Promise<WriteResponse<JobStabilityResponse>> {
    return this.t.write("PUT", jobPath(id, "/stable"), { JobID: id, JobVersion: version, Stable: stable }, {}, opts);
  }

  /** `PUT /v1/job/:id/evaluate`: creates a new evaluation of the job. */
  evaluate(id: string, opts: WriteOptions & { forceReschedule?: boolean } = {}): Promise<WriteResponse<JobRegisterResponse>> {
    return this.t.write(
      "PUT",
      jobPath(id, "/evaluate"),
      { JobID: id, EvalOptions: { ForceReschedule: opts.forceReschedule ?? false } },
      {},
      opts,
    );
  }

  /** `evaluate` with ForceReschedule: also reschedules failed allocations now. */
  forceEvaluate(id: string, opts: WriteOptions = {}): Promise<WriteResponse<JobRegisterResponse>> {
    return this.evaluate(id, { ...opts, forceReschedule: true });
  }

  /** `PUT /v1/job/:id/periodic/force`: launches a periodic job's child now. */
  periodicForce(id: string, opts: WriteOptions = {}): Promise<WriteResponse<PeriodicForceResponse>> {
    return this.t.write("PUT", jobPath(id, "/periodic/force"), undefined, {}, opts);
  }
}

function requireID(job: Job): string {
  const id = (job as { ID?: string | null }).ID;
  if (!id) throw new Error("job has no ID: set Job.ID");
  return id;
}

/** A job's own Namespace and Region apply when the caller did not choose others. */
function writeOpts(job: Job, opts: WriteOptions): WriteOptions {
  const j = job as { Namespace?: string | null; Region?: string | null };
  return { ...opts, namespace: opts.namespace ?? j.Namespace ?? undefined, region: opts.region ?? j.Region ?? undefined };
}
