/**
 * The regions one agent serves. Each region is a Server of its own (its own
 * state store, broker, scheduler, deployment watcher) with its own client
 * nodes, as federated Nomad regions share nothing but the gossip pool. The
 * HTTP API serves a request from the region its `region` query parameter
 * names (default: the agent's own region).
 */
import type { ClientRuntime } from "../client/client";
import { CodedError } from "../server/errors";
import type { Server } from "../server/server";

/** One region the agent serves. */
export interface RegionMember {
  /** Region name. */
  name: string;
  /** The region's server. */
  server: Server;
  /** The region's client runtime (its nodes), null when it has none. */
  client: ClientRuntime | null;
}

/** Nomad's error for a region no server knows (`structs.ErrNoRegionPath`); the HTTP API sends it as a 500. */
export const NO_REGION_PATH = "No path to region";

/** The regions of an agent, by name. */
export class RegionRegistry {
  private readonly members = new Map<string, RegionMember>();

  /** `home` is the agent's own region, the default of requests that name none. */
  constructor(readonly home: string) {}

  /** Adds a region; a name may appear once. */
  add(member: RegionMember): void {
    if (this.members.has(member.name)) throw new Error(`region "${member.name}" is defined twice`);
    this.members.set(member.name, member);
  }

  /** The region named `name`, or undefined. */
  get(name: string): RegionMember | undefined {
    return this.members.get(name);
  }

  /** The server of region `name`, or undefined when the agent does not serve it. */
  server(name: string): Server | undefined {
    return this.members.get(name)?.server;
  }

  /** The server of region `name`; throws Nomad's "No path to region" (500) when the agent does not serve it. */
  serverOrThrow(name: string): Server {
    const s = this.server(name);
    if (!s) throw new CodedError(500, NO_REGION_PATH);
    return s;
  }

  /** Region names, sorted (what `/v1/regions` lists). */
  names(): string[] {
    return [...this.members.keys()].sort();
  }

  /** Every region, in the order they were added (the agent's own region first). */
  all(): RegionMember[] {
    return [...this.members.values()];
  }

  /** Number of regions. */
  get size(): number {
    return this.members.size;
  }
}
