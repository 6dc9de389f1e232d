/**
 * The task driver interface of drover's client, shaped after Nomad's
 * `plugins/drivers.DriverPlugin`: a driver fingerprints itself, starts a task
 * and hands back a serializable handle, waits for its exit, signals, stops
 * (signal, kill timeout, then force), inspects, destroys, and recovers a
 * task from its handle after an agent restart.
 *
 * Tasks are addressed by a task ID the client chooses (unique per run of a
 * task), as Nomad's client does.
 */
import { constants as osConstants } from "node:os";
import type { AllocatedPortMapping } from "../structs";

/** How a driver describes itself on a node (`drivers.Fingerprint`). */
export interface DriverFingerprint {
  /** Node attributes it sets, e.g. `driver.raw_exec: "1"`. Empty when not detected. */
  attributes: Record<string, string>;
  /** The driver is present on this node (Nomad's HealthStateUndetected is `false`). */
  detected: boolean;
  /** The driver can run tasks now. */
  healthy: boolean;
  /** Why (un)healthy, for people (`HealthDescription`), e.g. "Healthy" or "disabled". */
  description: string;
}

/** How a task ended (`drivers.ExitResult`). */
export interface ExitResult {
  /** Process exit code (0 = success). */
  exitCode: number;
  /** Signal number that ended it (0 = none). */
  signal: number;
  /** The task ran out of memory. */
  oomKilled?: boolean;
  /** A driver error message, if any (makes the exit a failure). */
  err?: string;
  /** The exit code could not be observed (a process reattached after an agent restart); reported as 0. */
  unknownExit?: boolean;
}

/** True for an exit Nomad counts as success (`ExitResult.Successful`). */
export function exitSuccessful(r: ExitResult): boolean {
  return r.exitCode === 0 && r.signal === 0 && !r.err;
}

/**
 * A start failure. `recoverable` lets the restart policy retry, as Nomad's
 * `structs.NewRecoverableError` does.
 */
export class DriverStartError extends Error {
  /** May be retried per the restart policy. */
  readonly recoverable: boolean;

  constructor(message: string, recoverable = false) {
    super(message);
    this.name = "DriverStartError";
    this.recoverable = recoverable;
  }
}

/** The two output streams of a task. */
export type TaskStream = "stdout" | "stderr";

/**
 * Where a task's output goes. Drivers that run real processes give them the
 * log files (`stdoutPath`/`stderrPath`); drivers that produce output
 * themselves (mock, docker logs) call `write`.
 */
export interface TaskLogSink {
  /** The stdout log file (`<alloc>/alloc/logs/<task>.stdout.0`), or null when output is kept in memory. */
  readonly stdoutPath: string | null;
  /** The stderr log file, or null when output is kept in memory. */
  readonly stderrPath: string | null;
  /** Appends output to a stream (files are created on the first write). */
  write(stream: TaskStream, data: string | Buffer): void;
  /**
   * Opens a stream's log file for appending without following links out of
   * the allocation directory (for drivers whose processes write the file
   * themselves); the caller closes the descriptor. Absent for output kept in
   * memory.
   */
  openForAppend?(stream: TaskStream): number;
}

/** The directories of a task (`allocdir.TaskDir`), absent for drivers that need none. */
export interface TaskDirs {
  /** The task's working directory (`<alloc>/<task>`). */
  dir: string;
  /** Shared allocation directory (`NOMAD_ALLOC_DIR`). */
  allocDir: string;
  /** `NOMAD_TASK_DIR` (`<task>/local`). */
  localDir: string;
  /** `NOMAD_SECRETS_DIR` (`<task>/secrets`). */
  secretsDir: string;
  /** `<task>/tmp`. */
  tmpDir: string;
}

/** A task as a driver receives it (`drivers.TaskConfig`), with config and env already interpolated. */
export interface TaskConfig {
  /** Unique ID of this run of the task (`<allocID>/<task>/<n>`). */
  id: string;
  /** Task name. */
  name: string;
  /** The allocation's ID. */
  allocID: string;
  /** The allocation's name (`job.group[index]`). */
  allocName: string;
  /** Job ID. */
  jobID: string;
  /** Task group name. */
  groupName: string;
  /** Namespace. */
  namespace: string;
  /** The task's driver config (`Task.Config`), interpolated. */
  config: Record<string, unknown>;
  /** The task's full environment (Nomad's variables plus the task's `env`). */
  env: Record<string, string>;
  /** The user to run as (`Task.User`), "" for the agent's user. */
  user: string;
  /** Task directories; null when the client builds none (mock tasks). */
  dirs: TaskDirs | null;
  /** Output. */
  logs: TaskLogSink;
  /** CPU (MHz) and memory (MiB) given to the task. */
  resources: { cpuMHz: number; memoryMB: number; memoryMaxMB: number };
  /** Ports of the allocation (host value and the `to` port). */
  ports: AllocatedPortMapping[];
  /** Records a "Driver" task event (e.g. "Downloading image"); optional for callers. */
  driverMessage?(message: string): void;
  /** Host volumes to mount (only for drivers with `capabilities.mounts`). */
  mounts?: TaskMount[];
}

/**
 * What a driver needs to find a task again after an agent restart
 * (`drivers.TaskHandle`); plain JSON so that the client can persist it.
 */
export interface TaskHandle {
  /** Handle format version. */
  version: 1;
  /** The driver that started the task. */
  driver: string;
  /** The task ID it was started with. */
  taskID: string;
  /** Unix milliseconds of the start. */
  startedAtMs: number;
  /** Driver-specific data (pid and process start time, container ID, ...). */
  state: Record<string, unknown>;
}

/** What `inspect` reports (`drivers.TaskStatus`). */
export interface TaskStatus {
  /** The task ID. */
  id: string;
  /** "running" or "exited". */
  state: "running" | "exited";
  /** Unix milliseconds of the start. */
  startedAtMs: number;
  /** Unix milliseconds of the exit, once exited. */
  completedAtMs?: number;
  /** The exit, once exited. */
  exitResult?: ExitResult;
  /** Driver details for people (pid, container ID, ...). */
  details: Record<string, string>;
}

/** What a driver can do. */
export interface DriverCapabilities {
  /** The client must build the task directory tree before start. */
  needsTaskDir: boolean;
  /** Tasks survive an agent restart and can be recovered from their handle. */
  recover: boolean;
  /** Default kill signal of the driver when the task sets none. */
  defaultKillSignal: string;
  /** The driver can mount host volumes into a task (Nomad's `MountConfigs`); default false. */
  mounts?: boolean;
}

/** A host volume mounted into a task (Nomad's `drivers.MountConfig`). */
export interface TaskMount {
  /** The host volume's name. */
  volume: string;
  /** Its path on the host. */
  hostPath: string;
  /** Where the task sees it. */
  taskPath: string;
  /** Mounted read-only (the volume, the request or the mount says so). */
  readOnly: boolean;
}

/** A task driver. */
export interface TaskDriver {
  /** The driver's name in job specs (`mock_driver`, `raw_exec`, `exec`, `docker`). */
  readonly name: string;
  /** What it can do. */
  readonly capabilities: DriverCapabilities;
  /** What the driver offers on this node. */
  fingerprint(): DriverFingerprint | Promise<DriverFingerprint>;
  /** Starts a task; rejects with `DriverStartError` (or any error: unrecoverable). */
  start(task: TaskConfig): Promise<TaskHandle>;
  /** Resolves once the task exits, with how it ended. */
  wait(taskID: string): Promise<ExitResult>;
  /**
   * Stops the task: sends `signal` (a name like "SIGINT"; "" = the driver's
   * default), waits up to `timeoutMs` for it to exit, then kills it by force.
   * Resolves once it is gone.
   */
  stop(taskID: string, timeoutMs: number, signal: string): Promise<void>;
  /** Sends a signal to a running task. */
  signal(taskID: string, signal: string): Promise<void>;
  /** The task's status, or undefined when the driver does not know it. */
  inspect(taskID: string): TaskStatus | undefined;
  /** Forgets a task (after its exit or stop); `force` kills it first if still running. */
  destroy(taskID: string, force: boolean): Promise<void>;
  /**
   * Finds a task again from its handle after an agent restart; afterwards
   * `wait`, `stop` and `signal` work on it. Rejects when the task is gone or
   * cannot be reattached.
   */
  recover(handle: TaskHandle, task: TaskConfig): Promise<void>;
  /**
   * Runs a command inside a running task (Nomad's `ExecTask`, used by
   * template `change_mode = "script"`): in the task's environment, working
   * directory and isolation, killed when `timeoutMs` runs out (its exit code
   * is then -1, as Go reports a killed process). Resolves with its exit code
   * and the last bytes of its combined output; rejects when the command
   * cannot be run at all. Absent when the driver cannot run commands in a
   * task (the caller says so).
   */
  exec?(taskID: string, command: readonly string[], timeoutMs: number): Promise<ExecTaskResult>;
  /** Releases the driver's own resources (connections) at agent shutdown; tasks are left alone. */
  close?(): Promise<void>;
}

/** What a command run inside a task gave (`drivers.ExecTaskResult`). */
export interface ExecTaskResult {
  /** Its exit code (-1 when it was killed, by the timeout or a signal). */
  exitCode: number;
  /** The last `EXEC_OUTPUT_MAX` bytes of its stdout and stderr, interleaved. */
  output: Buffer;
}

/** How much output of an exec is kept (Nomad's `drivers.CheckBufSize`, 4 KiB). */
export const EXEC_OUTPUT_MAX = 4 * 1024;

/** Keeps the last `EXEC_OUTPUT_MAX` bytes of a stream of chunks (Nomad's circular buffer). */
export class ExecOutput {
  private chunks: Buffer[] = [];
  private size = 0;

  /** Appends a chunk, dropping the oldest bytes beyond the limit. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= EXEC_OUTPUT_MAX) this.size -= this.chunks.shift()!.length;
  }

  /** The kept bytes. */
  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    return all.length > EXEC_OUTPUT_MAX ? all.subarray(all.length - EXEC_OUTPUT_MAX) : all;
  }
}

/** Signal names to numbers on this platform ("SIGINT" → 2); throws on an unknown name. */
export function signalNumber(name: string): number {
  const key = (name.toUpperCase().startsWith("SIG") ? name : `SIG${name}`).toUpperCase() as keyof typeof osConstants.signals;
  const n = osConstants.signals[key];
  if (typeof n !== "number") throw new Error(`unknown signal ${JSON.stringify(name)}`);
  return n;
}

/** A promise with its resolver, for drivers that learn of an exit from a callback. */
export interface Deferred<T> {
  /** The promise. */
  promise: Promise<T>;
  /** Settles it. */
  resolve(value: T): void;
}

/** Creates a deferred promise. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
