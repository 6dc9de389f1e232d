/**
 * `client.client`: the client endpoints of Nomad's HTTP API (`api/fs.go`,
 * `api/allocations.go` stats and checks, `api/nodes.go` host stats): an
 * allocation's files and logs, its resource usage, and its nomad service
 * checks. Logs can be followed as an async iterable.
 */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";
import type { AllocFileInfo, AllocResourceUsage, CheckQueryResult, HostStats, StreamFrame } from "../types/client";

/** Response types declared in lib/api/types, re-exported here for the imports of lib/cli/render/status-alloc.ts. */
export type { AllocResourceUsage, CheckQueryResult } from "../types/client";

/** Options of `fs.logs`. */
export interface LogsOptions {
  /** "stdout" (default) or "stderr". */
  type?: "stdout" | "stderr";
  /** Count `offset` from the "start" (default) or back from the "end". */
  origin?: "start" | "end";
  /** Byte offset from the origin (default 0). */
  offset?: number;
  /** Keep streaming as the task writes (until the task finishes or `signal` aborts). */
  follow?: boolean;
  /** Namespace and region overrides. */
  namespace?: string;
  region?: string;
  /** Ends the stream. */
  signal?: AbortSignal;
}

/**
 * Splits a stream of concatenated JSON objects (Nomad's framed stream, with
 * or without whitespace between frames) into parsed objects.
 */
export class JsonObjectSplitter {
  private buf = "";
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds text; returns the objects completed by it. */
  push(text: string): unknown[] {
    this.buf += text;
    const out: unknown[] = [];
    let cut = 0;
    for (let i = this.scanned; i < this.buf.length; i++) {
      const c = this.buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === "\\") this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === "{") {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (c === "}") {
        this.depth--;
        if (this.depth === 0 && this.start >= 0) {
          out.push(JSON.parse(this.buf.slice(this.start, i + 1)));
          cut = i + 1;
          this.start = -1;
        }
      }
    }
    this.buf = this.buf.slice(cut);
    this.scanned = this.buf.length;
    if (this.start >= 0) this.start -= cut;
    return out;
  }
}

/** File system endpoints of an allocation (`/v1/client/fs/...`). */
export class ClientFsEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/client/fs/ls/:alloc`: the entries of a directory (default the allocation root). */
  ls(allocID: string, path = "/", opts: QueryOptions = {}): Promise<QueryResponse<AllocFileInfo[]>> {
    return this.t.query(`/v1/client/fs/ls/${encodeURIComponent(allocID)}`, { path }, opts);
  }

  /** `GET /v1/client/fs/stat/:alloc`: one file's info. */
  stat(allocID: string, path: string, opts: QueryOptions = {}): Promise<QueryResponse<AllocFileInfo>> {
    return this.t.query(`/v1/client/fs/stat/${encodeURIComponent(allocID)}`, { path }, opts);
  }

  /** `GET /v1/client/fs/cat/:alloc`: a whole file. */
  async cat(allocID: string, path: string, opts: { namespace?: string; region?: string; signal?: AbortSignal } = {}): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of this.t.stream(`/v1/client/fs/cat/${encodeURIComponent(allocID)}`, { path }, opts)) parts.push(c);
    return Buffer.concat(parts);
  }

  /** `GET /v1/client/fs/readat/:alloc`: `limit` bytes (0 = to the end) from `offset`. */
  async readAt(
    allocID: string,
    path: string,
    offset: number,
    limit = 0,
    opts: { namespace?: string; region?: string; signal?: AbortSignal } = {},
  ): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of this.t.stream(
      `/v1/client/fs/readat/${encodeURIComponent(allocID)}`,
      { path, offset, limit: limit || undefined },
      opts,
    ))
      parts.push(c);
    return Buffer.concat(parts);
  }

  /**
   * `GET /v1/client/fs/logs/:alloc`: a task's log as Nomad's framed stream,
   * one frame per chunk (heartbeat frames are skipped). With `follow`, the
   * iteration lasts until the task finishes or `signal` aborts; breaking
   * out of the loop closes the connection.
   */
  async *logs(allocID: string, task: string, opts: LogsOptions = {}): AsyncGenerator<StreamFrame> {
    const params = {
      task,
      type: opts.type ?? "stdout",
      origin: opts.origin ?? "start",
      offset: opts.offset ?? 0,
      follow: opts.follow ? true : undefined,
      plain: false,
    };
    yield* this.frames(`/v1/client/fs/logs/${encodeURIComponent(allocID)}`, params, opts);
  }

  /**
   * `GET /v1/client/fs/stream/:alloc`: one file of the allocation as Nomad's
   * framed stream, following it as it grows unless `follow` is false.
   */
  async *stream(allocID: string, path: string, opts: Omit<LogsOptions, "type"> = {}): AsyncGenerator<StreamFrame> {
    const params = { path, origin: opts.origin ?? "start", offset: opts.offset ?? 0, follow: opts.follow === false ? false : undefined };
    yield* this.frames(`/v1/client/fs/stream/${encodeURIComponent(allocID)}`, params, opts);
  }

  private async *frames(
    apiPath: string,
    params: Record<string, string | number | boolean | undefined>,
    opts: LogsOptions,
  ): AsyncGenerator<StreamFrame> {
    const split = new JsonObjectSplitter();
    for await (const chunk of this.t.stream(apiPath, params, opts)) {
      for (const raw of split.push(chunk.toString("utf8"))) {
        const f = raw as { Offset?: number; Data?: string; File?: string; FileEvent?: string };
        if (!f.Data && !f.File && !f.FileEvent && !f.Offset) continue;
        yield {
          Offset: f.Offset ?? 0,
          Data: f.Data ? Buffer.from(f.Data, "base64") : Buffer.alloc(0),
          File: f.File ?? "",
          FileEvent: f.FileEvent ?? "",
        };
      }
    }
  }

  /** The plain bytes of a task's log (`plain=true`), chunk by chunk; `follow` as in `logs`. */
  logsPlain(allocID: string, task: string, opts: LogsOptions = {}): AsyncGenerator<Buffer> {
    const params = {
      task,
      type: opts.type ?? "stdout",
      origin: opts.origin ?? "start",
      offset: opts.offset ?? 0,
      follow: opts.follow ? true : undefined,
      plain: true,
    };
    return this.t.stream(`/v1/client/fs/logs/${encodeURIComponent(allocID)}`, params, opts);
  }
}

/** The client endpoints (`/v1/client/...`). */
export class ClientEndpoint {
  /** An allocation's files and logs. */
  readonly fs: ClientFsEndpoint;

  constructor(private readonly t: Transport) {
    this.fs = new ClientFsEndpoint(t);
  }

  /** `GET /v1/client/allocation/:id/stats`: CPU and memory of the allocation's tasks. */
  allocationStats(allocID: string, opts: QueryOptions & { task?: string } = {}): Promise<QueryResponse<AllocResourceUsage>> {
    return this.t.query(`/v1/client/allocation/${encodeURIComponent(allocID)}/stats`, { task: opts.task }, opts);
  }

  /** `GET /v1/client/allocation/:id/checks`: latest results of its nomad service checks, by check ID. */
  allocationChecks(allocID: string, opts: QueryOptions = {}): Promise<QueryResponse<Record<string, CheckQueryResult>>> {
    return this.t.query(`/v1/client/allocation/${encodeURIComponent(allocID)}/checks`, {}, opts);
  }

  /** `GET /v1/client/stats`: the host's usage (`node_id` picks the client node). */
  stats(opts: QueryOptions & { nodeID?: string } = {}): Promise<QueryResponse<HostStats>> {
    return this.t.query("/v1/client/stats", { node_id: opts.nodeID }, opts);
  }
}
