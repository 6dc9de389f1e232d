/**
 * Table watchers for blocking queries: a query that read some tables at index
 * N waits until one of them is written at an index above N, or until its wait
 * time passes (Nomad's `memdb.WatchSet` plus `blockingRPC`).
 */
import type { TableName } from "./schema";

/** Nomad's cap and default for a blocking query's wait (`structs.MaxBlockingRPCQueryTime`): 300 s, in milliseconds. */
export const MAX_BLOCKING_WAIT_MS = 300_000;

/** Adds Nomad's jitter to a wait: up to wait/16 more (`lib.RandomStagger(wait / 16)`). */
export function jitteredWait(waitMs: number, random: () => number = Math.random): number {
  const capped = Math.min(Math.max(0, waitMs), MAX_BLOCKING_WAIT_MS);
  return capped + Math.floor(random() * (capped / 16));
}

interface Waiter {
  tables: readonly TableName[];
  minIndex: number;
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/** Keeps the waiting blocking queries and wakes those whose tables changed. */
export class TableWatchers {
  private readonly waiters = new Set<Waiter>();

  /** Number of queries waiting now. */
  get size(): number {
    return this.waiters.size;
  }

  /**
   * Resolves when any of `tables` is written at an index above `minIndex`
   * (as reported by `currentIndex`), or after `timeoutMs` milliseconds.
   * Resolves at once if that has already happened.
   */
  wait(
    tables: readonly TableName[],
    minIndex: number,
    timeoutMs: number,
    currentIndex: (t: readonly TableName[]) => number,
  ): Promise<void> {
    if (currentIndex(tables) > minIndex || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        tables,
        minIndex,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve();
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Wakes every waiter that watches one of `changed`. */
  notify(changed: ReadonlySet<TableName>, index: number): void {
    if (this.waiters.size === 0 || changed.size === 0) return;
    for (const w of this.waiters) {
      if (index <= w.minIndex) continue;
      if (w.tables.some((t) => changed.has(t))) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Wakes everyone (on shutdown). */
  closeAll(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waiters.clear();
  }
}
