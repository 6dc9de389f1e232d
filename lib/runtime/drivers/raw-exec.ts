/**
 * The `raw_exec` driver (Nomad's `drivers/rawexec`): runs the task's
 * `command` with `args` as a child process of the agent, without isolation,
 * as the agent's user (or `user` when the agent runs as root).
 *
 * - The process starts in its own process group (its pid is the group ID),
 *   in the task directory, with the agent's environment plus the task's.
 * - stdout and stderr are appended to the task's log files directly (the
 *   child holds the files; the agent keeps no descriptors open).
 * - Stop sends the kill signal (default SIGINT, as Nomad) to the whole group,
 *   waits the kill timeout, then sends SIGKILL to the group. When the main
 *   process exits, whatever is left of its group is killed too.
 * - The handle holds the pid and the process start time (from
 *   `/proc/<pid>/stat`), so that after an agent restart the task is
 *   reattached only when that same process still runs. The exit code of a
 *   reattached process is not known to the new agent (it is not its parent):
 *   it is reported as 0 (`unknownExit`), and the task gets a Driver event
 *   that says so.
 *
 * Disabled unless enabled in the agent config (`--dev` enables it), as in Nomad.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { commandAsUser, giveSecretsDir, resolveTaskUser, switchNeeded, userEnv, type TaskUser } from "./task-user";
import {
  deferred,
  DriverStartError,
  ExecOutput,
  signalNumber,
  type Deferred,
  type ExecTaskResult,
  type DriverCapabilities,
  type DriverFingerprint,
  type ExitResult,
  type TaskConfig,
  type TaskDriver,
  type TaskHandle,
  type TaskStatus,
} from "./driver";
import { sleep } from "../../util/sleep";

/** Options of the raw_exec driver (`plugin "raw_exec" { config { ... } }`). */
export interface RawExecOptions {
  /** Run tasks at all (Nomad default false; `--dev` sets it). */
  enabled?: boolean;
  /** The user a task that sets no `user` runs as (honoured when the agent is root); default "": the agent's own user. */
  defaultUser?: string;
}

/** A process the driver runs or has reattached to. */
export interface ProcessRecord {
  pid: number;
  /** Start time in clock ticks since boot (`/proc/<pid>/stat` field 22), "" when unknown. */
  startTicks: string;
  startedAtMs: number;
  child: ChildProcess | null;
  exit: Deferred<ExitResult>;
  result?: ExitResult;
  completedAtMs?: number;
  poll?: NodeJS.Timeout;
  /** Cleanup run once after the exit (cgroups). */
  cleanup?: () => void;
  /** The task as started or reattached (for commands run inside it). */
  task?: TaskConfig;
}

/** The start time of a process in clock ticks since boot, or "" when it does not exist (or is a zombie). */
export function processStartTicks(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (rest[0] === "Z" || rest[0] === "X") return "";
    return rest[19] ?? "";
  } catch {
    return "";
  }
}

/** Sends a signal to a process group, ignoring "no such process". */
export function killGroup(pgid: number, signal: NodeJS.Signals | number): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** True while any process of the group exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** How a command run inside a task is spawned. */
export interface BoundedCommand {
  /** The program. */
  file: string;
  /** Its arguments. */
  argv: string[];
  /** Its working directory. */
  cwd: string;
  /** Its whole environment. */
  env: NodeJS.ProcessEnv;
  /** The user and group to run as, when the agent switches to them itself. */
  ids?: { uid: number; gid: number };
}

/**
 * Runs a command to its end, or kills its whole process group with SIGKILL
 * once `timeoutMs` ran out (Nomad's `ExecScript` with a deadline). Resolves
 * with the exit code (-1 for a process ended by a signal, as Go reports it)
 * and the last 4 KiB of its output; rejects when it cannot be started.
 */
export function runBounded(cmd: BoundedCommand, timeoutMs: number): Promise<ExecTaskResult> {
  return new Promise((resolve, reject) => {
    const output = new ExecOutput();
    let child: ChildProcess;
    try {
      child = spawn(cmd.file, cmd.argv, {
        cwd: cmd.cwd,
        env: cmd.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        ...(cmd.ids ? { uid: cmd.ids.uid, gid: cmd.ids.gid } : {}),
      });
    } catch (err) {
      reject(err as Error);
      return;
    }
    const timer = setTimeout(
      () => {
        if (child.pid) killGroup(child.pid, "SIGKILL");
      },
      Math.max(0, timeoutMs),
    );
    child.stdout?.on("data", (c: Buffer) => output.push(c));
    child.stderr?.on("data", (c: Buffer) => output.push(c));
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      // Whatever the command left behind in its group goes with it.
      if (child.pid) killGroup(child.pid, "SIGKILL");
      resolve({ exitCode: signal ? -1 : (code ?? -1), output: output.bytes() });
    });
  });
}

/** uid and gid of a local user from /etc/passwd, or an error naming the user. */
export function lookupUser(name: string): { uid: number; gid: number } {
  const passwd = fs.readFileSync("/etc/passwd", "utf8");
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f[0] === name) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error(`user ${JSON.stringify(name)} not found in /etc/passwd`);
}

/** The `command`/`args` config of raw_exec and exec, checked. */
export function parseCommandConfig(driver: string, config: Record<string, unknown>): { command: string; args: string[] } {
  const command = config.command;
  if (typeof command !== "string" || command === "") throw new DriverStartError(`${driver} config: "command" must be a non-empty string`);
  const args = config.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string" && typeof a !== "number" && typeof a !== "boolean"))
    throw new DriverStartError(`${driver} config: "args" must be a list of strings`);
  return { command, args: args.map(String) };
}

/** The raw_exec driver. */
export class RawExecDriver implements TaskDriver {
  /** Nomad's plugin name. */
  readonly name: string = "raw_exec";
  /** Real processes in the task directory; survive an agent restart. */
  readonly capabilities: DriverCapabilities = { needsTaskDir: true, recover: true, defaultKillSignal: "SIGINT" };
  /** Running and exited (not yet destroyed) processes by task ID. */
  protected readonly procs = new Map<string, ProcessRecord>();

  constructor(protected readonly options: RawExecOptions = {}) {}

  /** Detected only when enabled. */
  fingerprint(): DriverFingerprint | Promise<DriverFingerprint> {
    if (!this.options.enabled) return { attributes: {}, detected: false, healthy: false, description: "disabled" };
    if (process.platform === "win32")
      return { attributes: {}, detected: false, healthy: false, description: "not supported on Windows by drover" };
    return { attributes: { "driver.raw_exec": "1" }, detected: true, healthy: true, description: "Healthy" };
  }

  /** The command line to spawn (exec wraps it). */
  protected commandLine(task: TaskConfig, command: string, args: string[]): { file: string; argv: string[] } {
    return { file: command, argv: args };
  }

  /** The command line switches to `user` itself (exec), instead of spawning as that user. */
  protected readonly dropsPrivilegesItself: boolean = false;

  /** Hook after the spawn (exec puts the process in its cgroup). */
  protected afterSpawn(_task: TaskConfig, _rec: ProcessRecord): void {}

  /** Resolves a command as Nomad does: a path inside the task dir first, then as given (PATH lookup). */
  private resolveCommand(task: TaskConfig, command: string): string {
    if (!task.dirs || path.isAbsolute(command) || !command.includes("/")) {
      if (task.dirs && !path.isAbsolute(command)) {
        const local = path.join(task.dirs.dir, command);
        if (fs.existsSync(local)) return local;
      }
      return command;
    }
    return path.resolve(task.dirs.dir, command);
  }

  /** Starts the process. */
  async start(task: TaskConfig): Promise<TaskHandle> {
    if (!this.options.enabled) throw new DriverStartError(`${this.name} is disabled on this node`);
    const { command, args } = parseCommandConfig(this.name, task.config);
    if (!task.dirs || !task.logs.stdoutPath || !task.logs.stderrPath)
      throw new DriverStartError(`${this.name} needs a task directory and log files`);
    // The task's user (or the agent's default task user): switched to when the agent is root, refused when it cannot be.
    const userName = task.user || this.options.defaultUser || "";
    let user: TaskUser | undefined;
    let drop = false;
    let asUser: TaskConfig = task;
    if (userName) {
      try {
        user = resolveTaskUser(userName);
        drop = switchNeeded(user);
      } catch (err) {
        throw new DriverStartError(`failed to start task: ${(err as Error).message}`);
      }
      asUser = { ...task, user: drop ? user.name : "" };
    }
    if (user && drop) {
      try {
        giveSecretsDir(task.dirs.secretsDir, user);
      } catch (err) {
        throw new DriverStartError(
          `failed to start task: cannot give the secrets directory to user ${JSON.stringify(user.name)}: ${(err as Error).message}`,
        );
      }
    }
    let { file, argv } = this.commandLine(asUser, this.resolveCommand(task, command), args);
    let ids: { uid: number; gid: number } | undefined;
    if (user && drop && !this.dropsPrivilegesItself) {
      try {
        ({ file, argv, ids } = commandAsUser(user, file, argv));
      } catch (err) {
        throw new DriverStartError(`failed to start task: ${(err as Error).message}`);
      }
    }
    let out: number;
    let err: number;
    if (task.logs.openForAppend) {
      // Through the allocation directory's sandbox: a log file a task replaced with a link is not followed out.
      try {
        out = task.logs.openForAppend("stdout");
      } catch (e) {
        throw new DriverStartError(`failed to open the task's stdout log file: ${(e as Error).message}`);
      }
      try {
        err = task.logs.openForAppend("stderr");
      } catch (e) {
        fs.closeSync(out);
        throw new DriverStartError(`failed to open the task's stderr log file: ${(e as Error).message}`);
      }
    } else {
      fs.mkdirSync(path.dirname(task.logs.stdoutPath), { recursive: true });
      out = fs.openSync(task.logs.stdoutPath, "a");
      err = fs.openSync(task.logs.stderrPath, "a");
    }
    let child: ChildProcess;
    try {
      child = spawn(file, argv, {
        cwd: task.dirs.dir,
        env: { ...process.env, ...task.env, ...(user ? userEnv(user) : {}) },
        detached: true,
        stdio: ["ignore", out, err],
        ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
      });
    } catch (e) {
      throw new DriverStartError(`failed to launch command with executor: ${(e as Error).message}`);
    } finally {
      fs.closeSync(out);
      fs.closeSync(err);
    }
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (e) => reject(new DriverStartError(`failed to launch command with executor: ${e.message}`)));
    });
    const pid = child.pid!;
    const rec: ProcessRecord = { pid, startTicks: processStartTicks(pid), startedAtMs: Date.now(), child, exit: deferred(), task };
    this.procs.set(task.id, rec);
    this.afterSpawn(task, rec);
    child.once("exit", (code, signal) => {
      const sig = signal ? signalNumber(signal) : 0;
      this.exited(rec, { exitCode: sig ? 128 + sig : (code ?? 0), signal: sig });
    });
    child.unref();
    return {
      version: 1,
      driver: this.name,
      taskID: task.id,
      startedAtMs: rec.startedAtMs,
      state: { pid, pgid: pid, startTicks: rec.startTicks },
    };
  }

  private exited(rec: ProcessRecord, result: ExitResult): void {
    if (rec.result) return;
    if (rec.poll) clearInterval(rec.poll);
    // Whatever is left of the task's process group goes with it.
    killGroup(rec.pid, "SIGKILL");
    rec.result = result;
    rec.completedAtMs = Date.now();
    rec.cleanup?.();
    rec.exit.resolve(result);
  }

  /** Resolves at the process's exit. */
  wait(taskID: string): Promise<ExitResult> {
    const rec = this.procs.get(taskID);
    if (!rec) return Promise.reject(new Error(`${this.name}: unknown task ${taskID}`));
    return rec.exit.promise;
  }

  /** Kill signal to the group, kill timeout, then SIGKILL to the group. */
  async stop(taskID: string, timeoutMs: number, signal: string): Promise<void> {
    const rec = this.procs.get(taskID);
    if (!rec || rec.result) return;
    let sig: number;
    try {
      sig = signalNumber(signal || this.capabilities.defaultKillSignal);
    } catch (err) {
      throw new Error(`${this.name}: ${(err as Error).message}`);
    }
    killGroup(rec.pid, sig);
    const timedOut = await Promise.race([rec.exit.promise.then(() => false), sleep(Math.max(0, timeoutMs)).then(() => true)]);
    if (timedOut) {
      killGroup(rec.pid, "SIGKILL");
      await Promise.race([rec.exit.promise, sleep(5000)]);
    }
  }

  /** Sends a signal to the task's process group. */
  async signal(taskID: string, signal: string): Promise<void> {
    const rec = this.procs.get(taskID);
    if (!rec || rec.result) throw new Error(`${this.name}: task ${taskID} is not running`);
    killGroup(rec.pid, signalNumber(signal));
  }

  /** pid and state of the task. */
  inspect(taskID: string): TaskStatus | undefined {
    const rec = this.procs.get(taskID);
    if (!rec) return undefined;
    return {
      id: taskID,
      state: rec.result ? "exited" : "running",
      startedAtMs: rec.startedAtMs,
      completedAtMs: rec.completedAtMs,
      exitResult: rec.result,
      details: { pid: String(rec.pid) },
    };
  }

  /** Forgets the task; with `force`, kills its group first. */
  async destroy(taskID: string, force: boolean): Promise<void> {
    const rec = this.procs.get(taskID);
    if (!rec) return;
    if (!rec.result && force) {
      killGroup(rec.pid, "SIGKILL");
      await Promise.race([rec.exit.promise, sleep(5000)]);
    }
    if (rec.poll) clearInterval(rec.poll);
    this.procs.delete(taskID);
  }

  /**
   * Reattaches to a process started by an earlier agent: the pid must exist
   * with the same start time. Its exit is noticed by polling `/proc`.
   */
  async recover(handle: TaskHandle, task: TaskConfig): Promise<void> {
    if (this.procs.has(handle.taskID)) return;
    const pid = Number(handle.state.pid);
    const ticks = String(handle.state.startTicks ?? "");
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${this.name}: the saved handle has no pid`);
    const now = processStartTicks(pid);
    if (!now) throw new Error(`process ${pid} is gone`);
    if (ticks && now !== ticks) throw new Error(`process ${pid} is another process now (start time ${now}, expected ${ticks})`);
    const rec: ProcessRecord = { pid, startTicks: now, startedAtMs: handle.startedAtMs, child: null, exit: deferred(), task };
    this.procs.set(handle.taskID, rec);
    this.afterRecover(handle, rec);
    rec.poll = setInterval(() => {
      if (processStartTicks(pid) !== now) this.exited(rec, { exitCode: 0, signal: 0, unknownExit: true });
    }, 200);
    rec.poll.unref?.();
  }

  /**
   * Runs a command inside the running task (Nomad's executor `Exec`): in the
   * task directory, with the task's environment, as the task's user, bounded
   * by `timeoutMs`. The command is looked up as the task's own is (a path
   * inside the task directory, else `PATH`).
   */
  async exec(taskID: string, command: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    if (command.length === 0) throw new Error("error cmd must have at least one value");
    const rec = this.procs.get(taskID);
    const task = rec?.task;
    if (!rec || rec.result || !task?.dirs) throw new Error("task not found for given id");
    const userName = task.user || this.options.defaultUser || "";
    let user: TaskUser | undefined;
    let drop = false;
    if (userName) {
      user = resolveTaskUser(userName);
      drop = switchNeeded(user);
    }
    let { file, argv } = this.execCommandLine(rec, drop && user ? user.name : "", this.resolveCommand(task, command[0]), command.slice(1));
    let ids: { uid: number; gid: number } | undefined;
    if (user && drop && !this.dropsPrivilegesItself) ({ file, argv, ids } = commandAsUser(user, file, argv));
    const env = { ...process.env, ...task.env, ...(user ? userEnv(user) : {}) };
    return runBounded({ file, argv, cwd: task.dirs.dir, env, ids }, timeoutMs);
  }

  /** The command line of a command run inside a task (exec enters the task's namespaces). */
  protected execCommandLine(_rec: ProcessRecord, _user: string, file: string, args: string[]): { file: string; argv: string[] } {
    return { file, argv: args };
  }

  /** Hook after a reattach (exec restores its cgroup cleanup). */
  protected afterRecover(_handle: TaskHandle, _rec: ProcessRecord): void {}
}
