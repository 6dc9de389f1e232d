/**
 * Tasks and what they carry (`api/tasks.go`, `api/task_sched.go`): Task,
 * TaskLifecycle, LogConfig, TaskArtifact, Template, ChangeScript,
 * WaitConfig, Vault, DispatchPayloadConfig, VolumeMount,
 * TaskCSIPluginConfig, Secret, Action and TaskSchedule.
 */
import { z } from "zod";
import { CSI_PLUGIN_TYPES, GETTER_MODES, LIFECYCLE_HOOKS, PROPAGATION_MODES, TEMPLATE_CHANGE_MODES, VAULT_CHANGE_MODES } from "../constants";
import { AffinitySchema, ConstraintSchema } from "./constraint";
import { ConsulSchema } from "./consul";
import { WorkloadIdentitySchema } from "./identity";
import { RestartPolicySchema } from "./policies";
import { anyMap, block, bool, durationNs, intNum, listOf, oneOf, str, strList, strMap } from "./primitives";
import { ResourcesSchema } from "./resources";
import { ScalingPolicySchema } from "./scaling";
import { ServiceSchema } from "./service";

/** When a task runs relative to the main tasks. */
export const TaskLifecycleSchema = block({
  Hook: oneOf(["", ...LIFECYCLE_HOOKS]).describe('"prestart", "poststart" or "poststop"; required when the block is set.'),
  Sidecar: bool().describe("Keep running alongside the main tasks."),
}).describe("TaskLifecycle: prestart/poststart/poststop hooks (api.TaskLifecycle).");
/** A TaskLifecycle block. */
export type TaskLifecycle = z.infer<typeof TaskLifecycleSchema>;

/** Log rotation of a task. */
export const LogConfigSchema = block({
  MaxFiles: intNum().describe("Rotated files kept per stream; default 10; at least 1."),
  MaxFileSizeMB: intNum().describe("Size of one file in MiB; default 10; at least 1."),
  Enabled: bool().describe("Deprecated: not forwarded to the server; use Disabled."),
  Disabled: bool().describe("Disable log collection; default false."),
}).describe("LogConfig: log rotation (api.LogConfig, HCL logs).");
/** A LogConfig block. */
export type LogConfig = z.infer<typeof LogConfigSchema>;

/** A file fetched with go-getter before the task starts. */
export const TaskArtifactSchema = block({
  GetterSource: str().describe("URL to fetch (HCL source); required."),
  GetterOptions: strMap().describe("go-getter options (checksum, ...)."),
  GetterHeaders: strMap().describe("HTTP headers."),
  GetterMode: oneOf(["", ...GETTER_MODES]).describe('"any" (default), "file" or "dir".'),
  GetterInsecure: bool().describe("Skip TLS verification; default false."),
  RelativeDest: str().describe('Destination inside the task directory (HCL destination); default "local/", or "local/<file>" in file mode.'),
  Chown: bool().describe("Chown the downloaded files to the task user."),
}).describe("TaskArtifact: a file fetched before the task starts (api.TaskArtifact).");
/** A TaskArtifact block. */
export type TaskArtifact = z.infer<typeof TaskArtifactSchema>;

/** A script run when a template changes (ChangeMode "script"). */
export const ChangeScriptSchema = block({
  Command: str().describe("Command to run; required."),
  Args: strList(),
  Timeout: durationNs().describe("Timeout (ns); default 5s."),
  FailOnError: bool().describe("Kill the task when the script fails; default false."),
  RunOnFirstRender: bool().describe("Also run on the first render; default false."),
}).describe("ChangeScript: script run on template change (api.ChangeScript).");
/** A ChangeScript block. */
export type ChangeScript = z.infer<typeof ChangeScriptSchema>;

/** Quiescence timers of a template. */
export const WaitConfigSchema = block({
  Min: durationNs().describe("Minimum wait (ns) before rendering."),
  Max: durationNs().describe("Maximum wait (ns) before rendering."),
}).describe("WaitConfig: template quiescence (api.WaitConfig).");
/** A WaitConfig block. */
export type WaitConfig = z.infer<typeof WaitConfigSchema>;

/** A consul-template rendered into the task directory. */
export const TemplateSchema = block({
  SourcePath: str().describe("Template file on the client (HCL source)."),
  DestPath: str().describe("Rendered file, relative to the task directory (HCL destination); required."),
  EmbeddedTmpl: str().describe("Inline template (HCL data)."),
  ChangeMode: oneOf(["", ...TEMPLATE_CHANGE_MODES]).describe('"restart" (default), "signal", "noop" or "script".'),
  ChangeScript: ChangeScriptSchema.nullish(),
  ChangeSignal: str().describe('Signal for ChangeMode "signal"; default "SIGHUP" there.'),
  Once: bool().describe("Render only once; default false."),
  Splay: durationNs().describe("Random delay (ns) before a change action; default 5s."),
  Perms: str().describe('Octal file mode; default "0644".'),
  Uid: intNum().describe("File owner uid."),
  Gid: intNum().describe("File owner gid."),
  LeftDelim: str().describe('Default "{{".'),
  RightDelim: str().describe('Default "}}".'),
  Envvars: bool().describe("Parse the result as environment variables (HCL env); default false."),
  VaultGrace: durationNs().describe("Deprecated: ignored."),
  Wait: WaitConfigSchema.nullish(),
  ErrMissingKey: bool().describe("Fail on a missing map key (HCL error_on_missing_key); default false."),
}).describe("Template: a rendered consul-template (api.Template).");
/** A Template block. */
export type Template = z.infer<typeof TemplateSchema>;

/** Vault access of a task. */
export const VaultSchema = block({
  Policies: strList().describe("Deprecated: not forwarded; Vault access uses workload identities and Role."),
  Role: str().describe("Vault role used to derive the token."),
  Namespace: str().describe("Vault namespace; default Job.VaultNamespace."),
  Cluster: str().describe('Vault cluster from the agent config; default "default".'),
  Env: bool().describe("Expose VAULT_TOKEN; default true."),
  DisableFile: bool().describe("Do not write the token to the secrets directory; default false."),
  ChangeMode: oneOf(["", ...VAULT_CHANGE_MODES]).describe('"restart" (default), "signal" or "noop".'),
  ChangeSignal: str().describe('Signal for ChangeMode "signal"; default "SIGHUP".'),
  AllowTokenExpiration: bool().describe("Let the token expire instead of renewing; default false."),
}).describe("Vault: Vault token for a task (api.Vault).");
/** A Vault block. */
export type Vault = z.infer<typeof VaultSchema>;

/** Where a dispatched job's payload is written. */
export const DispatchPayloadConfigSchema = block({
  File: str().describe("File relative to the task's local/ directory; must not escape it."),
}).describe("DispatchPayloadConfig: payload file of a dispatched job (api.DispatchPayloadConfig).");
/** A DispatchPayloadConfig block. */
export type DispatchPayloadConfig = z.infer<typeof DispatchPayloadConfigSchema>;

/** Mounts a group volume into a task. */
export const VolumeMountSchema = block({
  Volume: str().describe("Name of a volume of the group's Volumes."),
  Destination: str().describe("Path inside the task."),
  ReadOnly: bool().describe("Default false."),
  PropagationMode: oneOf(["", ...PROPAGATION_MODES]).describe('"private" (default), "host-to-task" or "bidirectional".'),
  SELinuxLabel: str().describe('"", "z" or "Z".'),
}).describe("VolumeMount: a group volume mounted into a task (api.VolumeMount).");
/** A VolumeMount block. */
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

/** Marks a task as a CSI plugin. */
export const TaskCSIPluginConfigSchema = block({
  ID: str().describe("Plugin ID; required."),
  Type: oneOf(["", ...CSI_PLUGIN_TYPES]).describe('"node", "controller" or "monolith"; required.'),
  MountDir: str().describe('Where the plugin expects its socket; default "/csi".'),
  StagePublishBaseDir: str().describe('Default "/local/csi".'),
  HealthTimeout: durationNs().describe("Default 30s."),
}).describe("TaskCSIPluginConfig: CSI plugin task (api.TaskCSIPluginConfig).");
/** A TaskCSIPluginConfig block. */
export type TaskCSIPluginConfig = z.infer<typeof TaskCSIPluginConfigSchema>;

/** A secret from a secrets provider, exposed to the task. */
export const SecretSchema = block({
  Name: str().describe("Secret name; required and unique in the task."),
  Provider: str().describe('Provider, e.g. "nomad" or "vault".'),
  Path: str().describe("Path of the secret at the provider."),
  Config: anyMap(),
  Env: strMap(),
}).describe("Secret: a secret from a provider (api.Secret).");
/** A Secret block. */
export type Secret = z.infer<typeof SecretSchema>;

/** A command operators can run in the task with `nomad action`. */
export const ActionSchema = block({
  Name: str().describe("Action name; required and unique in the task."),
  Command: str().describe("Command to run; required."),
  Args: strList(),
}).describe("Action: an operator command (api.Action).");
/** An Action block. */
export type Action = z.infer<typeof ActionSchema>;

/** A time window the task runs in (Enterprise). */
export const TaskScheduleSchema = block({
  Cron: block({
    Start: str().describe("Cron expression of the window start."),
    End: str().describe("Cron expression of the window end."),
    Timezone: str().describe("IANA time zone."),
  }).nullish(),
}).describe("TaskSchedule: run the task only in a time window (api.TaskSchedule, Enterprise).");
/** A TaskSchedule block. */
export type TaskSchedule = z.infer<typeof TaskScheduleSchema>;

/** One task: a process run by a driver. */
export const TaskSchema = block({
  Name: str().describe("Task name; required, unique in the group."),
  Driver: str().describe('Task driver, e.g. "docker", "exec", "raw_exec"; required.'),
  User: str().describe("User to run the task as."),
  Lifecycle: TaskLifecycleSchema.nullish(),
  Config: anyMap().describe("Driver configuration; keys are snake_case as in HCL."),
  Constraints: listOf(ConstraintSchema),
  Affinities: listOf(AffinitySchema),
  Env: strMap().describe("Environment variables."),
  Services: listOf(ServiceSchema),
  Resources: ResourcesSchema.nullish(),
  RestartPolicy: RestartPolicySchema.nullish().describe("Merged over the group's RestartPolicy."),
  Meta: strMap(),
  KillTimeout: durationNs().describe("Time (ns) between the kill signal and SIGKILL; default 5s."),
  LogConfig: LogConfigSchema.nullish(),
  Artifacts: listOf(TaskArtifactSchema),
  Vault: VaultSchema.nullish(),
  Consul: ConsulSchema.nullish(),
  Templates: listOf(TemplateSchema),
  DispatchPayload: DispatchPayloadConfigSchema.nullish(),
  VolumeMounts: listOf(VolumeMountSchema),
  CSIPluginConfig: TaskCSIPluginConfigSchema.nullish(),
  Leader: bool().describe("When the leader task exits, the other tasks are stopped."),
  ShutdownDelay: durationNs().describe("Delay (ns) between service deregistration and the kill signal."),
  KillSignal: str().describe('Signal sent to stop the task; default "SIGINT" (driver-dependent).'),
  Kind: str().describe("Server-set for Connect sidecars and gateways."),
  ScalingPolicies: listOf(ScalingPolicySchema).describe("Vertical scaling policies (Enterprise)."),
  Secrets: listOf(SecretSchema),
  Identity: WorkloadIdentitySchema.nullish().describe('The default identity; the server gives every task {Name "default", Audience ["nomadproject.io"]}.'),
  Identities: listOf(WorkloadIdentitySchema),
  Actions: listOf(ActionSchema),
  Schedule: TaskScheduleSchema.nullish(),
}).describe("Task: a process run by a driver (api.Task).");
/** A Task block. */
export type Task = z.infer<typeof TaskSchema>;
