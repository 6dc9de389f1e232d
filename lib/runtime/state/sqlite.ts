/**
 * State persistence in an embedded SQLite database (better-sqlite3) under the
 * agent's data dir: one `objects` table of JSON rows keyed by (table, id) and
 * a `meta` table of indexes. WAL journal with `synchronous=FULL`, so a commit
 * returns only once it is on disk; each batch is one SQL transaction, so a
 * `kill -9` leaves either all of a batch or none of it.
 */
import Database from "better-sqlite3";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PersistOp, Persistence, PersistedRows } from "./persistence";

/** The database file name inside the data dir. */
export const STATE_DB_FILE = "state.db";

/** SQLite-backed persistence. */
export class SqlitePersistence implements Persistence {
  /** SQLite with synchronous=FULL is durable. */
  readonly durable = true;
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly setMeta: Database.Statement;
  private readonly commitTxn: (ops: readonly PersistOp[], index: number, tableIndexes: Record<string, number>) => void;

  /** Opens (creating if needed) `<dataDir>/server/state.db`. */
  constructor(dataDir: string) {
    const dir = path.join(dataDir, "server");
    fs.mkdirSync(dir, { recursive: true });
    this.db = new Database(path.join(dir, STATE_DB_FILE));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS objects (tbl TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;" +
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    );
    this.upsert = this.db.prepare("INSERT INTO objects (tbl, id, body) VALUES (?, ?, ?) ON CONFLICT (tbl, id) DO UPDATE SET body = excluded.body");
    this.remove = this.db.prepare("DELETE FROM objects WHERE tbl = ? AND id = ?");
    this.setMeta = this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.commitTxn = this.db.transaction((ops: readonly PersistOp[], index: number, tableIndexes: Record<string, number>) => {
      for (const op of ops) {
        if (op.body === null) this.remove.run(op.table, op.id);
        else this.upsert.run(op.table, op.id, op.body);
      }
      this.setMeta.run("index", String(index));
      this.setMeta.run("table_indexes", JSON.stringify(tableIndexes));
    });
  }

  /** Reads every row and the indexes. */
  load(): PersistedRows {
    const tables = new Map<string, { id: string; body: string }[]>();
    for (const row of this.db.prepare("SELECT tbl, id, body FROM objects").iterate() as IterableIterator<{ tbl: string; id: string; body: string }>) {
      let list = tables.get(row.tbl);
      if (!list) tables.set(row.tbl, (list = []));
      list.push({ id: row.id, body: row.body });
    }
    const meta = new Map<string, string>();
    for (const row of this.db.prepare("SELECT key, value FROM meta").all() as { key: string; value: string }[]) meta.set(row.key, row.value);
    return {
      tables,
      index: Number(meta.get("index") ?? 0),
      tableIndexes: meta.has("table_indexes") ? (JSON.parse(meta.get("table_indexes") as string) as Record<string, number>) : {},
    };
  }

  /** Writes a batch in one transaction; returns after the WAL is synced. */
  commit(ops: readonly PersistOp[], index: number, tableIndexes: Record<string, number>): void {
    this.commitTxn(ops, index, tableIndexes);
  }

  /** Closes the database (checkpointing the WAL). */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
