/**
 * Fetching a task's `artifact` blocks before it starts, as Nomad's
 * artifact hook does with go-getter: `http://`, `https://` and `file://`
 * sources (git, S3, GCS and other getters are refused with a message),
 * `options.checksum` verified on the downloaded bytes (`md5`, `sha1`,
 * `sha256`, `sha512`), archives unpacked unless `options.archive = "false"`
 * (`.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2`, `.tar.xz`/`.txz` with
 * `tar`; `.zip` with `unzip`; `.gz` with zlib), `mode` file, dir or any,
 * headers, `insecure` (no TLS verification) and `chown` (to the task's
 * user, when the agent is root), and the destination kept inside the task
 * directory. Archive entries with absolute names or `..`, and links that
 * resolve outside the destination, are refused.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { Agent, fetch } from "undici";
import { resolveTaskUser } from "../drivers/task-user";
import { AllocFs } from "./alloc-fs";

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

async function download(url: URL, headers: Record<string, string>, limits: ArtifactLimits, insecure: boolean): Promise<Buffer> {
  if (url.protocol === "file:") return fs.readFileSync(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.httpReadTimeoutMs);
  // `insecure = true`: the server's TLS certificate is not verified (go-getter's Insecure).
  const dispatcher = insecure && url.protocol === "https:" ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
  try {
    const res = await fetch(url, { headers, signal: controller.signal, redirect: "follow", dispatcher });
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
    await dispatcher?.close().catch(() => {});
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

/** The archive's entry names as stored (`tar -tP`, `unzip -Z1`). */
function listEntries(kind: string, file: string): string[] {
  const args =
    kind === "zip"
      ? ["unzip", ["-Z1", file]]
      : ["tar", ["-t", "-P", "-f", file, ...(kind === "tar.gz" ? ["-z"] : kind === "tar.bz2" ? ["-j"] : kind === "tar.xz" ? ["-J"] : [])]];
  const [cmd, argv] = args as [string, string[]];
  const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: 10 * 60_000, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot unpack: ${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  // An empty zip makes unzip -Z1 exit 1 with nothing listed.
  if (r.status !== 0 && !(kind === "zip" && r.stdout.trim() === ""))
    throw new Error(`cannot unpack ${kind} archive: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** Refuses entries that would land outside the destination: absolute names and names with a `..` component (go-getter's refusal). */
function checkEntries(names: readonly string[]): void {
  for (const name of names) {
    if (name.startsWith("/") || /^[A-Za-z]:[\\/]/.test(name)) throw new Error(`entry is an absolute path: ${name}`);
    if (name.split(/[\\/]/).includes("..")) throw new Error(`entry contains '..': ${name}`);
  }
}

/** Unpacks an archive into `scratch` (a fresh directory outside the task's reach), after checking its entry names. */
function unpack(kind: string, file: string, scratch: string): void {
  checkEntries(listEntries(kind, file));
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10 * 60_000 });
    if (r.error) throw new Error(`cannot unpack: ${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
    if (r.status !== 0) throw new Error(`cannot unpack ${kind} archive: ${(r.stderr || r.stdout).trim()}`);
  };
  if (kind === "zip") run("unzip", ["-o", "-q", file, "-d", scratch]);
  else
    run("tar", [
      "-x",
      "--no-same-owner",
      "--no-same-permissions",
      "-f",
      file,
      "-C",
      scratch,
      ...(kind === "tar.gz" ? ["-z"] : kind === "tar.bz2" ? ["-j"] : kind === "tar.xz" ? ["-J"] : []),
    ]);
}

/** Nomad's refusal of an archive link that leads out of the artifact's destination (`getter.ErrSandboxEscape`). */
const SANDBOX_ESCAPE = "artifact includes symlink that resolves outside of sandbox";

/**
 * Moves what was unpacked in `scratch` into the destination `destRel`
 * (relative to the allocation directory) through the sandbox: directories
 * created, files written, links re-created only when they resolve inside
 * the destination. Returns the entries written (relative to the
 * allocation directory), for `chown`.
 */
function place(files: AllocFs, scratch: string, destRel: string): string[] {
  const written: string[] = [];
  files.mkdirp(destRel);
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(scratch, rel))) {
      const entryRel = rel ? `${rel}/${name}` : name;
      const src = path.join(scratch, entryRel);
      const target = `${destRel}/${entryRel}`;
      const st = fs.lstatSync(src);
      if (st.isDirectory()) {
        files.mkdirp(target);
        written.push(target);
        walk(entryRel);
      } else if (st.isFile()) {
        files.writeFile(target, fs.readFileSync(src), st.mode & 0o777);
        written.push(target);
      } else if (st.isSymbolicLink()) {
        const link = fs.readlinkSync(src);
        // Resolved from the link's own directory, it must stay inside the destination.
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(entryRel), link));
        if (path.posix.isAbsolute(link) || resolved === ".." || resolved.startsWith("../")) throw new Error(SANDBOX_ESCAPE);
        files.symlink(target, link);
        written.push(target);
      } else throw new Error(`archive entry ${JSON.stringify(entryRel)} is neither a file, a directory nor a link`);
    }
  };
  walk("");
  return written;
}

/** Who the task runs as, for `chown` (Nomad's `Task.User`). */
export interface ArtifactOwner {
  /** The task's user ("" for the agent's own). */
  user: string;
}

/**
 * Fetches one artifact into the task directory. Throws an error whose
 * message is the task event's (Nomad's go-getter wording where it has one).
 * Everything is written through the allocation directory's sandbox
 * (`AllocFs`): a link the task or an earlier artifact left in the way is
 * never followed out of it. Archives are unpacked into a fresh directory
 * outside the task's reach first, their entry names and links checked, and
 * then moved in.
 */
export async function fetchArtifact(
  a: ArtifactSpec,
  taskDir: string,
  allocRoot: string,
  limits: ArtifactLimits = DEFAULT_ARTIFACT_LIMITS,
  owner: ArtifactOwner = { user: "" },
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
  const mode = a.GetterMode || "any";
  if (!["any", "file", "dir"].includes(mode)) throw new Error(`artifact mode ${JSON.stringify(mode)} must be "any", "file" or "dir"`);
  const fileName = path.posix.basename(url.pathname) || "index.html";
  const rel = a.RelativeDest || (mode === "file" ? `local/${fileName}` : "local/");
  const dest = path.resolve(taskDir, rel);
  if (dest !== taskDir && !dest.startsWith(taskDir + path.sep))
    throw new Error(`artifact destination ${JSON.stringify(rel)} escapes the task directory`);
  // Nomad's chown: only an agent running as root gives the files to the task's user (otherwise they are the agent's, which the task runs as).
  let ids: { uid: number; gid: number } | null = null;
  if (a.Chown && owner.user && process.getuid?.() === 0) {
    const u = resolveTaskUser(owner.user);
    ids = { uid: u.uid, gid: u.gid };
  }
  const body = await download(url, a.GetterHeaders ?? {}, limits, a.GetterInsecure === true);
  verify(body, checksum);
  const kind = mode === "file" ? null : archiveOf(url.pathname, archiveOpt);
  if (mode === "dir" && !kind) throw new Error(`artifact ${JSON.stringify(source)}: mode "dir" needs an archive`);
  const files = new AllocFs(allocRoot);
  const destRel = files.relative(dest);
  let written: string[];
  if (kind && kind !== "gz") {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "drover-artifact-"));
    try {
      const archive = path.join(scratch, `artifact.${kind}`);
      fs.writeFileSync(archive, body, { mode: 0o600 });
      const out = path.join(scratch, "out");
      fs.mkdirSync(out, { mode: 0o700 });
      unpack(kind, archive, out);
      written = [destRel, ...place(files, out, destRel)];
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    let content = body;
    let name = fileName;
    if (kind === "gz") {
      content = gunzipSync(body);
      name = fileName.replace(/\.gz$/i, "");
    }
    const target = mode === "file" ? destRel : `${destRel}/${name}`;
    files.writeFile(target, content, 0o644);
    written = mode === "file" ? [target] : [destRel, target];
  }
  if (ids) for (const entry of written) files.lchown(entry, ids.uid, ids.gid);
}
