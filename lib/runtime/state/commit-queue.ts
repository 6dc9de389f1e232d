/**
 * The group-commit queue between the state store and its persistence: the
 * rows of committed transactions gather until the next batch goes out; a
 * batch is written in one persistence transaction, and each write is
 * acknowledged once the batch that holds it is durable. While a batch is
 * being committed the next one gathers; it is sent when the first completes.
 */
import type { Allocation } from "../structs";
import { persistedAlloc } from "./allocs";
import type { PersistOp, Persistence } from "./persistence";

/** A row written by a transaction, serialized when its batch is persisted. */
export interface PendingRow {
  /** The table. */
  table: string;
  /** The row's key. */
  id: string;
  /** The row object (allocations are stored with their job as a reference), a JSON string, or null to delete. */
  value: unknown;
}

/** The JSON of a pending row (null for a deletion). */
function encodeRow(r: PendingRow): string | null {
  const v = r.value;
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (r.table === "allocs") return JSON.stringify(persistedAlloc(v as Allocation));
  return JSON.stringify(v);
}

/** Batches row writes into persistence transactions (group commit). */
export class CommitQueue {
  /** Rows written since the last batch went out, by table and key: a row written twice in one batch is serialized and sent once, as it is last. */
  private pendingRows = new Map<string, PendingRow>();
  private pendingWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushScheduled = false;
  private committing = false;
  private flushAgain = false;
  /** Whether the next batch replaces every persisted row (a snapshot restore). */
  private replacing = false;

  /**
   * @param persistence where batches go
   * @param indexes the store's latest index and table indexes, as a batch records them
   */
  constructor(
    private readonly persistence: Persistence,
    private readonly indexes: () => { index: number; tables: Record<string, number> },
  ) {}

  /** Queues the rows of a committed transaction; resolves once they are durable. */
  enqueue(rows: readonly PendingRow[]): Promise<void> {
    for (const op of rows) this.pendingRows.set(`${op.table}\u0000${op.id}`, op);
    return new Promise((resolve, reject) => {
      this.pendingWaiters.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * Queues the replacement of every persisted row by `rows` (a snapshot
   * restore): rows queued before and not yet sent are dropped, and the next
   * batch deletes every row before writing these, in one persistence
   * transaction. Resolves once durable.
   */
  replaceAll(rows: readonly PendingRow[]): Promise<void> {
    this.pendingRows = new Map();
    this.replacing = true;
    return this.enqueue(rows);
  }

  /** Waits until everything queued so far is durable. */
  flush(): Promise<void> {
    if (this.pendingRows.size === 0 && this.pendingWaiters.length === 0 && !this.committing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pendingWaiters.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushNow());
  }

  /**
   * Writes every pending row in one persistence transaction, then
   * acknowledges the writes it holds. The server's worker calls this before
   * each slice of scheduling work, so acknowledgements never wait behind the
   * scheduler.
   */
  flushNow(): void {
    this.flushScheduled = false;
    if (this.committing) {
      this.flushAgain = true;
      return;
    }
    const rows = this.pendingRows;
    const waiters = this.pendingWaiters;
    const replaceAll = this.replacing;
    this.replacing = false;
    this.pendingRows = new Map();
    // Rows are serialized here, once per batch, as they are now: the batch's index is the latest one.
    const ops: PersistOp[] = [];
    for (const r of rows.values()) ops.push({ table: r.table, id: r.id, body: encodeRow(r) });
    this.pendingWaiters = [];
    if (ops.length === 0 && waiters.length === 0 && !replaceAll) return;
    const done = (err?: Error) => {
      this.committing = false;
      for (const w of waiters) {
        if (err) w.reject(err);
        else w.resolve();
      }
      if (this.flushAgain || this.pendingWaiters.length > 0) {
        this.flushAgain = false;
        this.flushNow();
      }
    };
    if (ops.length === 0 && !replaceAll) return done();
    let result: void | Promise<void>;
    try {
      const { index, tables } = this.indexes();
      result = replaceAll ? this.persistence.commit(ops, index, tables, { replaceAll }) : this.persistence.commit(ops, index, tables);
    } catch (err) {
      return done(err as Error);
    }
    if (result && typeof (result as Promise<void>).then === "function") {
      this.committing = true;
      (result as Promise<void>).then(
        () => done(),
        (err: Error) => done(err),
      );
    } else done();
  }
}
