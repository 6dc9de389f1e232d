/**
 * Every construct and prop family of the drover DSL in use, so that the
 * example set covers the whole DSL and its JSON is checked by
 * `drover validate`. Nomad forbids some blocks together (a service job
 * cannot be periodic or parameterized, a batch job has no update or migrate
 * block), so the tour is three jobs: `full` (a service), `full-batch` (a
 * parameterized batch job) and `full-periodic` (a cron job).
 */
import { App, Attr, Constraint, Driver, Duration, Interp, Job, Meta, Node } from "../../lib/dsl";

const app = new App();

// ---------------------------------------------------------------- service job
const full = new Job(app, "full", {
  name: "Full tour",
  type: "service",
  namespace: "default",
  datacenters: ["dc1", "dc2"],
  nodePool: "default",
  priority: 70,
  allAtOnce: false,
  meta: { owner: "platform", tier: "gold" },
  ui: {
    description: "Every block of the drover DSL, in one job.",
    links: [{ label: "Runbook", url: "https://runbooks.example.com/full" }],
  },
  constraints: [{ attribute: Attr.kernelName, value: "linux" }, Constraint.semver(Attr.nomadVersion, ">= 1.8.0")],
  affinities: [{ attribute: Node.datacenter, value: "dc1", weight: 60 }],
  spreads: [
    {
      attribute: Node.datacenter,
      weight: 50,
      targets: [
        { value: "dc1", percent: 70 },
        { value: "dc2", percent: 30 },
      ],
    },
  ],
  update: {
    maxParallel: 2,
    healthCheck: "checks",
    minHealthyTime: "15s",
    healthyDeadline: "4m",
    progressDeadline: Duration.minutes(10),
    canary: 1,
    autoRevert: true,
    autoPromote: false,
    stagger: "30s",
  },
  multiregion: {
    maxParallel: 1,
    onFailure: "fail_local",
    regions: [
      { name: "us-east", count: 2, datacenters: ["dc1"], nodePool: "default", meta: { region: "east" } },
      { name: "eu-west", count: 1, datacenters: ["dc2"] },
    ],
  },
  reschedule: { delay: "30s", delayFunction: "exponential", maxDelay: "1h", unlimited: true },
  migrate: { maxParallel: 1, healthCheck: "checks", minHealthyTime: "10s", healthyDeadline: "5m" },
});

const web = full.addGroup("web", {
  count: 2,
  network: { mode: "bridge", hostname: "web", dns: { servers: ["10.0.0.2"], searches: ["service.consul"], options: ["ndots:2"] } },
  constraints: [Constraint.distinctProperty(Meta.of("rack"), 1)],
  affinities: [{ attribute: Attr.arch, value: "amd64", weight: 25 }],
  spreads: [{ attribute: Meta.of("rack") }],
  restart: { attempts: 3, interval: "10m", delay: "20s", mode: "delay", renderTemplates: true },
  reschedule: { attempts: 0, unlimited: true, delay: "15s", delayFunction: "fibonacci", maxDelay: "30m" },
  migrate: { maxParallel: 1 },
  update: { canary: 2, autoPromote: true },
  ephemeralDisk: { sizeMB: 500, sticky: true, migrate: true },
  meta: { component: "web" },
  shutdownDelay: "5s",
  scaling: { min: 1, max: 10, enabled: true, policy: { evaluation_interval: "30s", cooldown: "2m" } },
  consul: { cluster: "default" },
  disconnect: { lostAfter: "1h", replace: true, reconcile: "keep_original" },
});

const http = web.network.addDynamicPort("http", { to: 8080 });
const admin = web.addPort("admin", { static: 9090, to: 9090 });
const certs = web.addVolume("certs", { type: "host", source: "tls-certs", readOnly: true });

const api = web.addService("web-api", {
  port: http,
  tags: ["api", "v2"],
  canaryTags: ["canary"],
  enableTagOverride: false,
  addressMode: "auto",
  meta: { version: "2" },
  canaryMeta: { version: "2-canary" },
  onUpdate: "require_healthy",
  provider: "consul",
  weights: { passing: 10, warning: 1 },
  checkRestart: { limit: 3, grace: "30s", ignoreWarnings: true },
});
api.addCheck({
  name: "http-health",
  type: "http",
  path: "/health",
  method: "GET",
  header: { Accept: ["application/json"] },
  protocol: "http",
  interval: "10s",
  timeout: "2s",
  successBeforePassing: 2,
  failuresBeforeCritical: 3,
});
api.addCheck({ name: "admin-tcp", type: "tcp", port: admin, interval: Duration.seconds(30), timeout: Duration.seconds(5) });

const server = web.addTask("server", {
  driver: Driver.docker({
    image: "ghcr.io/myorg/web:2.3.1",
    command: "/app/server",
    args: ["--listen", `0.0.0.0:${http.envPort}`, "--admin", admin.envPort],
    ports: [http, admin],
    labels: { team: "platform" },
    auth: { username: "ci", password: "token", serverAddress: "ghcr.io" },
    forcePull: false,
    init: true,
    capDrop: ["NET_RAW"],
    mount: [{ type: "tmpfs", target: "/scratch", tmpfsOptions: { size: 64_000_000 } }],
    ulimit: { nofile: "65536:65536" },
    imagePullTimeout: "10m",
  }),
  user: "app",
  env: { ALLOC: Interp.allocIndex, DATA_DIR: Interp.allocDir, REGION: Interp.region },
  meta: { role: "server" },
  resources: { cpu: 750, memoryMB: 512, memoryMaxMB: 1024 },
  restart: { attempts: 5 },
  killTimeout: "20s",
  killSignal: "SIGTERM",
  shutdownDelay: "3s",
  logs: { maxFiles: 5, maxFileSizeMB: 20 },
  artifacts: [
    {
      source: "https://releases.example.com/web/assets.tar.gz",
      destination: "local/assets",
      mode: "any",
      options: { checksum: "sha256:0e2f6c1a" },
    },
  ],
  templates: [
    {
      data: '{{ with nomadVar "nomad/jobs/full" }}DB_URL={{ .db_url }}{{ end }}',
      destination: "secrets/env",
      env: true,
      changeMode: "restart",
    },
    {
      source: "local/nginx.conf.tpl",
      destination: "local/nginx.conf",
      changeMode: "signal",
      changeSignal: "SIGHUP",
      splay: "10s",
      wait: { min: "2s", max: "10s" },
    },
  ],
  vault: { role: "web", changeMode: "restart", env: true },
  consul: { cluster: "default" },
  volumeMounts: [{ volume: certs, destination: "/etc/tls", readOnly: true }],
  leader: true,
  identity: { env: true, file: true },
  identities: [{ name: "vault_default", audience: ["vault.io"], ttl: "1h", changeMode: "restart" }],
  constraints: [{ attribute: Attr.driver("docker"), value: "true" }],
  affinities: [{ attribute: Attr.cpuCores, operator: ">=", value: "4", weight: 20 }],
  actions: [{ name: "flush-cache", command: "/app/server", args: ["flush-cache"] }],
  secrets: [{ name: "api-key", provider: "nomad", path: "nomad/jobs/full/api-key", env: { API_KEY: "{{ .key }}" } }],
});
server.addService("server-metrics", { port: "http", provider: "nomad", tags: ["metrics"] });
// A Consul service mesh sidecar for the group (the group network is in bridge mode).
web.addService("web-mesh", { port: "8080", connect: { sidecarService: { tags: ["mesh"] } } });
// An escape hatch: any driver key the DSL does not type, with `\.` for a dot in the key.
server.addOverride("Config.sysctl.net\\.core\\.somaxconn", "16384");

web.addTask("migrate-db", {
  driver: Driver.exec({ command: "/app/migrate", args: ["--up"] }),
  lifecycle: { hook: "prestart", sidecar: false },
  resources: { cpu: 100, memoryMB: 64 },
});

web.addTask("log-shipper", {
  driver: Driver.docker({ image: "fluent/fluent-bit:3.0", args: ["-c", `${Interp.taskDir}/fluent-bit.conf`] }),
  lifecycle: { hook: "poststart", sidecar: true },
  resources: { cpu: 50, memoryMB: 64 },
});

web.addTask("cleanup", {
  driver: Driver.rawExec({ command: "/usr/local/bin/cleanup", args: [Interp.allocId] }),
  lifecycle: { hook: "poststop" },
  resources: { cpu: 50, memoryMB: 32 },
});

// ---------------------------------------------------------- dispatch batch job
const batch = new Job(app, "full-batch-job", {
  id: "full-batch",
  type: "batch",
  region: "global",
  datacenters: ["dc1"],
  parameterized: { payload: "required", metaRequired: ["input"], metaOptional: ["mode"] },
});
batch
  .addGroup("work", {
    maxRunDuration: "2h",
    reschedule: { attempts: 1, interval: "24h", delay: "5s", delayFunction: "constant", unlimited: false },
  })
  .addTask("crunch", {
    driver: Driver.mock({ runFor: "30s", exitCode: 0 }),
    dispatchPayload: { file: "input.json" },
    env: { INPUT: Interp.meta("input") },
    resources: { cpu: 200, memoryMB: 128 },
  });

// ------------------------------------------------------------- periodic job
const nightly = new Job(app, "full-periodic", {
  type: "batch",
  datacenters: ["dc1"],
  periodic: { cron: "0 3 * * *", prohibitOverlap: true, timeZone: "Europe/Paris", enabled: true },
});
nightly.addGroup("report").addTask("build", {
  driver: Driver.java({ jarPath: "local/report.jar", jvmOptions: ["-Xmx512m"], args: ["--date", "yesterday"] }),
  artifacts: [{ source: "https://releases.example.com/report/report.jar", destination: "local/" }],
  resources: { cpu: 1000, memoryMB: 768 },
});

app.synth();
