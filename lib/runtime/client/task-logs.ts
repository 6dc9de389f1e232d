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

/** Output appended to log files. */
export class FileLogSink implements TaskLogSink {
  private madeDir = false;

  /**
   * @param stdoutPath the stdout log file
   * @param stderrPath the stderr log file
   */
  constructor(
    readonly stdoutPath: string,
    readonly stderrPath: string,
  ) {}

  /** Appends to the stream's file, creating the logs directory on first use. */
  write(stream: TaskStream, data: string | Buffer): void {
    const file = stream === "stdout" ? this.stdoutPath : this.stderrPath;
    try {
      if (!this.madeDir) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        this.madeDir = true;
      }
      fs.appendFileSync(file, data);
    } catch {
      // The allocation directory was removed (GC) while output arrived: drop it.
    }
  }
}

/** Default bound of an in-memory stream, bytes. */
export const MEMORY_LOG_LIMIT = 64 * 1024;

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
