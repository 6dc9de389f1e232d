/**
 * Where the state store keeps its rows between restarts. The store hands a
 * persistence layer whole batches of row writes; a batch is written
 * atomically (all or nothing), and a write is acknowledged only after the
 * batch that holds it is durable.
 */

/** One row write: an object as JSON, or a deletion (`body` null). */
export interface PersistOp {
  /** The table, e.g. "jobs", "allocs". */
  table: string;
  /** The row key within the table. */
  id: string;
  /** The row as JSON, or null to delete it. */
  body: string | null;
}

/** Every row of a persisted store, as loaded on start. */
export interface PersistedRows {
  /** Rows by table, in no particular order. */
  tables: Map<string, { id: string; body: string }[]>;
  /** The latest committed write index (0 for a new store). */
  index: number;
  /** The latest write index of each table. */
  tableIndexes: Record<string, number>;
}

/** A persistence backend. */
export interface Persistence {
  /** True when writes survive a restart. */
  readonly durable: boolean;
  /** Reads everything back. */
  load(): PersistedRows;
  /**
   * Writes a batch of rows and the indexes it reached, atomically and
   * durably (resolving once durable, when asynchronous). Batches are
   * committed in call order. With `replaceAll` (a snapshot restore), every
   * stored row is deleted first, in the same transaction.
   */
  commit(
    ops: readonly PersistOp[],
    index: number,
    tableIndexes: Record<string, number>,
    options?: { replaceAll?: boolean },
  ): void | Promise<void>;
  /** Releases the backend (after pending commits). */
  close(): void | Promise<void>;
}

/** The default: nothing is written anywhere, state lives only in memory. */
export class MemoryPersistence implements Persistence {
  /** Memory is not durable. */
  readonly durable = false;

  /** An empty store. */
  load(): PersistedRows {
    return { tables: new Map(), index: 0, tableIndexes: {} };
  }

  /** Nothing to write. */
  commit(): void {}

  /** Nothing to release. */
  close(): void {}
}
