/**
 * Starting and stopping one extra region of an agent: its state store and
 * its client's task directories (in memory and a temp directory, or under
 * `<data-dir>/regions/<name>/` when the agent persists), its server, and its
 * simulated client nodes in its datacenters (reachable through the client
 * endpoints, `/v1/client/...?region=<name>`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ACLOptions } from "../server/acl-endpoint";
import { ClientRuntime } from "../client/client";
import type { TaskDriver } from "../drivers/driver";
import { simNodeSpecs, type SimNodePool } from "../client/fingerprint";
import type { SchedulerFactory } from "../scheduler/interfaces";
import type { Clock } from "../server/clock";
import type { EvalBrokerOptions } from "../server/eval-broker";
import type { GCOptions } from "../server/gc";
import type { HeartbeatOptions } from "../server/heartbeat";
import { Server } from "../server/server";
import { Encrypter } from "../server/encrypter";
import type { MultiregionRegistrar } from "../server/job-endpoint";
import type { JobLimits } from "../server/job-bounds";
import { MemoryPersistence, SqlitePersistence, StateStore, type StateStoreOptions } from "../state";
import type { RegionMember } from "./registry";

/** An extra region of the agent (`regions` in the agent config). */
export interface RegionOptions {
  /** Region name (letters, digits, "-", "_" and "."). */
  name: string;
  /** The region's datacenters, default ["dc1"]; the first is its server's. */
  datacenters?: string[];
  /** Simulated nodes with default resources, spread over the datacenters in turn. */
  simNodes?: number;
  /** Further simulated node pools (a pool without a datacenter gets the region's first). */
  simPools?: SimNodePool[];
}

/** What every region shares with the agent's own. */
export interface RegionShared {
  /** The agent's data dir; a region persists under `<dataDir>/regions/<name>`. */
  dataDir?: string;
  /** Drivers of the region's client nodes (default: the client runtime's). */
  drivers?: TaskDriver[];
  /** Client status sync interval, ms. */
  syncIntervalMs?: number;
  /** Heartbeat knobs. */
  heartbeat?: HeartbeatOptions;
  /** Broker knobs. */
  broker?: EvalBrokerOptions;
  /** Scheduler factory override. */
  schedulerFactory?: SchedulerFactory;
  /** Injected clock. */
  clock?: Clock;
  /** Injected ID generator. */
  newID?: () => string;
  /** Log sink; the region's lines are prefixed with its name. */
  log?: (message: string) => void;
  /** Bounds of each region's event buffer (`event_buffer_size`, `event_buffer_max_bytes`). */
  eventBuffer?: StateStoreOptions;
  /** The agent's multiregion coordinator, which registers multiregion jobs in every region. */
  multiregion?: MultiregionRegistrar;
  /** Bounds on submitted jobs, the same in every region. */
  jobLimits?: JobLimits;
}

/** A started region. */
export interface RegionRuntime extends RegionMember {
  /** Stops its clients, server and store. */
  stop(): Promise<void>;
}

/** Region names double as directory names: keep them plain. */
export const REGION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The directory of a region's persisted state under the agent's data dir. */
function regionDataDir(dataDir: string, region: string): string {
  return path.join(dataDir, "regions", region);
}

/** The simulated node pools of a region: `simNodes` spread over its datacenters, then its own pools. */
export function regionSimPools(r: RegionOptions): SimNodePool[] {
  const dcs = r.datacenters?.length ? r.datacenters : ["dc1"];
  const pools: SimNodePool[] = [];
  const n = r.simNodes ?? 0;
  dcs.forEach((dc, i) => {
    const count = Math.floor(n / dcs.length) + (i < n % dcs.length ? 1 : 0);
    if (count > 0) pools.push({ count, datacenter: dc, name: dcs.length === 1 ? r.name : `${r.name}-${dc}` });
  });
  for (const [i, p] of (r.simPools ?? []).entries())
    pools.push({ ...p, datacenter: p.datacenter ?? dcs[0], name: p.name ?? `${r.name}-pool${i}` });
  return pools;
}

/** The state store of a region: in memory, or persisted in `dir` (created when missing); `options` bound its event buffer. */
export function openRegionStore(dir: string | undefined, options: StateStoreOptions = {}): StateStore {
  if (!dir) return new StateStore(new MemoryPersistence(), options);
  fs.mkdirSync(dir, { recursive: true });
  return new StateStore(new SqlitePersistence(dir), options);
}

/** The server of a region over its store, with the settings the agent's regions share (`log` as given: not prefixed here). */
export function newRegionServer(
  store: StateStore,
  region: string,
  datacenter: string,
  shared: RegionShared & { gc?: GCOptions; acl?: ACLOptions },
  dir?: string,
): Server {
  const { clock, newID, heartbeat, broker, gc, schedulerFactory, log, multiregion, jobLimits, acl } = shared;
  // The variables keyring lives beside the region's state (in memory when the state is).
  const encrypter = dir ? Encrypter.open(dir) : Encrypter.inMemory();
  return new Server({
    store,
    region,
    datacenter,
    clock,
    newID,
    heartbeat,
    broker,
    gc,
    schedulerFactory,
    log,
    multiregion,
    jobLimits,
    acl,
    encrypter,
  });
}

/** Starts a region's store, server and simulated nodes. */
export async function startRegion(r: RegionOptions, shared: RegionShared): Promise<RegionRuntime> {
  if (!REGION_NAME.test(r.name)) throw new Error(`region name ${JSON.stringify(r.name)} must be letters, digits, "-", "_" or "."`);
  const datacenter = r.datacenters?.[0] ?? "dc1";
  const dir = shared.dataDir ? regionDataDir(shared.dataDir, r.name) : undefined;
  const store = openRegionStore(dir, shared.eventBuffer);
  const log = shared.log ? (m: string) => shared.log?.(`[${r.name}] ${m}`) : undefined;
  const server = newRegionServer(store, r.name, datacenter, { ...shared, log }, dir);
  let client: ClientRuntime | null = null;
  try {
    server.start();
    const pools = regionSimPools(r);
    if (pools.length > 0) {
      client = new ClientRuntime(server, {
        drivers: shared.drivers,
        dataDir: dir,
        region: r.name,
        syncIntervalMs: shared.syncIntervalMs,
        log,
      });
      client.start();
      for (const [i, p] of pools.entries()) await client.addNodes(simNodeSpecs(p, i));
    }
  } catch (err) {
    if (client) await client.stop().catch(() => {});
    server.stop();
    await store.close().catch(() => {});
    throw err;
  }
  const rt = client;
  return {
    name: r.name,
    server,
    client,
    stop: async () => {
      if (rt) {
        await rt.sync();
        await rt.stop();
      }
      server.stop();
      await store.close();
    },
  };
}
