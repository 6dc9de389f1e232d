/**
 * canonicalize against Nomad's own expectations (api/jobs_test.go
 * TestJobs_Canonicalize at aa026cc99c), in drover's representation: nulls and
 * empty lists omitted, plus the server-side defaults drover also applies
 * (Datacenters ["*"], NodePool "default", MemoryMaxMB 0), and without the
 * zero-valued read-only fields (ParentID "", Status "", Version 0 ...).
 */
import type { Job } from "../../lib/jobspec";
import {
  DEFAULT_MIGRATE_STRATEGY,
  DEFAULT_UPDATE_STRATEGY,
  canonicalize,
  defaultReschedulePolicy,
  defaultRestartPolicy,
  formatJobJson,
} from "../../lib/jobspec";
import { fixture } from "./helpers";

type G = Record<string, any>;
const S = 1_000_000_000;
const M = 60 * S;
const H = 60 * M;

const serviceRestart = { Interval: 30 * M, Attempts: 2, Delay: 15 * S, Mode: "fail", RenderTemplates: false };
const batchRestart = { Interval: 24 * H, Attempts: 3, Delay: 15 * S, Mode: "fail", RenderTemplates: false };
const update = {
  Stagger: 30 * S,
  MaxParallel: 1,
  HealthCheck: "checks",
  MinHealthyTime: 10 * S,
  HealthyDeadline: 5 * M,
  ProgressDeadline: 10 * M,
  Canary: 0,
  AutoRevert: false,
  AutoPromote: false,
};
const disk = { Sticky: false, Migrate: false, SizeMB: 300 };
const emptyTask = (restart: object) => ({
  Resources: { CPU: 100, Cores: 0, MemoryMB: 300, MemoryMaxMB: 0 },
  RestartPolicy: restart,
  KillTimeout: 5 * S,
  LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false },
});
const jobHead = (type: string) => ({
  Region: "global",
  Namespace: "default",
  ID: "",
  Name: "",
  Type: type,
  Priority: 50,
  AllAtOnce: false,
  Datacenters: ["*"],
  NodePool: "default",
});

describe("canonicalize: the defaults of each job type (TestJobs_Canonicalize)", () => {
  const input = (type?: string): Job => ({ ...(type ? { Type: type as Job["Type"] } : {}), TaskGroups: [{ Tasks: [{}] }] }) as Job;

  test('service ("empty" case)', () => {
    expect(canonicalize(input())).toEqual({
      ...jobHead("service"),
      TaskGroups: [
        {
          Name: "",
          Count: 1,
          Tasks: [emptyTask(serviceRestart)],
          RestartPolicy: serviceRestart,
          ReschedulePolicy: { Attempts: 0, Interval: 0, Delay: 30 * S, DelayFunction: "exponential", MaxDelay: 1 * H, Unlimited: true },
          EphemeralDisk: disk,
          Update: update,
          Migrate: { MaxParallel: 1, HealthCheck: "checks", MinHealthyTime: 10 * S, HealthyDeadline: 5 * M },
        },
      ],
      Update: update,
      Stop: false,
    });
  });

  test('batch ("batch" case)', () => {
    expect(canonicalize(input("batch"))).toEqual({
      ...jobHead("batch"),
      TaskGroups: [
        {
          Name: "",
          Count: 1,
          Tasks: [emptyTask(batchRestart)],
          RestartPolicy: batchRestart,
          ReschedulePolicy: { Attempts: 1, Interval: 24 * H, Delay: 5 * S, DelayFunction: "constant", MaxDelay: 0, Unlimited: false },
          EphemeralDisk: disk,
        },
      ],
      Stop: false,
    });
  });

  test('system ("missing update for system job" case)', () => {
    expect(canonicalize(input("system"))).toEqual({
      ...jobHead("system"),
      TaskGroups: [
        { Name: "", Count: 1, Tasks: [emptyTask(serviceRestart)], RestartPolicy: serviceRestart, EphemeralDisk: disk, Update: update },
      ],
      Update: update,
      Stop: false,
    });
  });

  test("sysbatch: no update, no reschedule, no migrate, the batch restart policy", () => {
    expect(canonicalize(input("sysbatch"))).toEqual({
      ...jobHead("sysbatch"),
      TaskGroups: [{ Name: "", Count: 1, Tasks: [emptyTask(batchRestart)], RestartPolicy: batchRestart, EphemeralDisk: disk }],
      Stop: false,
    });
  });

  test("the exported defaults are the ones applied", () => {
    expect(DEFAULT_UPDATE_STRATEGY).toEqual(update);
    expect(DEFAULT_MIGRATE_STRATEGY).toEqual({ MaxParallel: 1, HealthCheck: "checks", MinHealthyTime: 10 * S, HealthyDeadline: 5 * M });
    expect(defaultRestartPolicy("system")).toEqual(serviceRestart);
    expect(defaultRestartPolicy("sysbatch")).toEqual(batchRestart);
    expect(defaultReschedulePolicy("system")).toBeUndefined();
  });
});

describe("canonicalize: merges", () => {
  test('job Update merges into groups, the group wins ("update_merge" case)', () => {
    const job = {
      ID: "bar",
      Name: "foo",
      Update: {
        Stagger: 1 * S,
        MaxParallel: 1,
        HealthCheck: "checks",
        MinHealthyTime: 10 * S,
        HealthyDeadline: 6 * M,
        ProgressDeadline: 7 * M,
        AutoRevert: false,
        Canary: 0,
        AutoPromote: false,
      },
      TaskGroups: [
        {
          Name: "bar",
          Consul: { Namespace: "" },
          Update: {
            Stagger: 2 * S,
            MaxParallel: 2,
            HealthCheck: "manual",
            MinHealthyTime: 1 * S,
            AutoRevert: true,
            Canary: 1,
            AutoPromote: true,
          },
          Tasks: [{ Name: "task1" }],
        },
        { Name: "baz", Tasks: [{ Name: "task1" }] },
      ],
    } as Job;
    const c = canonicalize(job);
    const [bar, baz] = c.TaskGroups as G[];
    expect(bar.Update).toEqual({
      Stagger: 2 * S,
      MaxParallel: 2,
      HealthCheck: "manual",
      MinHealthyTime: 1 * S,
      HealthyDeadline: 6 * M,
      ProgressDeadline: 7 * M,
      Canary: 1,
      AutoRevert: true,
      AutoPromote: true,
    });
    expect(baz.Update).toEqual(job.Update);
    expect(bar.Consul).toEqual({ Namespace: "", Cluster: "default" });
    expect(c.Update).toEqual(job.Update);
  });

  test('task RestartPolicy inherits the group\'s ("restart_merge"/"example_template" case)', () => {
    const job = {
      ID: "example_template",
      TaskGroups: [
        {
          Name: "cache",
          RestartPolicy: { Interval: 5 * M, Attempts: 10, Delay: 25 * S, Mode: "delay" },
          Tasks: [{ Name: "redis", RestartPolicy: { Attempts: 20 } }],
        },
      ],
    } as Job;
    const [g] = canonicalize(job).TaskGroups as G[];
    expect(g.RestartPolicy).toEqual({ Interval: 5 * M, Attempts: 10, Delay: 25 * S, Mode: "delay", RenderTemplates: false });
    expect(g.Tasks[0].RestartPolicy).toEqual({ Interval: 5 * M, Attempts: 20, Delay: 25 * S, Mode: "delay", RenderTemplates: false });
  });

  test("job Reschedule and Migrate merge into the groups and leave the job", () => {
    const c = canonicalize({
      ID: "j",
      Reschedule: { Attempts: 0, Delay: 10 * S },
      Migrate: { MaxParallel: 3 },
      TaskGroups: [{ Name: "a", ReschedulePolicy: { MaxDelay: 2 * H }, Tasks: [{ Name: "t" }] }],
    } as Job);
    expect(c.Reschedule).toBeUndefined();
    expect(c.Migrate).toBeUndefined();
    const [g] = c.TaskGroups as G[];
    expect(g.ReschedulePolicy).toEqual({
      Attempts: 0,
      Interval: 0,
      Delay: 10 * S,
      DelayFunction: "exponential",
      MaxDelay: 2 * H,
      Unlimited: true,
    });
    expect(g.Migrate).toEqual({ MaxParallel: 3, HealthCheck: "checks", MinHealthyTime: 10 * S, HealthyDeadline: 5 * M });
  });

  test("Count defaults to Scaling.Min, and Scaling gets Enabled, Min and Type", () => {
    const c = canonicalize({
      ID: "j",
      TaskGroups: [
        { Name: "a", Scaling: { Min: 3, Max: 9 }, Tasks: [{ Name: "t" }] },
        { Name: "b", Count: 2, Scaling: { Max: 9 }, Tasks: [{ Name: "t" }] },
      ],
    } as Job);
    const [a, b] = c.TaskGroups as G[];
    expect([a.Count, a.Scaling]).toEqual([3, { Min: 3, Max: 9, Enabled: true, Type: "horizontal" }]);
    expect([b.Count, b.Scaling]).toEqual([2, { Min: 2, Max: 9, Enabled: true, Type: "horizontal" }]);
  });
});

describe("canonicalize: block defaults", () => {
  const one = (t: G, g: G = {}, j: G = {}) =>
    canonicalize({ ID: "web", ...j, TaskGroups: [{ Name: "app", ...g, Tasks: [{ Name: "srv", Driver: "docker", ...t }] }] } as Job);
  const task0 = (c: Job): G => (c.TaskGroups![0] as G).Tasks[0];

  test("Cores set: CPU is 0", () => {
    expect(task0(one({ Resources: { Cores: 2 } })).Resources).toEqual({ CPU: 0, Cores: 2, MemoryMB: 300, MemoryMaxMB: 0 });
  });

  test("devices get Count 1 and affinity weight 50; NUMA affinity none", () => {
    expect(
      task0(
        one({
          Resources: {
            Devices: [{ Name: "nvidia/gpu", Affinities: [{ LTarget: "${device.model}", RTarget: "x", Operand: "=" }] }],
            NUMA: {},
          },
        }),
      ).Resources,
    ).toMatchObject({
      Devices: [{ Name: "nvidia/gpu", Count: 1, Affinities: [{ LTarget: "${device.model}", RTarget: "x", Operand: "=", Weight: 50 }] }],
      NUMA: { Affinity: "none" },
    });
  });

  test("templates (api.Template.Canonicalize), signal upper-cased", () => {
    const t = task0(
      one({
        Templates: [
          { EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "signal", ChangeSignal: "sigusr1", ChangeScript: { Command: "/r" } },
        ],
      }),
    );
    expect(t.Templates).toEqual([
      {
        SourcePath: "",
        DestPath: "local/a",
        EmbeddedTmpl: "x",
        ChangeMode: "signal",
        ChangeScript: { Command: "/r", Timeout: 5 * S, FailOnError: false, RunOnFirstRender: false },
        ChangeSignal: "SIGUSR1",
        Once: false,
        Splay: 5 * S,
        Perms: "0644",
        LeftDelim: "{{",
        RightDelim: "}}",
        Envvars: false,
        VaultGrace: 0,
        ErrMissingKey: false,
      },
    ]);
  });

  test("artifacts: mode any, destination local/ or local/<file> in file mode", () => {
    const t = task0(
      one({
        Artifacts: [
          { GetterSource: "https://e.com/a/b.tgz" },
          { GetterSource: "https://e.com/a/run.sh", GetterMode: "file" },
          { GetterSource: "x", GetterOptions: {} },
        ],
      }),
    );
    expect(t.Artifacts).toEqual([
      { GetterSource: "https://e.com/a/b.tgz", GetterMode: "any", GetterInsecure: false, RelativeDest: "local/" },
      { GetterSource: "https://e.com/a/run.sh", GetterMode: "file", GetterInsecure: false, RelativeDest: "local/run.sh" },
      { GetterSource: "x", GetterMode: "any", GetterInsecure: false, RelativeDest: "local/" },
    ]);
  });

  test("vault, consul, volume mounts, CSI plugin, lifecycle", () => {
    const t = task0(
      one(
        {
          Vault: { Role: "web" },
          Consul: {},
          VolumeMounts: [{ Volume: "data", Destination: "/srv" }],
          CSIPluginConfig: { ID: "ebs", Type: "node" },
        },
        { Volumes: { data: { Type: "host", Source: "data" } } },
        { VaultNamespace: "ops" },
      ),
    );
    expect(t.Vault).toEqual({
      Role: "web",
      Namespace: "ops",
      Cluster: "default",
      Env: true,
      DisableFile: false,
      ChangeMode: "restart",
      ChangeSignal: "SIGHUP",
      AllowTokenExpiration: false,
    });
    expect(t.Consul).toEqual({ Cluster: "default" });
    expect(t.VolumeMounts).toEqual([
      { Volume: "data", Destination: "/srv", ReadOnly: false, PropagationMode: "private", SELinuxLabel: "" },
    ]);
    expect(t.CSIPluginConfig).toEqual({
      ID: "ebs",
      Type: "node",
      MountDir: "/csi",
      StagePublishBaseDir: "/local/csi",
      HealthTimeout: 30 * S,
    });
  });

  test("services: names, address mode, on_update, provider, task name, interpolation; checks inherit", () => {
    const c = one(
      {
        Services: [
          { PortLabel: "http", CheckRestart: { Limit: 3 }, Checks: [{ Type: "http", Path: "/", Interval: 10 * S, Timeout: 2 * S }] },
          { Name: "${TASK}-${JOB}" },
        ],
      },
      { Services: [{}, { Name: "${BASE}" }], Networks: [{ DynamicPorts: [{ Label: "http" }] }] },
    );
    const g = c.TaskGroups![0] as G;
    const base = { AddressMode: "auto", OnUpdate: "require_healthy", Provider: "consul", Cluster: "default" };
    expect(g.Services).toEqual([
      { Name: "web-app", ...base },
      { Name: "web-app-group", ...base },
    ]);
    expect(g.Tasks[0].Services).toEqual([
      {
        Name: "web-app-srv",
        PortLabel: "http",
        ...base,
        TaskName: "srv",
        CheckRestart: { Limit: 3 },
        Checks: [
          {
            Name: 'service: "web-app-srv" check',
            Type: "http",
            Path: "/",
            Interval: 10 * S,
            Timeout: 2 * S,
            CheckRestart: { Limit: 3, Grace: 1 * S },
            TaskName: "srv",
            OnUpdate: "require_healthy",
          },
        ],
      },
      { Name: "srv-web", ...base, TaskName: "srv" },
    ]);
  });

  test("periodic, parameterized, affinities, spreads, disconnect, multiregion", () => {
    const c = canonicalize({
      ID: "p",
      Type: "batch",
      Periodic: { Spec: "@daily", TimeZone: "" },
      ParameterizedJob: {},
      Affinities: [{ LTarget: "${node.class}", RTarget: "a", Operand: "=" }],
      Spreads: [{ Attribute: "${node.datacenter}" }],
      Multiregion: { Regions: [{ Name: "east" }] },
      TaskGroups: [{ Name: "g", Disconnect: {}, Tasks: [{ Name: "t" }] }],
    } as Job) as G;
    expect(c.Periodic).toEqual({ Enabled: true, Spec: "@daily", SpecType: "cron", ProhibitOverlap: false, TimeZone: "UTC" });
    expect(c.ParameterizedJob).toEqual({ Payload: "optional" });
    expect(c.Affinities[0].Weight).toBe(50);
    expect(c.Spreads[0].Weight).toBe(50);
    expect(c.Multiregion).toEqual({ Strategy: { MaxParallel: 0, OnFailure: "" }, Regions: [{ Name: "east", Count: 1 }] });
    expect(c.TaskGroups[0].Disconnect).toEqual({ LostAfter: 0, Replace: true, Reconcile: "best_score" });
  });

  test('Priority 0, Region "", Namespace "" and NodePool "" take the server\'s defaults; KillTimeout 0 becomes 5s', () => {
    const c = canonicalize({
      ID: "x",
      Priority: 0,
      Region: "",
      Namespace: "",
      NodePool: "",
      TaskGroups: [{ Name: "g", Tasks: [{ Name: "t", KillTimeout: 0 }] }],
    } as Job) as G;
    expect([c.Priority, c.Region, c.Namespace, c.NodePool, c.TaskGroups[0].Tasks[0].KillTimeout]).toEqual([
      50,
      "global",
      "default",
      "default",
      5 * S,
    ]);
  });

  test("adds nothing that depends on the cluster: no implied constraints, identities or sidecars", () => {
    const c = one(
      { Vault: {}, KillSignal: "SIGTERM", Services: [{ Connect: { SidecarService: {} } }] },
      { Networks: [{ Mode: "bridge" }] },
    ) as G;
    const g = c.TaskGroups[0];
    expect(g.Constraints).toBeUndefined();
    expect(g.Tasks).toHaveLength(1);
    expect(g.Tasks[0].Identity).toBeUndefined();
    expect(g.Tasks[0].Identities).toBeUndefined();
  });
});

describe("canonicalize: properties", () => {
  const inputs: [string, unknown][] = [
    ["example job", (fixture("json-jobs__syntax__example-job.json") as G).Job],
    ["example-short", (fixture("command-testdata-example-short.json") as G).Job],
    ["read-back job", fixture("jobs__read-job__sample-response.json")],
    ["create payload", (fixture("jobs__create-job__sample-payload.json") as G).Job],
  ];

  test.each(inputs)("idempotent: %s", (_n, job) => {
    const once = canonicalize(job as Job);
    expect(canonicalize(once)).toEqual(once);
    expect(formatJobJson(canonicalize(once))).toBe(formatJobJson(once));
  });

  test.each(inputs)("pure: %s is not modified and shares nothing with the result", (_n, job) => {
    const before = JSON.stringify(job);
    const out = canonicalize(job as Job) as G;
    expect(JSON.stringify(job)).toBe(before);
    if (out.TaskGroups[0].Tasks[0].Config) out.TaskGroups[0].Tasks[0].Config.mutated = true;
    out.TaskGroups[0].Name = "mutated";
    expect(JSON.stringify(job)).toBe(before);
  });

  test("omits nulls and empty lists and maps", () => {
    const c = canonicalize({
      ID: "x",
      Meta: {},
      Constraints: [],
      Region: null,
      TaskGroups: [{ Name: "g", Meta: null, Tasks: [{ Name: "t", Env: {}, Config: {}, Services: [] }] }],
    } as Job);
    const text = JSON.stringify(c);
    expect(text).not.toContain("null");
    expect(text).not.toMatch(/\[\]|\{\}/);
  });
});
