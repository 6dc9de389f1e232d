/**
 * State persistence in an embedded SQLite database (better-sqlite3) under the
 * agent's data dir: one `objects` table of JSON rows keyed by (table, id) and
 * a `meta` table of indexes. WAL journal with `synchronous=FULL`, so a commit
 * completes only once it is on disk; each batch is one SQL transaction, so a
 * `kill -9` leaves either all of a batch or none of it.
 *
 * Everything is read in the main thread at start. Commits run on a worker
 * thread so that the fsync of one batch overlaps with the next batch being
 * gathered (group commit) instead of blocking the event loop; `commit`
 * resolves once the worker reports the batch durable.
 */
import Database from "better-sqlite3";
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { PersistOp, Persistence, PersistedRows } from "./persistence";

/** The database file name inside `<data_dir>/server`. */
export const STATE_DB_FILE = "state.db";

const SCHEMA =
  "CREATE TABLE IF NOT EXISTS objects (tbl TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;" +
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);";

/** The committer thread: plain JavaScript, so it runs under any loader (tsx, ts-jest, compiled). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.modulePath);
const db = new Database(workerData.file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.exec(workerData.schema);
const upsert = db.prepare("INSERT INTO objects (tbl, id, body) VALUES (?, ?, ?) ON CONFLICT (tbl, id) DO UPDATE SET body = excluded.body");
const remove = db.prepare("DELETE FROM objects WHERE tbl = ? AND id = ?");
const setMeta = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
// A batch arrives as one string (see encodeBatch): "<table>:<id length>:<body length or -1>:<id><body>" per row.
const clear = db.prepare("DELETE FROM objects");
const commit = db.transaction((packed, index, tableIndexes, replaceAll) => {
  if (replaceAll) clear.run();
  let at = 0;
  while (at < packed.length) {
    const c1 = packed.indexOf(":", at);
    const c2 = packed.indexOf(":", c1 + 1);
    const c3 = packed.indexOf(":", c2 + 1);
    const table = packed.slice(at, c1);
    const idLen = Number(packed.slice(c1 + 1, c2));
    const bodyLen = Number(packed.slice(c2 + 1, c3));
    const id = packed.slice(c3 + 1, c3 + 1 + idLen);
    at = c3 + 1 + idLen;
    if (bodyLen < 0) remove.run(table, id);
    else {
      upsert.run(table, id, packed.slice(at, at + bodyLen));
      at += bodyLen;
    }
  }
  setMeta.run("index", String(index));
  setMeta.run("table_indexes", JSON.stringify(tableIndexes));
});
parentPort.on("message", (m) => {
  if (m.type === "commit") {
    try {
      commit(m.packed, m.index, m.tableIndexes, m.replaceAll === true);
      parentPort.postMessage({ id: m.id, ok: true });
    } catch (err) {
      parentPort.postMessage({ id: m.id, ok: false, error: String(err && err.message ? err.message : err) });
    }
  } else if (m.type === "close") {
    try { db.close(); } catch (err) {}
    parentPort.postMessage({ id: m.id, ok: true });
  }
});
`;

/**
 * A batch as one string for the committer thread: copying one string to the
 * thread costs far less than cloning an object per row. Per row:
 * `<table>:<id length>:<body length, or -1 to delete>:<id><body>` (lengths
 * in UTF-16 code units, as the thread slices them).
 */
export function encodeBatch(ops: readonly PersistOp[]): string {
  const parts: string[] = [];
  for (const op of ops) {
    if (op.table.includes(":")) throw new Error(`invalid table name ${op.table}`);
    parts.push(`${op.table}:${op.id.length}:${op.body === null ? -1 : op.body.length}:`, op.id);
    if (op.body !== null) parts.push(op.body);
  }
  return parts.join("");
}

/** SQLite-backed persistence. */
export class SqlitePersistence implements Persistence {
  /** SQLite with synchronous=FULL is durable. */
  readonly durable = true;
  private readonly file: string;
  private worker: Worker | null = null;
  private nextID = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  /** Opens (creating if needed) `<dataDir>/server/state.db`. */
  constructor(dataDir: string) {
    const dir = path.join(dataDir, "server");
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, STATE_DB_FILE);
  }

  /** Reads every row and the indexes (in this thread), then starts the committer thread. */
  load(): PersistedRows {
    const db = new Database(this.file);
    db.pragma("journal_mode = WAL");
    db.exec(SCHEMA);
    const tables = new Map<string, { id: string; body: string }[]>();
    for (const row of db.prepare("SELECT tbl, id, body FROM objects").iterate() as IterableIterator<{
      tbl: string;
      id: string;
      body: string;
    }>) {
      let list = tables.get(row.tbl);
      if (!list) tables.set(row.tbl, (list = []));
      list.push({ id: row.id, body: row.body });
    }
    const meta = new Map<string, string>();
    for (const row of db.prepare("SELECT key, value FROM meta").all() as { key: string; value: string }[]) meta.set(row.key, row.value);
    db.close();
    this.startWorker();
    return {
      tables,
      index: Number(meta.get("index") ?? 0),
      tableIndexes: meta.has("table_indexes") ? (JSON.parse(meta.get("table_indexes") as string) as Record<string, number>) : {},
    };
  }

  private startWorker(): void {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, modulePath: require.resolve("better-sqlite3"), schema: SCHEMA },
    });
    w.on("message", (m: { id: number; ok: boolean; error?: string }) => {
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      if (m.ok) p.resolve();
      else p.reject(new Error(`state persistence failed: ${m.error}`));
    });
    w.on("error", (err) => this.fail(err));
    w.on("exit", (code) => {
      if (this.waiting.size > 0) this.fail(new Error(`state persistence thread exited (${code})`));
    });
    this.worker = w;
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const p of this.waiting.values()) p.reject(err);
    this.waiting.clear();
  }

  private send(message: Record<string, unknown>): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.worker) return Promise.reject(new Error("state persistence is closed"));
    const id = ++this.nextID;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker?.postMessage({ ...message, id });
    });
  }

  /** Writes a batch in one transaction (after deleting every row, with `replaceAll`); resolves once it is synced to disk. */
  commit(
    ops: readonly PersistOp[],
    index: number,
    tableIndexes: Record<string, number>,
    options: { replaceAll?: boolean } = {},
  ): Promise<void> {
    return this.send({ type: "commit", packed: encodeBatch(ops), index, tableIndexes, replaceAll: options.replaceAll === true });
  }

  /** Waits for pending commits, closes the database and stops the thread. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    await this.send({ type: "close" }).catch(() => {});
    this.worker = null;
    await w.terminate();
  }
}
