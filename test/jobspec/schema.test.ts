import type { z } from "zod";
import * as jobspec from "../../lib/jobspec";
import { CONSTRAINT_OPERANDS, JOB_TYPES, jobJsonSchema } from "../../lib/jobspec";

type G = Record<string, any>;

/** One valid sample per block schema of the contract. */
const samples: Record<string, unknown> = {
  JobSchema: { ID: "x", TaskGroups: [] },
  TaskGroupSchema: { Name: "g", Count: 2, Tasks: [] },
  TaskSchema: { Name: "t", Driver: "exec", Config: { command: "/bin/true", args: ["-v"] } },
  ServiceSchema: { Name: "web", PortLabel: "http", Tags: ["a"], Provider: "nomad" },
  ServiceCheckSchema: { Type: "http", Path: "/", Interval: 1e10, Timeout: 2e9, Header: { A: ["b"] } },
  CheckRestartSchema: { Limit: 3, Grace: 1e10, IgnoreWarnings: true },
  ConsulConnectSchema: {
    SidecarService: { Proxy: { Upstreams: [{ DestinationName: "db", LocalBindPort: 5432 }] } },
    SidecarTask: { Resources: { CPU: 50 } },
  },
  UpdateStrategySchema: { MaxParallel: 2, Canary: 1, AutoPromote: true },
  MultiregionSchema: { Strategy: { MaxParallel: 1, OnFailure: "fail_all" }, Regions: [{ Name: "east", Count: 2, Datacenters: ["dc1"] }] },
  MultiregionStrategySchema: { MaxParallel: 1 },
  MultiregionRegionSchema: { Name: "west" },
  ConstraintSchema: { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" },
  AffinitySchema: { LTarget: "${node.class}", RTarget: "large", Operand: "=", Weight: -50 },
  SpreadSchema: { Attribute: "${node.datacenter}", Weight: 100, SpreadTarget: [{ Value: "dc1", Percent: 70 }] },
  SpreadTargetSchema: { Value: "dc2", Percent: 30 },
  NetworkResourceSchema: { Mode: "bridge", DynamicPorts: [{ Label: "http", To: 8080 }], DNS: { Servers: ["1.1.1.1"] } },
  PortSchema: { Label: "http", Value: 80, To: 8080, HostNetwork: "public" },
  DNSConfigSchema: { Servers: ["8.8.8.8"], Searches: ["svc"], Options: ["ndots:2"] },
  ResourcesSchema: { CPU: 500, MemoryMB: 256, MemoryMaxMB: 512, Devices: [{ Name: "nvidia/gpu", Count: 1 }] },
  RequestedDeviceSchema: {
    Name: "nvidia/gpu",
    Count: 2,
    Constraints: [{ LTarget: "${device.attr.memory}", RTarget: "4 GiB", Operand: ">=" }],
  },
  RestartPolicySchema: { Interval: 1.8e12, Attempts: 2, Delay: 1.5e10, Mode: "fail" },
  ReschedulePolicySchema: { Attempts: 1, Interval: 8.64e13, Delay: 5e9, DelayFunction: "constant", Unlimited: false },
  MigrateStrategySchema: { MaxParallel: 1, HealthCheck: "task_states" },
  PeriodicConfigSchema: { Spec: "*/15 * * * *", TimeZone: "Europe/Paris", ProhibitOverlap: true },
  ParameterizedJobConfigSchema: { Payload: "required", MetaRequired: ["input"] },
  TemplateSchema: { EmbeddedTmpl: '{{ key "x" }}', DestPath: "local/x", ChangeMode: "signal", ChangeSignal: "SIGHUP" },
  ChangeScriptSchema: { Command: "/reload", Args: ["-f"], Timeout: 5e9 },
  VaultSchema: { Role: "web", ChangeMode: "noop" },
  ConsulSchema: { Namespace: "ns", Cluster: "default", Partition: "p" },
  VolumeRequestSchema: {
    Type: "csi",
    Source: "vol",
    AccessMode: "single-node-writer",
    AttachmentMode: "file-system",
    PerAlloc: true,
    MountOptions: { FSType: "ext4" },
  },
  VolumeMountSchema: { Volume: "data", Destination: "/srv", ReadOnly: true, PropagationMode: "host-to-task" },
  TaskLifecycleSchema: { Hook: "prestart", Sidecar: false },
  LogConfigSchema: { MaxFiles: 3, MaxFileSizeMB: 5, Disabled: false },
  TaskArtifactSchema: {
    GetterSource: "https://e.com/a.tgz",
    GetterOptions: { checksum: "sha256:abc" },
    GetterMode: "file",
    RelativeDest: "local/a",
  },
  DispatchPayloadConfigSchema: { File: "input.json" },
  ScalingPolicySchema: { Min: 1, Max: 10, Policy: { cooldown: "1m", check: { cpu: {} } }, Enabled: true },
  EphemeralDiskSchema: { Sticky: true, Migrate: true, SizeMB: 1024 },
  DisconnectStrategySchema: { LostAfter: 3.6e12, Replace: false, Reconcile: "keep_original" },
  WorkloadIdentitySchema: { Name: "vault_default", Audience: ["vault.io"], TTL: 3.6e12, File: true },
  TaskCSIPluginConfigSchema: { ID: "ebs", Type: "monolith", MountDir: "/csi" },
  JobUISchema: { Description: "My job", Links: [{ Label: "Docs", URL: "https://e.com" }] },
  ActionSchema: { Name: "flush", Command: "/bin/flush", Args: ["--all"] },
  SecretSchema: { Name: "db", Provider: "nomad", Path: "db/creds", Env: { DB_PASS: "password" } },
};

describe("block schemas", () => {
  test.each(Object.entries(samples))("%s parses a valid block and rejects an unknown key", (name, sample) => {
    const schema = (jobspec as unknown as Record<string, z.ZodType>)[name];
    expect(schema).toBeDefined();
    expect(schema.safeParse(sample).success).toBe(true);
    expect(schema.safeParse({ ...(sample as G), NotAField: 1 }).success).toBe(false);
  });

  test("every exported *Schema is covered or a helper shape", () => {
    const exported = Object.keys(jobspec).filter((k) => k.endsWith("Schema") && k !== "jobJsonSchema");
    const covered = new Set(Object.keys(samples));
    const helpers = [
      "JobRegisterRequestSchema",
      "CNIConfigSchema",
      "NUMAResourceSchema",
      "ServiceWeightsSchema",
      "ConsulUpstreamSchema",
      "ConsulProxySchema",
      "ConsulSidecarServiceSchema",
      "SidecarTaskSchema",
      "WaitConfigSchema",
      "TaskScheduleSchema",
      "CSIMountOptionsSchema",
      "JobUILinkSchema",
      "JobVersionTagSchema",
    ];
    expect(exported.filter((k) => !covered.has(k) && !helpers.includes(k))).toEqual([]);
  });

  test("vocabularies", () => {
    expect(JOB_TYPES).toEqual(["service", "batch", "system", "sysbatch"]);
    for (const op of [
      "=",
      "==",
      "is",
      "!=",
      "not",
      "<",
      "<=",
      ">",
      ">=",
      "regexp",
      "version",
      "semver",
      "set_contains",
      "set_contains_all",
      "set_contains_any",
      "distinct_hosts",
      "distinct_property",
      "is_set",
      "is_not_set",
    ])
      expect(CONSTRAINT_OPERANDS).toContain(op);
  });
});

describe("jobJsonSchema", () => {
  const schema = jobJsonSchema() as G;

  test("is draft 2020-12 with a $defs entry per block, and descriptions", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.anyOf).toEqual([{ $ref: "#/$defs/JobRegisterRequest" }, { $ref: "#/$defs/Job" }]);
    for (const b of [
      "Job",
      "TaskGroup",
      "Task",
      "Service",
      "ServiceCheck",
      "Resources",
      "Port",
      "UpdateStrategy",
      "RestartPolicy",
      "Template",
      "VolumeRequest",
    ])
      expect(schema.$defs[b]?.type).toBe("object");
    expect(schema.$defs.Resources.properties.MemoryMB.description).toBe("Memory in MiB; default 300; minimum 10.");
    expect(schema.$defs.Job.description).toMatch(/^Job: a Nomad job/);
  });

  test("rejects unknown keys and lists enums", () => {
    expect(schema.$defs.Task.additionalProperties).toBe(false);
    expect(JSON.stringify(schema.$defs.Job.properties.Type)).toContain('"enum":["service","batch","system","sysbatch"]');
  });

  test("a Task's Config is checked by its driver's schema, conditional on Driver", () => {
    const conditions = schema.$defs.Task.allOf as G[];
    expect(conditions.map((c) => c.if.properties.Driver.const)).toEqual(["docker", "exec", "raw_exec", "java", "qemu", "mock_driver"]);
    const docker = conditions[0].then.properties.Config;
    expect(docker.additionalProperties).toBe(false);
    expect(docker.required).toEqual(["image"]);
    for (const key of [
      "image",
      "command",
      "args",
      "ports",
      "port_map",
      "volumes",
      "mount",
      "auth",
      "labels",
      "logging",
      "network_mode",
      "cap_add",
    ])
      expect(docker.properties).toHaveProperty(key);
    expect(docker.properties).not.toHaveProperty("port");
  });

  test("every $ref resolves to a $defs entry", () => {
    const refs = [...JSON.stringify(schema).matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => !(r in schema.$defs))).toEqual([]);
  });

  test("returns a fresh copy each time", () => {
    const a = jobJsonSchema() as G;
    a.$defs = null;
    expect((jobJsonSchema() as G).$defs).not.toBeNull();
  });
});
