/**
 * How HCL names map to the api.Job JSON keys: the `hcl:"..."` tags of
 * Nomad's api structs (`api/*.go`) where they differ from the field name in
 * snake_case, the blocks that carry a label and where it goes, and keys that
 * HCL cannot set (read-only fields without an hcl tag).
 */

/** Per block (by model name): HCL name → JSON key, where the generic rule (snake_case of the key, plural for repeated blocks) does not apply. */
export const HCL_NAME_EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Job: { group: "TaskGroups", parameterized: "ParameterizedJob" },
  TaskGroup: {
    restart: "RestartPolicy",
    reschedule: "ReschedulePolicy",
    network: "Networks",
    task: "Tasks",
    volume: "Volumes",
    service: "Services",
  },
  Task: { restart: "RestartPolicy", logs: "LogConfig", csi_plugin: "CSIPluginConfig", scaling: "ScalingPolicies", identity: "Identities" },
  LogConfig: { max_file_size: "MaxFileSizeMB" },
  Resources: {
    memory: "MemoryMB",
    memory_max: "MemoryMaxMB",
    disk: "DiskMB",
    network: "Networks",
    device: "Devices",
    secrets: "SecretsMB",
  },
  NetworkResource: { port: "DynamicPorts" },
  Port: { static: "Value" },
  Service: { port: "PortLabel", check: "Checks", task: "TaskName" },
  ServiceCheck: { port: "PortLabel", task: "TaskName" },
  Spread: { target: "SpreadTarget" },
  EphemeralDisk: { size: "SizeMB" },
  TaskArtifact: {
    source: "GetterSource",
    options: "GetterOptions",
    headers: "GetterHeaders",
    mode: "GetterMode",
    insecure: "GetterInsecure",
    destination: "RelativeDest",
  },
  Template: {
    source: "SourcePath",
    destination: "DestPath",
    data: "EmbeddedTmpl",
    left_delimiter: "LeftDelim",
    right_delimiter: "RightDelim",
    env: "Envvars",
    error_on_missing_key: "ErrMissingKey",
  },
  WorkloadIdentity: { aud: "Audience" },
  PeriodicConfig: { cron: "Spec", crons: "Specs" },
  Multiregion: { region: "Regions" },
  JobUIConfig: { link: "Links" },
  SidecarTask: { logs: "LogConfig", volume_mount: "VolumeMounts", identity: "Identities" },
};

/** JSON keys that HCL cannot set (no hcl tag in Nomad's api structs), per block. */
export const HCL_HIDDEN_KEYS: Readonly<Record<string, readonly string[]>> = {
  Job: [
    "Stop",
    "ParentID",
    "Dispatched",
    "DispatchIdempotencyToken",
    "Payload",
    "ConsulNamespace",
    "VaultNamespace",
    "NomadTokenID",
    "Status",
    "StatusDescription",
    "Stable",
    "Version",
    "SubmitTime",
    "CreateIndex",
    "ModifyIndex",
    "JobModifyIndex",
    "VersionTag",
    "TaskGroups",
  ],
  ConsulProxy: ["ExposeConfig"],
  Task: ["Identity"],
  ScalingPolicy: ["ID", "Namespace", "Target", "CreateIndex", "ModifyIndex"],
  PeriodicConfig: ["SpecType"],
};

/** Blocks whose single label sets a field: model name → JSON key. */
export const LABEL_KEYS: Readonly<Record<string, string>> = {
  TaskGroup: "Name",
  Task: "Name",
  Port: "Label",
  RequestedDevice: "Name",
  SpreadTarget: "Value",
  MultiregionRegion: "Name",
  Secret: "Name",
  Action: "Name",
  VolumeRequest: "Name",
};

/** Word spellings of Go's initialisms, for snake_case → PascalCase of free-form api structs (Consul gateways, expose, transparent proxy). */
export const INITIALISMS: Readonly<Record<string, string>> = {
  id: "ID",
  tls: "TLS",
  sds: "SDS",
  ttl: "TTL",
  url: "URL",
  uid: "UID",
  cpu: "CPU",
  ip: "IP",
  dns: "DNS",
  cni: "CNI",
  csi: "CSI",
  http: "HTTP",
  grpc: "GRPC",
  sni: "SNI",
  ca: "CA",
  cidr: "CIDR",
  cidrs: "CIDRs",
  uids: "UIDs",
  selinux: "SELinux",
};

/** Repeated blocks of the free-form api structs and their plural JSON keys. */
export const OPAQUE_BLOCK_KEYS: Readonly<Record<string, string>> = {
  listener: "Listeners",
  service: "Services",
  path: "Paths",
  upstreams: "Upstreams",
};

/** Blocks of the free-form api structs that stay free-form maps (keys as written), e.g. Envoy `config`. */
export const OPAQUE_RAW_BLOCKS: ReadonlySet<string> = new Set(["config", "add", "set", "meta"]);

/** snake_case → PascalCase with Go's initialisms. */
export function pascalCase(name: string): string {
  return name
    .split("_")
    .map((w) => INITIALISMS[w.toLowerCase()] ?? w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** PascalCase (with Go's initialisms) → snake_case: "MinHealthyTime" → "min_healthy_time", "TLSServerName" → "tls_server_name". */
export function snakeCase(key: string): string {
  return key
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}
