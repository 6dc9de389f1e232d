/**
 * Tasks and what they carry (`api/tasks.go`, `api/task_sched.go`): Task,
 * TaskLifecycle, LogConfig, TaskArtifact, Template, ChangeScript,
 * WaitConfig, Vault, DispatchPayloadConfig, VolumeMount,
 * TaskCSIPluginConfig, Secret, Action and TaskSchedule.
 */
import { z } from "zod";
import {
  CSI_PLUGIN_TYPES,
  GETTER_MODES,
  LIFECYCLE_HOOKS,
  PROPAGATION_MODES,
  TEMPLATE_CHANGE_MODES,
  VAULT_CHANGE_MODES,
} from "../constants";
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
  /** "prestart", "poststart" or "poststop"; required when the block is set. */
  Hook: oneOf(["", ...LIFECYCLE_HOOKS]).describe('"prestart", "poststart" or "poststop"; required when the block is set.'),
  /** Keep running alongside the main tasks. */
  Sidecar: bool().describe("Keep running alongside the main tasks."),
}).describe("TaskLifecycle: prestart/poststart/poststop hooks (api.TaskLifecycle).");
/** A TaskLifecycle block. */
export type TaskLifecycle = z.infer<typeof TaskLifecycleSchema>;

/** Log rotation of a task. */
export const LogConfigSchema = block({
  /** Rotated files kept per stream; default 10; at least 1. */
  MaxFiles: intNum().describe("Rotated files kept per stream; default 10; at least 1."),
  /** Size of one file in MiB; default 10; at least 1. */
  MaxFileSizeMB: intNum().describe("Size of one file in MiB; default 10; at least 1."),
  /** Deprecated: not forwarded to the server; use Disabled. */
  Enabled: bool().describe("Deprecated: not forwarded to the server; use Disabled."),
  /** Disable log collection; default false. */
  Disabled: bool().describe("Disable log collection; default false."),
}).describe("LogConfig: log rotation (api.LogConfig, HCL logs).");
/** A LogConfig block. */
export type LogConfig = z.infer<typeof LogConfigSchema>;

/** A file fetched with go-getter before the task starts. */
export const TaskArtifactSchema = block({
  /** URL to fetch (HCL source); required. */
  GetterSource: str().describe("URL to fetch (HCL source); required."),
  /** go-getter options (checksum, ...). */
  GetterOptions: strMap().describe("go-getter options (checksum, ...)."),
  /** HTTP headers. */
  GetterHeaders: strMap().describe("HTTP headers."),
  /** "any" (default), "file" or "dir". */
  GetterMode: oneOf(["", ...GETTER_MODES]).describe('"any" (default), "file" or "dir".'),
  /** Skip TLS verification; default false. */
  GetterInsecure: bool().describe("Skip TLS verification; default false."),
  /** Destination inside the task directory (HCL destination); default "local/", or "local/<file>" in file mode. */
  RelativeDest: str().describe(
    'Destination inside the task directory (HCL destination); default "local/", or "local/<file>" in file mode.',
  ),
  /** Chown the downloaded files to the task user. */
  Chown: bool().describe("Chown the downloaded files to the task user."),
}).describe("TaskArtifact: a file fetched before the task starts (api.TaskArtifact).");
/** A TaskArtifact block. */
export type TaskArtifact = z.infer<typeof TaskArtifactSchema>;

/** A script run when a template changes (ChangeMode "script"). */
export const ChangeScriptSchema = block({
  /** Command to run; required. */
  Command: str().describe("Command to run; required."),
  /** Arguments. */
  Args: strList().describe("Arguments."),
  /** Timeout (ns); default 5s. */
  Timeout: durationNs().describe("Timeout (ns); default 5s."),
  /** Kill the task when the script fails; default false. */
  FailOnError: bool().describe("Kill the task when the script fails; default false."),
  /** Also run on the first render; default false. */
  RunOnFirstRender: bool().describe("Also run on the first render; default false."),
}).describe("ChangeScript: script run on template change (api.ChangeScript).");
/** A ChangeScript block. */
export type ChangeScript = z.infer<typeof ChangeScriptSchema>;

/** Quiescence timers of a template. */
export const WaitConfigSchema = block({
  /** Minimum wait (ns) before rendering. */
  Min: durationNs().describe("Minimum wait (ns) before rendering."),
  /** Maximum wait (ns) before rendering. */
  Max: durationNs().describe("Maximum wait (ns) before rendering."),
}).describe("WaitConfig: template quiescence (api.WaitConfig).");
/** A WaitConfig block. */
export type WaitConfig = z.infer<typeof WaitConfigSchema>;

/** A consul-template rendered into the task directory. */
export const TemplateSchema = block({
  /** Template file on the client (HCL source). */
  SourcePath: str().describe("Template file on the client (HCL source)."),
  /** Rendered file, relative to the task directory (HCL destination); required. */
  DestPath: str().describe("Rendered file, relative to the task directory (HCL destination); required."),
  /** Inline template (HCL data). */
  EmbeddedTmpl: str().describe("Inline template (HCL data)."),
  /** "restart" (default), "signal", "noop" or "script". */
  ChangeMode: oneOf(["", ...TEMPLATE_CHANGE_MODES]).describe('"restart" (default), "signal", "noop" or "script".'),
  /** Script run on change when ChangeMode is "script". */
  ChangeScript: ChangeScriptSchema.nullish().describe('Script run on change when ChangeMode is "script".'),
  /** Signal for ChangeMode "signal"; default "SIGHUP" there. */
  ChangeSignal: str().describe('Signal for ChangeMode "signal"; default "SIGHUP" there.'),
  /** Render only once; default false. */
  Once: bool().describe("Render only once; default false."),
  /** Random delay (ns) before a change action; default 5s. */
  Splay: durationNs().describe("Random delay (ns) before a change action; default 5s."),
  /** Octal file mode; default "0644". */
  Perms: str().describe('Octal file mode; default "0644".'),
  /** File owner uid. */
  Uid: intNum().describe("File owner uid."),
  /** File owner gid. */
  Gid: intNum().describe("File owner gid."),
  /** Default "{{". */
  LeftDelim: str().describe('Default "{{".'),
  /** Default "}}". */
  RightDelim: str().describe('Default "}}".'),
  /** Parse the result as environment variables (HCL env); default false. */
  Envvars: bool().describe("Parse the result as environment variables (HCL env); default false."),
  /** Deprecated: ignored. */
  VaultGrace: durationNs().describe("Deprecated: ignored."),
  /** Minimum and maximum quiescence before rendering. */
  Wait: WaitConfigSchema.nullish().describe("Minimum and maximum quiescence before rendering."),
  /** Fail on a missing map key (HCL error_on_missing_key); default false. */
  ErrMissingKey: bool().describe("Fail on a missing map key (HCL error_on_missing_key); default false."),
}).describe("Template: a rendered consul-template (api.Template).");
/** A Template block. */
export type Template = z.infer<typeof TemplateSchema>;

/** Vault access of a task. */
export const VaultSchema = block({
  /** Deprecated: not forwarded; Vault access uses workload identities and Role. */
  Policies: strList().describe("Deprecated: not forwarded; Vault access uses workload identities and Role."),
  /** Vault role used to derive the token. */
  Role: str().describe("Vault role used to derive the token."),
  /** Vault namespace; default Job.VaultNamespace. */
  Namespace: str().describe("Vault namespace; default Job.VaultNamespace."),
  /** Vault cluster from the agent config; default "default". */
  Cluster: str().describe('Vault cluster from the agent config; default "default".'),
  /** Expose VAULT_TOKEN; default true. */
  Env: bool().describe("Expose VAULT_TOKEN; default true."),
  /** Do not write the token to the secrets directory; default false. */
  DisableFile: bool().describe("Do not write the token to the secrets directory; default false."),
  /** "restart" (default), "signal" or "noop". */
  ChangeMode: oneOf(["", ...VAULT_CHANGE_MODES]).describe('"restart" (default), "signal" or "noop".'),
  /** Signal for ChangeMode "signal"; default "SIGHUP". */
  ChangeSignal: str().describe('Signal for ChangeMode "signal"; default "SIGHUP".'),
  /** Let the token expire instead of renewing; default false. */
  AllowTokenExpiration: bool().describe("Let the token expire instead of renewing; default false."),
}).describe("Vault: Vault token for a task (api.Vault).");
/** A Vault block. */
export type Vault = z.infer<typeof VaultSchema>;

/** Where a dispatched job's payload is written. */
export const DispatchPayloadConfigSchema = block({
  /** File relative to the task's local/ directory; must not escape it. */
  File: str().describe("File relative to the task's local/ directory; must not escape it."),
}).describe("DispatchPayloadConfig: payload file of a dispatched job (api.DispatchPayloadConfig).");
/** A DispatchPayloadConfig block. */
export type DispatchPayloadConfig = z.infer<typeof DispatchPayloadConfigSchema>;

/** Mounts a group volume into a task. */
export const VolumeMountSchema = block({
  /** Name of a volume of the group's Volumes. */
  Volume: str().describe("Name of a volume of the group's Volumes."),
  /** Path inside the task. */
  Destination: str().describe("Path inside the task."),
  /** Default false. */
  ReadOnly: bool().describe("Default false."),
  /** "private" (default), "host-to-task" or "bidirectional". */
  PropagationMode: oneOf(["", ...PROPAGATION_MODES]).describe('"private" (default), "host-to-task" or "bidirectional".'),
  /** "", "z" or "Z". */
  SELinuxLabel: str().describe('"", "z" or "Z".'),
}).describe("VolumeMount: a group volume mounted into a task (api.VolumeMount).");
/** A VolumeMount block. */
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

/** Marks a task as a CSI plugin. */
export const TaskCSIPluginConfigSchema = block({
  /** Plugin ID; required. */
  ID: str().describe("Plugin ID; required."),
  /** "node", "controller" or "monolith"; required. */
  Type: oneOf(["", ...CSI_PLUGIN_TYPES]).describe('"node", "controller" or "monolith"; required.'),
  /** Where the plugin expects its socket; default "/csi". */
  MountDir: str().describe('Where the plugin expects its socket; default "/csi".'),
  /** Default "/local/csi". */
  StagePublishBaseDir: str().describe('Default "/local/csi".'),
  /** Default 30s. */
  HealthTimeout: durationNs().describe("Default 30s."),
}).describe("TaskCSIPluginConfig: CSI plugin task (api.TaskCSIPluginConfig).");
/** A TaskCSIPluginConfig block. */
export type TaskCSIPluginConfig = z.infer<typeof TaskCSIPluginConfigSchema>;

/** A secret from a secrets provider, exposed to the task. */
export const SecretSchema = block({
  /** Secret name; required and unique in the task. */
  Name: str().describe("Secret name; required and unique in the task."),
  /** Provider, e.g. "nomad" or "vault". */
  Provider: str().describe('Provider, e.g. "nomad" or "vault".'),
  /** Path of the secret at the provider. */
  Path: str().describe("Path of the secret at the provider."),
  /** Opaque configuration (keys as in HCL). */
  Config: anyMap().describe("Opaque configuration (keys as in HCL)."),
  /** Environment variables. */
  Env: strMap().describe("Environment variables."),
}).describe("Secret: a secret from a provider (api.Secret).");
/** A Secret block. */
export type Secret = z.infer<typeof SecretSchema>;

/** A command operators can run in the task with `nomad action`. */
export const ActionSchema = block({
  /** Action name; required and unique in the task. */
  Name: str().describe("Action name; required and unique in the task."),
  /** Command to run; required. */
  Command: str().describe("Command to run; required."),
  /** Arguments. */
  Args: strList().describe("Arguments."),
}).describe("Action: an operator command (api.Action).");
/** An Action block. */
export type Action = z.infer<typeof ActionSchema>;

/** A time window the task runs in (Enterprise). */
export const TaskScheduleSchema = block({
  Cron: block({
    /** Cron expression of the window start. */
    Start: str().describe("Cron expression of the window start."),
    /** Cron expression of the window end. */
    End: str().describe("Cron expression of the window end."),
    /** IANA time zone. */
    Timezone: str().describe("IANA time zone."),
  }).nullish(),
}).describe("TaskSchedule: run the task only in a time window (api.TaskSchedule, Enterprise).");
/** A TaskSchedule block. */
export type TaskSchedule = z.infer<typeof TaskScheduleSchema>;

/** One task: a process run by a driver. */
export const TaskSchema = block({
  /** Task name; required, unique in the group. */
  Name: str().describe("Task name; required, unique in the group."),
  /** Task driver, e.g. "docker", "exec", "raw_exec"; required. */
  Driver: str().describe('Task driver, e.g. "docker", "exec", "raw_exec"; required.'),
  /** User to run the task as. */
  User: str().describe("User to run the task as."),
  /** Makes the task a prestart/poststart/poststop hook; unset for a main task. */
  Lifecycle: TaskLifecycleSchema.nullish().describe("Makes the task a prestart/poststart/poststop hook; unset for a main task."),
  /** Driver configuration; keys are snake_case as in HCL. */
  Config: anyMap().describe("Driver configuration; keys are snake_case as in HCL."),
  /** Hard placement rules; every one must hold on the node. */
  Constraints: listOf(ConstraintSchema).describe("Hard placement rules; every one must hold on the node."),
  /** Soft placement preferences, scored by weight. */
  Affinities: listOf(AffinitySchema).describe("Soft placement preferences, scored by weight."),
  /** Environment variables. */
  Env: strMap().describe("Environment variables."),
  /** Service registrations (Consul or Nomad). */
  Services: listOf(ServiceSchema).describe("Service registrations (Consul or Nomad)."),
  /** CPU, memory, devices; defaults CPU 100 MHz and 300 MiB. */
  Resources: ResourcesSchema.nullish().describe("CPU, memory, devices; defaults CPU 100 MHz and 300 MiB."),
  /** Merged over the group's RestartPolicy. */
  RestartPolicy: RestartPolicySchema.nullish().describe("Merged over the group's RestartPolicy."),
  /** Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}. */
  Meta: strMap().describe("Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}."),
  /** Time (ns) between the kill signal and SIGKILL; default 5s. */
  KillTimeout: durationNs().describe("Time (ns) between the kill signal and SIGKILL; default 5s."),
  /** Log rotation; default 10 files of 10 MiB. */
  LogConfig: LogConfigSchema.nullish().describe("Log rotation; default 10 files of 10 MiB."),
  /** Files fetched before the task starts. */
  Artifacts: listOf(TaskArtifactSchema).describe("Files fetched before the task starts."),
  /** Vault token for the task (workload identity). */
  Vault: VaultSchema.nullish().describe("Vault token for the task (workload identity)."),
  /** Consul cluster, namespace and partition. */
  Consul: ConsulSchema.nullish().describe("Consul cluster, namespace and partition."),
  /** consul-template files rendered into the task directory. */
  Templates: listOf(TemplateSchema).describe("consul-template files rendered into the task directory."),
  /** Where a dispatched job's payload is written. */
  DispatchPayload: DispatchPayloadConfigSchema.nullish().describe("Where a dispatched job's payload is written."),
  /** Group volumes mounted into the task. */
  VolumeMounts: listOf(VolumeMountSchema).describe("Group volumes mounted into the task."),
  /** Marks the task as a CSI plugin. */
  CSIPluginConfig: TaskCSIPluginConfigSchema.nullish().describe("Marks the task as a CSI plugin."),
  /** When the leader task exits, the other tasks are stopped. */
  Leader: bool().describe("When the leader task exits, the other tasks are stopped."),
  /** Delay (ns) between service deregistration and the kill signal. */
  ShutdownDelay: durationNs().describe("Delay (ns) between service deregistration and the kill signal."),
  /** Signal sent to stop the task; default "SIGINT" (driver-dependent). */
  KillSignal: str().describe('Signal sent to stop the task; default "SIGINT" (driver-dependent).'),
  /** Server-set for Connect sidecars and gateways. */
  Kind: str().describe("Server-set for Connect sidecars and gateways."),
  /** Vertical scaling policies (Enterprise). */
  ScalingPolicies: listOf(ScalingPolicySchema).describe("Vertical scaling policies (Enterprise)."),
  /** Secrets from secret providers, exposed to the task. */
  Secrets: listOf(SecretSchema).describe("Secrets from secret providers, exposed to the task."),
  /** The default identity; the server gives every task {Name "default", Audience ["nomadproject.io"]}. */
  Identity: WorkloadIdentitySchema.nullish().describe(
    'The default identity; the server gives every task {Name "default", Audience ["nomadproject.io"]}.',
  ),
  /** Additional workload identities (the default one is Identity). */
  Identities: listOf(WorkloadIdentitySchema).describe("Additional workload identities (the default one is Identity)."),
  /** Commands operators can run in the task with `nomad action`. */
  Actions: listOf(ActionSchema).describe("Commands operators can run in the task with `nomad action`."),
  /** Time window the task runs in (Enterprise). */
  Schedule: TaskScheduleSchema.nullish().describe("Time window the task runs in (Enterprise)."),
}).describe("Task: a process run by a driver (api.Task).");
/** A Task block. */
export type Task = z.infer<typeof TaskSchema>;
