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
  /** Regions deployed at once; 0 means all. */
  MaxParallel: intNum().describe("Regions deployed at once; 0 means all."),
  /** "fail_all", "fail_local" or "" (fail the region). */
  OnFailure: str().describe('"fail_all", "fail_local" or "" (fail the region).'),
}).describe("MultiregionStrategy (api.MultiregionStrategy, Enterprise).");
/** A MultiregionStrategy block. */
export type MultiregionStrategy = z.infer<typeof MultiregionStrategySchema>;

/** One region of a multiregion job. */
export const MultiregionRegionSchema = block({
  /** Region name; unique. */
  Name: str().describe("Region name; unique."),
  /** Default count of the groups in this region; default 1. */
  Count: intNum().describe("Default count of the groups in this region; default 1."),
  /** Datacenters (globs allowed). */
  Datacenters: strList().describe("Datacenters (globs allowed)."),
  /** Node pool. */
  NodePool: str().describe("Node pool."),
  /** Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}. */
  Meta: strMap().describe("Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}."),
}).describe("MultiregionRegion (api.MultiregionRegion, Enterprise).");
/** A MultiregionRegion block. */
export type MultiregionRegion = z.infer<typeof MultiregionRegionSchema>;

/** Deploys one job to several regions (Enterprise). */
export const MultiregionSchema = block({
  /** Deployment order across regions. */
  Strategy: MultiregionStrategySchema.nullish().describe("Deployment order across regions."),
  /** The regions, in deployment order. */
  Regions: listOf(MultiregionRegionSchema).describe("The regions, in deployment order."),
}).describe("Multiregion: federated deployment (api.Multiregion, Enterprise).");
/** A Multiregion block. */
export type Multiregion = z.infer<typeof MultiregionSchema>;

/** Runs the job on a cron schedule. */
export const PeriodicConfigSchema = block({
  /** Default true. */
  Enabled: bool().describe("Default true."),
  /** Cron expression (HCL cron); 5, 6 or 7 fields or a descriptor such as @daily. */
  Spec: str().describe("Cron expression (HCL cron); 5, 6 or 7 fields or a descriptor such as @daily."),
  /** Several cron expressions (HCL crons). */
  Specs: strList().describe("Several cron expressions (HCL crons)."),
  /** Only "cron" (the default). */
  SpecType: str().describe('Only "cron" (the default).'),
  /** Skip a launch while the previous one runs; default false. */
  ProhibitOverlap: bool().describe("Skip a launch while the previous one runs; default false."),
  /** IANA time zone of the spec; default "UTC". */
  TimeZone: str().describe('IANA time zone of the spec; default "UTC".'),
}).describe("PeriodicConfig: cron launches (api.PeriodicConfig).");
/** A PeriodicConfig block. */
export type PeriodicConfig = z.infer<typeof PeriodicConfigSchema>;

/** Makes the job a template dispatched with a payload and meta. */
export const ParameterizedJobConfigSchema = block({
  /** "optional" (default), "required" or "forbidden". */
  Payload: oneOf(["", ...DISPATCH_PAYLOAD_MODES]).describe('"optional" (default), "required" or "forbidden".'),
  /** Meta keys every dispatch must set. */
  MetaRequired: strList().describe("Meta keys every dispatch must set."),
  /** Meta keys a dispatch may set. */
  MetaOptional: strList().describe("Meta keys a dispatch may set."),
}).describe("ParameterizedJobConfig: dispatchable job (api.ParameterizedJobConfig).");
/** A ParameterizedJobConfig block. */
export type ParameterizedJobConfig = z.infer<typeof ParameterizedJobConfigSchema>;

/** A link in the web UI. */
export const JobUILinkSchema = block({
  /** Link text. */
  Label: str().describe("Link text."),
  /** Link target. */
  URL: str().describe("Link target."),
}).describe("JobUILink (api.JobUILink).");
/** A JobUILink block. */
export type JobUILink = z.infer<typeof JobUILinkSchema>;

/** How the web UI shows the job. */
export const JobUISchema = block({
  /** Markdown description. */
  Description: str().describe("Markdown description."),
  /** Links shown in the web UI. */
  Links: listOf(JobUILinkSchema).describe("Links shown in the web UI."),
}).describe("JobUIConfig: web UI description and links (api.JobUIConfig).");
/** A JobUIConfig block. */
export type JobUI = z.infer<typeof JobUISchema>;

/** A tag on a job version (server-set). */
export const JobVersionTagSchema = block({
  Name: str(),
  Description: str(),
  /** Unix nanoseconds (read-only; may exceed 2^53, precision is not needed). */
  TaggedTime: anyNumber().describe("Unix nanoseconds (read-only; may exceed 2^53, precision is not needed)."),
}).describe("JobVersionTag (api.JobVersionTag).");
/** A JobVersionTag block. */
export type JobVersionTag = z.infer<typeof JobVersionTagSchema>;

/** A Nomad job in the API's JSON shape (`api.Job`). */
export const JobSchema = block({
  /** Region; default "global" (the agent uses its own region). */
  Region: str().describe('Region; default "global" (the agent uses its own region).'),
  /** Namespace; default "default". */
  Namespace: str().describe('Namespace; default "default".'),
  /** Job ID; required, no spaces or NUL characters. */
  ID: str().describe("Job ID; required, no spaces or NUL characters."),
  /** Display name; default ID. */
  Name: str().describe("Display name; default ID."),
  /** "service" (default), "batch", "system" or "sysbatch". */
  Type: oneOf(JOB_TYPES).describe('"service" (default), "batch", "system" or "sysbatch".'),
  /** Scheduling priority 1..100; default 50. */
  Priority: intNum().describe("Scheduling priority 1..100; default 50."),
  /** Place all allocations at once or none; default false. */
  AllAtOnce: bool().describe("Place all allocations at once or none; default false."),
  /** Datacenters (globs allowed); default ["*"]. */
  Datacenters: strList().describe('Datacenters (globs allowed); default ["*"].'),
  /** Node pool; default "default". */
  NodePool: str().describe('Node pool; default "default".'),
  /** Hard placement rules; every one must hold on the node. */
  Constraints: listOf(ConstraintSchema).describe("Hard placement rules; every one must hold on the node."),
  /** Soft placement preferences, scored by weight. */
  Affinities: listOf(AffinitySchema).describe("Soft placement preferences, scored by weight."),
  /** At least one group. */
  TaskGroups: listOf(TaskGroupSchema).describe("At least one group."),
  /** Default update strategy of every group (service and system jobs). */
  Update: UpdateStrategySchema.nullish().describe("Default update strategy of every group (service and system jobs)."),
  /** Deploys the job to several regions (Enterprise). */
  Multiregion: MultiregionSchema.nullish().describe("Deploys the job to several regions (Enterprise)."),
  /** Spread allocations over the values of node attributes. */
  Spreads: listOf(SpreadSchema).describe("Spread allocations over the values of node attributes."),
  /** Runs the job on a cron schedule (batch and sysbatch). */
  Periodic: PeriodicConfigSchema.nullish().describe("Runs the job on a cron schedule (batch and sysbatch)."),
  /** Makes the job dispatchable with a payload and meta (batch and sysbatch). */
  ParameterizedJob: ParameterizedJobConfigSchema.nullish().describe(
    "Makes the job dispatchable with a payload and meta (batch and sysbatch).",
  ),
  /** Default reschedule policy of every group; merged into the groups. */
  Reschedule: ReschedulePolicySchema.nullish().describe("Default reschedule policy of every group; merged into the groups."),
  /** Default migrate strategy of every group; merged into the groups. */
  Migrate: MigrateStrategySchema.nullish().describe("Default migrate strategy of every group; merged into the groups."),
  /** Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}. */
  Meta: strMap().describe("Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}."),
  /** Description and links for the web UI. */
  UI: JobUISchema.nullish().describe("Description and links for the web UI."),
  /** Deprecated: ignored by the server; use workload identities. */
  ConsulToken: str().describe("Deprecated: ignored by the server; use workload identities."),
  /** Deprecated: ignored by the server; use workload identities. */
  VaultToken: str().describe("Deprecated: ignored by the server; use workload identities."),
  /** Register the job stopped; default false. */
  Stop: bool().describe("Register the job stopped; default false."),
  /** Server-set: the periodic or parameterized parent. */
  ParentID: str().describe("Server-set: the periodic or parameterized parent."),
  /** Server-set: a dispatched child. */
  Dispatched: bool().describe("Server-set: a dispatched child."),
  /** Server-set. */
  DispatchIdempotencyToken: str().describe("Server-set."),
  /** Server-set: base64 dispatch payload (at most 16 KiB). */
  Payload: str().describe("Server-set: base64 dispatch payload (at most 16 KiB)."),
  /** Consul namespace of groups with a Consul block (Enterprise). */
  ConsulNamespace: str().describe("Consul namespace of groups with a Consul block (Enterprise)."),
  /** Vault namespace of tasks' Vault blocks (Enterprise). */
  VaultNamespace: str().describe("Vault namespace of tasks' Vault blocks (Enterprise)."),
  /** Server-set. */
  NomadTokenID: str().describe("Server-set."),
  /** Server-set: "pending", "running" or "dead". */
  Status: oneOf(["", ...JOB_STATUSES]).describe('Server-set: "pending", "running" or "dead".'),
  /** Server-set. */
  StatusDescription: str().describe("Server-set."),
  /** Server-set. */
  Stable: bool().describe("Server-set."),
  /** Server-set. */
  Version: intNum().describe("Server-set."),
  /** Server-set: unix nanoseconds (beyond 2^53, so JSON parsers round it; read-only, so accepted as any number). */
  SubmitTime: anyNumber().describe(
    "Server-set: unix nanoseconds (beyond 2^53, so JSON parsers round it; read-only, so accepted as any number).",
  ),
  /** Server-set. */
  CreateIndex: intNum().describe("Server-set."),
  /** Server-set. */
  ModifyIndex: intNum().describe("Server-set."),
  /** Server-set. */
  JobModifyIndex: intNum().describe("Server-set."),
  /** Server-set. */
  VersionTag: JobVersionTagSchema.nullish().describe("Server-set."),
}).describe("Job: a Nomad job in the HTTP API's JSON shape (api.Job).");
/** A job in Nomad's API JSON shape (`api.Job`). */
export type Job = z.infer<typeof JobSchema>;

/**
 * The body of `PUT /v1/jobs` (`api.JobRegisterRequest`): a job and the
 * register options. validateJob accepts this form as well as a bare job.
 */
export const JobRegisterRequestSchema = block({
  /** Original source of the job (HCL or JSON). */
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
export const REGISTER_REQUEST_KEYS = [
  "Submission",
  "EnforceIndex",
  "JobModifyIndex",
  "PolicyOverride",
  "PreserveCounts",
  "PreserveResources",
  "EvalPriority",
  "Region",
  "Namespace",
  "SecretID",
] as const;
