/**
 * Snapshots of the state store (what `GET /v1/operator/snapshot` streams and
 * `PUT /v1/operator/snapshot` restores), in drover's own file format,
 * version 1:
 *
 * The file is gzip. Uncompressed, it is lines of UTF-8 text:
 *
 * 1. a header, one JSON object: `Format` ("drover-snapshot"), `Version` (1),
 *    `Index` (the store's latest index), `TableIndexes`, `Region`,
 *    `CreatedAt` (RFC 3339), `AgentVersion`, `Counts` (rows per table) and
 *    `Keyring` (the root keys that encrypt Nomad Variables);
 * 2. one line per row, `<table>\t<row key as JSON>\t<row as JSON>`, rows as
 *    the persistence stores them (a job's current row and its versions
 *    apart, an allocation's job as a reference to its version);
 * 3. a last line `#sha256:<hex>`: the SHA-256 of every byte before it.
 *
 * A file that is not gzip, has no such header, is truncated, fails its
 * checksum, is of a newer format, names a table this agent does not know, or
 * disagrees with its own counts is refused with a `SnapshotError` that says
 * which.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { Allocation, StoredJob } from "../structs";
import { persistedAlloc } from "./allocs";
import { currentJobRow } from "./jobs";
import type { PersistedRows } from "./persistence";
import { ALL_TABLES, nsKey, versionKey, type StateTables, type TableName } from "./schema";

/** The `Format` of a drover snapshot's header. */
export const SNAPSHOT_FORMAT = "drover-snapshot";

/** The format version this agent writes and the newest it reads. */
export const SNAPSHOT_VERSION = 1;

/** The largest snapshot this agent decompresses: 1 GiB. */
export const SNAPSHOT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024;

/** A root key of the variables keyring as a snapshot carries it (the key in clear: a snapshot file is a secret). */
export interface SnapshotKey {
  /** The key's ID. */
  KeyID: string;
  /** "aes256-gcm". */
  Algorithm: "aes256-gcm";
  /** The 256-bit key, base64. */
  Key: string;
  /** Unix milliseconds of its creation. */
  CreateTime: number;
}

/** The first line of a snapshot. */
export interface SnapshotHeader {
  /** Always "drover-snapshot". */
  Format: typeof SNAPSHOT_FORMAT;
  /** The format version (1). */
  Version: number;
  /** The store's latest write index when the snapshot was taken. */
  Index: number;
  /** The latest write index of each table then. */
  TableIndexes: Record<string, number>;
  /** The region whose state this is. */
  Region: string;
  /** When it was taken (RFC 3339). */
  CreatedAt: string;
  /** The drover version of the agent that took it. */
  AgentVersion: string;
  /** Rows per table. */
  Counts: Record<string, number>;
  /** The variables keyring. */
  Keyring: SnapshotKey[];
}

/** One row of a snapshot, as the persistence stores it. */
export interface SnapshotRow {
  /** Its table. */
  table: TableName;
  /** Its key in the table. */
  id: string;
  /** The row as JSON. */
  body: string;
}

/** A decoded snapshot. */
export interface Snapshot {
  /** Its header. */
  header: SnapshotHeader;
  /** Every row. */
  rows: SnapshotRow[];
  /** The SHA-256 (hex) of the uncompressed content, as its last line gives it. */
  checksum: string;
}

/** A snapshot file that cannot be read: the message says why. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotError";
  }
}

/**
 * The rows of a store's tables as the persistence stores them (and as
 * `loadRows` reads them back). Job versions that only live allocations
 * still run are included, so that those allocations find their version.
 */
export function snapshotRows(t: StateTables): SnapshotRow[] {
  const rows: SnapshotRow[] = [];
  const versions = new Set<string>();
  for (const name of ALL_TABLES) {
    const table = t[name] as { values(): IterableIterator<unknown>; idOf(row: unknown): string };
    for (const row of table.values()) {
      const id = table.idOf(row);
      let body: unknown = row;
      if (name === "jobs") body = currentJobRow(row as StoredJob);
      else if (name === "allocs") body = persistedAlloc(row as Allocation);
      else if (name === "job_version") versions.add(id);
      rows.push({ table: name, id, body: JSON.stringify(body) });
    }
  }
  for (const a of t.allocs.values()) {
    const j = a.Job;
    const key = versionKey(j.Namespace, j.ID, j.Version);
    if (versions.has(key) || !t.jobs.has(nsKey(j.Namespace, j.ID))) continue;
    versions.add(key);
    rows.push({ table: "job_version", id: key, body: JSON.stringify(j) });
  }
  return rows;
}

/** The uncompressed content of a snapshot: header, rows, checksum line (compress it with gzip to make the file). */
export function encodeSnapshot(header: Omit<SnapshotHeader, "Format" | "Version" | "Counts">, rows: readonly SnapshotRow[]): Buffer {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.table] = (counts[r.table] ?? 0) + 1;
  const full: SnapshotHeader = {
    Format: SNAPSHOT_FORMAT,
    Version: SNAPSHOT_VERSION,
    Index: header.Index,
    TableIndexes: header.TableIndexes,
    Region: header.Region,
    CreatedAt: header.CreatedAt,
    AgentVersion: header.AgentVersion,
    Counts: counts,
    Keyring: header.Keyring,
  };
  const chunks: Buffer[] = [Buffer.from(JSON.stringify(full) + "\n", "utf8")];
  for (const r of rows) chunks.push(Buffer.from(`${r.table}\t${JSON.stringify(r.id)}\t${r.body}\n`, "utf8"));
  const content = Buffer.concat(chunks);
  const sum = createHash("sha256").update(content).digest("hex");
  return Buffer.concat([content, Buffer.from(`#sha256:${sum}\n`, "utf8")]);
}

/** Refuses a file that is empty or not gzip (checked before decompressing it). */
export function checkSnapshotFile(file: Buffer): void {
  if (file.length === 0) throw new SnapshotError("not a drover snapshot: it is empty");
  if (file.length < 2 || file[0] !== 0x1f || file[1] !== 0x8b) throw new SnapshotError("not a drover snapshot: it is not gzip-compressed");
}

/** What a failed decompression of a snapshot means, as a `SnapshotError`. */
export function gunzipFailure(err: unknown, maxBytes = SNAPSHOT_MAX_UNCOMPRESSED_BYTES): SnapshotError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ERR_BUFFER_TOO_LARGE") return new SnapshotError(`snapshot is larger than ${maxBytes} bytes uncompressed`);
  return new SnapshotError(`snapshot is truncated or corrupt: ${e.message}`);
}

/** Decompresses a snapshot file (gzip), refusing what is not gzip, truncated, or larger than `maxBytes` uncompressed. */
export function gunzipSnapshot(file: Buffer, maxBytes = SNAPSHOT_MAX_UNCOMPRESSED_BYTES): Buffer {
  checkSnapshotFile(file);
  try {
    return gunzipSync(file, { maxOutputLength: maxBytes });
  } catch (err) {
    throw gunzipFailure(err, maxBytes);
  }
}

/** Reads a snapshot file (gzip). Throws a `SnapshotError` that says what is wrong with it. */
export function decodeSnapshot(file: Buffer, maxBytes = SNAPSHOT_MAX_UNCOMPRESSED_BYTES): Snapshot {
  return decodeSnapshotContent(gunzipSnapshot(file, maxBytes));
}

/** Reads the uncompressed content of a snapshot. Throws a `SnapshotError` that says what is wrong with it. */
export function decodeSnapshotContent(content: Buffer): Snapshot {
  const firstEnd = content.indexOf(0x0a);
  const header = parseHeader(content.subarray(0, firstEnd < 0 ? content.length : firstEnd).toString("utf8"));
  if (firstEnd < 0) throw new SnapshotError("snapshot is truncated: it ends after its header");
  // The checksum line is the last one; everything before it is what it sums.
  if (content[content.length - 1] !== 0x0a) throw new SnapshotError("snapshot is truncated: its checksum line is missing");
  const lastStart = content.lastIndexOf(0x0a, content.length - 2) + 1;
  const last = content.subarray(lastStart, content.length - 1).toString("utf8");
  const m = /^#sha256:([0-9a-f]{64})$/.exec(last);
  if (!m || lastStart <= firstEnd) throw new SnapshotError("snapshot is truncated: its checksum line is missing");
  const sum = createHash("sha256").update(content.subarray(0, lastStart)).digest("hex");
  if (sum !== m[1]) throw new SnapshotError("snapshot checksum mismatch: the file is corrupt");
  const known = new Set<string>(ALL_TABLES);
  const rows: SnapshotRow[] = [];
  const counts: Record<string, number> = {};
  let at = firstEnd + 1;
  let line = 1;
  while (at < lastStart) {
    line++;
    const end = content.indexOf(0x0a, at);
    const text = content.subarray(at, end).toString("utf8");
    at = end + 1;
    const t1 = text.indexOf("\t");
    const t2 = t1 < 0 ? -1 : text.indexOf("\t", t1 + 1);
    if (t2 < 0) throw new SnapshotError(`snapshot line ${line}: not a row (<table>\\t<key>\\t<row>)`);
    const table = text.slice(0, t1);
    if (!known.has(table)) throw new SnapshotError(`snapshot line ${line}: table ${JSON.stringify(table)} is not one this agent knows`);
    let id: unknown;
    let row: unknown;
    try {
      id = JSON.parse(text.slice(t1 + 1, t2));
      row = JSON.parse(text.slice(t2 + 1));
    } catch (err) {
      throw new SnapshotError(`snapshot line ${line}: ${(err as Error).message}`);
    }
    if (typeof id !== "string") throw new SnapshotError(`snapshot line ${line}: the row key is not a string`);
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw new SnapshotError(`snapshot line ${line}: the row is not a JSON object`);
    rows.push({ table: table as TableName, id, body: text.slice(t2 + 1) });
    counts[table] = (counts[table] ?? 0) + 1;
  }
  for (const t of new Set([...Object.keys(counts), ...Object.keys(header.Counts)]))
    if ((counts[t] ?? 0) !== (header.Counts[t] ?? 0))
      throw new SnapshotError(
        `snapshot is inconsistent: its header counts ${header.Counts[t] ?? 0} rows of ${t}, it holds ${counts[t] ?? 0}`,
      );
  return { header, rows, checksum: m[1] };
}

function parseHeader(text: string): SnapshotHeader {
  let h: unknown;
  try {
    h = JSON.parse(text);
  } catch {
    throw new SnapshotError("not a drover snapshot: it does not start with a drover snapshot header");
  }
  const o = h as Partial<SnapshotHeader> | null;
  if (typeof o !== "object" || o === null || o.Format !== SNAPSHOT_FORMAT)
    throw new SnapshotError("not a drover snapshot: it does not start with a drover snapshot header");
  if (typeof o.Version !== "number" || !Number.isInteger(o.Version) || o.Version < 1)
    throw new SnapshotError(`snapshot header: Version ${JSON.stringify(o.Version)} is not a format version`);
  if (o.Version > SNAPSHOT_VERSION)
    throw new SnapshotError(`snapshot format version ${o.Version} is newer than this agent reads (version ${SNAPSHOT_VERSION})`);
  if (typeof o.Index !== "number" || !Number.isSafeInteger(o.Index) || o.Index < 0)
    throw new SnapshotError("snapshot header: Index must be a non-negative integer");
  if (!isRecordOf(o.TableIndexes, "number")) throw new SnapshotError("snapshot header: TableIndexes must map tables to indexes");
  if (!isRecordOf(o.Counts, "number")) throw new SnapshotError("snapshot header: Counts must map tables to row counts");
  if (typeof o.Region !== "string") throw new SnapshotError("snapshot header: Region must be a string");
  if (!Array.isArray(o.Keyring)) throw new SnapshotError("snapshot header: Keyring must be a list of keys");
  o.Keyring.forEach((k: Partial<SnapshotKey>, i) => {
    if (
      typeof k !== "object" ||
      k === null ||
      typeof k.KeyID !== "string" ||
      !/^[A-Za-z0-9-]+$/.test(k.KeyID) ||
      typeof k.Key !== "string" ||
      Buffer.from(k.Key, "base64").length !== 32 ||
      typeof k.CreateTime !== "number"
    )
      throw new SnapshotError(`snapshot header: Keyring[${i}] is not a 256-bit root key`);
  });
  return o as SnapshotHeader;
}

function isRecordOf(v: unknown, type: "number"): v is Record<string, number> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === type);
}

/** The rows of a snapshot as `loadRows` reads them. */
export function persistedRowsOf(snapshot: Snapshot): PersistedRows {
  const tables = new Map<string, { id: string; body: string }[]>();
  for (const r of snapshot.rows) {
    let list = tables.get(r.table);
    if (!list) tables.set(r.table, (list = []));
    list.push({ id: r.id, body: r.body });
  }
  return { tables, index: snapshot.header.Index, tableIndexes: snapshot.header.TableIndexes };
}
