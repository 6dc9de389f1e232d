/**
 * Reading a task's log files as Nomad's client does (`client/fs_endpoint.go`,
 * `logsImpl` and `findClosest`): the files `<task>.<type>.<n>` in the
 * allocation's `alloc/logs/`, ordered by rotation index `n`; `origin=start`
 * counts `offset` from the first byte of the oldest file, `origin=end` counts
 * it back from the last byte of the newest; following polls for growth and
 * for the next rotated file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { AllocFs } from "../client/alloc-fs";
import type { InMemoryLog } from "./client-access";
import { sleep } from "../../util/sleep";

/** Largest chunk read at once (Nomad's `streamFrameSize`, 64 KiB). */
const LOG_FRAME_SIZE = 64 * 1024;
/** How often a follow looks for new output, ms (bounded; Nomad checks for the next file every 100 ms). */
const LOG_POLL_MS = 100;

/** One rotated file of a task's stream. */
export interface LogFileEntry {
  /** Rotation index. */
  index: number;
  /** File name (`web.stdout.0`). */
  name: string;
  /** Size in bytes when listed. */
  size: number;
}

/** A chunk of log output. */
export interface LogChunk {
  /** The file it came from, relative to the allocation dir (`alloc/logs/web.stdout.0`), or "" for output kept in memory. */
  file: string;
  /** Offset in that file just after the chunk (as Nomad's frames carry it). */
  offset: number;
  /** The bytes. */
  data: Buffer;
  /** "file truncated" when the file shrank before this chunk was read. */
  event?: string;
}

/** Where to read. */
export interface LogReadOptions {
  /** The allocation's `alloc/logs` directory. */
  logsDir: string;
  /** Task name. */
  task: string;
  /** "stdout" or "stderr". */
  type: "stdout" | "stderr";
  /** "start" or "end". */
  origin: "start" | "end";
  /** Byte offset from the origin (non-negative). */
  offset: number;
  /** Keep reading as output arrives. */
  follow: boolean;
  /** Output the client keeps in memory instead of files. */
  memory?: () => InMemoryLog | undefined;
  /** For a follow: true once no more output can come (the allocation finished); the read then ends at EOF. */
  finished?: () => boolean;
  /** Ends the read (the HTTP client went away). */
  signal?: AbortSignal;
  /** Poll interval of a follow, ms (default `LOG_POLL_MS`). */
  pollMs?: number;
  /** The allocation directory's sandbox: every file is opened through it (default: plain paths, for files outside any allocation). */
  files?: AllocFs;
}

/** Thrown when the task has no log of that type (Nomad answers 404). */
export class LogNotFoundError extends Error {
  constructor(task: string, type: string) {
    super(`log entry for task "${task}" and log type "${type}" not found`);
    this.name = "LogNotFoundError";
  }
}

/** The rotated files of one task stream, oldest first. */
function listLogFiles(logsDir: string, task: string, type: string, files?: AllocFs): LogFileEntry[] {
  let names: string[];
  try {
    names = files ? files.readdir(files.relative(logsDir)) : fs.readdirSync(logsDir);
  } catch {
    return [];
  }
  const prefix = `${task}.${type}.`;
  const out: LogFileEntry[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (!/^\d+$/.test(rest)) continue;
    try {
      const st = files ? files.stat(files.relative(path.join(logsDir, name))) : fs.statSync(path.join(logsDir, name));
      if (st.isFile()) out.push({ index: Number(rest), name, size: st.size });
    } catch {
      // rotated away meanwhile
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * The file and offset to start from (Nomad's `findClosest`): the first file
 * whose index is at least `desiredIndex` (else the last), then walking
 * backwards (negative offset) or forwards across files by size.
 */
export function findClosest(
  entries: readonly LogFileEntry[],
  desiredIndex: number,
  desiredOffset: number,
): { entry: LogFileEntry; offset: number } {
  let i = entries.findIndex((e) => e.index >= desiredIndex);
  if (i < 0) i = entries.length - 1;
  let offset = desiredOffset;
  for (;;) {
    const size = entries[i].size;
    if (offset === 0) break;
    if (offset < 0) {
      if (size + offset >= 0) {
        offset = size + offset;
        break;
      }
      if (i === 0) {
        offset = 0;
        break;
      }
      offset = size + offset;
      i--;
    } else {
      if (offset <= size) break;
      if (i === entries.length - 1) {
        offset = size;
        break;
      }
      offset -= size;
      i++;
    }
  }
  return { entry: entries[i], offset };
}

/** Whether the task has output to read (files, or output in memory). */
export function hasLog(opts: Pick<LogReadOptions, "logsDir" | "task" | "type" | "memory" | "files">): boolean {
  return listLogFiles(opts.logsDir, opts.task, opts.type, opts.files).length > 0 || opts.memory?.() !== undefined;
}

/** Reads `[from, to)` of a file in chunks of at most `LOG_FRAME_SIZE`. */
function* readRange(file: string, from: number, to: number, files?: AllocFs): Generator<{ data: Buffer; end: number }> {
  if (to <= from) return;
  const fd = files ? files.openRead(files.relative(file)) : fs.openSync(file, "r");
  try {
    let pos = from;
    while (pos < to) {
      const buf = Buffer.allocUnsafe(Math.min(LOG_FRAME_SIZE, to - pos));
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      pos += n;
      yield { data: buf.subarray(0, n), end: pos };
    }
  } finally {
    fs.closeSync(fd);
  }
}

function fileSize(file: string, files?: AllocFs): number | undefined {
  if (files) return files.fileSize(files.relative(file));
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

/**
 * Reads a task's log from the chosen position; with `follow`, keeps polling
 * until aborted or, once `finished()` holds, until everything was read.
 * Throws `LogNotFoundError` (before yielding anything) when there is no log.
 */
export async function* readTaskLogs(opts: LogReadOptions): AsyncGenerator<LogChunk> {
  const pollMs = opts.pollMs ?? LOG_POLL_MS;
  const entries = listLogFiles(opts.logsDir, opts.task, opts.type, opts.files);
  if (entries.length === 0) {
    const mem = opts.memory?.();
    if (!mem) throw new LogNotFoundError(opts.task, opts.type);
    yield* readMemoryLog(opts, pollMs);
    return;
  }
  const maxIndex = entries[entries.length - 1].index;
  const start = opts.origin === "end" ? findClosest(entries, Number.MAX_SAFE_INTEGER, -opts.offset) : findClosest(entries, 0, opts.offset);
  let offset = start.offset;
  let index = start.entry.index;
  let name = start.entry.name;
  let event: string | undefined;
  for (;;) {
    if (opts.signal?.aborted) return;
    const file = path.join(opts.logsDir, name);
    const rel = path.posix.join("alloc", "logs", name);
    const size = fileSize(file, opts.files);
    if (size !== undefined && size < offset) {
      offset = 0;
      event = "file truncated";
    }
    let progressed = false;
    if (size !== undefined) {
      for (const c of readRange(file, offset, size, opts.files)) {
        offset = c.end;
        progressed = true;
        yield { file: rel, offset, data: c.data, ...(event ? { event } : {}) };
        event = undefined;
        if (opts.signal?.aborted) return;
      }
    }
    if (progressed) continue;
    // At the end of this file: move on to the next rotated one if there is one.
    const next = listLogFiles(opts.logsDir, opts.task, opts.type, opts.files).find((e) => e.index > index);
    if (next && (opts.follow || next.index <= maxIndex)) {
      const grown = fileSize(file, opts.files);
      if (grown !== undefined && grown > offset) continue;
      index = next.index;
      name = next.name;
      offset = 0;
      continue;
    }
    if (!opts.follow) return;
    if (opts.finished?.()) {
      // One more look after the allocation finished, so that its last output is not lost.
      const last = fileSize(file, opts.files);
      if (last === undefined || last <= offset) return;
      continue;
    }
    await sleep(pollMs, opts.signal);
  }
}

async function* readMemoryLog(opts: LogReadOptions, pollMs: number): AsyncGenerator<LogChunk> {
  const first = opts.memory?.();
  if (!first) return;
  const total = first.start + first.data.length;
  let pos = opts.origin === "end" ? Math.max(first.start, total - opts.offset) : Math.min(total, first.start + opts.offset);
  for (;;) {
    if (opts.signal?.aborted) return;
    const mem = opts.memory?.();
    if (!mem) return;
    if (pos < mem.start) pos = mem.start;
    const end = mem.start + mem.data.length;
    if (end > pos) {
      for (let p = pos; p < end; p += LOG_FRAME_SIZE) {
        const stop = Math.min(end, p + LOG_FRAME_SIZE);
        yield { file: "", offset: stop, data: Buffer.from(mem.data.subarray(p - mem.start, stop - mem.start)) };
      }
      pos = end;
      continue;
    }
    if (!opts.follow || opts.finished?.()) return;
    await sleep(pollMs, opts.signal);
  }
}

/** Where and how to stream one file (`/v1/client/fs/stream`). */
export interface FileStreamOptions {
  /** Absolute path of the file. */
  file: string;
  /** Its path relative to the allocation directory, for the frames. */
  rel: string;
  /** "start" or "end". */
  origin: "start" | "end";
  /** Byte offset from the origin. */
  offset: number;
  /** Keep reading as the file grows. */
  follow: boolean;
  /** For a follow: true once no more output can come; the stream then ends at EOF. */
  finished?: () => boolean;
  /** Ends the stream. */
  signal?: AbortSignal;
  /** Poll interval, ms. */
  pollMs?: number;
  /** The allocation directory's sandbox: the file is opened through it. */
  files?: AllocFs;
}

/**
 * Streams one file from the chosen position (Nomad's `FileSystem.Stream`):
 * a "file truncated" event when it shrinks, a "file deleted" event (and the
 * end) when it disappears while followed.
 */
export async function* streamFile(opts: FileStreamOptions): AsyncGenerator<LogChunk> {
  const pollMs = opts.pollMs ?? LOG_POLL_MS;
  const size0 = fileSize(opts.file, opts.files) ?? 0;
  let offset = opts.origin === "end" ? Math.max(0, size0 - opts.offset) : Math.min(size0, opts.offset);
  let event: string | undefined;
  for (;;) {
    if (opts.signal?.aborted) return;
    const size = fileSize(opts.file, opts.files);
    if (size === undefined) {
      if (opts.follow) yield { file: opts.rel, offset, data: Buffer.alloc(0), event: "file deleted" };
      return;
    }
    if (size < offset) {
      offset = 0;
      event = "file truncated";
    }
    let progressed = false;
    for (const c of readRange(opts.file, offset, size, opts.files)) {
      offset = c.end;
      progressed = true;
      yield { file: opts.rel, offset, data: c.data, ...(event ? { event } : {}) };
      event = undefined;
      if (opts.signal?.aborted) return;
    }
    if (event) {
      yield { file: opts.rel, offset, data: Buffer.alloc(0), event };
      event = undefined;
    }
    if (progressed) continue;
    if (!opts.follow || opts.finished?.()) return;
    await sleep(pollMs, opts.signal);
  }
}
