/**
 * Node fingerprinting: the local node's real resources and attributes (as
 * Nomad's client fingerprinters report them), and cheap simulated nodes.
 */
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import type { DriverInfo, Node } from "../structs";
import { DEFAULT_MAX_DYNAMIC_PORT, DEFAULT_MIN_DYNAMIC_PORT } from "../structs";
import type { DriverFingerprint, TaskDriver } from "../drivers/driver";

/** The Nomad version drover's runtime reports in `nomad.version` (the API level it follows). */
export const NOMAD_COMPAT_VERSION = "1.10.0";

/** What describes one client node before it registers. */
export interface ClientNodeSpec {
  /** Node ID (UUID). */
  id: string;
  /** Node name (Nomad default: the hostname). */
  name: string;
  /** Datacenter, Nomad default "dc1". */
  datacenter: string;
  /** Node class, default "". */
  nodeClass: string;
  /** Node pool, Nomad default "default". */
  nodePool: string;
  /** Total CPU in MHz. */
  cpuMHz: number;
  /** Total memory in MiB. */
  memoryMB: number;
  /** Ephemeral disk in MiB. */
  diskMB: number;
  /** Reserved CPU (MHz), memory and disk (MiB); default 0. */
  reserved?: { cpuMHz?: number; memoryMB?: number; diskMB?: number };
  /** Operator metadata. */
  meta: Record<string, string>;
  /** Attributes (merged over the fingerprinted ones). */
  attributes: Record<string, string>;
  /** Address of the node's HTTP API. */
  httpAddr: string;
  /** A simulated node: it offers the simulation drivers (mock_driver) only, never real processes. */
  simulated?: boolean;
  /** Host volumes of the node (`client.host_volume`), by name. */
  hostVolumes?: Record<string, { path: string; readOnly: boolean }>;
}

/** Go's GOARCH for Node's `process.arch`. */
function goArch(): string {
  const map: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm", ppc64: "ppc64le", s390x: "s390x" };
  return map[process.arch] ?? process.arch;
}

function osName(): string {
  if (process.platform !== "linux") return process.platform;
  try {
    const text = fs.readFileSync("/etc/os-release", "utf8");
    const m = /^ID="?([^"\n]+)"?/m.exec(text);
    return m ? m[1] : "linux";
  } catch {
    return "linux";
  }
}

/** Free MiB on the filesystem holding `dir` (falls back to 100 GiB when it cannot be read). */
function diskFreeMB(dir: string): number {
  try {
    const s = fs.statfsSync(dir);
    return Math.floor((Number(s.bavail) * Number(s.bsize)) / (1024 * 1024));
  } catch {
    return 100 * 1024;
  }
}

/** The local host as a client node: real CPU (cores × MHz), memory and free disk. */
export function fingerprintLocalNode(
  options: {
    id?: string;
    name?: string;
    datacenter?: string;
    nodeClass?: string;
    nodePool?: string;
    dataDir?: string;
    meta?: Record<string, string>;
    httpAddr?: string;
  } = {},
): ClientNodeSpec {
  const cpus = os.cpus();
  const mhz = cpus[0]?.speed || 2000;
  const hostname = os.hostname();
  return {
    id: options.id ?? randomUUID(),
    name: options.name ?? hostname,
    datacenter: options.datacenter ?? "dc1",
    nodeClass: options.nodeClass ?? "",
    nodePool: options.nodePool ?? "default",
    cpuMHz: Math.max(1, cpus.length) * mhz,
    memoryMB: Math.floor(os.totalmem() / (1024 * 1024)),
    diskMB: diskFreeMB(options.dataDir ?? os.tmpdir()),
    meta: options.meta ?? {},
    attributes: {
      "kernel.name": process.platform,
      "kernel.version": os.release(),
      "os.name": osName(),
      "cpu.arch": goArch(),
      "cpu.numcores": String(cpus.length),
      "cpu.frequency": String(mhz),
      "cpu.totalcompute": String(Math.max(1, cpus.length) * mhz),
      "cpu.modelname": cpus[0]?.model ?? "unknown",
      "memory.totalbytes": String(os.totalmem()),
      "unique.hostname": hostname,
      "unique.network.ip-address": "127.0.0.1",
    },
    httpAddr: options.httpAddr ?? "127.0.0.1:4646",
  };
}

/** A stable UUID derived from a string (so simulated nodes keep their IDs across restarts). */
export function stableUUID(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Fingerprints drivers once (for any number of nodes); a driver whose
 * fingerprint throws is reported undetected with the error.
 */
export async function fingerprintDrivers(drivers: readonly TaskDriver[]): Promise<Map<string, DriverFingerprint>> {
  const out = new Map<string, DriverFingerprint>();
  for (const d of drivers) {
    try {
      out.set(d.name, await d.fingerprint());
    } catch (err) {
      out.set(d.name, { attributes: {}, detected: false, healthy: false, description: `fingerprint failed: ${(err as Error).message}` });
    }
  }
  return out;
}

/**
 * Builds the Node a client registers, with driver attributes and the
 * `Drivers` map from driver fingerprints (a driver's own synchronous
 * fingerprint when given drivers).
 */
export function buildNode(
  spec: ClientNodeSpec,
  drivers: readonly TaskDriver[] | ReadonlyMap<string, DriverFingerprint>,
  nowMs: number,
): Node {
  const driverInfo: Record<string, DriverInfo> = {};
  const attributes: Record<string, string> = {
    "nomad.version": NOMAD_COMPAT_VERSION,
    "nomad.revision": "drover",
    "nomad.service_discovery": "true",
    "os.signals":
      "SIGABRT,SIGALRM,SIGBUS,SIGCHLD,SIGCONT,SIGFPE,SIGHUP,SIGILL,SIGINT,SIGIO,SIGKILL,SIGPIPE,SIGPROF,SIGQUIT,SIGSEGV,SIGSTOP,SIGSYS,SIGTERM,SIGTRAP,SIGTSTP,SIGTTIN,SIGTTOU,SIGURG,SIGUSR1,SIGUSR2,SIGWINCH,SIGXCPU,SIGXFSZ",
    "unique.hostname": spec.name,
  };
  const fps: [string, DriverFingerprint][] = [];
  if (Array.isArray(drivers)) {
    for (const d of drivers as readonly TaskDriver[]) {
      const fp = d.fingerprint();
      if (fp instanceof Promise) throw new Error(`driver ${d.name} fingerprints asynchronously: use fingerprintDrivers first`);
      fps.push([d.name, fp]);
    }
  } else fps.push(...(drivers as ReadonlyMap<string, DriverFingerprint>).entries());
  for (const [name, fp] of fps) {
    if (fp.detected) Object.assign(attributes, fp.attributes);
    driverInfo[name] = {
      Attributes: fp.detected ? fp.attributes : {},
      Detected: fp.detected,
      Healthy: fp.detected && fp.healthy,
      HealthDescription: fp.description,
      UpdateTime: new Date(nowMs).toISOString(),
    };
  }
  Object.assign(attributes, spec.attributes);
  return {
    ID: spec.id,
    SecretID: randomUUID(),
    Datacenter: spec.datacenter,
    Name: spec.name,
    HTTPAddr: spec.httpAddr,
    TLSEnabled: false,
    Attributes: attributes,
    Meta: { ...spec.meta },
    NodeClass: spec.nodeClass,
    NodePool: spec.nodePool,
    ComputedClass: "",
    DrainStrategy: null,
    SchedulingEligibility: "eligible",
    Status: "ready",
    StatusDescription: "",
    StatusUpdatedAt: Math.floor(nowMs / 1000),
    Drivers: driverInfo,
    NodeResources: {
      Cpu: { CpuShares: spec.cpuMHz },
      Memory: { MemoryMB: spec.memoryMB },
      Disk: { DiskMB: spec.diskMB },
      Networks: [
        {
          Mode: "host",
          Device: "lo",
          Addresses: [{ Family: "ipv4", Alias: "default", Address: "127.0.0.1", ReservedPorts: "", Gateway: "" }],
        },
      ],
      MinDynamicPort: DEFAULT_MIN_DYNAMIC_PORT,
      MaxDynamicPort: DEFAULT_MAX_DYNAMIC_PORT,
    },
    ReservedResources: {
      Cpu: { CpuShares: spec.reserved?.cpuMHz ?? 0 },
      Memory: { MemoryMB: spec.reserved?.memoryMB ?? 0 },
      Disk: { DiskMB: spec.reserved?.diskMB ?? 0 },
      Networks: { ReservedHostPorts: "" },
    },
    Events: [],
    HostVolumes:
      spec.hostVolumes && Object.keys(spec.hostVolumes).length
        ? Object.fromEntries(Object.entries(spec.hostVolumes).map(([n, v]) => [n, { Path: v.path, ReadOnly: v.readOnly }]))
        : null,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}

/** One pool of simulated nodes (from the agent config file). */
export interface SimNodePool {
  /** How many nodes. */
  count: number;
  /** Pool name, used in node names and stable IDs (default "sim"). */
  name?: string;
  /** Datacenter, default "dc1". */
  datacenter?: string;
  /** Node class, default "". */
  node_class?: string;
  /** Node pool, default "default". */
  node_pool?: string;
  /** CPU MHz per node, default 4000. */
  cpu?: number;
  /** Memory MiB per node, default 8192. */
  memory?: number;
  /** Disk MiB per node, default 102400. */
  disk?: number;
  /** Node metadata. */
  meta?: Record<string, string>;
  /** Extra attributes. */
  attributes?: Record<string, string>;
}

/** Specs of the simulated nodes of a pool; IDs are stable per (pool name, index). */
export function simNodeSpecs(pool: SimNodePool, poolIndex = 0): ClientNodeSpec[] {
  const name = pool.name ?? (poolIndex === 0 ? "sim" : `sim${poolIndex}`);
  const out: ClientNodeSpec[] = [];
  for (let i = 0; i < pool.count; i++) {
    const nodeName = `${name}-${i}`;
    out.push({
      id: stableUUID(`drover-sim-node:${name}:${i}`),
      name: nodeName,
      datacenter: pool.datacenter ?? "dc1",
      nodeClass: pool.node_class ?? "",
      nodePool: pool.node_pool ?? "default",
      cpuMHz: pool.cpu ?? 4000,
      memoryMB: pool.memory ?? 8192,
      diskMB: pool.disk ?? 102400,
      meta: { ...(pool.meta ?? {}) },
      attributes: {
        "kernel.name": "linux",
        "os.name": "ubuntu",
        "cpu.arch": "amd64",
        "unique.hostname": nodeName,
        ...(pool.attributes ?? {}),
      },
      httpAddr: "127.0.0.1:4646",
      simulated: true,
    });
  }
  return out;
}
