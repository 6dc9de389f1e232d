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
 *   "sim_nodes": [
 *     { "count": 100, "name": "edge", "datacenter": "dc2", "node_class": "edge", "node_pool": "default",
 *       "cpu": 4000, "memory": 8192, "disk": 102400, "meta": { "rack": "r1" }, "attributes": { "kernel.name": "linux" } }
 *   ]
 * }
 * ```
 *
 * Flags win over the file.
 */
import * as fs from "node:fs";
import { parseGoDuration } from "../jobspec/duration";
import type { SimNodePool } from "./client/fingerprint";

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
}

/** Server settings. */
export interface ServerConfig {
  /** Lowest heartbeat TTL (Go duration, Nomad default "10s"). */
  min_heartbeat_ttl?: string;
  /** Grace after a missed heartbeat (Go duration, Nomad default "10s"). */
  heartbeat_grace?: string;
}

/** The config file. */
export interface AgentConfigFile {
  region?: string;
  datacenter?: string;
  bind_addr?: string;
  ports?: { http?: number };
  data_dir?: string;
  client?: ClientConfig;
  server?: ServerConfig;
  sim_nodes?: SimNodePool[];
}

function fail(file: string, where: string, why: string): never {
  throw new Error(`${file}: ${where}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
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
  const known = new Set(["region", "datacenter", "bind_addr", "ports", "data_dir", "client", "server", "sim_nodes"]);
  for (const k of Object.keys(raw)) if (!known.has(k)) fail(file, k, `unknown field (known: ${[...known].join(", ")})`);
  for (const k of ["region", "datacenter", "bind_addr", "data_dir"]) if (raw[k] !== undefined && typeof raw[k] !== "string") fail(file, k, "must be a string");
  if (raw.ports !== undefined && (!isObject(raw.ports) || (raw.ports.http !== undefined && !Number.isInteger(raw.ports.http)))) fail(file, "ports.http", "must be an integer");
  if (raw.client !== undefined) {
    if (!isObject(raw.client)) fail(file, "client", "must be an object");
    stringMap(file, "client.meta", raw.client.meta);
    for (const k of ["cpu_total_compute", "memory_total_mb"]) if (raw.client[k] !== undefined && !(Number.isInteger(raw.client[k]) && (raw.client[k] as number) > 0)) fail(file, `client.${k}`, "must be a positive integer");
  }
  if (raw.server !== undefined) {
    if (!isObject(raw.server)) fail(file, "server", "must be an object");
    for (const k of ["min_heartbeat_ttl", "heartbeat_grace"]) {
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
  if (raw.sim_nodes !== undefined) {
    if (!Array.isArray(raw.sim_nodes)) fail(file, "sim_nodes", "must be a list of node pools");
    raw.sim_nodes.forEach((p, i) => {
      const w = `sim_nodes[${i}]`;
      if (!isObject(p)) fail(file, w, "must be an object");
      if (!Number.isInteger(p.count) || (p.count as number) < 0) fail(file, `${w}.count`, "must be a non-negative integer");
      for (const k of ["cpu", "memory", "disk"]) if (p[k] !== undefined && !(Number.isInteger(p[k]) && (p[k] as number) > 0)) fail(file, `${w}.${k}`, "must be a positive integer");
      for (const k of ["name", "datacenter", "node_class", "node_pool"]) if (p[k] !== undefined && typeof p[k] !== "string") fail(file, `${w}.${k}`, "must be a string");
      stringMap(file, `${w}.meta`, p.meta);
      stringMap(file, `${w}.attributes`, p.attributes);
    });
  }
  return raw as AgentConfigFile;
}

/** Milliseconds of a Go duration string, or undefined. */
export function durationMs(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseGoDuration(text) / 1_000_000;
}
