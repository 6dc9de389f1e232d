/**
 * One test (or a few) per construct and block: the camelCase props map to
 * Nomad's PascalCase JSON, durations become nanoseconds, and what is not set
 * is not emitted (Nomad fills its own defaults).
 */
import { App, Attr, Constraint, Driver, Group, Job, Meta, Node, Service, Task } from "../../lib/dsl";

function newJob(props: ConstructorParameters<typeof Job>[2] = {}, id = "web"): Job {
  return new Job(new App({ outdir: "unused" }), id, props);
}

/** A job with one group and one mock task, returning the pieces. */
function skeleton(jobProps: ConstructorParameters<typeof Job>[2] = {}): { job: Job; group: Group; task: Task } {
  const job = newJob(jobProps);
  const group = job.addGroup("g");
  const task = group.addTask("t", { driver: Driver.mock() });
  return { job, group, task };
}

const json = (job: Job): any => job.toJson().Job;
const S = 1_000_000_000;

describe("Job", () => {
  test("a minimal job emits only its ID and what its children set", () => {
    const { job } = skeleton();
    expect(job.toJson()).toEqual({
      Job: { ID: "web", TaskGroups: [{ Name: "g", Tasks: [{ Name: "t", Driver: "mock_driver", Config: {} }] }] },
    });
  });

  test("the ID defaults to the construct id; an explicit id wins", () => {
    const app = new App({ outdir: "unused" });
    expect(new Job(app, "a").id).toBe("a");
    const b = new Job(app, "b", { id: "billing-api" });
    expect(b.id).toBe("billing-api");
    expect(json(b).ID).toBe("billing-api");
  });

  test("job props", () => {
    const { job } = skeleton({
      name: "Web",
      type: "service",
      region: "eu",
      namespace: "apps",
      datacenters: ["dc1", "dc2"],
      nodePool: "large",
      priority: 80,
      allAtOnce: true,
      meta: { owner: "me" },
      consulNamespace: "c",
      vaultNamespace: "v",
      ui: { description: "d", links: [{ label: "L", url: "https://x" }] },
    });
    expect(json(job)).toMatchObject({
      Region: "eu",
      Namespace: "apps",
      ID: "web",
      Name: "Web",
      Type: "service",
      Priority: 80,
      AllAtOnce: true,
      Datacenters: ["dc1", "dc2"],
      NodePool: "large",
      Meta: { owner: "me" },
      ConsulNamespace: "c",
      VaultNamespace: "v",
      UI: { Description: "d", Links: [{ Label: "L", URL: "https://x" }] },
    });
  });

  test("update at job level", () => {
    const { job } = skeleton({
      update: {
        maxParallel: 2,
        healthCheck: "task_states",
        minHealthyTime: "15s",
        healthyDeadline: "4m",
        progressDeadline: "10m",
        canary: 1,
        autoRevert: true,
        autoPromote: false,
        stagger: "30s",
      },
    });
    expect(json(job).Update).toEqual({
      Stagger: 30 * S,
      MaxParallel: 2,
      HealthCheck: "task_states",
      MinHealthyTime: 15 * S,
      HealthyDeadline: 240 * S,
      ProgressDeadline: 600 * S,
      Canary: 1,
      AutoRevert: true,
      AutoPromote: false,
    });
  });

  test("multiregion", () => {
    const { job } = skeleton({
      multiregion: {
        maxParallel: 1,
        onFailure: "fail_all",
        regions: [{ name: "us-east", count: 3, datacenters: ["dc-east"], nodePool: "p", meta: { a: "b" } }, { name: "eu-west" }],
      },
    });
    expect(json(job).Multiregion).toEqual({
      Strategy: { MaxParallel: 1, OnFailure: "fail_all" },
      Regions: [{ Name: "us-east", Count: 3, Datacenters: ["dc-east"], NodePool: "p", Meta: { a: "b" } }, { Name: "eu-west" }],
    });
  });

  test("periodic and parameterized", () => {
    const { job } = skeleton({
      type: "batch",
      periodic: { cron: "0 3 * * *", prohibitOverlap: true, timeZone: "UTC" },
      parameterized: { payload: "forbidden", metaRequired: ["date"], metaOptional: ["x"] },
    });
    expect(json(job).Periodic).toEqual({ Spec: "0 3 * * *", SpecType: "cron", ProhibitOverlap: true, TimeZone: "UTC" });
    expect(json(job).ParameterizedJob).toEqual({ Payload: "forbidden", MetaRequired: ["date"], MetaOptional: ["x"] });
    const { job: multi } = skeleton({ type: "batch", periodic: { crons: ["0 1 * * *", "0 13 * * *"], enabled: false } });
    expect(json(multi).Periodic).toEqual({ Enabled: false, Specs: ["0 1 * * *", "0 13 * * *"], SpecType: "cron" });
  });

  test("job-level reschedule and migrate", () => {
    const { job } = skeleton({
      reschedule: { attempts: 2, interval: "1h", delay: "10s", delayFunction: "constant", maxDelay: "1m", unlimited: false },
      migrate: { maxParallel: 2, healthCheck: "task_states", minHealthyTime: "5s", healthyDeadline: "1m" },
    });
    expect(json(job).Reschedule).toEqual({
      Attempts: 2,
      Interval: 3600 * S,
      Delay: 10 * S,
      DelayFunction: "constant",
      MaxDelay: 60 * S,
      Unlimited: false,
    });
    expect(json(job).Migrate).toEqual({ MaxParallel: 2, HealthCheck: "task_states", MinHealthyTime: 5 * S, HealthyDeadline: 60 * S });
  });

  test("constraints, affinities and spreads with the attribute helpers", () => {
    const { job } = skeleton({ constraints: [{ attribute: Attr.kernelName, value: "linux" }] });
    job.addConstraint(Constraint.semver(Attr.nomadVersion, ">= 1.8"));
    job.addAffinity({ attribute: Node.datacenter, value: "dc1", weight: -30 });
    job.addSpread({
      attribute: Meta.of("rack"),
      weight: 40,
      targets: [
        { value: "r1", percent: 60 },
        { value: "r2", percent: 40 },
      ],
    });
    expect(json(job).Constraints).toEqual([
      { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" },
      { LTarget: "${attr.nomad.version}", RTarget: ">= 1.8", Operand: "semver" },
    ]);
    expect(json(job).Affinities).toEqual([{ LTarget: "${node.datacenter}", RTarget: "dc1", Operand: "=", Weight: -30 }]);
    expect(json(job).Spreads).toEqual([
      {
        Attribute: "${meta.rack}",
        Weight: 40,
        SpreadTarget: [
          { Value: "r1", Percent: 60 },
          { Value: "r2", Percent: 40 },
        ],
      },
    ]);
  });

  test("an empty update block is emitted as an empty object (Nomad's defaults apply)", () => {
    const { job } = skeleton({ update: {} });
    expect(json(job).Update).toEqual({});
  });
});

describe("Constraint factories and attribute helpers", () => {
  test.each([
    [Constraint.distinctHosts(), { operator: "distinct_hosts", value: "true" }],
    [Constraint.distinctProperty(Meta.of("rack"), 2), { attribute: "${meta.rack}", operator: "distinct_property", value: "2" }],
    [Constraint.distinctProperty(Node.class), { attribute: "${node.class}", operator: "distinct_property", value: undefined }],
    [Constraint.equals(Attr.os, "ubuntu"), { attribute: "${attr.os.name}", operator: "=", value: "ubuntu" }],
    [Constraint.regexp(Node.uniqueName, "^web-"), { attribute: "${node.unique.name}", operator: "regexp", value: "^web-" }],
    [Constraint.version(Attr.kernelVersion, ">= 5.10"), { attribute: "${attr.kernel.version}", operator: "version", value: ">= 5.10" }],
    [
      Constraint.setContains(Attr.of("os.signals"), ["SIGHUP", "SIGTERM"]),
      { attribute: "${attr.os.signals}", operator: "set_contains", value: "SIGHUP,SIGTERM" },
    ],
    [Constraint.isSet(Meta.of("gpu")), { attribute: "${meta.gpu}", operator: "is_set" }],
    [Constraint.isNotSet(Node.pool), { attribute: "${node.pool}", operator: "is_not_set" }],
  ])("%j", (made, expected) => {
    expect(made).toEqual(expected);
  });

  test("attribute strings", () => {
    expect([Attr.arch, Attr.cpuCores, Attr.hostname, Attr.ipAddress, Attr.driver("docker"), Attr.of("platform.aws.instance-type")]).toEqual(
      [
        "${attr.cpu.arch}",
        "${attr.cpu.numcores}",
        "${attr.unique.hostname}",
        "${attr.unique.network.ip-address}",
        "${attr.driver.docker}",
        "${attr.platform.aws.instance-type}",
      ],
    );
    expect([Node.datacenter, Node.class, Node.pool, Node.uniqueName, Node.uniqueId]).toEqual([
      "${node.datacenter}",
      "${node.class}",
      "${node.pool}",
      "${node.unique.name}",
      "${node.unique.id}",
    ]);
  });
});

describe("Group", () => {
  test("group props", () => {
    const job = newJob({ type: "service" });
    const g = job.addGroup("api", {
      count: 3,
      restart: { attempts: 10, interval: "5m", delay: "25s", mode: "delay", renderTemplates: true },
      reschedule: { unlimited: true, delay: "30s", delayFunction: "exponential", maxDelay: "1h" },
      migrate: { maxParallel: 1 },
      update: { canary: 2 },
      ephemeralDisk: { sizeMB: 500, sticky: true, migrate: true },
      meta: { a: "b" },
      shutdownDelay: "5s",
      scaling: { min: 1, max: 10, enabled: true, policy: { cooldown: "1m", check: { cpu: { strategy: { target: 70 } } } } },
      consul: { namespace: "n", cluster: "c", partition: "p" },
      disconnect: { lostAfter: "1h", stopOnClientAfter: "2h", replace: false, reconcile: "keep_original" },
      constraints: [Constraint.distinctHosts()],
      affinities: [{ attribute: Attr.arch, value: "arm64" }],
      spreads: [{ attribute: Node.datacenter }],
    });
    g.addTask("t", { driver: Driver.mock() });
    expect(json(job).TaskGroups[0]).toEqual({
      Name: "api",
      Count: 3,
      Constraints: [{ LTarget: "", RTarget: "true", Operand: "distinct_hosts" }],
      Affinities: [{ LTarget: "${attr.cpu.arch}", RTarget: "arm64", Operand: "=" }],
      Spreads: [{ Attribute: "${node.datacenter}" }],
      Tasks: [{ Name: "t", Driver: "mock_driver", Config: {} }],
      RestartPolicy: { Interval: 300 * S, Attempts: 10, Delay: 25 * S, Mode: "delay", RenderTemplates: true },
      Disconnect: { LostAfter: 3600 * S, StopOnClientAfter: 7200 * S, Replace: false, Reconcile: "keep_original" },
      ReschedulePolicy: { Delay: 30 * S, DelayFunction: "exponential", MaxDelay: 3600 * S, Unlimited: true },
      EphemeralDisk: { Sticky: true, Migrate: true, SizeMB: 500 },
      Update: { Canary: 2 },
      Migrate: { MaxParallel: 1 },
      Meta: { a: "b" },
      ShutdownDelay: 5 * S,
      Scaling: { Min: 1, Max: 10, Policy: { cooldown: "1m", check: { cpu: { strategy: { target: 70 } } } }, Enabled: true },
      Consul: { Namespace: "n", Cluster: "c", Partition: "p" },
    });
  });

  test("maxRunDuration (batch)", () => {
    const job = newJob({ type: "batch" });
    job.addGroup("g", { maxRunDuration: "2h" }).addTask("t", { driver: Driver.mock() });
    expect(json(job).TaskGroups[0].MaxRunDuration).toBe(7200 * S);
  });

  test("new Group(job, ...) and job.addGroup(...) are the same", () => {
    const job = newJob();
    new Group(job, "a").addTask("t", { driver: Driver.mock() });
    job.addGroup("b").addTask("t", { driver: Driver.mock() });
    expect(job.groups.map((g) => g.name)).toEqual(["a", "b"]);
    expect(json(job).TaskGroups.map((g: any) => g.Name)).toEqual(["a", "b"]);
  });

  test("volumes, by props or addVolume", () => {
    const job = newJob();
    const g = job.addGroup("g", {
      volumes: {
        data: {
          type: "csi",
          source: "vol-1",
          accessMode: "single-node-writer",
          attachmentMode: "file-system",
          mountOptions: { fsType: "ext4", mountFlags: ["noatime"] },
          perAlloc: true,
        },
      },
    });
    const certs = g.addVolume("certs", { type: "host", readOnly: true, sticky: true });
    g.addTask("t", {
      driver: Driver.mock(),
      volumeMounts: [
        { volume: certs, destination: "/etc/tls", readOnly: true, propagationMode: "host-to-task", selinuxLabel: "z" },
        { volume: "data", destination: "/data" },
      ],
    });
    const group = json(job).TaskGroups[0];
    expect(group.Volumes).toEqual({
      data: {
        Name: "data",
        Type: "csi",
        Source: "vol-1",
        AccessMode: "single-node-writer",
        AttachmentMode: "file-system",
        MountOptions: { FSType: "ext4", MountFlags: ["noatime"] },
        PerAlloc: true,
      },
      certs: { Name: "certs", Type: "host", Source: "certs", ReadOnly: true, Sticky: true },
    });
    expect(group.Tasks[0].VolumeMounts).toEqual([
      { Volume: "certs", Destination: "/etc/tls", ReadOnly: true, PropagationMode: "host-to-task", SELinuxLabel: "z" },
      { Volume: "data", Destination: "/data" },
    ]);
    expect(() => g.addVolume("certs", { type: "host" })).toThrow('web/g: volume "certs" is already declared in this group');
  });
});

describe("Network and ports", () => {
  test("dynamic and static ports, network props", () => {
    const job = newJob();
    const g = job.addGroup("g", {
      network: { mode: "bridge", hostname: "h", dns: { servers: ["1.1.1.1"], searches: ["s"], options: ["ndots:2"] }, cniArgs: { a: "b" } },
    });
    const http = g.network.addDynamicPort("http", { to: 8000, hostNetwork: "public" });
    g.network.addStaticPort("dns", 53, { to: 5353, ignoreCollision: true });
    g.addPort("admin", { static: 9090 });
    g.addPort("metrics");
    g.addTask("t", { driver: Driver.mock() });
    expect(json(job).TaskGroups[0].Networks).toEqual([
      {
        Mode: "bridge",
        Hostname: "h",
        DNS: { Servers: ["1.1.1.1"], Searches: ["s"], Options: ["ndots:2"] },
        ReservedPorts: [
          { Label: "dns", Value: 53, To: 5353, IgnoreCollision: true },
          { Label: "admin", Value: 9090 },
        ],
        DynamicPorts: [{ Label: "http", To: 8000, HostNetwork: "public" }, { Label: "metrics" }],
        CNI: { Args: { a: "b" } },
      },
    ]);
    expect(http.label).toBe("http");
    expect(String(http)).toBe("http");
  });

  test("no network is emitted when the group has no ports nor network props", () => {
    const { job } = skeleton();
    expect(json(job).TaskGroups[0].Networks).toBeUndefined();
  });

  test("a port's environment variables", () => {
    const g = newJob().addGroup("g");
    const http = g.network.addDynamicPort("http");
    expect([http.envAddr, http.envPort, http.envHostPort, http.envIp, http.envAllocPort]).toEqual([
      "${NOMAD_ADDR_http}",
      "${NOMAD_PORT_http}",
      "${NOMAD_HOST_PORT_http}",
      "${NOMAD_IP_http}",
      "${NOMAD_ALLOC_PORT_http}",
    ]);
  });

  test("a label can be declared once per group", () => {
    const g = newJob().addGroup("g");
    g.network.addDynamicPort("http");
    expect(() => g.addPort("http", { static: 80 })).toThrow('web/g/network: port "http" is already declared in this network');
  });
});

describe("Task", () => {
  test("task props", () => {
    const { job, group } = skeleton({ type: "batch" });
    group.addTask("full", {
      driver: Driver.rawExec({ command: "/bin/echo", args: ["hi"] }),
      user: "nobody",
      env: { A: "1" },
      meta: { m: "n" },
      resources: {
        cpu: 500,
        cores: undefined,
        memoryMB: 256,
        memoryMaxMB: 512,
        secretsMB: 2,
        devices: [
          {
            name: "nvidia/gpu",
            count: 1,
            constraints: [{ attribute: "${device.attr.memory}", operator: ">=", value: "2 GiB" }],
            affinities: [{ attribute: "${device.model}", value: "T4", weight: 50 }],
          },
        ],
      },
      restart: { attempts: 1 },
      killTimeout: "30s",
      killSignal: "SIGTERM",
      shutdownDelay: "2s",
      logs: { maxFiles: 3, maxFileSizeMB: 5, disabled: false },
      artifacts: [
        {
          source: "https://x/y.tgz",
          destination: "local/y",
          mode: "dir",
          options: { checksum: "sha256:ab" },
          headers: { "X-A": "b" },
          insecure: false,
          chown: true,
        },
      ],
      templates: [
        {
          data: 'x={{ env "A" }}',
          destination: "local/x.env",
          env: true,
          changeMode: "script",
          changeScript: { command: "/reload", args: ["-q"], timeout: "5s", failOnError: true },
          perms: "0600",
          uid: 1000,
          gid: 1000,
          leftDelimiter: "[[",
          rightDelimiter: "]]",
          splay: "3s",
          once: true,
          errMissingKey: true,
          wait: { min: "1s", max: "4s" },
        },
      ],
      vault: {
        role: "r",
        namespace: "ns",
        cluster: "default",
        env: false,
        disableFile: true,
        changeMode: "signal",
        changeSignal: "SIGHUP",
        allowTokenExpiration: true,
      },
      consul: { cluster: "default" },
      lifecycle: { hook: "prestart", sidecar: false },
      dispatchPayload: { file: "in.json" },
      leader: true,
      identity: { env: true, file: true },
      identities: [
        {
          name: "vault_default",
          audience: ["vault.io"],
          ttl: "1h",
          changeMode: "signal",
          changeSignal: "SIGHUP",
          filepath: "secrets/v.jwt",
        },
      ],
      constraints: [{ attribute: Attr.os, value: "ubuntu" }],
      affinities: [{ attribute: Attr.arch, value: "amd64", weight: 10 }],
    });
    expect(json(job).TaskGroups[0].Tasks[1]).toEqual({
      Name: "full",
      Driver: "raw_exec",
      User: "nobody",
      Lifecycle: { Hook: "prestart", Sidecar: false },
      Config: { command: "/bin/echo", args: ["hi"] },
      Constraints: [{ LTarget: "${attr.os.name}", RTarget: "ubuntu", Operand: "=" }],
      Affinities: [{ LTarget: "${attr.cpu.arch}", RTarget: "amd64", Operand: "=", Weight: 10 }],
      Env: { A: "1" },
      Resources: {
        CPU: 500,
        MemoryMB: 256,
        MemoryMaxMB: 512,
        SecretsMB: 2,
        Devices: [
          {
            Name: "nvidia/gpu",
            Count: 1,
            Constraints: [{ LTarget: "${device.attr.memory}", RTarget: "2 GiB", Operand: ">=" }],
            Affinities: [{ LTarget: "${device.model}", RTarget: "T4", Operand: "=", Weight: 50 }],
          },
        ],
      },
      RestartPolicy: { Attempts: 1 },
      Meta: { m: "n" },
      KillTimeout: 30 * S,
      LogConfig: { MaxFiles: 3, MaxFileSizeMB: 5, Disabled: false },
      Artifacts: [
        {
          GetterSource: "https://x/y.tgz",
          GetterOptions: { checksum: "sha256:ab" },
          GetterHeaders: { "X-A": "b" },
          GetterMode: "dir",
          GetterInsecure: false,
          RelativeDest: "local/y",
          Chown: true,
        },
      ],
      Vault: {
        Role: "r",
        Namespace: "ns",
        Cluster: "default",
        Env: false,
        DisableFile: true,
        ChangeMode: "signal",
        ChangeSignal: "SIGHUP",
        AllowTokenExpiration: true,
      },
      Templates: [
        {
          DestPath: "local/x.env",
          EmbeddedTmpl: 'x={{ env "A" }}',
          ChangeMode: "script",
          ChangeScript: { Command: "/reload", Args: ["-q"], Timeout: 5 * S, FailOnError: true },
          Splay: 3 * S,
          Perms: "0600",
          Uid: 1000,
          Gid: 1000,
          LeftDelim: "[[",
          RightDelim: "]]",
          Envvars: true,
          Once: true,
          ErrMissingKey: true,
          Wait: { Min: 1 * S, Max: 4 * S },
        },
      ],
      DispatchPayload: { File: "in.json" },
      Leader: true,
      ShutdownDelay: 2 * S,
      KillSignal: "SIGTERM",
      Consul: { Cluster: "default" },
      Identity: { Env: true, File: true },
      Identities: [
        {
          Name: "vault_default",
          Audience: ["vault.io"],
          ChangeMode: "signal",
          ChangeSignal: "SIGHUP",
          Filepath: "secrets/v.jwt",
          TTL: 3600 * S,
        },
      ],
    });
  });

  test("actions, secrets and a CSI plugin", () => {
    const { job, group } = skeleton();
    group.addTask("plugin", {
      driver: Driver.docker({ image: "csi" }),
      actions: [{ name: "flush", command: "/bin/flush", args: ["-a"] }],
      secrets: [
        {
          name: "db",
          provider: "nomad",
          path: "nomad/jobs/web/db",
          config: { namespace: "default" },
          env: { DB_PASSWORD: "{{ .password }}" },
        },
      ],
      csiPlugin: { id: "ebs", type: "monolith", mountDir: "/csi", stagePublishBaseDir: "/local/csi", healthTimeout: "1m" },
    });
    expect(json(job).TaskGroups[0].Tasks[1]).toMatchObject({
      Actions: [{ Name: "flush", Command: "/bin/flush", Args: ["-a"] }],
      Secrets: [
        {
          Name: "db",
          Provider: "nomad",
          Path: "nomad/jobs/web/db",
          Config: { namespace: "default" },
          Env: { DB_PASSWORD: "{{ .password }}" },
        },
      ],
      CSIPluginConfig: { ID: "ebs", Type: "monolith", MountDir: "/csi", StagePublishBaseDir: "/local/csi", HealthTimeout: 60 * S },
    });
  });

  test("adders: env, constraints, affinities, templates, artifacts, volume mounts", () => {
    const job = newJob();
    const g = job.addGroup("g");
    g.addVolume("v", { type: "host" });
    const t = new Task(g, "t", { driver: Driver.mock(), env: { A: "1" } })
      .addEnv("B", "2")
      .addConstraint({ attribute: Attr.os, value: "x" })
      .addAffinity({ attribute: Attr.os, value: "y" })
      .addTemplate({ data: "d", destination: "local/d" })
      .addArtifact({ source: "s" })
      .addVolumeMount({ volume: "v", destination: "/v" });
    const task = json(job).TaskGroups[0].Tasks[0];
    expect(t.name).toBe("t");
    expect(task.Env).toEqual({ A: "1", B: "2" });
    expect(task.Constraints).toHaveLength(1);
    expect(task.Affinities).toHaveLength(1);
    expect(task.Templates).toEqual([{ DestPath: "local/d", EmbeddedTmpl: "d" }]);
    expect(task.Artifacts).toEqual([{ GetterSource: "s" }]);
    expect(task.VolumeMounts).toEqual([{ Volume: "v", Destination: "/v" }]);
  });
});

describe("Drivers", () => {
  const config = (driver: Driver): any => {
    const job = newJob();
    job.addGroup("g").addTask("t", { driver });
    return json(job).TaskGroups[0].Tasks[0];
  };

  test("docker: camelCase options in the driver's snake_case, user keys untouched", () => {
    const t = config(
      Driver.docker({
        image: "redis:7",
        command: "redis-server",
        args: ["--port", "6379"],
        entrypoint: ["/bin/sh"],
        labels: { "managed-by": "Nomad", "com.example.team": "x" },
        auth: { username: "u", password: "p", email: "e", serverAddress: "https://r" },
        authSoftFail: true,
        networkMode: "host",
        volumes: ["/a:/b"],
        mount: [
          {
            type: "volume",
            target: "/data",
            source: "v",
            readonly: false,
            volumeOptions: { noCopy: true, labels: { "x.y": "z" }, driverConfig: { name: "local", options: { size: "1G" } } },
          },
        ],
        privileged: false,
        hostname: "h",
        dnsServers: ["8.8.8.8"],
        dnsSearchDomains: ["d"],
        extraHosts: ["a:1.2.3.4"],
        capAdd: ["NET_ADMIN"],
        forcePull: true,
        workDir: "/w",
        ipcMode: "host",
        shmSize: 1024,
        sysctl: { "net.core.somaxconn": "1024" },
        logging: { type: "syslog", config: { "syslog-address": "udp://x" } },
        imagePullTimeout: "10m",
        extra: { oom_score_adj: 500 },
      }),
    );
    expect(t.Driver).toBe("docker");
    expect(t.Config).toEqual({
      image: "redis:7",
      command: "redis-server",
      args: ["--port", "6379"],
      entrypoint: ["/bin/sh"],
      labels: { "managed-by": "Nomad", "com.example.team": "x" },
      auth: { username: "u", password: "p", email: "e", server_address: "https://r" },
      auth_soft_fail: true,
      network_mode: "host",
      volumes: ["/a:/b"],
      mount: [
        {
          type: "volume",
          target: "/data",
          source: "v",
          readonly: false,
          volume_options: { no_copy: true, labels: { "x.y": "z" }, driver_config: { name: "local", options: { size: "1G" } } },
        },
      ],
      privileged: false,
      hostname: "h",
      dns_servers: ["8.8.8.8"],
      dns_search_domains: ["d"],
      extra_hosts: ["a:1.2.3.4"],
      cap_add: ["NET_ADMIN"],
      force_pull: true,
      work_dir: "/w",
      ipc_mode: "host",
      shm_size: 1024,
      sysctl: { "net.core.somaxconn": "1024" },
      logging: { type: "syslog", config: { "syslog-address": "udp://x" } },
      image_pull_timeout: "10m",
      oom_score_adj: 500,
    });
  });

  test("exec, java, mock and any other driver", () => {
    expect(config(Driver.exec({ command: "/bin/app", args: ["-v"], pidMode: "host", capDrop: ["ALL"] })).Config).toEqual({
      command: "/bin/app",
      args: ["-v"],
      pid_mode: "host",
      cap_drop: ["ALL"],
    });
    expect(config(Driver.java({ jarPath: "local/a.jar", jvmOptions: ["-Xmx1g"], args: ["x"] }))).toMatchObject({
      Driver: "java",
      Config: { jar_path: "local/a.jar", jvm_options: ["-Xmx1g"], args: ["x"] },
    });
    expect(config(Driver.mock({ runFor: "10s", exitCode: 3, startError: "boom", killAfter: "1s" }))).toMatchObject({
      Driver: "mock_driver",
      Config: { run_for: "10s", exit_code: 3, start_error: "boom", kill_after: "1s" },
    });
    expect(config(Driver.of("podman", { image: "x", socket_path: "unix:///run/podman.sock" }))).toMatchObject({
      Driver: "podman",
      Config: { image: "x", socket_path: "unix:///run/podman.sock" },
    });
  });
});

describe("Service", () => {
  test("group service with checks, by props and addCheck", () => {
    const job = newJob();
    const g = job.addGroup("g");
    const http = g.network.addDynamicPort("http");
    g.addTask("t", { driver: Driver.mock() });
    const svc = g.addService("api", {
      port: http,
      tags: ["a"],
      canaryTags: ["c"],
      enableTagOverride: true,
      addressMode: "alloc",
      address: "10.0.0.1",
      checkRestart: { limit: 3, grace: "1m", ignoreWarnings: true },
      meta: { m: "1" },
      canaryMeta: { m: "2" },
      taggedAddresses: { lan: "10.0.0.1" },
      task: "t",
      onUpdate: "ignore_warnings",
      provider: "consul",
      cluster: "default",
      weights: { passing: 5, warning: 1 },
      identity: { audience: ["consul.io"] },
      connect: {
        native: false,
        sidecarService: {
          port: "9999",
          tags: ["s"],
          disableDefaultTcpCheck: true,
          proxy: { Upstreams: [{ DestinationName: "db", LocalBindPort: 5432 }] },
        },
      },
      checks: [
        {
          type: "http",
          path: "/health",
          interval: "10s",
          timeout: "2s",
          header: { A: ["b"] },
          method: "POST",
          body: "{}",
          protocol: "https",
          tlsServerName: "x",
          tlsSkipVerify: true,
          initialStatus: "passing",
          expose: true,
          addressMode: "host",
        },
      ],
    });
    svc.addCheck({
      name: "grpc",
      type: "grpc",
      port: http,
      interval: "5s",
      timeout: "1s",
      grpcService: "svc",
      grpcUseTls: true,
      successBeforePassing: 1,
      failuresBeforeCritical: 2,
      failuresBeforeWarning: 1,
      onUpdate: "ignore",
      notes: "n",
      checkRestart: { limit: 1 },
    });
    svc.addCheck({ type: "script", command: "/bin/check", args: ["-x"], task: "t", interval: "30s", timeout: "5s" });
    expect(svc).toBeInstanceOf(Service);
    expect(json(job).TaskGroups[0].Services).toEqual([
      {
        Name: "api",
        Tags: ["a"],
        CanaryTags: ["c"],
        EnableTagOverride: true,
        PortLabel: "http",
        AddressMode: "alloc",
        Address: "10.0.0.1",
        Checks: [
          {
            Type: "http",
            Path: "/health",
            Protocol: "https",
            Expose: true,
            AddressMode: "host",
            Interval: 10 * S,
            Timeout: 2 * S,
            InitialStatus: "passing",
            TLSServerName: "x",
            TLSSkipVerify: true,
            Header: { A: ["b"] },
            Method: "POST",
            Body: "{}",
          },
          {
            Name: "grpc",
            Type: "grpc",
            PortLabel: "http",
            Interval: 5 * S,
            Timeout: 1 * S,
            Notes: "n",
            CheckRestart: { Limit: 1 },
            GRPCService: "svc",
            GRPCUseTLS: true,
            SuccessBeforePassing: 1,
            FailuresBeforeCritical: 2,
            FailuresBeforeWarning: 1,
            OnUpdate: "ignore",
          },
          { Type: "script", Command: "/bin/check", Args: ["-x"], Interval: 30 * S, Timeout: 5 * S, TaskName: "t" },
        ],
        CheckRestart: { Limit: 3, Grace: 60 * S, IgnoreWarnings: true },
        Connect: {
          Native: false,
          SidecarService: {
            Tags: ["s"],
            Port: "9999",
            Proxy: { Upstreams: [{ DestinationName: "db", LocalBindPort: 5432 }] },
            DisableDefaultTCPCheck: true,
          },
        },
        Meta: { m: "1" },
        CanaryMeta: { m: "2" },
        TaggedAddresses: { lan: "10.0.0.1" },
        TaskName: "t",
        OnUpdate: "ignore_warnings",
        Identity: { Audience: ["consul.io"] },
        Weights: { Passing: 5, Warning: 1 },
        Provider: "consul",
        Cluster: "default",
      },
    ]);
  });

  test("task service; the name defaults to the construct id", () => {
    const job = newJob();
    const g = job.addGroup("g");
    const db = g.addPort("db", { to: 6379 });
    const t = g.addTask("redis", { driver: Driver.docker({ image: "redis", ports: [db] }) });
    t.addService("redis-db", { port: db });
    new Service(t, "second", { name: "${TASKGROUP}-redis", port: "db", provider: "nomad" });
    expect(json(job).TaskGroups[0].Tasks[0].Services).toEqual([
      { Name: "redis-db", PortLabel: "db" },
      { Name: "${TASKGROUP}-redis", PortLabel: "db", Provider: "nomad" },
    ]);
    expect(json(job).TaskGroups[0].Tasks[0].Config.ports).toEqual(["db"]);
  });

  test("a service cannot take the id of a task in the same group; the message says what to do", () => {
    const g = newJob().addGroup("g");
    g.addTask("web", { driver: Driver.mock() });
    expect(() => g.addService("web")).toThrow(
      'web/g: cannot add service "web": a task of that id already exists here. Give the service another id and set its name: addService("web-service", { name: "web" }).',
    );
    expect(() => g.addTask("network", { driver: Driver.mock() })).toThrow(
      'web/g: cannot add task "network": a network of that id already exists here.',
    );
    expect(g.addService("web-service", { name: "web" }).name).toBe("web");
  });

  test("a numeric port is a literal port number", () => {
    const job = newJob();
    const g = job.addGroup("g");
    g.addTask("t", { driver: Driver.mock() }).addService("s", { port: 8080, addressMode: "driver" });
    expect(json(job).TaskGroups[0].Tasks[0].Services[0].PortLabel).toBe("8080");
  });
});
