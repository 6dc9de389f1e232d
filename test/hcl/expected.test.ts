/**
 * Decoded values checked against what Nomad's own parser tests expect
 * (hashicorp/nomad jobspec/parse_test.go at 4972b7382d, whose HCL1 results
 * jobspec2 must reproduce, and jobspec2/parse_test.go), restated here in our
 * own words in the api.Job JSON shape (durations in nanoseconds).
 */
import { fixtureJob } from "./helpers";

const S = 1_000_000_000;
const MIN = 60 * S;
const H = 60 * MIN;

const legacy = (name: string) => fixtureJob(`legacy-jobspec-hcl1/${name}`);

describe("jobspec/parse_test.go expectations (the HCL1 corpus)", () => {
  it("basic.hcl: the job, its update/spread/affinity blocks, and the top-level task", () => {
    const job = legacy("basic.hcl");
    expect(job).toMatchObject({
      ID: "binstore-storagelocker",
      Name: "binstore-storagelocker",
      Region: "fooregion",
      Namespace: "foonamespace",
      NodePool: "dev",
      ConsulToken: "abc",
      VaultToken: "foo",
      Type: "batch",
      Priority: 52,
      AllAtOnce: true,
      Datacenters: ["us2", "eu1"],
      Meta: { foo: "bar" },
      Constraints: [
        { LTarget: "kernel.os", RTarget: "windows", Operand: "=" },
        { LTarget: "${attr.vault.version}", RTarget: ">= 0.6.1", Operand: "semver" },
      ],
      Affinities: [{ LTarget: "${meta.team}", RTarget: "mobile", Operand: "=", Weight: 50 }],
      Spreads: [
        {
          Attribute: "${meta.rack}",
          Weight: 100,
          SpreadTarget: [
            { Value: "r1", Percent: 40 },
            { Value: "r2", Percent: 60 },
          ],
        },
      ],
      Update: {
        Stagger: 60 * S,
        MaxParallel: 2,
        HealthCheck: "manual",
        MinHealthyTime: 10 * S,
        HealthyDeadline: 10 * MIN,
        ProgressDeadline: 10 * MIN,
        AutoRevert: true,
        AutoPromote: true,
        Canary: 1,
      },
    });
    // A task directly in the job block becomes a group of its own, first.
    expect(job.TaskGroups[0]).toEqual({
      Name: "outside",
      Tasks: [{ Name: "outside", Driver: "java", Config: { jar_path: "s3://my-cool-store/foo.jar" }, Meta: { "my-cool-key": "foobar" } }],
    });
  });

  it("basic.hcl: the binsl group", () => {
    const g = legacy("basic.hcl").TaskGroups[1];
    expect(g).toMatchObject({
      Name: "binsl",
      Count: 5,
      Constraints: [{ LTarget: "kernel.os", RTarget: "linux", Operand: "=" }],
      Volumes: {
        foo: { Name: "foo", Type: "host", Source: "/path" },
        bar: {
          Name: "bar",
          Type: "csi",
          Source: "bar-vol",
          ReadOnly: true,
          AccessMode: "single-mode-writer",
          AttachmentMode: "file-system",
          MountOptions: { FSType: "ext4" },
        },
        baz: { Name: "baz", Type: "csi", Source: "bar-vol", PerAlloc: true, MountOptions: { MountFlags: ["ro"] } },
      },
      Affinities: [{ LTarget: "${node.datacenter}", RTarget: "dc2", Operand: "=", Weight: 100 }],
      Meta: { elb_mode: "tcp", elb_interval: "10", elb_checks: "3" },
      RestartPolicy: { Interval: 10 * MIN, Attempts: 5, Delay: 15 * S, Mode: "delay", RenderTemplates: false },
      Spreads: [
        {
          Attribute: "${node.datacenter}",
          Weight: 50,
          SpreadTarget: [
            { Value: "dc1", Percent: 50 },
            { Value: "dc2", Percent: 25 },
            { Value: "dc3", Percent: 25 },
          ],
        },
      ],
      StopAfterClientDisconnect: 120 * S,
      MaxClientDisconnect: 120 * H,
      ReschedulePolicy: { Interval: 12 * H, Attempts: 5 },
      EphemeralDisk: { Sticky: true, SizeMB: 150 },
      Update: {
        MaxParallel: 3,
        HealthCheck: "checks",
        MinHealthyTime: 1 * S,
        HealthyDeadline: 1 * MIN,
        ProgressDeadline: 1 * MIN,
        AutoRevert: false,
        AutoPromote: false,
        Canary: 2,
      },
      Migrate: { MaxParallel: 2, HealthCheck: "task_states", MinHealthyTime: 11 * S, HealthyDeadline: 11 * MIN },
    });
  });

  it("basic.hcl: the binstore task (resources, ports, devices, artifacts, vault, templates)", () => {
    const t = legacy("basic.hcl").TaskGroups[1].Tasks[0];
    expect(t).toMatchObject({
      Name: "binstore",
      Driver: "docker",
      User: "bob",
      Kind: "connect-proxy:test",
      Leader: true,
      KillTimeout: 22 * S,
      ShutdownDelay: 11 * S,
      Config: { image: "hashicorp/binstore", labels: [{ FOO: "bar" }] },
      VolumeMounts: [{ Volume: "foo", Destination: "/mnt/foo" }],
      Affinities: [{ LTarget: "${meta.foo}", RTarget: "a,b,c", Operand: "set_contains", Weight: 25 }],
      RestartPolicy: { Attempts: 10 },
      Env: { HELLO: "world", LOREM: "ipsum" },
      LogConfig: { MaxFiles: 14, MaxFileSizeMB: 101, Disabled: false },
      Vault: { Namespace: "ns1", Policies: ["foo", "bar"], Env: true, DisableFile: false, ChangeMode: "restart" },
    });
    expect(t.Services[0]).toMatchObject({
      Tags: ["foo", "bar"],
      CanaryTags: ["canary", "bam"],
      Meta: { abc: "123" },
      CanaryMeta: { canary: "boom" },
      PortLabel: "http",
      Checks: [
        {
          Name: "check-name",
          Type: "tcp",
          PortLabel: "admin",
          Interval: 10 * S,
          Timeout: 2 * S,
          GRPCService: "foo.Bar",
          GRPCUseTLS: true,
          CheckRestart: { Limit: 3, Grace: 10 * S, IgnoreWarnings: true },
        },
      ],
    });
    expect(t.Resources).toEqual({
      CPU: 500,
      MemoryMB: 128,
      MemoryMaxMB: 256,
      Networks: [
        {
          MBits: 100,
          ReservedPorts: [
            { Label: "one", Value: 1 },
            { Label: "two", Value: 2 },
            { Label: "three", Value: 3 },
          ],
          DynamicPorts: [{ Label: "http" }, { Label: "https" }, { Label: "admin" }],
        },
      ],
      Devices: [
        {
          Name: "nvidia/gpu",
          Count: 10,
          Constraints: [{ LTarget: "${device.attr.memory}", RTarget: "2GB", Operand: ">" }],
          Affinities: [{ LTarget: "${device.model}", RTarget: "1080ti", Operand: "=", Weight: 50 }],
        },
        { Name: "intel/gpu" },
      ],
    });
    expect(t.Artifacts).toEqual([
      { GetterSource: "http://foo.com/artifact", GetterOptions: { checksum: "md5:b8a4f3f72ecab0510a6a31e997461c5f" } },
      {
        GetterSource: "http://bar.com/artifact",
        RelativeDest: "test/foo/",
        GetterOptions: { checksum: "md5:ff1cc0d3432dad54d607c1505fb7245c" },
        GetterMode: "file",
      },
    ]);
    expect(t.Templates[0]).toMatchObject({
      SourcePath: "foo",
      DestPath: "foo",
      ChangeMode: "foo",
      ChangeSignal: "foo",
      Splay: 10 * S,
      Perms: "0644",
      Envvars: true,
      VaultGrace: 33 * S,
      ErrMissingKey: true,
    });
    expect(t.Templates[1]).toMatchObject({
      SourcePath: "bar",
      DestPath: "bar",
      ChangeMode: "script",
      ChangeScript: { Command: "/bin/foo", Args: ["-debug", "-verbose"], Timeout: 5 * S, FailOnError: false },
      Perms: "777",
      Uid: 1001,
      Gid: 20,
      LeftDelim: "--",
      RightDelim: "__",
    });
    const locker = legacy("basic.hcl").TaskGroups[1].Tasks[1];
    expect(locker).toMatchObject({
      Name: "storagelocker",
      Driver: "docker",
      Lifecycle: { Hook: "prestart", Sidecar: true },
      Vault: { Policies: ["foo", "bar"], Env: false, DisableFile: false, ChangeMode: "signal", ChangeSignal: "SIGUSR1" },
    });
  });

  it("constraint shorthands: distinct_hosts, distinct_property, version, regexp, set_contains", () => {
    expect(legacy("distinctHosts-constraint.hcl").Constraints).toEqual([{ LTarget: "", RTarget: "true", Operand: "distinct_hosts" }]);
    expect(legacy("distinctProperty-constraint.hcl").Constraints).toEqual([
      { LTarget: "${meta.rack}", RTarget: "", Operand: "distinct_property" },
    ]);
    expect(legacy("version-constraint.hcl").Constraints).toEqual([
      { LTarget: "$attr.kernel.version", RTarget: "~> 3.2", Operand: "version" },
    ]);
    expect(legacy("regexp-constraint.hcl").Constraints).toEqual([
      { LTarget: "$attr.kernel.version", RTarget: "[0-9.]+", Operand: "regexp" },
    ]);
    expect(legacy("set-contains-constraint.hcl").Constraints).toEqual([
      { LTarget: "$meta.data", RTarget: "foo,bar,baz", Operand: "set_contains" },
    ]);
  });

  it("periodic crons, parameterized jobs and dispatch payloads", () => {
    expect(legacy("periodic-crons.hcl").Periodic).toEqual({
      SpecType: "cron",
      Specs: ["*/5 * * *", "*/7 * * *"],
      ProhibitOverlap: true,
      TimeZone: "Europe/Minsk",
    });
    const p = legacy("parameterized_job.hcl");
    expect(p.ParameterizedJob).toEqual({ Payload: "required", MetaRequired: ["foo", "bar"], MetaOptional: ["baz", "bam"] });
    expect(p.TaskGroups[0]).toMatchObject({
      Name: "foo",
      Tasks: [{ Name: "bar", Driver: "docker", DispatchPayload: { File: "foo/bar" } }],
    });
  });

  it("job id and name, a single cron, migrate blocks, a group service check with its task", () => {
    expect(legacy("specify-job.hcl")).toEqual({ ID: "job1", Name: "My Job" });
    expect(legacy("periodic-cron.hcl").Periodic).toEqual({
      SpecType: "cron",
      Spec: "*/5 * * *",
      ProhibitOverlap: true,
      TimeZone: "Europe/Minsk",
    });
    const m = legacy("migrate-job.hcl");
    expect(m.Migrate).toEqual({ MaxParallel: 2, HealthCheck: "task_states", MinHealthyTime: 11 * S, HealthyDeadline: 11 * MIN });
    expect(m.TaskGroups[0].Migrate).toEqual({ MaxParallel: 3, HealthCheck: "checks", MinHealthyTime: 1 * S, HealthyDeadline: 1 * MIN });
    expect(legacy("tg-service-check.hcl").TaskGroups[0]).toEqual({
      Name: "group",
      Count: 1,
      Networks: [{ Mode: "bridge", ReservedPorts: [{ Label: "http", Value: 80, To: 8080 }] }],
      Services: [
        {
          Name: "foo-service",
          PortLabel: "http",
          OnUpdate: "ignore",
          Checks: [
            {
              Name: "check-name",
              Type: "script",
              Command: "/bin/true",
              Interval: 10 * S,
              Timeout: 2 * S,
              InitialStatus: "passing",
              TaskName: "foo",
              OnUpdate: "ignore",
              Body: "post body",
            },
          ],
        },
      ],
      Tasks: [{ Name: "foo" }],
    });
    expect(legacy("tg-network-with-hostname.hcl").TaskGroups[0].Networks).toEqual([
      { Mode: "bridge", Hostname: "foobar", ReservedPorts: [{ Label: "http", Value: 80, To: 8080, HostNetwork: "public" }] },
    ]);
    expect(legacy("tg-service-enable-tag-override.hcl").TaskGroups[0].Services).toEqual([{ Name: "example", EnableTagOverride: true }]);
    expect(legacy("service-meta.hcl").TaskGroups[0].Tasks[0].Services).toEqual([{ Name: "http-service", Meta: { foo: "bar" } }]);
  });

  it("multiregion, reschedule, csi_plugin, cores", () => {
    expect(legacy("multiregion.hcl").Multiregion).toEqual({
      Strategy: { MaxParallel: 1, OnFailure: "fail_all" },
      Regions: [
        { Name: "west", Count: 2, Datacenters: ["west-1"], Meta: { region_code: "W" } },
        { Name: "east", Count: 1, Datacenters: ["east-1", "east-2"], Meta: { region_code: "E" } },
      ],
    });
    expect(legacy("reschedule-job.hcl").Reschedule).toEqual({ Attempts: 15, Interval: 30 * MIN, DelayFunction: "constant", Delay: 10 * S });
    expect(legacy("csi-plugin.hcl").TaskGroups[0].Tasks[0].CSIPluginConfig).toEqual({
      ID: "org.hashicorp.csi",
      Type: "monolith",
      MountDir: "/csi/test",
      HealthTimeout: 1 * MIN,
    });
    expect(legacy("resources-cores.hcl").TaskGroups[0].Tasks[0].Resources).toEqual({ Cores: 4, MemoryMB: 128 });
  });

  it("nested driver config becomes lists of maps; artifacts keep their options and headers", () => {
    expect(legacy("task-nested-config.hcl").TaskGroups[0].Tasks[0].Config).toEqual({ image: "hashicorp/image", port_map: [{ db: 1234 }] });
    expect(legacy("artifacts.hcl").TaskGroups[0].Tasks[0].Artifacts).toEqual([
      { GetterSource: "http://foo.com/bar", GetterOptions: { foo: "bar" }, RelativeDest: "" },
      { GetterSource: "http://foo.com/baz" },
      { GetterSource: "http://foo.com/bam", RelativeDest: "var/foo" },
      { GetterSource: "https://example.com/file.txt", GetterHeaders: { "User-Agent": "nomad", "X-Nomad-Alloc": "alloc" } },
    ]);
  });

  it("group network with a static port, DNS, and a Connect sidecar", () => {
    const g = legacy("tg-network.hcl").TaskGroups[0];
    expect(g).toMatchObject({ Name: "bar", Count: 3, ShutdownDelay: 14 * S });
    expect(g.Networks).toEqual([
      {
        Mode: "bridge",
        ReservedPorts: [{ Label: "http", Value: 80, To: 8080, HostNetwork: "public" }],
        DNS: { Servers: ["8.8.8.8"], Options: ["ndots:2", "edns0"] },
      },
    ]);
    expect(g.Services[0]).toMatchObject({
      Name: "connect-service",
      Tags: ["foo", "bar"],
      CanaryTags: ["canary", "bam"],
      PortLabel: "1234",
    });
    expect(g.Services[0].Connect.SidecarService).toEqual({
      Tags: ["side1", "side2"],
      Proxy: {
        LocalServicePort: 8080,
        Upstreams: [
          {
            DestinationName: "other-service",
            DestinationPeer: "10.0.0.1:6379",
            DestinationPartition: "infra",
            DestinationType: "tcp",
            LocalBindPort: 4567,
            LocalBindAddress: "0.0.0.0",
            LocalBindSocketPath: "/var/run/testsocket.sock",
            LocalBindSocketMode: "0666",
            Datacenter: "dc1",
            MeshGateway: { Mode: "local" },
          },
        ],
      },
    });
    expect(g.Services[0].Connect.SidecarTask).toEqual({
      Resources: { CPU: 500, MemoryMB: 1024 },
      Env: { FOO: "abc" },
      ShutdownDelay: 5 * S,
    });
    expect(g.Tasks[0]).toEqual({
      Name: "bar",
      Driver: "raw_exec",
      Config: { command: "bash", args: ["-c", "echo hi"] },
      Resources: { Networks: [{ MBits: 10 }] },
    });
  });

  it("Consul gateways, expose paths and native Connect", () => {
    expect(legacy("tg-service-connect-gateway-ingress.hcl").TaskGroups[0].Services[0].Connect.Gateway).toEqual({
      Proxy: {
        ConnectTimeout: 3 * S,
        EnvoyGatewayBindTaggedAddresses: true,
        EnvoyGatewayBindAddresses: {
          listener1: { Name: "listener1", Address: "10.0.0.1", Port: 8888 },
          listener2: { Name: "listener2", Address: "10.0.0.2", Port: 8889 },
        },
        EnvoyGatewayNoDefaultBind: true,
        Config: { foo: "bar" },
      },
      Ingress: {
        TLS: { Enabled: true, TLSMinVersion: "TLSv1_2", CipherSuites: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] },
        Listeners: [
          {
            Port: 8001,
            Protocol: "tcp",
            Services: [
              { Name: "service1", Hosts: ["127.0.0.1:8001", "[::1]:8001"] },
              { Name: "service2", Hosts: ["10.0.0.1:8001"] },
            ],
          },
          {
            Port: 8080,
            Protocol: "http",
            Services: [
              {
                Name: "nginx",
                Hosts: ["2.2.2.2:8080"],
                TLS: { SDS: { ClusterName: "foo", CertResource: "bar" } },
                RequestHeaders: { Add: { test: "testvalue" } },
                ResponseHeaders: { Remove: ["test2"] },
                MaxConnections: 5120,
                MaxPendingRequests: 512,
                MaxConcurrentRequests: 2048,
              },
            ],
          },
        ],
      },
    });
    const term = legacy("tg-service-connect-gateway-terminating.hcl").TaskGroups[0].Services[0].Connect.Gateway;
    expect(term.Proxy).toMatchObject({ ConnectTimeout: 3 * S, EnvoyDNSDiscoveryType: "LOGICAL_DNS", Config: { foo: "bar" } });
    expect(term.Terminating).toEqual({
      Services: [
        { Name: "service1", CAFile: "ca.pem", CertFile: "cert.pem", KeyFile: "key.pem" },
        { Name: "service2", SNI: "myhost" },
      ],
    });
    expect(legacy("tg-service-connect-gateway-mesh.hcl").TaskGroups[0].Services[0].Connect.Gateway).toEqual({
      Proxy: { Config: { foo: "bar" } },
      Mesh: {},
    });
    expect(legacy("tg-service-proxy-expose.hcl").TaskGroups[0].Services[0].Connect.SidecarService.Proxy.Expose).toEqual({
      Paths: [
        { Path: "/health", Protocol: "http", LocalPathPort: 2222, ListenerPort: "healthcheck" },
        { Path: "/metrics", Protocol: "grpc", LocalPathPort: 3000, ListenerPort: "metrics" },
      ],
    });
    expect(legacy("tg-service-check-expose.hcl").TaskGroups[0].Services[0].Checks).toEqual([
      { Name: "example-check1", Expose: true },
      { Name: "example-check2", Expose: false },
    ]);
    expect(legacy("tg-service-connect-native.hcl").TaskGroups[0].Services[0]).toEqual({
      Name: "example",
      TaskName: "task1",
      Connect: { Native: true },
    });
    expect(legacy("tg-service-connect-sidecar_task-name.hcl").TaskGroups[0].Services[0].Connect).toEqual({
      SidecarService: {},
      SidecarTask: { Name: "my-sidecar" },
    });
  });

  it("service checks: initial status, headers, pass/fail thresholds, address modes, check_restart", () => {
    const task = (name: string) => legacy(name).TaskGroups[0].Tasks[0];
    expect(task("service-check-initial-status.hcl").Services).toEqual([
      {
        Tags: ["foo", "bar"],
        PortLabel: "http",
        Checks: [
          {
            Name: "check-name",
            Type: "http",
            Path: "/",
            Interval: 10 * S,
            Timeout: 2 * S,
            InitialStatus: "passing",
            Method: "POST",
            Header: { Authorization: ["Basic ZWxhc3RpYzpjaGFuZ2VtZQ=="] },
          },
        ],
      },
    ]);
    expect(task("service-check-pass-fail.hcl").Services[0].Checks).toEqual([
      {
        Name: "check-name",
        Type: "http",
        Path: "/",
        Interval: 10 * S,
        Timeout: 2 * S,
        InitialStatus: "passing",
        Method: "POST",
        SuccessBeforePassing: 3,
        FailuresBeforeCritical: 4,
        FailuresBeforeWarning: 2,
      },
    ]);
    expect(task("service-check-driver-address.hcl").Services).toEqual([
      {
        Name: "http-service",
        PortLabel: "http",
        AddressMode: "auto",
        Checks: [{ Name: "http-check", Type: "http", Path: "/", PortLabel: "http", AddressMode: "driver" }],
      },
      {
        Name: "random-service",
        PortLabel: "9000",
        AddressMode: "driver",
        Checks: [{ Name: "random-check", Type: "tcp", PortLabel: "9001", AddressMode: "driver" }],
      },
    ]);
    expect(task("service-check-restart.hcl").Services).toEqual([
      {
        Name: "http-service",
        CheckRestart: { Limit: 3, Grace: 10 * S, IgnoreWarnings: true },
        Checks: [{ Name: "random-check", Type: "tcp", PortLabel: "9001" }],
      },
    ]);
    expect(task("service-provider.hcl").Services).toEqual([{ Name: "service-provider", Provider: "nomad" }]);
    expect(task("job-with-kill-signal.hcl")).toEqual({
      Name: "bar",
      Driver: "docker",
      KillSignal: "SIGQUIT",
      Config: { image: "hashicorp/image" },
    });
    expect(legacy("service-tagged-address.hcl").TaskGroups[0].Services).toEqual([
      { Name: "service1", TaggedAddresses: { public_wan: "1.2.3.4" } },
    ]);
    expect(legacy("consul-namespace.hcl").TaskGroups[0].Consul).toEqual({ Namespace: "foo" });
    expect(legacy("parse-ports.hcl").TaskGroups[0].Networks).toEqual([
      { DynamicPorts: [{ Label: "dynamic" }], ReservedPorts: [{ Label: "static", Value: 9000 }] },
    ]);
  });

  it("Connect sidecars: proxy with expose, upstreams and transparent proxy; meta; resources; disabled check", () => {
    const connect = (name: string) => legacy(name).TaskGroups[0].Services[0].Connect;
    expect(connect("tg-service-connect-proxy.hcl").SidecarService.Proxy).toEqual({
      LocalServiceAddress: "10.0.1.2",
      LocalServicePort: 8080,
      Expose: {
        Paths: [
          { Path: "/metrics", Protocol: "http", LocalPathPort: 9001, ListenerPort: "metrics" },
          { Path: "/health", Protocol: "http", LocalPathPort: 9002, ListenerPort: "health" },
        ],
      },
      Upstreams: [
        { DestinationName: "upstream1", LocalBindPort: 2001 },
        { DestinationName: "upstream2", LocalBindPort: 2002 },
      ],
      TransparentProxy: {
        UID: "101",
        OutboundPort: 15001,
        ExcludeInboundPorts: ["www", "9000"],
        ExcludeOutboundPorts: [443, 80],
        ExcludeOutboundCIDRs: ["10.0.0.0/8"],
        ExcludeUIDs: ["10", "1001"],
        NoDNS: true,
      },
      Config: { foo: "bar" },
    });
    expect(connect("tg-service-connect-local-service.hcl")).toEqual({
      SidecarService: { Proxy: { LocalServiceAddress: "10.0.1.2", LocalServicePort: 9876 } },
    });
    expect(connect("tg-service-connect-sidecar_meta.hcl")).toEqual({
      SidecarService: { Meta: { "test-key": "test-value", "test-key1": "test-value1", "test-key2": "test-value2" } },
    });
    expect(connect("tg-service-connect-sidecar_disablecheck.hcl")).toEqual({ SidecarService: { DisableDefaultTCPCheck: true } });
    expect(connect("tg-service-connect-resources.hcl")).toEqual({
      SidecarTask: { Resources: { CPU: 111, MemoryMB: 222, MemoryMaxMB: 333 } },
    });
  });

  it("scaling policies: horizontal for the group, vertical_cpu/vertical_mem for tasks", () => {
    expect(legacy("tg-scaling-policy-minimal.hcl").TaskGroups[0].Scaling).toEqual({ Type: "horizontal", Max: 10 });
    expect(legacy("tg-scaling-policy.hcl").TaskGroups[0].Scaling).toEqual({
      Type: "horizontal",
      Min: 5,
      Max: 100,
      Policy: { foo: "bar", b: true, val: 5, f: 0.1, check: [{ foo: [{ query: "some_query" }] }] },
      Enabled: false,
    });
    expect(legacy("task-scaling-policy.hcl").TaskGroups[0].Tasks[0].ScalingPolicies).toEqual([
      { Type: "vertical_cpu", Min: 50, Max: 1000, Policy: { test: "cpu" }, Enabled: true },
      { Type: "vertical_mem", Min: 128, Max: 1024, Policy: { test: "mem" }, Enabled: false },
    ]);
  });
});

describe("jobspec2/parse_test.go expectations", () => {
  it("template wait, error_on_missing_key and restart render_templates", () => {
    expect(fixtureJob("jobspec2/template-wait-config.hcl").TaskGroups[0].Tasks[0].Templates[0].Wait).toEqual({ Min: 5 * S, Max: 60 * S });
    expect(fixtureJob("jobspec2/template-err-missing-key.hcl").TaskGroups[0].Tasks[0].Templates[0].ErrMissingKey).toBe(true);
    const tg = fixtureJob("jobspec2/restart-render-templates.hcl").TaskGroups[0];
    expect(tg.RestartPolicy.RenderTemplates).toBe(true);
    expect(tg.Tasks[0].RestartPolicy).toBeUndefined();
    expect(tg.Tasks[1].RestartPolicy.RenderTemplates).toBe(false);
  });

  it("the default identity moves to Task.Identity; named ones stay in Identities", () => {
    const t = fixtureJob("jobspec2/identity-compat.nomad.hcl").TaskGroups[0].Tasks[0];
    expect(t.Identity).toEqual({ Env: true, File: true });
    expect(t.Identities).toEqual([
      { Name: "foo", Audience: ["bar"], File: true, TTL: 2 * H, ChangeMode: "signal", ChangeSignal: "sighup" },
    ]);
  });

  it("free-form config: labelled and repeated blocks and object attributes as jobspec2 (and HCL1) build them", () => {
    const c = fixtureJob("jobspec2/config-compatibility.hcl").TaskGroups[0].Tasks[0].Config;
    expect(c).toMatchObject({
      attr_string: "b",
      attr_int: 3,
      attr_large_int: 21474836470,
      attr_float: 3.2,
      attr_list_hetro: [1, "a", 3.4, { k: "v" }],
      attr_list_empty: [],
      attr_map: [{ KEY: "VAL", KEY2: "VAL2" }],
      attr_map_empty: [{}],
      block1: [{ k: "b", key2: "v2" }],
      labeled_block: [{ label1: [{ k: "b" }] }],
      multi_labeled_block: [{ label1: [{ label2: [{ label3: [{ k: "b" }] }] }] }],
      repeated_block_type: [{ a: 2 }, { b: 3 }],
    });
    expect(c.label_repeated).toEqual([
      { l1: [{ a: 1 }] },
      { l1: [{ a: 2 }] },
      { l2: [{ l21: [{ a: 3 }] }] },
      { l2: [{ l21: [{ l23: [{ a: 4 }] }] }] },
      { l3: [{ a: 5 }] },
    ]);
    expect(c.outer_block).toEqual([
      { l1: [{ level: 1, inner_block: [{ l2: [{ level: 2, most_inner: [{ l3: [{ level: 3, inner_map: [{ K: "V" }] }] }] }] }] }] },
    ]);
  });

  it("connect-example.hcl: an upstream's free-form config keeps its number", () => {
    const job = fixtureJob("jobspec2/connect-example.hcl");
    expect(job.TaskGroups[0].Services[0].Connect.SidecarService.Proxy.Upstreams[0].Config.connect_timeout_ms).toBe(9999);
  });

  it("command/asset/example.nomad.hcl: the job nomad job init writes", () => {
    const job = fixtureJob("command-asset/example.nomad.hcl");
    expect(job).toMatchObject({
      ID: "example",
      Datacenters: ["*"],
      Type: "service",
      UI: {
        Description: "Nomad **Example** Job",
        Links: [{ Label: "Learn more about Nomad", URL: "https://developer.hashicorp.com/nomad" }],
      },
    });
    expect(job.TaskGroups[0]).toMatchObject({
      Name: "cache",
      Count: 1,
      Networks: [{ DynamicPorts: [{ Label: "db", To: 6379 }] }],
      EphemeralDisk: { SizeMB: 300 },
    });
    expect(job.TaskGroups[0].Tasks[0]).toMatchObject({
      Name: "redis",
      Driver: "docker",
      Config: { image: "redis:7", ports: ["db"], auth_soft_fail: true },
      ShutdownDelay: 10 * S,
      Identity: { Env: true, File: true },
      Resources: { CPU: 500, MemoryMB: 256 },
    });
  });
});
