/**
 * Injectable time and identity for the server, so that tests and replays
 * are deterministic.
 */
import { randomUUID } from "node:crypto";

/** A source of time and timers. */
export interface Clock {
  /** Current time in unix milliseconds. */
  nowMs(): number;
  /** Runs `fn` after `ms` milliseconds; returns a handle for `clear`. */
  setTimer(fn: () => void, ms: number): unknown;
  /** Cancels a timer made by `setTimer`. */
  clearTimer(handle: unknown): void;
}

/** The real clock (Date.now and Node timers, unref'd so they never keep the process alive). */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return t;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Random UUIDs, as Nomad's `uuid.Generate()`. */
export const randomIDs = (): string => randomUUID();

/** Unix nanoseconds of a clock's now. Precision is milliseconds (JS numbers stay exact up to 2^53 ns ≈ year 2255). */
export function nowNs(clock: Clock): number {
  return clock.nowMs() * 1_000_000;
}

/** RFC 3339 of unix milliseconds. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/** Go's zero time as JSON shows it. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";
