/**
 * One table of the state store (a memdb table of Nomad's `nomad/state/schema.go`):
 * rows by primary key, any number of secondary indexes, and the index of the
 * table's latest write (what `X-Nomad-Index` reports for a read of it).
 *
 * Rows are the live objects, never copies: readers treat them as read-only,
 * and only a state transaction writes them.
 */
import type { TableName } from "./schema";

/** One row change of a write transaction: `before` and `after` as memdb's `Change` has them. */
export interface TableChange {
  /** The table written. */
  table: TableName;
  /** The row's primary key. */
  id: string;
  /** The row it replaced or deleted (undefined for an insert). */
  before: unknown;
  /** The row written (undefined for a delete). */
  after: unknown;
}

/**
 * The changes of the open write transaction, in the order they were made:
 * every table of a store writes into its store's log, so that whatever is
 * derived from writes (the event stream) sees every write of every table.
 */
export class ChangeLog {
  /** Whether changes are recorded (off while a store loads its rows). */
  recording = false;
  private entries: TableChange[] = [];

  /** @internal Records a change. */
  add(change: TableChange): void {
    if (this.recording) this.entries.push(change);
  }

  /** Returns the changes recorded since the last call and forgets them. */
  drain(): TableChange[] {
    const out = this.entries;
    this.entries = [];
    return out;
  }
}

/** A secondary index: rows grouped by a key derived from each row. */
export interface IndexSchema<Row> {
  /** The key of a row in this index; undefined or "" leaves the row out of it. */
  key(row: Row): string | undefined;
  /** The order of the rows of one key, when it matters (default: the order they were first written). */
  order?(a: Row, b: Row): number;
}

/** How a table is declared in the schema. */
export interface TableSchema<Row, Indexes extends string = never> {
  /** The table's name (Nomad's memdb table name). */
  name: TableName;
  /** The primary key of a row. */
  id(row: Row): string;
  /** Secondary indexes by name. */
  indexes?: Record<Indexes, IndexSchema<Row>>;
}

/** The rows of one key of a secondary index. */
interface Bucket<Row> {
  rows: Map<string, Row>;
  /** The rows as an array (in the index's order), built on first read after a change. */
  array: Row[] | null;
}

/** A secondary index of a table. */
export class SecondaryIndex<Row> {
  private readonly buckets = new Map<string, Bucket<Row>>();
  /** The key each row was indexed under (a key function may read other tables, whose answer can change later). */
  private readonly keyOf = new Map<string, string>();

  constructor(private readonly schema: IndexSchema<Row>) {}

  /** The rows under `key`, in the index's order (a cached array: do not modify it). */
  get(key: string): readonly Row[] {
    const b = this.buckets.get(key);
    if (!b) return EMPTY as readonly Row[];
    if (!b.array) {
      b.array = [...b.rows.values()];
      if (this.schema.order) b.array.reverse().sort(this.schema.order);
    }
    return b.array;
  }

  /** The number of rows under `key`. */
  count(key: string): number {
    return this.buckets.get(key)?.rows.size ?? 0;
  }

  /** The keys that hold rows. */
  keys(): IterableIterator<string> {
    return this.buckets.keys();
  }

  /** @internal Indexes a row written under primary key `id`. */
  add(id: string, row: Row): void {
    const key = this.schema.key(row);
    const old = this.keyOf.get(id);
    if (old !== undefined && old !== key) this.remove(id);
    if (!key) return;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { rows: new Map(), array: null }));
    b.rows.set(id, row);
    b.array = null;
    this.keyOf.set(id, key);
  }

  /** @internal Removes the row with primary key `id` from the index. */
  remove(id: string): void {
    const key = this.keyOf.get(id);
    if (key === undefined) return;
    this.keyOf.delete(id);
    const b = this.buckets.get(key);
    if (!b) return;
    b.rows.delete(id);
    b.array = null;
    if (b.rows.size === 0) this.buckets.delete(key);
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

/** A table: rows by primary key, its secondary indexes and its watch index. */
export class Table<Row, Indexes extends string = never> {
  /** The table's name. */
  readonly name: TableName;
  /** The index of the latest write to the table (0: never written). */
  watchIndex = 0;
  private readonly rows = new Map<string, Row>();
  private readonly secondary: Record<Indexes, SecondaryIndex<Row>>;
  private readonly indexList: SecondaryIndex<Row>[];

  /**
   * @param schema the table's declaration.
   * @param log where its writes are recorded (none: not recorded).
   */
  constructor(
    private readonly schema: TableSchema<Row, Indexes>,
    private readonly log?: ChangeLog,
  ) {
    this.name = schema.name;
    this.secondary = {} as Record<Indexes, SecondaryIndex<Row>>;
    for (const name in schema.indexes) this.secondary[name] = new SecondaryIndex(schema.indexes[name]);
    this.indexList = Object.values(this.secondary);
  }

  /** The primary key of a row. */
  idOf(row: Row): string {
    return this.schema.id(row);
  }

  /** A row by primary key. */
  get(id: string): Row | undefined {
    return this.rows.get(id);
  }

  /** Whether a row with this primary key exists. */
  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Every row, in the order first written. */
  values(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** The number of rows. */
  get size(): number {
    return this.rows.size;
  }

  /** A secondary index by name. */
  index(name: Indexes): SecondaryIndex<Row> {
    return this.secondary[name];
  }

  /** @internal Inserts or replaces a row (and re-indexes it); returns the row it replaced. */
  put(row: Row): Row | undefined {
    const id = this.schema.id(row);
    const old = this.rows.get(id);
    this.rows.set(id, row);
    for (const ix of this.indexList) ix.add(id, row);
    this.log?.add({ table: this.name, id, before: old, after: row });
    return old;
  }

  /**
   * @internal Indexes a row again: for an index whose key reads other
   * tables, after a write to them changed what the row's key is.
   */
  reindex(id: string): void {
    const row = this.rows.get(id);
    if (row !== undefined) for (const ix of this.indexList) ix.add(id, row);
  }

  /** @internal Deletes a row by primary key; returns it. */
  delete(id: string): Row | undefined {
    const old = this.rows.get(id);
    if (old === undefined) return undefined;
    this.rows.delete(id);
    for (const ix of this.indexList) ix.remove(id);
    this.log?.add({ table: this.name, id, before: old, after: undefined });
    return old;
  }
}
