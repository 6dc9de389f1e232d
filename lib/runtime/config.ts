/**
 * The agent's configuration: command-line flags plus an optional JSON
 * config file.
 *
 * Config file shape (every field optional):
 *
 * ```json
 * {
 *   "region": "global",
 *   "datacenter": "dc1",
 *   "bind_addr": "127.0.0.1",
 *   "ports": { "http": 4646 },
 *   "data_dir": "/var/lib/drover",
 *   "client": {
 *     "enabled": true,
 *     "node_class": "",
 *     "node_pool": "default",
 *     "meta": { "team": "web" },
 *     "cpu_total_compute": 8000,
 *     "memory_total_mb": 16384
 *   },
 *   "server": { "min_heartbeat_ttl": "10s", "heartbeat_grace": "10s" },
 *   "plugin": { "raw_exec": { "config": { "enabled": true } }, "docker": { "config": { "endpoint": "unix:///run/podman.sock" } } },
 *   "sim_nodes": [
 *     { "count": 100, "name": "edge", "datacenter": "dc2", "node_class": "edge", "node_pool": "default",
 *       "cpu": 4000, "memory": 8192, "disk": 102400, "meta": { "rack": "r1" }, "attributes": { "kernel.name": "linux" } }
 *   ],
 *   "regions": [
 *     { "name": "east", "datacenters": ["east-1", "east-2"], "sim_nodes": 4 },
 *     { "name": "west", "datacenters": ["west-1"], "sim_nodes": [{ "count": 2, "cpu": 2000 }] }
 *   ],
 *   "http_allowed_origins": ["http://localhost:3000"],
 *   "limits": { "http_max_conns_per_client": 100, "http_max_conns": 1024, "http_max_body_bytes": 10485760, "http_max_json_depth": 64, "max_group_count": 10000 }
 * }
 * ```
 *
 * `http_allowed_origins` lists the origins of web pages (a web UI) allowed to
 * call the API besides the agent's own; `limits` bounds connections, request
 * bodies and group counts (see lib/runtime/README.md); `client.default_task_user`
 * is the user raw_exec and exec tasks without `user` run as.
 *
 * `regions` lists more regions this agent serves besides its own `region`:
 * each is a server of its own with its own state (under
 * `<data_dir>/regions/<name>/`) and simulated nodes (`sim_nodes`: a count
 * spread over the region's datacenters, or a list of pools as above).
 *
 * Flags win over the file.
 */
import { parseLogLevel } from "./log/agent-logger";
import * as fs from "node:fs";
import { parseGoDuration } from "../jobspec/duration";
import type { SimNodePool } from "./client/fingerprint";
import { REGION_NAME, type RegionOptions } from "./multiregion/region-runtime";
import { isObject } from "./http/request-body";

/** Reads a byte size as Nomad's config does ("100GB", "512MB", "10KiB", "1024"); null when it is not one. */
export function parseByteSize(value: unknown): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?$/i.exec(String(value).trim());
  if (!m) return null;
  const unit = (m[2] ?? "B").toUpperCase();
  const pow = { B: 0, KB: 1, KIB: 1, MB: 2, MIB: 2, GB: 3, GIB: 3, TB: 4, TIB: 4 }[unit] ?? 0;
  const base = unit.includes("I") ? 1024 : 1000;
  return Math.round(Number(m[1]) * base ** pow);
}

/** The local client node's settings. */
export interface ClientConfig {
  /** Run the local client node (default true). */
  enabled?: boolean;
  /** Node class, default "". */
  node_class?: string;
  /** Node pool, default "default". */
  node_pool?: string;
  /** Node metadata. */
  meta?: Record<string, string>;
  /** Override of the fingerprinted CPU, MHz. */
  cpu_total_compute?: number;
  /** Override of the fingerprinted memory, MiB. */
  memory_total_mb?: number;
  /** The user raw_exec and exec tasks that set no `user` run as (the agent must be root to switch); default: the agent's own. */
  default_task_user?: string;
  /** Host volumes of the local node by name (Nomad's `client.host_volume "name" { path, read_only }`). */
  host_volume?: Record<string, { path: string; read_only?: boolean }>;
  /** Artifact download limits (Nomad's `client.artifact`): `http_read_timeout` (Go duration, default "30m") and `http_max_size` (bytes as "100GB", "512MB", default "100GB"). */
  artifact?: { http_read_timeout?: string; http_max_size?: string };
}

/** Bounds on what the agent accepts (`limits`; Nomad's block of that name has the first one). */
export interface LimitsConfig {
  /** Concurrent HTTP connections from one client address; 0 for no cap (Nomad's default 100). */
  http_max_conns_per_client?: number;
  /** Concurrent HTTP connections in all; 0 for no cap (default 1024). */
  http_max_conns?: number;
  /** Largest request body in bytes (default 10 MiB). */
  http_max_body_bytes?: number;
  /** Deepest nesting of objects and arrays in a request body (default 64). */
  http_max_json_depth?: number;
  /** Largest task group count and scale target (default 10000, at most 1000000). */
  max_group_count?: number;
}

/** Server settings. */
export interface ServerConfig {
  /** Lowest heartbeat TTL (Go duration, Nomad default "10s"). */
  min_heartbeat_ttl?: string;
  /** Grace after a missed heartbeat (Go duration, Nomad default "10s"). */
  heartbeat_grace?: string;
  /** Age at which terminal evaluations are garbage collected (Nomad default "1h"). */
  eval_gc_threshold?: string;
  /** Same for evaluations of batch jobs (Nomad default "24h"). */
  batch_eval_gc_threshold?: string;
  /** Age at which dead jobs are garbage collected (Nomad default "4h"). */
  job_gc_threshold?: string;
  /** Age at which terminal deployments are garbage collected (Nomad default "1h"). */
  deployment_gc_threshold?: string;
  /** Age at which down nodes are garbage collected (Nomad default "24h"). */
  node_gc_threshold?: string;
  /** How often garbage collection runs (Nomad default "5m"). */
  job_gc_interval?: string;
  /** Writes the event stream keeps for subscribers that resume from an index (Nomad's, default 100). */
  event_buffer_size?: number;
  /** drover's: bytes of event JSON it keeps at most, a size like "64MB" (default 64 MiB); the oldest writes go first. */
  event_buffer_max_bytes?: string;
}

/** One more region the agent serves (`regions` in the config file). */
export interface RegionConfig {
  /** Region name. */
  name: string;
  /** Its datacenters, default ["dc1"]. */
  datacenters?: string[];
  /** Simulated nodes: a count spread over the datacenters, or node pools. */
  sim_nodes?: number | SimNodePool[];
}

/** The config file. */
export interface AgentConfigFile {
  /** The agent's name, and its local node's (Nomad's `name`); default the host name. */
  name?: string;
  region?: string;
  datacenter?: string;
  bind_addr?: string;
  ports?: { http?: number };
  data_dir?: string;
  client?: ClientConfig;
  server?: ServerConfig;
  /** Metrics (Nomad's `telemetry` block): `prometheus_metrics` serves `/v1/metrics?format=prometheus`, `publish_node_metrics` the client nodes' allocation gauges. Both default false (true with `--dev`). */
  telemetry?: { prometheus_metrics?: boolean; publish_node_metrics?: boolean };
  sim_nodes?: SimNodePool[];
  regions?: RegionConfig[];
  /** Driver settings, Nomad's `plugin "<driver>" { config { ... } }` as JSON. */
  plugin?: Record<string, { config?: Record<string, unknown> }>;
  /** Origins of web pages allowed to call the HTTP API besides the agent's own. */
  http_allowed_origins?: string[];
  /** Bounds on connections, request bodies and jobs. */
  limits?: LimitsConfig;
  /** Nomad's `acl { enabled = true }`: enforce ACL tokens on every endpoint. */
  acl?: { enabled?: boolean };
  /** Nomad's `log_level`: the least severe level the agent writes to its console (TRACE, DEBUG, INFO, WARN, ERROR; default INFO). */
  log_level?: string;
  /** Nomad's `enable_debug`: without ACLs, `/v1/agent/host` answers only with it (default false; true with `--dev`). */
  enable_debug?: boolean;
}

/** What drover accepts as an agent (and local node) name: 1 to 128 characters, none of them whitespace or control characters. */
export const VALID_AGENT_NAME = /^[^\s\p{Cc}]{1,128}$/u;

/** The settings of the `telemetry` block drover's agent honours (Nomad's names). */
export const TELEMETRY_SETTINGS = ["prometheus_metrics", "publish_node_metrics"] as const;

/** The garbage collection settings of the server section (Nomad's names). */
export const GC_SETTINGS = [
  "eval_gc_threshold",
  "batch_eval_gc_threshold",
  "job_gc_threshold",
  "deployment_gc_threshold",
  "node_gc_threshold",
  "job_gc_interval",
] as const;

function fail(file: string, where: string, why: string): never {
  throw new Error(`${file}: ${where}: ${why}`);
}

function stringMap(file: string, where: string, v: unknown): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) fail(file, where, "must be an object of strings");
  for (const [k, x] of Object.entries(v)) if (typeof x !== "string") fail(file, `${where}.${k}`, "must be a string");
  return v as Record<string, string>;
}

/** Reads and checks a config file; errors name the file and the field. */
export function loadAgentConfigFile(file: string): AgentConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: cannot read the agent config (JSON expected): ${(err as Error).message}`);
  }
  if (!isObject(raw)) fail(file, "(root)", "must be a JSON object");
  const known = new Set([
    "name",
    "region",
    "datacenter",
    "bind_addr",
    "ports",
    "data_dir",
    "client",
    "server",
    "sim_nodes",
    "regions",
    "plugin",
    "http_allowed_origins",
    "limits",
    "acl",
    "telemetry",
    "log_level",
    "enable_debug",
  ]);
  for (const k of Object.keys(raw)) if (!known.has(k)) fail(file, k, `unknown field (known: ${[...known].join(", ")})`);
  for (const k of ["region", "datacenter", "bind_addr", "data_dir"])
    if (raw[k] !== undefined && typeof raw[k] !== "string") fail(file, k, "must be a string");
  if (raw.log_level !== undefined && (typeof raw.log_level !== "string" || !parseLogLevel(raw.log_level)))
    fail(file, "log_level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR");
  if (raw.enable_debug !== undefined && typeof raw.enable_debug !== "boolean") fail(file, "enable_debug", "must be a boolean");
  if (raw.name !== undefined && (typeof raw.name !== "string" || !VALID_AGENT_NAME.test(raw.name)))
    fail(file, "name", "must be a node name: 1 to 128 characters, no spaces or control characters");
  if (raw.acl !== undefined) {
    if (!isObject(raw.acl)) fail(file, "acl", "must be an object");
    for (const k of Object.keys(raw.acl)) if (k !== "enabled") fail(file, `acl.${k}`, "unknown field (known: enabled)");
    if (raw.acl.enabled !== undefined && typeof raw.acl.enabled !== "boolean") fail(file, "acl.enabled", "must be a boolean");
  }
  if (raw.ports !== undefined && (!isObject(raw.ports) || (raw.ports.http !== undefined && !Number.isInteger(raw.ports.http))))
    fail(file, "ports.http", "must be an integer");
  if (raw.client !== undefined) {
    if (!isObject(raw.client)) fail(file, "client", "must be an object");
    stringMap(file, "client.meta", raw.client.meta);
    for (const k of ["cpu_total_compute", "memory_total_mb"])
      if (raw.client[k] !== undefined && !(Number.isInteger(raw.client[k]) && (raw.client[k] as number) > 0))
        fail(file, `client.${k}`, "must be a positive integer");
    if (
      raw.client.default_task_user !== undefined &&
      (typeof raw.client.default_task_user !== "string" || raw.client.default_task_user === "")
    )
      fail(file, "client.default_task_user", "must be a user name");
    const art = raw.client.artifact;
    if (art !== undefined) {
      if (!isObject(art)) fail(file, "client.artifact", "must be an object");
      for (const k of Object.keys(art))
        if (k !== "http_read_timeout" && k !== "http_max_size")
          fail(file, `client.artifact.${k}`, "not supported by drover (http_read_timeout and http_max_size are)");
      if (art.http_read_timeout !== undefined) {
        try {
          parseGoDuration(String(art.http_read_timeout));
        } catch (err) {
          fail(file, "client.artifact.http_read_timeout", (err as Error).message);
        }
      }
      if (art.http_max_size !== undefined && parseByteSize(art.http_max_size) === null)
        fail(file, "client.artifact.http_max_size", 'must be a size like "100GB" or "512MB"');
    }
    const hv = raw.client.host_volume;
    if (hv !== undefined) {
      if (!isObject(hv)) fail(file, "client.host_volume", 'must be an object of { "name": { "path": "/dir", "read_only": false } }');
      for (const [name, v] of Object.entries(hv as Record<string, unknown>)) {
        if (!isObject(v) || typeof v.path !== "string") fail(file, `client.host_volume.${name}.path`, "must be a string");
        const vv = v as Record<string, unknown>;
        if (vv.read_only !== undefined && typeof vv.read_only !== "boolean")
          fail(file, `client.host_volume.${name}.read_only`, "must be a boolean");
        for (const k of Object.keys(vv))
          if (k !== "path" && k !== "read_only") fail(file, `client.host_volume.${name}.${k}`, "unknown field (known: path, read_only)");
      }
    }
  }
  if (raw.telemetry !== undefined) {
    if (!isObject(raw.telemetry)) fail(file, "telemetry", "must be an object");
    for (const [k, v] of Object.entries(raw.telemetry)) {
      if (!(TELEMETRY_SETTINGS as readonly string[]).includes(k))
        fail(file, `telemetry.${k}`, `not supported by drover's agent (supported: ${TELEMETRY_SETTINGS.join(", ")})`);
      if (typeof v !== "boolean") fail(file, `telemetry.${k}`, "must be true or false");
    }
  }
  if (raw.server !== undefined) {
    if (!isObject(raw.server)) fail(file, "server", "must be an object");
    const knownServer = ["min_heartbeat_ttl", "heartbeat_grace", ...GC_SETTINGS, "event_buffer_size", "event_buffer_max_bytes"];
    for (const k of Object.keys(raw.server))
      if (!knownServer.includes(k)) fail(file, `server.${k}`, `unknown field (known: ${knownServer.join(", ")})`);
    const size = raw.server.event_buffer_size;
    if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 1 && (size as number) <= 1_000_000))
      fail(file, "server.event_buffer_size", "must be an integer from 1 to 1000000 (writes kept for event stream subscribers that resume)");
    const maxBytes = raw.server.event_buffer_max_bytes;
    if (maxBytes !== undefined && (typeof maxBytes !== "string" || !((parseByteSize(maxBytes) ?? 0) >= 1)))
      fail(file, "server.event_buffer_max_bytes", 'must be a size like "64MB" (bytes of events kept for subscribers that resume)');
    for (const k of ["min_heartbeat_ttl", "heartbeat_grace", ...GC_SETTINGS]) {
      const v = raw.server[k];
      if (v === undefined) continue;
      if (typeof v !== "string") fail(file, `server.${k}`, 'must be a duration string like "10s"');
      try {
        parseGoDuration(v);
      } catch (err) {
        fail(file, `server.${k}`, (err as Error).message);
      }
    }
  }
  if (raw.sim_nodes !== undefined) checkSimPools(file, "sim_nodes", raw.sim_nodes);
  if (raw.http_allowed_origins !== undefined) {
    if (!Array.isArray(raw.http_allowed_origins))
      fail(file, "http_allowed_origins", 'must be a list of origins like ["http://localhost:3000"]');
    raw.http_allowed_origins.forEach((o, i) => {
      if (typeof o !== "string" || !/^https?:\/\/[^/]+$/.test(o))
        fail(file, `http_allowed_origins[${i}]`, 'must be an origin like "http://localhost:3000" (scheme, host and port; no path)');
    });
  }
  if (raw.limits !== undefined) checkLimits(file, raw.limits);
  if (raw.plugin !== undefined) checkPlugins(file, raw.plugin);
  if (raw.regions !== undefined) checkRegions(file, raw.regions, typeof raw.region === "string" ? raw.region : "global");
  return raw as AgentConfigFile;
}

function checkSimPools(file: string, where: string, pools: unknown): void {
  if (!Array.isArray(pools)) fail(file, where, "must be a list of node pools");
  pools.forEach((p, i) => {
    const w = `${where}[${i}]`;
    if (!isObject(p)) fail(file, w, "must be an object");
    if (!Number.isInteger(p.count) || (p.count as number) < 0) fail(file, `${w}.count`, "must be a non-negative integer");
    for (const k of ["cpu", "memory", "disk"])
      if (p[k] !== undefined && !(Number.isInteger(p[k]) && (p[k] as number) > 0)) fail(file, `${w}.${k}`, "must be a positive integer");
    for (const k of ["name", "datacenter", "node_class", "node_pool"])
      if (p[k] !== undefined && typeof p[k] !== "string") fail(file, `${w}.${k}`, "must be a string");
    stringMap(file, `${w}.meta`, p.meta);
    stringMap(file, `${w}.attributes`, p.attributes);
  });
}

function checkRegions(file: string, regions: unknown, ownRegion: string): void {
  if (!Array.isArray(regions)) fail(file, "regions", "must be a list of regions");
  const seen = new Set<string>([ownRegion]);
  regions.forEach((r, i) => {
    const w = `regions[${i}]`;
    if (!isObject(r)) fail(file, w, "must be an object");
    for (const k of Object.keys(r))
      if (!["name", "datacenters", "sim_nodes"].includes(k)) fail(file, `${w}.${k}`, "unknown field (known: name, datacenters, sim_nodes)");
    if (typeof r.name !== "string" || !REGION_NAME.test(r.name))
      fail(file, `${w}.name`, 'must be a region name (letters, digits, "-", "_", ".")');
    if (seen.has(r.name))
      fail(
        file,
        `${w}.name`,
        r.name === ownRegion
          ? `"${r.name}" is the agent's own region (set by "region"); list only other regions`
          : `region "${r.name}" is listed twice`,
      );
    seen.add(r.name);
    if (
      r.datacenters !== undefined &&
      (!Array.isArray(r.datacenters) || r.datacenters.length === 0 || r.datacenters.some((d) => typeof d !== "string" || d === ""))
    )
      fail(file, `${w}.datacenters`, "must be a non-empty list of datacenter names");
    if (typeof r.sim_nodes === "number") {
      if (!Number.isInteger(r.sim_nodes) || r.sim_nodes < 0)
        fail(file, `${w}.sim_nodes`, "must be a non-negative integer or a list of node pools");
    } else if (r.sim_nodes !== undefined) checkSimPools(file, `${w}.sim_nodes`, r.sim_nodes);
  });
}

/** The agent options of the config file's `regions`. */
export function regionOptions(regions: readonly RegionConfig[] | undefined): RegionOptions[] | undefined {
  return regions?.map((r) => ({
    name: r.name,
    datacenters: r.datacenters,
    simNodes: typeof r.sim_nodes === "number" ? r.sim_nodes : undefined,
    simPools: Array.isArray(r.sim_nodes) ? r.sim_nodes : undefined,
  }));
}

/** Milliseconds of a Go duration string, or undefined. */
export function durationMs(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseGoDuration(text) / 1_000_000;
}

/** The largest values of the `limits` settings. */
const LIMIT_RANGES: Record<keyof LimitsConfig, [number, number]> = {
  http_max_conns_per_client: [0, 1_000_000],
  http_max_conns: [0, 1_000_000],
  http_max_body_bytes: [1024, 1024 * 1024 * 1024],
  http_max_json_depth: [8, 10_000],
  max_group_count: [1, 1_000_000],
};

function checkLimits(file: string, limits: unknown): void {
  if (!isObject(limits)) fail(file, "limits", "must be an object");
  for (const [k, v] of Object.entries(limits)) {
    const range = LIMIT_RANGES[k as keyof LimitsConfig];
    if (!range) fail(file, `limits.${k}`, `unknown field (known: ${Object.keys(LIMIT_RANGES).join(", ")})`);
    if (!Number.isInteger(v) || (v as number) < range[0] || (v as number) > range[1])
      fail(file, `limits.${k}`, `must be an integer between ${range[0]} and ${range[1]}`);
  }
}

/** The plugin config keys each driver honours (Nomad's names); any other key is refused. */
const PLUGIN_CONFIG_KEYS: Record<string, readonly string[]> = {
  raw_exec: ["enabled"],
  exec: ["enabled"],
  docker: ["enabled", "endpoint", "volumes"],
  mock_driver: [],
};

/** Checks `plugin` blocks: known drivers and keys, `config.enabled` boolean, `config.endpoint` a unix socket, docker's `volumes.enabled`. */
function checkPlugins(file: string, plugin: unknown): void {
  if (!isObject(plugin)) fail(file, "plugin", 'must be an object like { "raw_exec": { "config": { "enabled": true } } }');
  for (const [name, block] of Object.entries(plugin)) {
    if (!["raw_exec", "exec", "docker", "mock_driver"].includes(name))
      fail(file, `plugin.${name}`, "unknown driver (known: raw_exec, exec, docker, mock_driver)");
    if (!isObject(block) || (block.config !== undefined && !isObject(block.config)))
      fail(file, `plugin.${name}`, 'must be an object { "config": { ... } }');
    const cfg = (block.config ?? {}) as Record<string, unknown>;
    const known = PLUGIN_CONFIG_KEYS[name] ?? [];
    for (const k of Object.keys(cfg))
      if (!known.includes(k))
        fail(
          file,
          `plugin.${name}.config.${k}`,
          known.length
            ? `not supported by drover's ${name} driver (supported: ${known.join(", ")})`
            : `drover's ${name} driver takes no config`,
        );
    if (
      cfg.volumes !== undefined &&
      (!isObject(cfg.volumes) || Object.keys(cfg.volumes).some((k) => k !== "enabled") || typeof cfg.volumes.enabled !== "boolean")
    )
      fail(file, `plugin.${name}.config.volumes`, 'must be { "enabled": true|false }');
    if (cfg.enabled !== undefined && typeof cfg.enabled !== "boolean") fail(file, `plugin.${name}.config.enabled`, "must be true or false");
    if (cfg.endpoint !== undefined && (typeof cfg.endpoint !== "string" || !cfg.endpoint.startsWith("unix:///")))
      fail(file, `plugin.${name}.config.endpoint`, 'must be a unix socket address like "unix:///var/run/docker.sock"');
  }
}
