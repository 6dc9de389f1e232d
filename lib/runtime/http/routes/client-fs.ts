/**
 * `/v1/client/fs/...`: files of an allocation directory (Nomad's
 * `command/agent/fs_endpoint.go` and `client/fs_endpoint.go`): `ls`, `stat`,
 * `cat`, `readat` and `logs`. Paths are relative to the allocation
 * directory; one that leads outside it is refused with a 400.
 */
import * as fs from "node:fs";
import type { ServerResponse } from "node:http";
import { AllocDirLayout } from "../../client/alloc-dir";
import { AllocFs, OutsideAllocDirError } from "../../client/alloc-fs";
import type { AllocFileInfo } from "../../../api/types/client";
import { allocClientTerminal } from "../../structs";
import { CodedError, badRequest, notFound } from "../../server/errors";
import type { RequestContext } from "../context";
import { READ, type Reply, type Route } from "../router";
import { allocClientDir, requestAlloc } from "../client-access";
import { LogNotFoundError, hasLog, readTaskLogs, streamFile, type LogChunk } from "../client-log-reader";
import { nsCapability } from "../route-acl";
import { allocNamespace } from "./acl-namespaces";

/** How often a framed log stream sends an empty heartbeat frame while idle, ms (Nomad's `streamHeartbeatRate`). */
const HEARTBEAT_MS = 1000;

/** Formats a mode as Go's `os.FileMode.String()` does for files, directories and links. */
function goFileMode(st: fs.Stats): string {
  const kind = st.isDirectory()
    ? "d"
    : st.isSymbolicLink()
      ? "L"
      : st.isFIFO()
        ? "p"
        : st.isSocket()
          ? "S"
          : st.isCharacterDevice()
            ? "c"
            : st.isBlockDevice()
              ? "D"
              : "-";
  const rwx = "rwxrwxrwx";
  let perms = "";
  for (let i = 0; i < 9; i++) perms += st.mode & (1 << (8 - i)) ? rwx[i] : "-";
  return kind + perms;
}

function fileInfo(name: string, st: fs.Stats): AllocFileInfo {
  return {
    Name: name,
    IsDir: st.isDirectory(),
    Size: st.isDirectory() ? 4096 : st.size,
    FileMode: goFileMode(st),
    ModTime: st.mtime.toISOString(),
  };
}

/** A best-effort content type from the first 512 bytes (text or binary), JSON by extension, as Nomad's `detectContentType` roughly does. */
function contentType(files: AllocFs, rel: string, st: fs.Stats): string {
  if (rel.endsWith(".json")) return "application/json";
  if (!st.isFile()) return "application/octet-stream";
  try {
    const fd = files.openRead(rel);
    try {
      const buf = Buffer.alloc(512);
      const n = fs.readSync(fd, buf, 0, 512, 0);
      if (n === 0) return "text/plain; charset=utf-8";
      const head = buf.subarray(0, n);
      if (head.includes(0)) return "application/octet-stream";
      return "text/plain; charset=utf-8";
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return "application/octet-stream";
  }
}

/**
 * The allocation's directory layout, its sandbox, and `?path=` both as given
 * and relative to the allocation directory (400 when it leaves it). Every
 * file is then opened through the sandbox, which refuses links that lead out.
 */
function resolvePath(
  ctx: RequestContext,
  required: boolean,
): { layout: AllocDirLayout; files: AllocFs; file: string; rel: string; inner: string } {
  const a = requestAlloc(ctx);
  const layout = new AllocDirLayout(allocClientDir(ctx, a), a.ID);
  let rel = ctx.query.get("path") ?? "";
  if (rel === "") {
    if (required) throw badRequest("must provide a file name");
    rel = "/";
  }
  let file: string;
  try {
    file = layout.resolve(rel);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const files = new AllocFs(layout.root);
  return { layout, files, file, rel, inner: files.relative(file) };
}

/** Runs a sandboxed file operation, answering as Nomad does: 400 for a path that leads outside, 404 for a missing file. */
function sandboxed<T>(rel: string, op: () => T): T {
  try {
    return op();
  } catch (err) {
    if (err instanceof CodedError) throw err;
    if (err instanceof OutsideAllocDirError)
      throw badRequest(
        `path ${JSON.stringify(rel)} is outside the allocation directory${err.message.endsWith("outside the allocation directory") ? "" : ` (${err.message})`}`,
      );
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw notFound(`stat ${rel}: no such file or directory`);
    if (code === "ENOTDIR") throw badRequest(`readdirent ${rel}: not a directory`);
    if (code === "EISDIR") throw badRequest("file is a directory");
    if (code === "EINVAL" || code === "ENXIO") throw badRequest(`${rel}: not a regular file`);
    throw err;
  }
}

function intParam(ctx: RequestContext, name: string, fallback: number): number {
  const v = ctx.query.get(name);
  if (v === null || v === "") return fallback;
  if (!/^-?\d+$/.test(v)) throw badRequest(`error parsing ${name}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

function boolParam(ctx: RequestContext, name: string): boolean {
  const v = ctx.query.get(name);
  if (v === null || v === "") return false;
  if (/^(1|t|true|TRUE|True)$/.test(v)) return true;
  if (/^(0|f|false|FALSE|False)$/.test(v)) return false;
  throw badRequest(`failed to parse ${name} field to boolean: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** Ranges up to this size are read into memory and sent with a Content-Length; larger ones are streamed. */
const PLAIN_READ_AT_ONCE = 1024 * 1024;

/** Sends a file range as a plain body, read from a descriptor opened through the sandbox. */
function plainFile(files: AllocFs, inner: string, rel: string, start: number, limit: number): Reply {
  const fd = sandboxed(rel, () => files.openRead(inner));
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (!st.isFile()) {
    fs.closeSync(fd);
    throw badRequest(st.isDirectory() ? "file is a directory" : `${rel}: not a regular file`);
  }
  const end = limit > 0 ? Math.min(st.size, start + limit) : st.size;
  if (end - start <= PLAIN_READ_AT_ONCE) {
    // Read at once: the answer is one consistent snapshot with an exact Content-Length, even if the file changes meanwhile.
    let data: Buffer;
    try {
      data = Buffer.alloc(Math.max(0, end - start));
      let got = 0;
      while (got < data.length) {
        const n = fs.readSync(fd, data, got, data.length - got, start + got);
        if (n <= 0) break;
        got += n;
      }
      data = data.subarray(0, got);
    } finally {
      fs.closeSync(fd);
    }
    return {
      body: null,
      stream: async (res: ServerResponse) => {
        res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": data.length });
        res.end(data);
      },
    };
  }
  // Larger ranges stream without a Content-Length, so that a file truncated meanwhile ends the answer early instead of leaving it short.
  return {
    body: null,
    stream: async (res: ServerResponse) => {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      await new Promise<void>((resolve) => {
        const s = fs.createReadStream("", { fd, start, end: end - 1, autoClose: true });
        s.on("error", () => {
          res.destroy();
          resolve();
        });
        res.on("close", () => {
          s.destroy();
          resolve();
        });
        s.on("end", resolve);
        s.pipe(res);
      });
    },
  };
}

/** One of Nomad's stream frames (`sframer.StreamFrame`) as JSON: Data in base64, empty fields left out. */
export function encodeFrame(chunk: LogChunk | null): string {
  if (!chunk) return "{}";
  const frame: Record<string, unknown> = {};
  if (chunk.offset) frame.Offset = chunk.offset;
  if (chunk.data.length) frame.Data = chunk.data.toString("base64");
  if (chunk.file) frame.File = chunk.file;
  if (chunk.event) frame.FileEvent = chunk.event;
  return JSON.stringify(frame);
}

function logsReply(ctx: RequestContext): Reply {
  const a = requestAlloc(ctx);
  const task = ctx.query.get("task") ?? "";
  if (task === "") throw badRequest("must provide task name");
  const follow = boolParam(ctx, "follow");
  const plain = boolParam(ctx, "plain");
  const type = ctx.query.get("type") ?? "";
  if (type !== "stdout" && type !== "stderr") throw badRequest("must provide log type (stdout/stderr)");
  const offset = intParam(ctx, "offset", 0);
  if (offset < 0) throw badRequest("offset must not be negative");
  const originText = ctx.query.get("origin") || "start";
  if (originText !== "start" && originText !== "end") throw badRequest("origin must be start or end");
  const origin: "start" | "end" = originText;
  const access = ctx.client;
  const layout = new AllocDirLayout(allocClientDir(ctx, a), a.ID);
  let logsDir: string;
  try {
    logsDir = layout.logsDir;
    layout.logFile(task, type);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const memory = access.memoryLog ? () => access.memoryLog!(a.ID, task, type) : undefined;
  const files = new AllocFs(layout.root);
  if (!hasLog({ logsDir, task, type, memory, files })) throw notFound(new LogNotFoundError(task, type).message);
  const store = ctx.server.store;
  const finished = () => {
    const current = store.allocByID(a.ID);
    return !current || allocClientTerminal(current) || current.TaskStates?.[task]?.State === "dead";
  };
  return framedReply(
    (signal) => readTaskLogs({ logsDir, task, type, origin, offset, follow, memory, finished, signal, files }),
    plain,
    follow,
    store.latestIndex(),
  );
}

/**
 * A streaming reply: the chunks as raw bytes (`plain`) or as Nomad's JSON
 * frames, with an empty heartbeat frame every second while a framed follow
 * is idle; the source is aborted when the client goes away.
 */
function framedReply(source: (signal: AbortSignal) => AsyncGenerator<LogChunk>, plain: boolean, follow: boolean, index: number): Reply {
  return {
    body: null,
    stream: async (res, req) => {
      const abort = new AbortController();
      const onClose = () => abort.abort();
      req.on("close", onClose);
      res.on("close", onClose);
      res.writeHead(200, {
        "Content-Type": plain ? "text/plain" : "application/json",
        "Cache-Control": "no-cache",
        "X-Nomad-Index": String(index),
      });
      res.flushHeaders?.();
      let heartbeat: NodeJS.Timeout | null = null;
      if (!plain && follow) {
        heartbeat = setInterval(() => {
          if (!res.writableEnded && !res.destroyed) res.write(encodeFrame(null));
        }, HEARTBEAT_MS);
        heartbeat.unref?.();
      }
      try {
        for await (const chunk of source(abort.signal)) {
          if (res.destroyed) break;
          const ok = res.write(plain ? chunk.data : encodeFrame(chunk));
          if (!ok) await new Promise<void>((r) => res.once("drain", r).once("close", r));
        }
      } catch {
        // A file vanished or the connection broke mid-stream: end what was sent.
      } finally {
        if (heartbeat) clearInterval(heartbeat);
        req.off("close", onClose);
        if (!res.destroyed && !res.writableEnded) res.end();
      }
    },
  };
}

/** The client file system routes. */
export const clientFsRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/client/fs/ls/:alloc",
    acl: nsCapability("read-fs", allocNamespace),
    handler: (ctx) => {
      const { files, rel, inner } = resolvePath(ctx, false);
      const entries = sandboxed(rel, () => {
        try {
          return files.list(inner);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "ENOENT") throw notFound(`open ${rel}: no such file or directory`);
          throw err;
        }
      });
      const out = entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)).map((e) => fileInfo(e.name, e.stats));
      return { body: out };
    },
  },
  {
    methods: READ,
    pattern: "/v1/client/fs/stat/:alloc",
    acl: nsCapability("read-fs", allocNamespace),
    handler: (ctx) => {
      const { files, file, rel, inner } = resolvePath(ctx, true);
      const st = sandboxed(rel, () => files.stat(inner));
      return { body: { ...fileInfo(file.split("/").pop() ?? rel, st), ContentType: contentType(files, inner, st) } };
    },
  },
  {
    methods: READ,
    pattern: "/v1/client/fs/cat/:alloc",
    acl: nsCapability("read-fs", allocNamespace),
    handler: (ctx) => {
      const { files, inner, rel } = resolvePath(ctx, true);
      return plainFile(files, inner, rel, 0, 0);
    },
  },
  {
    methods: READ,
    pattern: "/v1/client/fs/readat/:alloc",
    acl: nsCapability("read-fs", allocNamespace),
    handler: (ctx) => {
      const { files, inner, rel } = resolvePath(ctx, true);
      if (ctx.query.get("offset") === null) throw badRequest('error parsing offset: strconv.ParseInt: parsing "": invalid syntax');
      const offset = intParam(ctx, "offset", 0);
      const limit = intParam(ctx, "limit", 0);
      if (offset < 0 || limit < 0) throw badRequest("offset and limit must not be negative");
      return plainFile(files, inner, rel, offset, limit);
    },
  },
  {
    methods: READ,
    pattern: "/v1/client/fs/logs/:alloc",
    acl: nsCapability("read-logs", allocNamespace),
    handler: (ctx) => logsReply(ctx),
  },
  {
    methods: READ,
    pattern: "/v1/client/fs/stream/:alloc",
    acl: nsCapability("read-fs", allocNamespace),
    handler: (ctx) => {
      const a = requestAlloc(ctx);
      const { files, file, rel, inner } = resolvePath(ctx, true);
      if (sandboxed(rel, () => files.stat(inner)).isDirectory()) throw badRequest("file is a directory");
      const followText = ctx.query.get("follow");
      const follow = followText === null || followText === "" ? true : boolParam(ctx, "follow");
      const offset = intParam(ctx, "offset", 0);
      if (offset < 0) throw badRequest("offset must not be negative");
      const originText = ctx.query.get("origin") || "start";
      if (originText !== "start" && originText !== "end") throw badRequest("origin must be start or end");
      const store = ctx.server.store;
      const finished = () => {
        const current = store.allocByID(a.ID);
        return !current || allocClientTerminal(current);
      };
      const relPath = rel.replace(/^\/+/, "");
      return framedReply(
        (signal) => streamFile({ file, rel: relPath, origin: originText, offset, follow, finished, signal, files }),
        false,
        follow,
        store.latestIndex(),
      );
    },
  },
];
