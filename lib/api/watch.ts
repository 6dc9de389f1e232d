/**
 * `watch`: repeat a blocking query until its answer satisfies a predicate,
 * the caller aborts, or a deadline passes. Each round passes the previous
 * X-Nomad-Index back as `index`, as Nomad's blocking queries expect; a server
 * that answers at once with an unchanged index (no blocking support) is polled
 * at `pollIntervalMs` instead of spun on.
 */
import type { QueryMeta, QueryResponse } from "./query";
import { sleep } from "./retry";

/** What `watch` passes to the query function on each round. */
export interface WatchQuery {
  /** The index to block on (0 on the first round unless given). */
  index: number;
  /** Longest block per round, in milliseconds. */
  wait: number;
  /** Aborts when the watch ends (caller abort or timeout). */
  signal: AbortSignal;
}

/** Options of `watch`. */
export interface WatchOptions<T> {
  /** The condition to wait for; `watch` resolves with the first answer that satisfies it. */
  until: (data: T, meta: QueryMeta) => boolean;
  /** Starting index. Default 0 (the first query returns at once). */
  index?: number;
  /** Longest block per round, in milliseconds. Default 30000. */
  wait?: number;
  /** Overall deadline, in milliseconds. Default 600000 (10 minutes). */
  timeoutMs?: number;
  /** Caller's abort signal. */
  signal?: AbortSignal;
  /** Least time between rounds whose index did not move, in milliseconds. Default 100. */
  pollIntervalMs?: number;
  /** Called with every answer (for progress displays). */
  onUpdate?: (data: T, meta: QueryMeta) => void;
}

/** The watch's deadline passed before the condition held. Carries the last answer seen. */
export class WatchTimeoutError extends Error {
  /** The last answer, if any. */
  readonly last: unknown;
  constructor(timeoutMs: number, last: unknown) {
    super(`timed out after ${formatMs(timeoutMs)} waiting for the condition`);
    this.name = "WatchTimeoutError";
    this.last = last;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Loops `fn` as a blocking query until `opts.until` holds; bounded by `timeoutMs` and `signal`. */
export async function watch<T>(fn: (q: WatchQuery) => Promise<QueryResponse<T>>, opts: WatchOptions<T>): Promise<QueryResponse<T>> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const wait = Math.min(opts.wait ?? 30_000, timeoutMs);
  const pollMs = opts.pollIntervalMs ?? 100;
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort(new Error("watch timed out"));
  }, timeoutMs);
  const onAbort = () => ctl.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  let index = opts.index ?? 0;
  let last: QueryResponse<T> | undefined;
  try {
    for (;;) {
      const started = Date.now();
      let res: QueryResponse<T>;
      try {
        res = await fn({ index, wait, signal: ctl.signal });
      } catch (err) {
        if (timedOut) throw new WatchTimeoutError(timeoutMs, last?.data);
        throw err;
      }
      last = res;
      opts.onUpdate?.(res.data, res.meta);
      if (opts.until(res.data, res.meta)) return res;
      const moved = res.meta.index > index;
      // Nomad's Go client resets to 0 when the index goes backwards (a new leader with older state).
      index = res.meta.index < index ? 0 : res.meta.index;
      const elapsed = Date.now() - started;
      if (!moved && elapsed < pollMs) {
        try {
          await sleep(pollMs - elapsed, ctl.signal);
        } catch (err) {
          if (timedOut) throw new WatchTimeoutError(timeoutMs, last.data);
          throw err;
        }
      }
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
}
