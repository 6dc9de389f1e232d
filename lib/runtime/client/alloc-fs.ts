/**
 * The allocation directory as a sandbox: every file operation the agent makes
 * under an allocation directory (templates and their permissions, dispatch
 * payloads, artifacts, log files, the `/v1/client/fs/*` endpoints) goes through here, so
 * that a task which swaps a file or a directory for a symbolic link cannot
 * make the agent read, write or chmod anything outside the directory.
 *
 * How: a path is walked one component at a time from a descriptor of the
 * allocation directory. Each component is opened relative to the descriptor
 * of its parent (`/proc/self/fd/<parent>/<name>`, Linux's equivalent of
 * `openat`) with `O_NOFOLLOW`, so a symbolic link is never followed by the
 * kernel. A link met on the way is read and resolved by the walk itself: a
 * link that stays inside the allocation directory is followed (at most 40, as
 * the kernel allows), one that leads outside is refused. The operation then
 * works on the opened descriptor (`fstat`, `fchmod`, `read`, `write`), and the
 * descriptor's real path (`/proc/self/fd/<fd>`) is checked to be inside the
 * directory before anything is read or changed, which also defeats a
 * directory renamed out of the allocation directory during the walk.
 *
 * Without `/proc` (not Linux) the walk opens each component by its full path
 * with `O_NOFOLLOW`: links are still checked, but a link swapped in between
 * two steps is not caught there.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const { O_RDONLY, O_WRONLY, O_CREAT, O_APPEND } = fs.constants;
/** `O_NOFOLLOW` and `O_DIRECTORY` (0 where the platform lacks them). */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;
/** Opens never wait (a FIFO a task made would block the agent's event loop on open). */
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/** How many symbolic links one path may go through (Linux's `MAXSYMLINKS`). */
const MAX_SYMLINKS = 40;

/** Whether descriptors can be reopened through `/proc/self/fd` (Linux). */
const PROC_FD = (() => {
  try {
    return fs.statSync("/proc/self/fd").isDirectory();
  } catch {
    return false;
  }
})();

/** A refusal: the path leads outside the allocation directory (or through too many links). */
export class OutsideAllocDirError extends Error {
  /** The path as it was asked for. */
  readonly relative: string;

  constructor(relative: string, why = "is outside the allocation directory") {
    super(`path ${JSON.stringify(relative)} ${why}`);
    this.name = "OutsideAllocDirError";
    this.relative = relative;
  }
}

/** An opened directory on the walk: its descriptor and its path from the root. */
interface Step {
  fd: number;
  parts: string[];
}

/** What to do with the last component of a path. */
type Final = { kind: "dir" } | { kind: "read" } | { kind: "write"; flags: number; mode: number } | { kind: "lstat" };

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}

/**
 * The files of one allocation directory, reached only through the sandboxed
 * walk described above. Paths are relative to the allocation directory (a
 * leading `/` is allowed, as `nomad alloc fs` writes them).
 */
export class AllocFs {
  /** The allocation directory (absolute). */
  readonly root: string;

  /** @param root the allocation directory (absolute; it must exist when a file is opened) */
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The path of an absolute `file` relative to the root ("" for the root itself); refuses a path outside it. */
  relative(file: string): string {
    const rel = path.relative(this.root, path.resolve(file));
    if (rel === "") return "";
    if (rel === ".." || rel.startsWith(".." + path.sep) || path.isAbsolute(rel)) throw new OutsideAllocDirError(file);
    return rel;
  }

  /** Splits a relative path into components, resolving `.` and `..` lexically; refuses one that climbs above the root. */
  private split(relative: string, base: readonly string[] = []): string[] {
    if (relative.includes("\0")) throw new OutsideAllocDirError(relative, "contains a null character");
    const parts = [...base];
    for (const p of relative.split(/[/\\]+/)) {
      if (p === "" || p === ".") continue;
      if (p === "..") {
        if (parts.length === 0) throw new OutsideAllocDirError(relative);
        parts.pop();
      } else parts.push(p);
    }
    return parts;
  }

  /** The real path of the root, to check descriptors against. */
  private realRoot(): string {
    return fs.realpathSync(this.root);
  }

  /** Where to open `name` inside the directory of `dir`. */
  private at(dir: Step, name: string, realRoot: string): string {
    return PROC_FD ? `/proc/self/fd/${dir.fd}/${name}` : path.join(realRoot, ...dir.parts, name);
  }

  /** Checks that an opened descriptor is inside the root. */
  private verify(fd: number, realRoot: string, relative: string): void {
    if (!PROC_FD) return;
    const real = fs.readlinkSync(`/proc/self/fd/${fd}`);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new OutsideAllocDirError(relative);
  }

  /**
   * The walk: opens every directory of `relative` from the root without
   * following links, resolving in-root links itself, and finally opens the
   * last component as `final` says. Returns the descriptor (the caller closes
   * it) and the path from the root it ended at.
   */
  private walk(relative: string, final: Final, parents = false, dirMode = 0o777): { fd: number; parts: string[] } {
    const realRoot = this.realRoot();
    const rootFd = fs.openSync(realRoot, O_RDONLY | O_DIRECTORY);
    const stack: Step[] = [{ fd: rootFd, parts: [] }];
    const closeAll = () => {
      for (const s of stack) closeQuietly(s.fd);
      stack.length = 0;
    };
    try {
      const queue = this.split(relative);
      let links = 0;
      if (queue.length === 0) {
        if (final.kind === "write" || final.kind === "read")
          throw Object.assign(new Error(`${JSON.stringify(relative)} is a directory`), { code: "EISDIR" });
        stack.pop();
        return { fd: rootFd, parts: [] };
      }
      while (queue.length > 0) {
        const name = queue.shift() as string;
        const top = stack[stack.length - 1];
        if (name === "..") {
          if (stack.length === 1) throw new OutsideAllocDirError(relative);
          closeQuietly(top.fd);
          stack.pop();
          continue;
        }
        const last = queue.length === 0;
        const where = this.at(top, name, realRoot);
        let fd: number;
        try {
          if (!last) fd = fs.openSync(where, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
          else if (final.kind === "dir") fd = fs.openSync(where, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
          else if (final.kind === "read") fd = fs.openSync(where, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
          else if (final.kind === "write") fd = fs.openSync(where, final.flags | O_NOFOLLOW | O_NONBLOCK, final.mode);
          else {
            // lstat: the last component is not followed at all; its parent is what is returned.
            fs.lstatSync(where);
            stack.pop();
            for (const s of stack) closeQuietly(s.fd);
            return { fd: top.fd, parts: [...top.parts, name] };
          }
        } catch (err) {
          const code = errno(err);
          if (parents && code === "ENOENT" && (!last || final.kind === "dir")) {
            try {
              fs.mkdirSync(where, { mode: last ? dirMode : 0o777 });
            } catch (e) {
              if (errno(e) !== "EEXIST") throw e;
            }
            queue.unshift(name);
            continue;
          }
          if (code !== "ELOOP" && code !== "ENOTDIR" && code !== "EMLINK") throw err;
          let target: string;
          try {
            target = fs.readlinkSync(where);
          } catch (e) {
            if (errno(e) === "EINVAL") throw err; // not a link: a file where a directory was expected
            throw e;
          }
          if (++links > MAX_SYMLINKS) throw new OutsideAllocDirError(relative, "goes through too many symbolic links");
          if (path.isAbsolute(target)) {
            const inside = path.relative(realRoot, target);
            const rootInside = path.relative(this.root, target);
            const rel =
              !inside.startsWith("..") && !path.isAbsolute(inside)
                ? inside
                : !rootInside.startsWith("..") && !path.isAbsolute(rootInside)
                  ? rootInside
                  : null;
            if (rel === null) throw new OutsideAllocDirError(relative);
            while (stack.length > 1) closeQuietly((stack.pop() as Step).fd);
            queue.unshift(...this.split(rel));
          } else {
            // Relative to the link's directory: `..` pops opened directories, never climbing above the root.
            queue.unshift(...target.split(/\/+/).filter((p) => p !== "" && p !== "."));
          }
          continue;
        }
        if (last) {
          try {
            this.verify(fd, realRoot, relative);
          } catch (e) {
            closeQuietly(fd);
            throw e;
          }
          closeAll();
          return { fd, parts: [...top.parts, name] };
        }
        try {
          this.verify(fd, realRoot, relative);
        } catch (e) {
          closeQuietly(fd);
          throw e;
        }
        stack.push({ fd, parts: [...top.parts, name] });
      }
      throw new Error("unreachable");
    } catch (err) {
      closeAll();
      throw err;
    }
  }

  /** Opens a file for reading (links inside the directory followed); the caller closes the descriptor. */
  openRead(relative: string): number {
    return this.walk(relative, { kind: "read" }).fd;
  }

  /** Opens a directory (links inside the directory followed); the caller closes the descriptor. */
  openDir(relative: string): number {
    return this.walk(relative, { kind: "dir" }).fd;
  }

  /**
   * Opens a file for appending, creating it (and its parent directories) when
   * missing, with `mode` for a new file (default 0644); the caller closes it.
   */
  openAppend(relative: string, mode = 0o644): number {
    const fd = this.walk(relative, { kind: "write", flags: O_WRONLY | O_CREAT | O_APPEND, mode }, true).fd;
    this.mustBeFile(fd, relative);
    return fd;
  }

  /** Closes `fd` and throws unless it is a regular file (a FIFO or device a task made is never written to or read). */
  private mustBeFile(fd: number, relative: string): void {
    let ok = false;
    try {
      ok = fs.fstatSync(fd).isFile();
    } finally {
      if (!ok) closeQuietly(fd);
    }
    if (!ok) throw Object.assign(new Error(`${JSON.stringify(relative)} is not a regular file`), { code: "EINVAL" });
  }

  /**
   * Creates a directory and its parents (`mkdir -p`, new ones with mode 0777
   * before the umask); existing ones are fine. With `mode`, the directory's
   * permissions are then set to exactly `mode` through its descriptor.
   */
  mkdirp(relative: string, mode?: number): void {
    const fd = this.walk(relative, { kind: "dir" }, true, mode ?? 0o777).fd;
    try {
      if (mode !== undefined) fs.fchmodSync(fd, mode);
    } finally {
      closeQuietly(fd);
    }
  }

  /**
   * Writes a whole file: parents created, an existing file truncated, and its
   * permissions set to `mode` through the descriptor (never through a link).
   */
  writeFile(relative: string, data: string | Uint8Array, mode = 0o644): void {
    const fd = this.walk(relative, { kind: "write", flags: O_WRONLY | O_CREAT, mode }, true).fd;
    this.mustBeFile(fd, relative);
    try {
      fs.ftruncateSync(fd, 0);
      const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      fs.fchmodSync(fd, mode);
    } finally {
      closeQuietly(fd);
    }
  }

  /**
   * Replaces a file's content atomically, as consul-template writes a
   * template: the content goes to a temporary file beside it (written through
   * the sandbox), which is then renamed over it through the parent
   * directory's verified descriptor. A reader sees the old or the new file,
   * never half of one; a link at the destination is replaced, not followed.
   */
  replaceFile(relative: string, data: string | Uint8Array, mode = 0o644): void {
    const parts = this.split(relative);
    const name = parts.pop();
    if (name === undefined) throw Object.assign(new Error(`${JSON.stringify(relative)} is a directory`), { code: "EISDIR" });
    const parent = parts.join("/");
    const tmpName = `.${name}.drover-tmp`;
    this.writeFile(parent ? `${parent}/${tmpName}` : tmpName, data, mode);
    const dirFd = this.openDir(parent);
    try {
      const base = PROC_FD ? `/proc/self/fd/${dirFd}` : path.join(this.root, parent);
      fs.renameSync(`${base}/${tmpName}`, `${base}/${name}`);
    } finally {
      closeQuietly(dirFd);
    }
  }

  /** Changes a regular file's mode, through its descriptor. */
  chmod(relative: string, mode: number): void {
    this.onFile(relative, (fd) => fs.fchmodSync(fd, mode));
  }

  /** Changes a regular file's owner (-1 keeps one), through its descriptor. */
  chown(relative: string, uid: number, gid: number): void {
    this.onFile(relative, (fd) => fs.fchownSync(fd, uid, gid));
  }

  /** Runs `op` on a regular file's descriptor opened through the sandbox. */
  private onFile(relative: string, op: (fd: number) => void): void {
    const fd = this.openRead(relative);
    try {
      this.mustBeFile(fd, relative);
      op(fd);
    } finally {
      closeQuietly(fd);
    }
  }

  /** Reads a whole file. */
  readFile(relative: string): Buffer {
    const fd = this.openRead(relative);
    this.mustBeFile(fd, relative);
    try {
      return fs.readFileSync(fd);
    } finally {
      closeQuietly(fd);
    }
  }

  /** `stat` of a file or directory, links inside the directory followed. */
  stat(relative: string): fs.Stats {
    let fd: number;
    try {
      fd = this.openRead(relative);
    } catch (err) {
      if (errno(err) !== "EISDIR") throw err;
      fd = this.openDir(relative);
    }
    try {
      return fs.fstatSync(fd);
    } finally {
      closeQuietly(fd);
    }
  }

  /** `lstat` of an entry: a link is described, not followed (its directory is reached by the sandboxed walk). */
  lstat(relative: string): fs.Stats {
    const parts = this.split(relative);
    if (parts.length === 0) return this.stat("");
    const { fd } = this.walk(relative, { kind: "lstat" });
    try {
      return fs.lstatSync(PROC_FD ? `/proc/self/fd/${fd}/${parts[parts.length - 1]}` : path.join(this.realRoot(), ...parts));
    } finally {
      closeQuietly(fd);
    }
  }

  /** The size of a regular file, or undefined when it is missing or not a regular file. */
  fileSize(relative: string): number | undefined {
    try {
      const st = this.stat(relative);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  }

  /** The names in a directory. */
  readdir(relative: string): string[] {
    const fd = this.openDir(relative);
    try {
      return PROC_FD ? fs.readdirSync(`/proc/self/fd/${fd}`) : fs.readdirSync(path.join(this.realRoot(), ...this.split(relative)));
    } finally {
      closeQuietly(fd);
    }
  }

  /** The entries of a directory with their `lstat` (entries removed meanwhile are left out). */
  list(relative: string): { name: string; stats: fs.Stats }[] {
    const fd = this.openDir(relative);
    try {
      const dir = PROC_FD ? `/proc/self/fd/${fd}` : path.join(this.realRoot(), ...this.split(relative));
      const out: { name: string; stats: fs.Stats }[] = [];
      for (const name of fs.readdirSync(dir)) {
        try {
          out.push({ name, stats: fs.lstatSync(`${dir}/${name}`) });
        } catch {
          // removed meanwhile
        }
      }
      return out;
    } finally {
      closeQuietly(fd);
    }
  }

  /**
   * Creates a symbolic link `relative` → `target` (the link's text, not
   * checked here: the caller decides what a link may point at), its parent
   * directories created through the sandbox; an existing file or link of
   * that name is replaced, an existing directory is an error.
   */
  symlink(relative: string, target: string): void {
    const parts = this.split(relative);
    const name = parts.pop();
    if (name === undefined) throw Object.assign(new Error(`${JSON.stringify(relative)} is a directory`), { code: "EISDIR" });
    const parent = parts.join("/");
    if (parent) this.mkdirp(parent);
    const dirFd = this.openDir(parent);
    try {
      const at = `${PROC_FD ? `/proc/self/fd/${dirFd}` : path.join(this.realRoot(), ...parts)}/${name}`;
      let existing: fs.Stats | undefined;
      try {
        existing = fs.lstatSync(at);
      } catch (err) {
        if (errno(err) !== "ENOENT") throw err;
      }
      if (existing?.isDirectory()) throw Object.assign(new Error(`${JSON.stringify(relative)} is a directory`), { code: "EISDIR" });
      if (existing) fs.rmSync(at, { force: true });
      fs.symlinkSync(target, at);
    } finally {
      closeQuietly(dirFd);
    }
  }

  /** Changes the owner of any entry (-1 keeps one): a link itself is changed, never its target; its directory is reached by the sandboxed walk. */
  lchown(relative: string, uid: number, gid: number): void {
    const parts = this.split(relative);
    if (parts.length === 0) {
      const fd = this.openDir("");
      try {
        fs.fchownSync(fd, uid, gid);
      } finally {
        closeQuietly(fd);
      }
      return;
    }
    const { fd } = this.walk(relative, { kind: "lstat" });
    try {
      fs.lchownSync(PROC_FD ? `/proc/self/fd/${fd}/${parts[parts.length - 1]}` : path.join(this.realRoot(), ...parts), uid, gid);
    } finally {
      closeQuietly(fd);
    }
  }

  /** Removes a file (a link itself, never its target); a missing file is fine. */
  remove(relative: string): void {
    const parts = this.split(relative);
    if (parts.length === 0) return;
    let fd: number;
    try {
      fd = this.walk(relative, { kind: "lstat" }).fd;
    } catch (err) {
      if (errno(err) === "ENOENT") return;
      throw err;
    }
    try {
      fs.rmSync(PROC_FD ? `/proc/self/fd/${fd}/${parts[parts.length - 1]}` : path.join(this.realRoot(), ...parts), { force: true });
    } finally {
      closeQuietly(fd);
    }
  }
}
