/**
 * The `exec` driver: raw_exec plus the isolation this host allows drover to
 * apply without Nomad's executor (libcontainer).
 *
 * What it does:
 * - new mount, UTS and IPC namespaces for the task (`unshare --mount --uts
 *   --ipc`, needs root), so mounts, hostname and System V IPC changes stay
 *   inside the task;
 * - a memory limit (the task's `memory`, or `memory_max` when set) through a
 *   cgroup v1 memory controller at `/sys/fs/cgroup/memory/drover/<task>`
 *   when it is writable; the process joins it before the command runs, and
 *   every process left in the cgroup is killed when the task ends;
 * - no core dumps (RLIMIT_CORE 0).
 *
 * What it does NOT isolate (unlike Nomad's exec): the file system (no
 * chroot: the task sees the host's files), the process table (no PID
 * namespace), the network (host network), users (the task runs as the
 * agent's user unless `user` is set: then `setpriv` drops to that user after
 * the namespaces are made), CPU (no cgroup CPU shares), devices.
 *
 * It is fingerprinted only on Linux, as root, with `unshare` working; else
 * undetected with the reason, and placement reports the driver missing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DriverStartError, type DriverFingerprint, type TaskConfig, type TaskHandle } from "./driver";
import { RawExecDriver, lookupUser, type ProcessRecord } from "./raw-exec";

/** Options of the exec driver. */
export interface ExecOptions {
  /** Offer the driver when the host allows it (default true, as Nomad). */
  enabled?: boolean;
  /** The cgroup v1 memory root (default /sys/fs/cgroup/memory). */
  memoryCgroupRoot?: string;
  /** The user a task that sets no `user` runs as; default "": the agent's own user (root). */
  defaultUser?: string;
}

/** What the host allows, found once. */
interface ExecSupport {
  ok: boolean;
  why: string;
  unshare: string;
  prlimit: string | null;
  setpriv: string | null;
  memoryCgroup: string | null;
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** The exec driver. */
export class ExecDriver extends RawExecDriver {
  /** Nomad's plugin name. */
  override readonly name: string = "exec";
  private support: ExecSupport | null = null;
  /** Joins the cgroup and the namespaces as root, then drops to `user` with setpriv. */
  protected override readonly dropsPrivilegesItself = true;
  private readonly cgroups = new Map<string, string>();

  constructor(private readonly execOptions: ExecOptions = {}) {
    super({ enabled: execOptions.enabled !== false, defaultUser: execOptions.defaultUser });
  }

  private detect(): ExecSupport {
    if (this.support) return this.support;
    const no = (why: string): ExecSupport =>
      (this.support = { ok: false, why, unshare: "", prlimit: null, setpriv: null, memoryCgroup: null });
    if (process.platform !== "linux") return no("exec needs Linux");
    if (process.getuid?.() !== 0) return no("exec needs the agent to run as root");
    const unshare = which("unshare");
    if (!unshare) return no("exec needs the unshare command (util-linux)");
    const probe = spawnSync(unshare, ["--mount", "--uts", "--ipc", "true"], { stdio: "ignore", timeout: 5000 });
    if (probe.status !== 0) return no("unshare cannot create namespaces on this host");
    const root = this.execOptions.memoryCgroupRoot ?? "/sys/fs/cgroup/memory";
    let memoryCgroup: string | null = null;
    try {
      const dir = path.join(root, "drover");
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
      if (fs.existsSync(path.join(dir, "memory.limit_in_bytes"))) memoryCgroup = dir;
    } catch {
      memoryCgroup = null;
    }
    return (this.support = { ok: true, why: "Healthy", unshare, prlimit: which("prlimit"), setpriv: which("setpriv"), memoryCgroup });
  }

  /** Detected only when enabled and the host allows the isolation above. */
  override fingerprint(): DriverFingerprint {
    if (!this.options.enabled) return { attributes: {}, detected: false, healthy: false, description: "disabled" };
    const s = this.detect();
    if (!s.ok) return { attributes: {}, detected: false, healthy: false, description: s.why };
    return {
      attributes: { "driver.exec": "1", "driver.exec.memory_limits": s.memoryCgroup ? "true" : "false" },
      detected: true,
      healthy: true,
      description: "Healthy",
    };
  }

  /**
   * `sh -c 'echo $$ > <cgroup>/cgroup.procs; exec prlimit --core=0 unshare ... -- cmd args'`:
   * the pid stays the task's pid through the execs.
   */
  protected override commandLine(task: TaskConfig, command: string, args: string[]): { file: string; argv: string[] } {
    const s = this.detect();
    let drop: string[] = [];
    if (task.user) {
      if (!s.setpriv)
        throw new DriverStartError(`exec: running as user ${JSON.stringify(task.user)} needs the setpriv command (util-linux)`);
      const ids = lookupUser(task.user);
      drop = [s.setpriv, `--reuid=${ids.uid}`, `--regid=${ids.gid}`, "--init-groups", "--"];
    }
    const inner = [...(s.prlimit ? [s.prlimit, "--core=0"] : []), s.unshare, "--mount", "--uts", "--ipc", "--", ...drop, command, ...args];
    let cgroup = "";
    if (s.memoryCgroup && task.resources.memoryMB > 0) {
      cgroup = path.join(s.memoryCgroup, task.id.replace(/[^A-Za-z0-9-]/g, "_"));
      try {
        fs.mkdirSync(cgroup, { recursive: true });
        const mb = task.resources.memoryMaxMB > 0 ? task.resources.memoryMaxMB : task.resources.memoryMB;
        fs.writeFileSync(path.join(cgroup, "memory.limit_in_bytes"), String(mb * 1024 * 1024));
        this.cgroups.set(task.id, cgroup);
      } catch {
        cgroup = "";
      }
    }
    const script = cgroup ? 'echo $$ > "$0/cgroup.procs" && exec "$@"' : 'exec "$@"';
    return { file: "/bin/sh", argv: ["-c", script, cgroup || "exec", ...inner] };
  }

  /**
   * A command run inside the task enters its mount, UTS and IPC namespaces
   * (`nsenter --target <pid>`), then drops to the task's user as the task
   * did.
   */
  protected override execCommandLine(rec: ProcessRecord, user: string, file: string, args: string[]): { file: string; argv: string[] } {
    const s = this.detect();
    const nsenter = which("nsenter");
    if (!nsenter) throw new Error("exec: running a command inside the task needs the nsenter command (util-linux)");
    let drop: string[] = [];
    if (user) {
      if (!s.setpriv) throw new Error(`exec: running as user ${JSON.stringify(user)} needs the setpriv command (util-linux)`);
      const ids = lookupUser(user);
      drop = [s.setpriv, `--reuid=${ids.uid}`, `--regid=${ids.gid}`, "--init-groups", "--"];
    }
    // Entering a mount namespace moves to its root: --wd keeps the task directory as the working directory.
    const wd = rec.task?.dirs ? [`--wd=${rec.task.dirs.dir}`] : [];
    return { file: nsenter, argv: [`--target=${rec.pid}`, "--mount", "--uts", "--ipc", ...wd, "--", ...drop, file, ...args] };
  }

  /** Removes the task's cgroup after its exit (killing what is left in it). */
  protected override afterSpawn(task: TaskConfig, rec: ProcessRecord): void {
    const cgroup = this.cgroups.get(task.id);
    if (cgroup) rec.cleanup = () => this.removeCgroup(task.id, cgroup);
  }

  /** Finds the cgroup of a reattached task again. */
  protected override afterRecover(handle: TaskHandle, rec: ProcessRecord): void {
    const s = this.detect();
    if (!s.memoryCgroup) return;
    const cgroup = path.join(s.memoryCgroup, handle.taskID.replace(/[^A-Za-z0-9-]/g, "_"));
    if (fs.existsSync(cgroup)) rec.cleanup = () => this.removeCgroup(handle.taskID, cgroup);
  }

  private removeCgroup(taskID: string, cgroup: string): void {
    this.cgroups.delete(taskID);
    try {
      for (const pid of fs.readFileSync(path.join(cgroup, "cgroup.procs"), "utf8").split("\n").filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // gone
        }
      }
    } catch {
      // no such cgroup
    }
    const tryRemove = (left: number) => {
      try {
        fs.rmdirSync(cgroup);
      } catch {
        if (left > 0) setTimeout(() => tryRemove(left - 1), 100).unref?.();
      }
    };
    tryRemove(20);
  }
}
