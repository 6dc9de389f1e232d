/**
 * Job endpoint payloads and responses (`api/jobs.go`). The submitted job is
 * lib/jobspec's `Job` (Nomad's `api.Job` shape); a job read back from the
 * servers is `ReadBackJob` (`structs.Job`: no pointers, defaults filled,
 * server-owned fields added).
 */
import type { Job } from "../../jobspec/types";
import type { AllocationListStub } from "./allocation";
import type { JobDiff } from "./diff";
import type { Evaluation } from "./evaluation";
import type { AllocationMetric } from "./metric";

/** A job as `GET /v1/job/:id` and the versions endpoint return it: the stored `structs.Job`. */
export interface ReadBackJob {
  /** Job ID (always set on a stored job). */
  ID: string;
  /** Namespace. */
  Namespace: string;
  /** Region. */
  Region?: string;
  /** Job name. */
  Name?: string;
  /** service, batch, system or sysbatch. */
  Type: string;
  /** Version: starts at 0 and grows by one for every registration that changes the spec. */
  Version: number;
  /** pending, running or dead. */
  Status: string;
  /** Status detail. */
  StatusDescription?: string;
  /** The deployment of this version succeeded. */
  Stable?: boolean;
  /** Registered stopped. */
  Stop?: boolean;
  /** Unix nanoseconds of the registration of this version. */
  SubmitTime?: number;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change (including status). */
  ModifyIndex: number;
  /** Raft index of the last spec change (not of its status): the value to send as `JobModifyIndex` with `EnforceIndex`. */
  JobModifyIndex: number;
  /** Parent job, set on the children of periodic and parameterized jobs. */
  ParentID?: string;
  /** A dispatched child of a parameterized job. */
  Dispatched?: boolean;
  /** Base64 payload of a dispatched child. */
  Payload?: string | null;
  /** All other fields of the job, in read-back shape. */
  [field: string]: unknown;
}

/** `api.JobListStub`. */
export interface JobListStub {
  /** Job ID. */
  ID: string;
  /** Parent of a dispatched or periodic child. */
  ParentID: string;
  /** Name. */
  Name: string;
  /** Namespace. */
  Namespace: string;
  /** Datacenters. */
  Datacenters: string[] | null;
  /** Node pool. */
  NodePool?: string;
  /** The job's multiregion block, or null (drover's runtime sends it, as Nomad's server struct has it). */
  Multiregion?: unknown;
  /** Type. */
  Type: string;
  /** Priority. */
  Priority: number;
  /** Periodic job. */
  Periodic: boolean;
  /** Parameterized job. */
  ParameterizedJob: boolean;
  /** Stopped. */
  Stop: boolean;
  /** Status. */
  Status: string;
  /** Status detail. */
  StatusDescription: string;
  /** Allocation counts. */
  JobSummary: JobSummary | null;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
  /** Raft index of last spec change. */
  JobModifyIndex: number;
  /** Unix nanoseconds. */
  SubmitTime: number;
  /** Job meta (with `?meta=true`). */
  Meta?: Record<string, string> | null;
}

/** Options of `jobs.register` (`api.RegisterOptions`). */
export interface RegisterOptions {
  /** Register only if the job's modify index equals `modifyIndex` (0: only if the job does not exist). */
  enforceIndex?: boolean;
  /** The `JobModifyIndex` to enforce. */
  modifyIndex?: number;
  /** Keep the current counts of existing groups. Default false. */
  preserveCounts?: boolean;
  /** Override soft-mandatory Sentinel policies (Enterprise). */
  policyOverride?: boolean;
  /** Priority of the evaluation created; default the job's priority. */
  evalPriority?: number;
  /** Source of the job, stored for `nomad job inspect`/the UI. */
  submission?: { Source: string; Format: "hcl2" | "json"; VariableFlags?: Record<string, string>; Variables?: string };
}

/** Body of `PUT /v1/jobs` (`api.JobRegisterRequest`). */
export interface JobRegisterRequest {
  /** The job. */
  Job: Job;
  /** Enforce `JobModifyIndex`. */
  EnforceIndex?: boolean;
  /** The index to enforce. */
  JobModifyIndex?: number;
  /** Override soft-mandatory policies. */
  PolicyOverride?: boolean;
  /** Keep existing counts. */
  PreserveCounts?: boolean;
  /** Evaluation priority. */
  EvalPriority?: number;
  /** Job source. */
  Submission?: RegisterOptions["submission"];
}

/** `api.JobRegisterResponse`. */
export interface JobRegisterResponse {
  /** Evaluation created; "" for periodic and parameterized jobs. */
  EvalID: string;
  /** Raft index of the evaluation. */
  EvalCreateIndex: number;
  /** The job's new modify index. */
  JobModifyIndex: number;
  /** Warnings, newline separated ("" when none). */
  Warnings: string;
  /** Raft index. */
  Index?: number;
}

/** `api.JobDeregisterResponse`. */
export interface JobDeregisterResponse {
  /** Evaluation created ("" when the job did not exist). */
  EvalID: string;
  /** Raft index of the evaluation. */
  EvalCreateIndex: number;
  /** Modify index of the job. */
  JobModifyIndex: number;
  /** Volume claim evaluation. */
  VolumeEvalID?: string;
  /** Raft index of the volume evaluation. */
  VolumeEvalIndex?: number;
  /** Raft index. */
  Index?: number;
}

/** Options of `jobs.deregister` (`api.DeregisterOptions`). */
export interface DeregisterOptions {
  /** Remove the job from state instead of stopping it. Default false. */
  purge?: boolean;
  /** Deregister a multiregion job in all regions. */
  global?: boolean;
  /** Evaluation priority. */
  evalPriority?: number;
  /** Skip the groups' shutdown_delay. */
  noShutdownDelay?: boolean;
}

/** Per-group counts the scheduler decided (`api.DesiredUpdates`). */
export interface DesiredUpdates {
  /** Allocations left alone. */
  Ignore: number;
  /** New allocations. */
  Place: number;
  /** Allocations migrated off draining nodes. */
  Migrate: number;
  /** Allocations stopped. */
  Stop: number;
  /** Allocations updated in place. */
  InPlaceUpdate: number;
  /** Allocations replaced (stop + place). */
  DestructiveUpdate: number;
  /** Canaries placed. */
  Canary: number;
  /** Allocations preempted. */
  Preemptions?: number;
  /** Allocations disconnecting. */
  Disconnect?: number;
  /** Allocations reconnecting. */
  Reconnect?: number;
  /** Reschedules now. */
  RescheduleNow?: number;
  /** Reschedules later. */
  RescheduleLater?: number;
}

/** `api.PlanAnnotations`. */
export interface PlanAnnotations {
  /** Group name → what the scheduler would do. */
  DesiredTGUpdates: Record<string, DesiredUpdates> | null;
  /** Allocations that would be preempted (list stubs), or null when none. */
  PreemptedAllocs?: AllocationListStub[] | null;
}

/** Body of `PUT /v1/job/:id/plan`. */
export interface JobPlanRequest {
  /** The job. */
  Job: Job;
  /** Return the structural diff. */
  Diff: boolean;
  /** Override soft-mandatory policies. */
  PolicyOverride?: boolean;
}

/** `api.JobPlanResponse`. */
export interface JobPlanResponse {
  /** The existing job's modify index (0 if new): the value to enforce on register. */
  JobModifyIndex: number;
  /** Evaluations the plan would create (blocked evals for failed placements). */
  CreatedEvals: Evaluation[] | null;
  /** The structural diff, with Diff: true. */
  Diff: JobDiff | null;
  /** What the scheduler would do. */
  Annotations: PlanAnnotations | null;
  /** Per group: why placements would fail. */
  FailedTGAllocs: Record<string, AllocationMetric> | null;
  /** RFC 3339 time of the next periodic launch ("0001-01-01T00:00:00Z" when none). */
  NextPeriodicLaunch: string;
  /** Warnings ("" when none). */
  Warnings: string;
  /** Raft index. */
  Index?: number;
}

/** `GET /v1/job/:id/versions` (`api.JobVersionsResponse`). */
export interface JobVersionsResponse {
  /** Versions, newest first. */
  Versions: ReadBackJob[];
  /** Diffs between consecutive versions (with `diffs=true`). */
  Diffs: JobDiff[] | null;
  /** Raft index. */
  Index?: number;
}

/** `POST /v1/validate/job` (`api.JobValidateResponse`). */
export interface JobValidateResponse {
  /** Driver configs were validated. */
  DriverConfigValidated: boolean;
  /** Validation errors (empty when valid). */
  ValidationErrors: string[] | null;
  /** All errors as one string. */
  Error: string;
  /** Warnings. */
  Warnings: string;
}

/** Allocation counts of one group (`api.TaskGroupSummary`). */
export interface TaskGroupSummary {
  /** Queued. */
  Queued: number;
  /** Complete. */
  Complete: number;
  /** Failed. */
  Failed: number;
  /** Running. */
  Running: number;
  /** Starting. */
  Starting: number;
  /** Lost. */
  Lost: number;
  /** Unknown. */
  Unknown?: number;
}

/** `api.JobSummary`. */
export interface JobSummary {
  /** Job ID. */
  JobID: string;
  /** Namespace. */
  Namespace: string;
  /** Group → counts. */
  Summary: Record<string, TaskGroupSummary> | null;
  /** Children of periodic/parameterized jobs. */
  Children: { Pending: number; Running: number; Dead: number } | null;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
}

/** One scaling event (`api.ScalingEvent`). */
export interface ScalingEvent {
  /** New count, if the event changed it. */
  Count?: number | null;
  /** Previous count. */
  PreviousCount?: number;
  /** Whether it is an error event. */
  Error: boolean;
  /** Message. */
  Message: string;
  /** Meta. */
  Meta?: Record<string, unknown> | null;
  /** Evaluation created. */
  EvalID?: string | null;
  /** Unix nanoseconds. */
  Time: number;
  /** Raft index. */
  CreateIndex: number;
}

/** `GET /v1/job/:id/scale` (`api.JobScaleStatusResponse`). */
export interface JobScaleStatus {
  /** Job ID. */
  JobID: string;
  /** Namespace. */
  Namespace: string;
  /** Job create index. */
  JobCreateIndex: number;
  /** Job modify index. */
  JobModifyIndex: number;
  /** Job is stopped. */
  JobStopped: boolean;
  /** Group → scale status. */
  TaskGroups: Record<
    string,
    { Desired: number; Placed: number; Running: number; Healthy: number; Unhealthy: number; Events: ScalingEvent[] | null }
  >;
}

/** Body of `POST /v1/job/:id/scale` (`api.ScalingRequest`). */
export interface ScalingRequest {
  /** New count; null records an event without scaling. */
  Count: number | null;
  /** `{ Group }` (and `Job`). */
  Target: Record<string, string>;
  /** Reason. */
  Message?: string;
  /** The event is an error. */
  Error?: boolean;
  /** Meta of the event. */
  Meta?: Record<string, unknown>;
  /** Override soft-mandatory policies. */
  PolicyOverride?: boolean;
  /** Enforce this job modify index. */
  JobModifyIndex?: number;
}

/** `api.JobDispatchResponse`. */
export interface JobDispatchResponse {
  /** ID of the dispatched child job. */
  DispatchedJobID: string;
  /** Evaluation created. */
  EvalID: string;
  /** Raft index of the evaluation. */
  EvalCreateIndex: number;
  /** Raft index of the child job. */
  JobCreateIndex: number;
  /** Raft index. */
  Index?: number;
}

/** `api.JobStabilityResponse`. */
export interface JobStabilityResponse {
  /** New job modify index. */
  JobModifyIndex: number;
  /** Raft index. */
  Index?: number;
}

/** `api.PeriodicForceResponse`. */
export interface PeriodicForceResponse {
  /** Evaluation of the launched child. */
  EvalID: string;
  /** Raft index of the evaluation. */
  EvalCreateIndex: number;
  /** Raft index. */
  Index?: number;
}
