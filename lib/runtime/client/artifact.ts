/**
 * Fetching a task's `artifact` blocks before it starts, as Nomad's
 * artifact hook does with go-getter: `http://`, `https://` and `file://`
 * sources (git, S3, GCS and other getters are refused with a message),
 * `options.checksum` verified on the downloaded bytes (`md5`, `sha1`,
 * `sha256`, `sha512`), archives unpacked unless `options.archive = "false"`
 * (`.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2`, `.tar.xz`/`.txz` with
 * `tar`; `.zip` with `unzip`; `.gz` with zlib), `mode` file, dir or any,
 * headers, and the destination kept inside the task directory.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";

/** An artifact block (`structs.TaskArtifact`). */
export interface ArtifactSpec {
  GetterSource?: string | null;
  GetterOptions?: Record<string, string> | null;
  GetterHeaders?: Record<string, string> | null;
  GetterMode?: string | null;
  GetterInsecure?: boolean | null;
  RelativeDest?: string | null;
  Chown?: boolean | null;
}

/** The client's artifact limits (Nomad's `client.artifact` block). */
export interface ArtifactLimits {
  /** Longest time for one HTTP download, ms (Nomad's `http_read_timeout`, default 30m). */
  httpReadTimeoutMs: number;
  /** Largest HTTP download, bytes (Nomad's `http_max_size`, default 100GB). */
  httpMaxBytes: number;
}

/** Nomad's defaults of `client.artifact`. */
export const DEFAULT_ARTIFACT_LIMITS: ArtifactLimits = { httpReadTimeoutMs: 30 * 60_000, httpMaxBytes: 100e9 };

const ARCHIVES: [string, string][] = [
  [".tar.gz", "tar.gz"],
  [".tgz", "tar.gz"],
  [".tar.bz2", "tar.bz2"],
  [".tbz2", "tar.bz2"],
  [".tar.xz", "tar.xz"],
  [".txz", "tar.xz"],
  [".tar", "tar"],
  [".zip", "zip"],
  [".gz", "gz"],
];

/** The archive kind of a URL path, by its extension (go-getter's detection), or null. */
function archiveOf(p: string, option: string | undefined): string | null {
  if (option === "false") return null;
  if (option) {
    const named = ARCHIVES.find(([, k]) => k === option);
    if (!named) throw new Error(`unsupported archive type ${JSON.stringify(option)}`);
    return named[1];
  }
  const lower = p.toLowerCase();
  return ARCHIVES.find(([ext]) => lower.endsWith(ext))?.[1] ?? null;
}

async function download(url: URL, headers: Record<string, string>, limits: ArtifactLimits): Promise<Buffer> {
  if (url.protocol === "file:") return fs.readFileSync(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.httpReadTimeoutMs);
  try {
    const res = await fetch(url, { headers, signal: controller.signal, redirect: "follow" });
    if (res.status < 200 || res.status >= 300) throw new Error(`GET error: bad response code: ${res.status}`);
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > limits.httpMaxBytes)
      throw new Error(`GET error: size of ${declared} bytes exceeds the client's limit of ${limits.httpMaxBytes}`);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const c of res.body ?? []) {
      total += (c as Uint8Array).length;
      if (total > limits.httpMaxBytes) throw new Error(`GET error: download exceeds the client's limit of ${limits.httpMaxBytes} bytes`);
      chunks.push(Buffer.from(c as Uint8Array));
    }
    return Buffer.concat(chunks);
  } catch (err) {
    if (controller.signal.aborted) throw new Error(`GET error: no answer within ${limits.httpReadTimeoutMs} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function verify(body: Buffer, checksum: string | undefined): void {
  if (!checksum) return;
  const at = checksum.indexOf(":");
  if (at <= 0) throw new Error(`invalid checksum ${JSON.stringify(checksum)}: expected type:value`);
  const type = checksum.slice(0, at);
  const want = checksum.slice(at + 1).toLowerCase();
  if (!["md5", "sha1", "sha256", "sha512"].includes(type)) throw new Error(`unsupported checksum type: ${type}`);
  const got = createHash(type).update(body).digest("hex");
  if (got !== want) throw new Error(`checksums did not match: expected ${want}, got ${got}`);
}

function unpack(kind: string, body: Buffer, dest: string, scratch: string): void {
  fs.mkdirSync(dest, { recursive: true });
  if (kind === "gz") throw new Error("internal: gz is a file");
  const file = path.join(scratch, `artifact.${kind}`);
  fs.writeFileSync(file, body);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10 * 60_000 });
    if (r.error) throw new Error(`cannot unpack: ${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
    if (r.status !== 0) throw new Error(`cannot unpack ${kind} archive: ${(r.stderr || r.stdout).trim()}`);
  };
  // --no-same-owner and no absolute names: files land inside dest only.
  if (kind === "zip") run("unzip", ["-o", "-q", file, "-d", dest]);
  else
    run("tar", [
      "-x",
      "--no-same-owner",
      "--no-same-permissions",
      "-f",
      file,
      "-C",
      dest,
      ...(kind === "tar.gz" ? ["-z"] : kind === "tar.bz2" ? ["-j"] : kind === "tar.xz" ? ["-J"] : []),
    ]);
  fs.rmSync(file, { force: true });
}

/**
 * Fetches one artifact into the task directory. Throws an error whose
 * message is the task event's (Nomad's go-getter wording where it has one).
 */
export async function fetchArtifact(
  a: ArtifactSpec,
  taskDir: string,
  allocRoot: string,
  limits: ArtifactLimits = DEFAULT_ARTIFACT_LIMITS,
): Promise<void> {
  const source = a.GetterSource ?? "";
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new Error(`artifact source ${JSON.stringify(source)} is not a URL; drover fetches http://, https:// and file:// sources`);
  }
  if (!["http:", "https:", "file:"].includes(url.protocol))
    throw new Error(
      `artifact source ${JSON.stringify(source)}: the ${url.protocol.slice(0, -1)} getter is not supported by drover (http, https and file are)`,
    );
  const opts = { ...(a.GetterOptions ?? {}) };
  const checksum = opts.checksum;
  const archiveOpt = opts.archive;
  delete opts.checksum;
  delete opts.archive;
  const unknown = Object.keys(opts);
  if (unknown.length)
    throw new Error(
      `artifact options ${unknown.map((k) => JSON.stringify(k)).join(", ")} are not supported by drover (checksum and archive are)`,
    );
  if (a.GetterInsecure && url.protocol === "https:") throw new Error("artifact insecure = true is not supported by drover");
  if (a.Chown) throw new Error("artifact chown = true is not supported by drover");
  const mode = a.GetterMode || "any";
  if (!["any", "file", "dir"].includes(mode)) throw new Error(`artifact mode ${JSON.stringify(mode)} must be "any", "file" or "dir"`);
  const fileName = path.posix.basename(url.pathname) || "index.html";
  const rel = a.RelativeDest || (mode === "file" ? `local/${fileName}` : "local/");
  const dest = path.resolve(taskDir, rel);
  if (dest !== taskDir && !dest.startsWith(taskDir + path.sep))
    throw new Error(`artifact destination ${JSON.stringify(rel)} escapes the task directory`);
  const body = await download(url, a.GetterHeaders ?? {}, limits);
  verify(body, checksum);
  const kind = mode === "file" ? null : archiveOf(url.pathname, archiveOpt);
  if (mode === "dir" && !kind) throw new Error(`artifact ${JSON.stringify(source)}: mode "dir" needs an archive`);
  if (kind && kind !== "gz") {
    const scratch = fs.mkdtempSync(path.join(allocRoot, ".artifact-"));
    try {
      unpack(kind, body, dest, scratch);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    return;
  }
  let content = body;
  let name = fileName;
  if (kind === "gz") {
    content = gunzipSync(body);
    name = fileName.replace(/\.gz$/i, "");
  }
  const target = mode === "file" ? dest : path.join(dest, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
}
