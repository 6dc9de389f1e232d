/**
 * Port bookkeeping for one node (Nomad's `structs.NetworkIndex`): a bitmap of
 * used host ports built from the node's reserved ports and the proposed
 * allocations, and the assignment of a group's static and dynamic ports.
 */
import type { AllocatedPortMapping, Allocation, Node } from "../structs";
import { DEFAULT_MAX_DYNAMIC_PORT, DEFAULT_MIN_DYNAMIC_PORT } from "../structs";
import type { NetworkView } from "./job-view";

/** Random picks tried before the precise scan of the dynamic range (Nomad's `maxRandPortAttempts`). */
export const MAX_RAND_PORT_ATTEMPTS = 20;

/** Parses a reserved-ports spec such as "22,80,8000-8100"; throws naming the bad item. */
export function parsePortRanges(spec: string): number[] {
  const out: number[] = [];
  if (!spec || !spec.trim()) return out;
  for (const raw of spec.split(",")) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid port range ${JSON.stringify(part)} in ${JSON.stringify(spec)}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > hi || hi > 65535) throw new Error(`invalid port range ${JSON.stringify(part)} in ${JSON.stringify(spec)}`);
    for (let p = lo; p <= hi; p++) out.push(p);
  }
  return out;
}

/** A source of random integers in [0, n). */
export type RandomInt = (n: number) => number;

/** The used ports of one node (single host address: the node's first). */
export class NetworkIndex {
  private readonly used = new Uint8Array(8192);
  /** The host IP that ports are assigned on. */
  hostIP = "";
  /** First port of the dynamic range (Nomad default 20000). */
  minDynamicPort = DEFAULT_MIN_DYNAMIC_PORT;
  /** Last port of the dynamic range (Nomad default 32000). */
  maxDynamicPort = DEFAULT_MAX_DYNAMIC_PORT;

  /** True when the port is taken. */
  isUsed(port: number): boolean {
    return (this.used[port >> 3] & (1 << (port & 7))) !== 0;
  }

  /** Marks a port used; returns true when it already was (a collision). */
  private mark(port: number): boolean {
    const was = this.isUsed(port);
    this.used[port >> 3] |= 1 << (port & 7);
    return was;
  }

  /** Loads the node's reserved ports and dynamic range. Returns an error message on a malformed reservation. */
  setNode(node: Node): string | null {
    const nr = node.NodeResources;
    this.minDynamicPort = nr.MinDynamicPort || DEFAULT_MIN_DYNAMIC_PORT;
    this.maxDynamicPort = nr.MaxDynamicPort || DEFAULT_MAX_DYNAMIC_PORT;
    const addr = nr.Networks.find((n) => n.Mode === "host")?.Addresses[0];
    this.hostIP = addr?.Address ?? "";
    try {
      for (const p of parsePortRanges(node.ReservedResources?.Networks?.ReservedHostPorts ?? "")) this.mark(p);
      if (addr) for (const p of parsePortRanges(addr.ReservedPorts)) this.mark(p);
    } catch (e) {
      return (e as Error).message;
    }
    return null;
  }

  /** Adds the ports of allocations; returns a description of the first collision, or null. */
  addAllocs(allocs: Iterable<Allocation>): string | null {
    let collision: string | null = null;
    for (const a of allocs) {
      const ports = a.AllocatedResources.Shared.Ports;
      if (!ports) continue;
      for (const p of ports) if (this.mark(p.Value) && collision === null) collision = `port ${p.Value} (${p.Label}) used twice`;
    }
    return collision;
  }

  /**
   * Assigns the group network's ports: static ports as asked (a collision
   * unless IgnoreCollision), dynamic ports from the node's range (20 random
   * picks, then a precise scan of the free ports). `To: -1` maps to the host
   * port. Returns the mappings, or an error naming what failed.
   */
  assignPorts(network: NetworkView, rand: RandomInt): AllocatedPortMapping[] | string {
    const out: AllocatedPortMapping[] = [];
    const offered = new Set<number>();
    for (const p of network.ReservedPorts ?? []) {
      const value = p.Value ?? 0;
      if ((this.isUsed(value) || offered.has(value)) && !p.IgnoreCollision) return `port collision`;
      offered.add(value);
      out.push({ Label: p.Label, Value: value, To: p.To === -1 ? value : (p.To ?? 0), HostIP: this.hostIP });
    }
    for (const p of network.DynamicPorts ?? []) {
      const value = this.pickDynamic(offered, rand);
      if (value < 0) return "dynamic port selection failed";
      offered.add(value);
      out.push({ Label: p.Label, Value: value, To: p.To === -1 ? value : (p.To ?? 0), HostIP: this.hostIP });
    }
    for (const m of out) this.mark(m.Value);
    return out;
  }

  private pickDynamic(offered: Set<number>, rand: RandomInt): number {
    const lo = this.minDynamicPort;
    const span = this.maxDynamicPort - lo + 1;
    for (let i = 0; i < MAX_RAND_PORT_ATTEMPTS; i++) {
      const p = lo + rand(span);
      if (!this.isUsed(p) && !offered.has(p)) return p;
    }
    const free: number[] = [];
    for (let p = lo; p <= this.maxDynamicPort; p++) if (!this.isUsed(p) && !offered.has(p)) free.push(p);
    if (free.length === 0) return -1;
    return free[rand(free.length)];
  }
}
