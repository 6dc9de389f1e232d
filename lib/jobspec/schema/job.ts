/**
 * The job (`api/jobs.go` Job) and its job-level blocks: Multiregion,
 * PeriodicConfig, ParameterizedJobConfig, JobUIConfig and JobVersionTag.
 * Keys are in the field order of the api structs (the order formatJobJson
 * writes). Server-set fields are accepted because read-back JSON carries them.
 */
import { z } from "zod";
import { DISPATCH_PAYLOAD_MODES, JOB_STATUSES, JOB_TYPES } from "../constants";
import { AffinitySchema, ConstraintSchema, SpreadSchema } from "./constraint";
import { MigrateStrategySchema, ReschedulePolicySchema, UpdateStrategySchema } from "./policies";
import { anyNumber, block, bool, intNum, listOf, oneOf, str, strList, strMap } from "./primitives";
import { TaskGroupSchema } from "./task-group";

/** Deployment order of a multiregion job. */
export const MultiregionStrategySchema = block({
  MaxParallel: intNum().describe("Regions deployed at once; 0 means all."),
  OnFailure: str().describe('"fail_all", "fail_local" or "" (fail the region).'),
}).describe("MultiregionStrategy (api.MultiregionStrategy, Enterprise).");
/** A MultiregionStrategy block. */
export type MultiregionStrategy = z.infer<typeof MultiregionStrategySchema>;

/** One region of a multiregion job. */
export const MultiregionRegionSchema = block({
  Name: str().describe("Region name; unique."),
  Count: intNum().describe("Default count of the groups in this region; default 1."),
  Datacenters: strList(),
  NodePool: str(),
  Meta: strMap(),
}).describe("MultiregionRegion (api.MultiregionRegion, Enterprise).");
/** A MultiregionRegion block. */
export type MultiregionRegion = z.infer<typeof MultiregionRegionSchema>;

/** Deploys one job to several regions (Enterprise). */
export const MultiregionSchema = block({
  Strategy: MultiregionStrategySchema.nullish(),
  Regions: listOf(MultiregionRegionSchema),
}).describe("Multiregion: federated deployment (api.Multiregion, Enterprise).");
/** A Multiregion block. */
export type Multiregion = z.infer<typeof MultiregionSchema>;

/** Runs the job on a cron schedule. */
export const PeriodicConfigSchema = block({
  Enabled: bool().describe("Default true."),
  Spec: str().describe("Cron expression (HCL cron); 5, 6 or 7 fields or a descriptor such as @daily."),
  Specs: strList().describe("Several cron expressions (HCL crons)."),
  SpecType: str().describe('Only "cron" (the default).'),
  ProhibitOverlap: bool().describe("Skip a launch while the previous one runs; default false."),
  TimeZone: str().describe('IANA time zone of the spec; default "UTC".'),
}).describe("PeriodicConfig: cron launches (api.PeriodicConfig).");
/** A PeriodicConfig block. */
export type PeriodicConfig = z.infer<typeof PeriodicConfigSchema>;

/** Makes the job a template dispatched with a payload and meta. */
export const ParameterizedJobConfigSchema = block({
  Payload: oneOf(["", ...DISPATCH_PAYLOAD_MODES]).describe('"optional" (default), "required" or "forbidden".'),
  MetaRequired: strList().describe("Meta keys every dispatch must set."),
  MetaOptional: strList().describe("Meta keys a dispatch may set."),
}).describe("ParameterizedJobConfig: dispatchable job (api.ParameterizedJobConfig).");
/** A ParameterizedJobConfig block. */
export type ParameterizedJobConfig = z.infer<typeof ParameterizedJobConfigSchema>;

/** A link in the web UI. */
export const JobUILinkSchema = block({
  Label: str(),
  URL: str(),
}).describe("JobUILink (api.JobUILink).");
/** A JobUILink block. */
export type JobUILink = z.infer<typeof JobUILinkSchema>;

/** How the web UI shows the job. */
export const JobUISchema = block({
  Description: str().describe("Markdown description."),
  Links: listOf(JobUILinkSchema),
}).describe("JobUIConfig: web UI description and links (api.JobUIConfig).");
/** A JobUIConfig block. */
export type JobUI = z.infer<typeof JobUISchema>;

/** A tag on a job version (server-set). */
export const JobVersionTagSchema = block({
  Name: str(),
  Description: str(),
  TaggedTime: anyNumber().describe("Unix nanoseconds (read-only; may exceed 2^53, precision is not needed)."),
}).describe("JobVersionTag (api.JobVersionTag).");
/** A JobVersionTag block. */
export type JobVersionTag = z.infer<typeof JobVersionTagSchema>;

/** A Nomad job in the API's JSON shape (`api.Job`). */
export const JobSchema = block({
  Region: str().describe('Region; default "global" (the agent uses its own region).'),
  Namespace: str().describe('Namespace; default "default".'),
  ID: str().describe("Job ID; required, no spaces or NUL characters."),
  Name: str().describe("Display name; default ID."),
  Type: oneOf(JOB_TYPES).describe('"service" (default), "batch", "system" or "sysbatch".'),
  Priority: intNum().describe("Scheduling priority 1..100; default 50."),
  AllAtOnce: bool().describe("Place all allocations at once or none; default false."),
  Datacenters: strList().describe('Datacenters (globs allowed); default ["*"].'),
  NodePool: str().describe('Node pool; default "default".'),
  Constraints: listOf(ConstraintSchema),
  Affinities: listOf(AffinitySchema),
  TaskGroups: listOf(TaskGroupSchema).describe("At least one group."),
  Update: UpdateStrategySchema.nullish().describe("Default update strategy of every group (service and system jobs)."),
  Multiregion: MultiregionSchema.nullish(),
  Spreads: listOf(SpreadSchema),
  Periodic: PeriodicConfigSchema.nullish(),
  ParameterizedJob: ParameterizedJobConfigSchema.nullish(),
  Reschedule: ReschedulePolicySchema.nullish().describe("Default reschedule policy of every group; merged into the groups."),
  Migrate: MigrateStrategySchema.nullish().describe("Default migrate strategy of every group; merged into the groups."),
  Meta: strMap(),
  UI: JobUISchema.nullish(),
  ConsulToken: str().describe("Deprecated: ignored by the server; use workload identities."),
  VaultToken: str().describe("Deprecated: ignored by the server; use workload identities."),
  Stop: bool().describe("Register the job stopped; default false."),
  ParentID: str().describe("Server-set: the periodic or parameterized parent."),
  Dispatched: bool().describe("Server-set: a dispatched child."),
  DispatchIdempotencyToken: str().describe("Server-set."),
  Payload: str().describe("Server-set: base64 dispatch payload (at most 16 KiB)."),
  ConsulNamespace: str().describe("Consul namespace of groups with a Consul block (Enterprise)."),
  VaultNamespace: str().describe("Vault namespace of tasks' Vault blocks (Enterprise)."),
  NomadTokenID: str().describe("Server-set."),
  Status: oneOf(["", ...JOB_STATUSES]).describe('Server-set: "pending", "running" or "dead".'),
  StatusDescription: str().describe("Server-set."),
  Stable: bool().describe("Server-set."),
  Version: intNum().describe("Server-set."),
  SubmitTime: anyNumber().describe("Server-set: unix nanoseconds (beyond 2^53, so JSON parsers round it; read-only, so accepted as any number)."),
  CreateIndex: intNum().describe("Server-set."),
  ModifyIndex: intNum().describe("Server-set."),
  JobModifyIndex: intNum().describe("Server-set."),
  VersionTag: JobVersionTagSchema.nullish().describe("Server-set."),
}).describe("Job: a Nomad job in the HTTP API's JSON shape (api.Job).");
/** A job in Nomad's API JSON shape (`api.Job`). */
export type Job = z.infer<typeof JobSchema>;

/**
 * The body of `PUT /v1/jobs` (`api.JobRegisterRequest`): a job and the
 * register options. validateJob accepts this form as well as a bare job.
 */
export const JobRegisterRequestSchema = block({
  Submission: z.looseObject({}).nullish().describe("Original source of the job (HCL or JSON)."),
  Job: JobSchema,
  EnforceIndex: bool(),
  JobModifyIndex: intNum(),
  PolicyOverride: bool(),
  PreserveCounts: bool(),
  PreserveResources: bool(),
  EvalPriority: intNum(),
  Region: str(),
  Namespace: str(),
  SecretID: str(),
}).describe("JobRegisterRequest: the register body (api.JobRegisterRequest).");
/** The register request body. */
export type JobRegisterRequest = z.infer<typeof JobRegisterRequestSchema>;

/** The keys of a register request other than Job. */
export const REGISTER_REQUEST_KEYS = ["Submission", "EnforceIndex", "JobModifyIndex", "PolicyOverride", "PreserveCounts", "PreserveResources", "EvalPriority", "Region", "Namespace", "SecretID"] as const;
