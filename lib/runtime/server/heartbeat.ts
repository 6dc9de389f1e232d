/**
 * The heartbeat tracker (Nomad's `nomad/heartbeat.go`): each registered node
 * must heartbeat within its TTL plus a grace period, or it is marked down.
 * The TTL scales with the number of nodes, `max(minTTL, nodes / maxPerSecond)`,
 * plus a random stagger in [0, TTL). One sweep timer serves every node, so
 * ten thousand simulated nodes cost no more timers than one.
 */
import type { Clock } from "./clock";

/** Heartbeat knobs, in milliseconds; Nomad's defaults. */
export interface HeartbeatOptions {
  /** Lowest TTL handed to a client (`MinHeartbeatTTL`, 10 s). */
  minTTLMs?: number;
  /** Rate the servers accept heartbeats at (`MaxHeartbeatsPerSecond`, 50). */
  maxHeartbeatsPerSecond?: number;
  /** Extra time before a missed heartbeat counts (`HeartbeatGrace`, 10 s). */
  graceMs?: number;
  /** How often deadlines are checked (1 s, or the TTL if it is shorter). */
  sweepMs?: number;
}

/** Tracks deadlines and reports nodes that missed them. */
export class HeartbeatTracker {
  private readonly deadlines = new Map<string, number>();
  private timer: unknown = null;
  private readonly minTTLMs: number;
  private readonly rate: number;
  private readonly graceMs: number;
  private readonly sweepMs: number;

  /** @param onExpired receives the IDs of nodes whose deadline passed (they are no longer tracked). */
  constructor(
    private readonly clock: Clock,
    private readonly onExpired: (nodeIDs: string[]) => void,
    options: HeartbeatOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.minTTLMs = options.minTTLMs ?? 10_000;
    this.rate = options.maxHeartbeatsPerSecond ?? 50;
    this.graceMs = options.graceMs ?? 10_000;
    this.sweepMs = options.sweepMs ?? Math.min(1000, Math.max(10, this.minTTLMs / 2));
  }

  /** Number of tracked nodes. */
  get size(): number {
    return this.deadlines.size;
  }

  /** The TTL to hand out now (before stagger): `max(minTTL, n / rate s)`. */
  baseTTLMs(): number {
    return Math.max(this.minTTLMs, (this.deadlines.size / this.rate) * 1000);
  }

  /** Records a heartbeat (or registration) of one node; returns the TTL the client should heartbeat within, in ms. */
  reset(nodeID: string): number {
    const base = this.baseTTLMs();
    const ttl = base + Math.floor(this.random() * base);
    this.deadlines.set(nodeID, this.clock.nowMs() + ttl + this.graceMs);
    this.ensureTimer();
    return ttl;
  }

  /** Records heartbeats of many nodes at once; returns the TTL (without stagger) to heartbeat within. */
  resetMany(nodeIDs: readonly string[]): number {
    const base = this.baseTTLMs();
    const now = this.clock.nowMs();
    for (const id of nodeIDs) this.deadlines.set(id, now + base + Math.floor(this.random() * base) + this.graceMs);
    this.ensureTimer();
    return base;
  }

  /** Stops tracking a node (it went down or was deleted). */
  clear(nodeID: string): void {
    this.deadlines.delete(nodeID);
  }

  /** Whether a node is tracked. */
  has(nodeID: string): boolean {
    return this.deadlines.has(nodeID);
  }

  /** Checks deadlines now. */
  sweep(): void {
    const now = this.clock.nowMs();
    const expired: string[] = [];
    for (const [id, deadline] of this.deadlines) if (deadline <= now) expired.push(id);
    for (const id of expired) this.deadlines.delete(id);
    if (expired.length > 0) this.onExpired(expired);
  }

  /** Stops the sweep timer. */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.deadlines.clear();
  }

  private ensureTimer(): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.timer = null;
      this.sweep();
      if (this.deadlines.size > 0) this.timer = this.clock.setTimer(tick, this.sweepMs);
    };
    this.timer = this.clock.setTimer(tick, this.sweepMs);
  }
}
