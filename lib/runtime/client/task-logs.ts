/**
 * Where task output goes: the allocation's log files
 * (`<alloc>/alloc/logs/<task>.stdout.0`, Nomad's names), created only on the
 * first write so that simulated tasks that print nothing cost no files; or,
 * for a client without a data directory, a bounded in-memory buffer per
 * stream (mock tasks only: real processes always write files).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TaskLogSink, TaskStream } from "../drivers/driver";
import { AllocFs } from "./alloc-fs";

/** A task's LogConfig (`structs.LogConfig`): how many files per stream, and their size. Nomad's defaults: 10 files of 10 MiB. */
export interface LogRotation {
  maxFiles: number;
  maxFileBytes: number;
}

/** Nomad's default LogConfig. */
export const DEFAULT_LOG_ROTATION: LogRotation = { maxFiles: 10, maxFileBytes: 10 * 1024 * 1024 };

interface StreamFile {
  index: number;
  size: number;
}

/**
 * Output appended to the task's log files, rotated as Nomad's logmon does:
 * `<task>.<stream>.<n>` grows to `maxFileBytes`, then `<n+1>` starts, and
 * only the newest `maxFiles` files are kept. (Processes of raw_exec and exec
 * write `<task>.<stream>.0` directly and are not rotated.)
 */
export class FileLogSink implements TaskLogSink {
  private madeDir = false;
  private readonly current: Partial<Record<TaskStream, StreamFile>> = {};

  /**
   * @param stdoutPath the first stdout log file (`<task>.stdout.0`)
   * @param stderrPath the first stderr log file
   * @param rotation the task's LogConfig
   * @param files the allocation directory the log files are in: every open goes through its sandbox (default: the directory above `alloc/logs`)
   */
  constructor(
    readonly stdoutPath: string,
    readonly stderrPath: string,
    private readonly rotation: LogRotation = DEFAULT_LOG_ROTATION,
    private readonly files: AllocFs = new AllocFs(path.resolve(path.dirname(stdoutPath), "..", "..")),
  ) {}

  /** Opens a stream's first log file for appending inside the allocation directory (for drivers whose processes write it themselves); the caller closes it. */
  openForAppend(stream: TaskStream): number {
    return this.files.openAppend(this.files.relative(stream === "stdout" ? this.stdoutPath : this.stderrPath));
  }

  private base(stream: TaskStream): string {
    return (stream === "stdout" ? this.stdoutPath : this.stderrPath).replace(/\.0$/, "");
  }

  /** The file being written: the highest existing index (after a restart), else 0. */
  private open(stream: TaskStream): StreamFile {
    const known = this.current[stream];
    if (known) return known;
    const base = this.base(stream);
    const prefix = path.basename(base) + ".";
    let index = 0;
    for (const f of this.files.readdir(this.files.relative(path.dirname(base)))) {
      if (!f.startsWith(prefix)) continue;
      const n = Number(f.slice(prefix.length));
      if (Number.isInteger(n) && n > index) index = n;
    }
    const size = this.files.fileSize(this.files.relative(`${base}.${index}`)) ?? 0;
    return (this.current[stream] = { index, size });
  }

  /** Appends to the stream's file, rotating at the size limit; creates the logs directory on first use. */
  write(stream: TaskStream, data: string | Buffer): void {
    try {
      if (!this.madeDir) {
        fs.mkdirSync(this.files.root, { recursive: true });
        this.files.mkdirp(this.files.relative(path.dirname(this.stdoutPath)));
        this.madeDir = true;
      }
      let buf = typeof data === "string" ? Buffer.from(data) : data;
      const cur = this.open(stream);
      const base = this.base(stream);
      while (buf.length > 0) {
        if (cur.size >= this.rotation.maxFileBytes) {
          cur.index++;
          cur.size = 0;
          const drop = cur.index - this.rotation.maxFiles;
          if (drop >= 0) this.files.remove(this.files.relative(`${base}.${drop}`));
        }
        const room = this.rotation.maxFileBytes - cur.size;
        const part = buf.length <= room ? buf : buf.subarray(0, room);
        const fd = this.files.openAppend(this.files.relative(`${base}.${cur.index}`));
        try {
          fs.writeSync(fd, part);
        } finally {
          fs.closeSync(fd);
        }
        cur.size += part.length;
        buf = buf.subarray(part.length);
      }
    } catch {
      // The allocation directory was removed (GC) while output arrived: drop it.
    }
  }
}

/** Default bound of an in-memory stream, bytes. */
const MEMORY_LOG_LIMIT = 64 * 1024;

/** Output kept in memory, the newest `limit` bytes of each stream. */
export class MemoryLogSink implements TaskLogSink {
  /** No files. */
  readonly stdoutPath = null;
  /** No files. */
  readonly stderrPath = null;
  private readonly chunks: Record<TaskStream, Buffer[]> = { stdout: [], stderr: [] };
  private readonly sizes: Record<TaskStream, number> = { stdout: 0, stderr: 0 };

  /** @param limit bytes kept per stream */
  constructor(private readonly limit = MEMORY_LOG_LIMIT) {}

  /** Appends, dropping the oldest bytes beyond the limit. */
  write(stream: TaskStream, data: string | Buffer): void {
    const buf = typeof data === "string" ? Buffer.from(data) : data;
    this.chunks[stream].push(buf);
    this.sizes[stream] += buf.length;
    while (this.sizes[stream] > this.limit && this.chunks[stream].length > 0) {
      const first = this.chunks[stream][0];
      const excess = this.sizes[stream] - this.limit;
      if (first.length <= excess) {
        this.chunks[stream].shift();
        this.sizes[stream] -= first.length;
      } else {
        this.chunks[stream][0] = first.subarray(excess);
        this.sizes[stream] -= excess;
      }
    }
  }

  /** What the stream holds. */
  read(stream: TaskStream): Buffer {
    return Buffer.concat(this.chunks[stream]);
  }
}
