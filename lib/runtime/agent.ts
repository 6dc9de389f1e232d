/**
 * The agent: drover's Nomad in one process, like `nomad agent -dev`: the
 * server (state store, broker, scheduler worker, plan applier, heartbeats),
 * the HTTP API, the local client node and any simulated nodes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { ClientRuntime } from "./client/client";
import type { TaskDriver } from "./drivers/driver";
import { defaultDrivers, type DriverPluginConfig } from "./drivers";
import { fingerprintLocalNode, simNodeSpecs, type SimNodePool } from "./client/fingerprint";
import { HttpApi } from "./http/server";
import { AgentLogger, type LogLevel } from "./log/agent-logger";
import { RequestGuard } from "./http/request-guard";
import { resolveTaskUser, switchNeeded } from "./drivers/task-user";
import type { EventStreamSettings } from "./http/routes/events";
import type { TelemetrySettings } from "./http/routes/metrics";
import type { AgentInfo } from "./http/agent-info";
import type { SchedulerFactory } from "./scheduler/interfaces";
import type { Clock } from "./server/clock";
import type { EvalBrokerOptions } from "./server/eval-broker";
import type { GCOptions } from "./server/gc";
import type { HeartbeatOptions } from "./server/heartbeat";
import { Server } from "./server/server";
import { MultiregionCoordinator } from "./multiregion/coordinator";
import { RegionRegistry, type RegionMember } from "./multiregion/registry";
import {
  newRegionServer,
  openRegionStore,
  startRegion,
  type RegionOptions,
  type RegionRuntime,
  type RegionShared,
} from "./multiregion/region-runtime";
import { DEFAULT_MAX_GROUP_COUNT, MAX_GROUP_COUNT_CEILING } from "./server/job-bounds";

/** drover's version as the agent reports it. */
export const DROVER_VERSION = "0.1.0";

/** Options of `startAgent`. */
export interface AgentOptions {
  /**
   * Bounds of the event buffer that resuming subscribers (`?index=`) read
   * from: `size` writes (Nomad's `event_buffer_size`, default 100) and
   * `maxBytes` of event JSON (drover's `event_buffer_max_bytes`, default
   * 64 MiB), whichever is reached first drops the oldest writes.
   */
  eventBuffer?: { size?: number; maxBytes?: number };
  /** Settings of `/v1/event/stream`: `{}` heartbeat interval (default 10 s) and the unsent bytes after which a slow subscriber is dropped (default 8 MiB). */
  eventStream?: EventStreamSettings;
  /** The `telemetry` block: `prometheusMetrics` serves `/v1/metrics?format=prometheus`, `publishNodeMetrics` adds `nomad.client.allocations.*` (both default false, as in Nomad; `drover agent --dev` turns both on). */
  telemetry?: TelemetrySettings;
  /** Address to bind the HTTP API to, default 127.0.0.1. */
  bind?: string;
  /** HTTP port, default 4646; 0 picks a free port. */
  port?: number;
  /** Directory for persisted state; in memory when absent. */
  dataDir?: string;
  /** Region, default "global". */
  region?: string;
  /** The agent's name, which is also its local node's `Name` (Nomad's `name` in the config, `-node` on the command line); default the host name. */
  name?: string;
  /** Datacenter of the agent and its local node, default "dc1". */
  datacenter?: string;
  /** Run the local client node (default true). */
  client?: boolean;
  /** Local node settings. */
  /** Limits of artifact downloads (Nomad's `client.artifact` block; defaults 30m and 100GB). */
  artifactLimits?: { httpReadTimeoutMs: number; httpMaxBytes: number };
  localNode?: {
    nodeClass?: string;
    nodePool?: string;
    meta?: Record<string, string>;
    cpuMHz?: number;
    memoryMB?: number;
    hostVolumes?: Record<string, { path: string; readOnly?: boolean }>;
  };
  /** Simulated node pools. */
  simPools?: SimNodePool[];
  /** Shorthand: N simulated nodes in the agent's datacenter with default resources. */
  simNodes?: number;
  /** Drivers of the local node (default: mock_driver, raw_exec, exec, docker configured by `plugins`); simulated nodes offer mock_driver. */
  drivers?: TaskDriver[];
  /** Driver settings (`plugin` blocks of the config); raw_exec is disabled unless enabled here. */
  plugins?: DriverPluginConfig;
  /** Heartbeat knobs (tests use short TTLs). */
  heartbeat?: HeartbeatOptions;
  /** Broker knobs. */
  broker?: EvalBrokerOptions;
  /** Garbage collection thresholds and interval (Nomad's defaults when unset). */
  gc?: GCOptions;
  /** Client status sync interval, ms (default 100). */
  syncIntervalMs?: number;
  /** Scheduler factory override. */
  schedulerFactory?: SchedulerFactory;
  /** Injected clock. */
  clock?: Clock;
  /** Injected ID generator. */
  newID?: () => string;
  /** Log sink (default: nowhere): the lines at `logLevel` or above. */
  log?: (message: string) => void;
  /** The least severe level the sink gets (Nomad's `log_level`): TRACE, DEBUG, INFO, WARN or ERROR; default INFO. `/v1/agent/monitor` streams any level whatever this is. */
  logLevel?: LogLevel;
  /** Nomad's `enable_debug`: without ACLs, `/v1/agent/host` answers only when it is set (`drover agent --dev` sets it, as `nomad agent -dev` does); default false. With ACLs, an agent:read token is what it takes. */
  enableDebug?: boolean;
  /** Enforce ACLs on every endpoint (`--acl-enabled`, `acl { enabled = true }`); default false, as Nomad. */
  aclEnabled?: boolean;
  /** More regions served by this agent, each a server of its own with its own simulated nodes (requests choose one with `?region=`). */
  regions?: RegionOptions[];
  /** Origins of web pages allowed to call the HTTP API besides the agent's own (`http://localhost:3000`); default none (see http/request-guard.ts). */
  allowedOrigins?: string[];
  /** Bounds on requests and jobs (defaults in `AgentLimits`). */
  limits?: AgentLimits;
  /** The user tasks of raw_exec and exec run as when they set no `user` (only honoured when the agent runs as root); default: the agent's own user. */
  defaultTaskUser?: string;
}

/** Bounds on what the agent accepts (`limits` in the agent config). */
export interface AgentLimits {
  /** Largest task group count and scale target. @default 10000 (at most 1000000) */
  maxGroupCount?: number;
  /** Concurrent HTTP connections from one client address (Nomad's `http_max_conns_per_client`); 0 for no cap. @default 100 */
  httpMaxConnsPerClient?: number;
  /** Concurrent HTTP connections in all; 0 for no cap. @default 1024 */
  httpMaxConns?: number;
  /** Largest request body, bytes. @default 10 MiB */
  httpMaxBodyBytes?: number;
  /** Deepest nesting of objects and arrays in a request body. @default 64 */
  httpMaxJsonDepth?: number;
}

/** A running agent. */
export interface Agent {
  /** "http://127.0.0.1:PORT". */
  address: string;
  /** The bound port. */
  port: number;
  /** The server. */
  server: Server;
  /** The client runtime (local and simulated nodes). */
  client: ClientRuntime | null;
  /** The local node's ID ("" without a client). */
  localNodeID: string;
  /** Every region the agent serves, its own first. */
  regions: RegionRegistry;
  /** The HTTP API (its route table with each route's ACL requirement). */
  http: HttpApi;
  /** Registers more simulated nodes (they join like new Nomad clients). */
  addSimNodes(pool: SimNodePool): Promise<string[]>;
  /** Shuts down: HTTP first, then clients, server and the database. */
  stop(): Promise<void>;
}

/** The local node keeps its ID across restarts in `<data_dir>/client/node-id`. */
function localNodeID(dataDir: string | undefined): string {
  if (!dataDir) return randomUUID();
  const dir = path.join(dataDir, "client");
  const file = path.join(dir, "node-id");
  try {
    const id = fs.readFileSync(file, "utf8").trim();
    if (id) return id;
  } catch {
    // first start
  }
  fs.mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  fs.writeFileSync(file, id + "\n");
  return id;
}

/** The driver settings with the agent's default task user given to raw_exec and exec. */
function pluginsWithUser(plugins: DriverPluginConfig | undefined, user: string | undefined): DriverPluginConfig | undefined {
  if (!user) return plugins;
  return { ...plugins, raw_exec: { ...plugins?.raw_exec, defaultUser: user }, exec: { ...plugins?.exec, defaultUser: user } };
}

/**
 * The local node's host volumes (`client.host_volume`), checked as Nomad's
 * client checks them at start: each path must be an existing directory.
 */
function checkHostVolumes(
  volumes: Record<string, { path: string; readOnly?: boolean }>,
): Record<string, { path: string; readOnly: boolean }> {
  const out: Record<string, { path: string; readOnly: boolean }> = {};
  for (const [name, v] of Object.entries(volumes)) {
    // A name may end in an allocation index, "data[0]": the volume a `per_alloc` request of allocation 0 asks for.
    if (!/^[a-zA-Z0-9_.-]+(\[\d+\])?$/.test(name))
      throw new Error(
        `host volume ${JSON.stringify(name)}: a name is letters, digits, "_", "-" and ".", optionally ending in an allocation index like "[0]"`,
      );
    if (!v.path || !path.isAbsolute(v.path))
      throw new Error(`host volume ${JSON.stringify(name)}: path ${JSON.stringify(v.path ?? "")} must be absolute`);
    let st: fs.Stats;
    try {
      st = fs.statSync(v.path);
    } catch {
      throw new Error(`host volume ${JSON.stringify(name)}: path ${JSON.stringify(v.path)} does not exist`);
    }
    if (!st.isDirectory()) throw new Error(`host volume ${JSON.stringify(name)}: path ${JSON.stringify(v.path)} is not a directory`);
    out[name] = { path: v.path, readOnly: v.readOnly === true };
  }
  return out;
}

/** Starts an agent. */
export async function startAgent(options: AgentOptions = {}): Promise<Agent> {
  const bind = options.bind ?? "127.0.0.1";
  const limits = options.limits ?? {};
  const maxGroupCount = limits.maxGroupCount ?? DEFAULT_MAX_GROUP_COUNT;
  RequestGuard.checkOrigins(options.allowedOrigins ?? []);
  if (options.defaultTaskUser) {
    try {
      switchNeeded(resolveTaskUser(options.defaultTaskUser));
    } catch (err) {
      throw new Error(`default task user: ${(err as Error).message}`);
    }
  }
  if (!Number.isInteger(maxGroupCount) || maxGroupCount < 1 || maxGroupCount > MAX_GROUP_COUNT_CEILING)
    throw new Error(`limits.maxGroupCount must be an integer between 1 and ${MAX_GROUP_COUNT_CEILING}, got ${maxGroupCount}`);
  const region = options.region ?? "global";
  const datacenter = options.datacenter ?? "dc1";
  const store = openRegionStore(options.dataDir, {
    eventBufferSize: options.eventBuffer?.size,
    eventBufferMaxBytes: options.eventBuffer?.maxBytes,
  });
  // The regions and their coordinator come first: every region's server registers multiregion jobs through it.
  const regions = new RegionRegistry(region);
  // One logger for the whole agent: its sink is `options.log`, and `/v1/agent/monitor` taps it.
  const logger = new AgentLogger(options.log, options.logLevel ?? "INFO");
  const coordinator = new MultiregionCoordinator(regions, logger.info);
  const shared: RegionShared = {
    dataDir: options.dataDir,
    drivers: options.drivers,
    syncIntervalMs: options.syncIntervalMs,
    heartbeat: options.heartbeat,
    broker: options.broker,
    schedulerFactory: options.schedulerFactory,
    clock: options.clock,
    newID: options.newID,
    log: logger.info,
    multiregion: coordinator,
    jobLimits: { maxGroupCount },
    eventBuffer: { eventBufferSize: options.eventBuffer?.size, eventBufferMaxBytes: options.eventBuffer?.maxBytes },
  };
  const server = newRegionServer(
    store,
    region,
    datacenter,
    {
      ...shared,
      gc: options.gc,
      acl: { enabled: options.aclEnabled === true, dataDir: options.dataDir ? path.join(options.dataDir, "server") : undefined },
    },
    options.dataDir,
  );
  const info: AgentInfo = {
    name: options.name ?? os.hostname(),
    region,
    datacenter,
    bindAddr: bind,
    httpPort: options.port ?? 4646,
    rpcAddr: `${bind === "0.0.0.0" ? "127.0.0.1" : bind}:4647`,
    dataDir: options.dataDir ?? "",
    version: DROVER_VERSION,
    nodeID: "",
    enableDebug: options.enableDebug === true,
  };
  const extraRegions: RegionRuntime[] = [];
  const http = new HttpApi(server, info, {
    bind,
    port: options.port ?? 4646,
    log: logger.info,
    logger,
    regions,
    allowedOrigins: options.allowedOrigins,
    connections: { perClient: limits.httpMaxConnsPerClient, total: limits.httpMaxConns },
    maxBodyBytes: limits.httpMaxBodyBytes,
    maxJsonDepth: limits.httpMaxJsonDepth,
    events: options.eventStream,
    telemetry: options.telemetry,
  });
  let client: ClientRuntime | null = null;
  try {
    server.start();
    for (const r of options.regions ?? []) {
      if (r.name === region) throw new Error(`region "${r.name}" is the agent's own region; list only other regions`);
      if (extraRegions.some((x) => x.name === r.name)) throw new Error(`region "${r.name}" is listed twice`);
      extraRegions.push(await startRegion(r, shared));
    }
    // Every region is known before the first request can arrive.
    const home: RegionMember = { name: region, server, client: null };
    regions.add(home);
    for (const r of extraRegions) regions.add(r);
    const { port } = await http.listen();
    const host = bind === "0.0.0.0" ? "127.0.0.1" : bind;
    const address = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    let simPoolIndex = 0;
    if (options.client !== false || options.simNodes || options.simPools?.length) {
      client = new ClientRuntime(server, {
        drivers: options.drivers ?? defaultDrivers(pluginsWithUser(options.plugins, options.defaultTaskUser)),
        dataDir: options.dataDir,
        region,
        syncIntervalMs: options.syncIntervalMs,
        log: logger.info,
        artifactLimits: options.artifactLimits,
      });
      client.start();
      // The client endpoints of this region reach the runtime from now on.
      home.client = client;
      if (options.client !== false) {
        const spec = fingerprintLocalNode({
          id: localNodeID(options.dataDir),
          name: options.name,
          datacenter,
          nodeClass: options.localNode?.nodeClass,
          nodePool: options.localNode?.nodePool,
          meta: options.localNode?.meta,
          dataDir: options.dataDir,
          httpAddr: `${host}:${port}`,
        });
        if (options.localNode?.hostVolumes) spec.hostVolumes = checkHostVolumes(options.localNode.hostVolumes);
        if (options.localNode?.cpuMHz) spec.cpuMHz = options.localNode.cpuMHz;
        if (options.localNode?.memoryMB) spec.memoryMB = options.localNode.memoryMB;
        await client.addNodes([spec]);
        info.nodeID = spec.id;
      }
      const pools = [...(options.simPools ?? [])];
      if (options.simNodes) pools.unshift({ count: options.simNodes, datacenter });
      for (const p of pools) await client.addNodes(simNodeSpecs(p, simPoolIndex++));
    }
    home.client = client;
    // Always on: a multiregion job naming a region this agent does not serve is refused rather than left blocked.
    coordinator.start();
    const rt = client;
    let stopped = false;
    return {
      address,
      port,
      server,
      client,
      localNodeID: info.nodeID,
      regions,
      http,
      addSimNodes: async (pool) => {
        if (!rt) throw new Error("the agent runs no client runtime");
        const nodes = await rt.addNodes(simNodeSpecs(pool, simPoolIndex++));
        return nodes.map((n) => n.ID);
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await http.close();
        coordinator.stop();
        for (const r of extraRegions) await r.stop();
        if (rt) {
          await rt.sync();
          await rt.stop();
        }
        server.stop();
        await store.close();
      },
    };
  } catch (err) {
    await http.close().catch(() => {});
    coordinator.stop();
    for (const r of extraRegions) await r.stop().catch(() => {});
    server.stop();
    await store.close().catch(() => {});
    throw err;
  }
}
