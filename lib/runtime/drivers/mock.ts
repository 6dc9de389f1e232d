/**
 * The mock driver (Nomad's `drivers/mock`, plugin name `mock_driver`): tasks
 * that only pretend to run, for simulation and tests, so that Nomad's own
 * test jobs run unchanged. Task config keys, as in Nomad: `run_for` (Go
 * duration; empty means exit at once), `exit_code`, `exit_signal`,
 * `exit_err_msg`, `start_error`, `start_error_recoverable`,
 * `start_block_for`, `kill_after`, `stdout_string`, `stdout_repeat`,
 * `stdout_repeat_duration`.
 *
 * A mock task costs a few timers and no files: its output goes to the
 * task's log sink only when it writes some.
 */
import { parseGoDuration } from "../../jobspec/duration";
import {
  deferred,
  DriverStartError,
  type Deferred,
  type DriverCapabilities,
  type DriverFingerprint,
  type ExecTaskResult,
  type ExitResult,
  type TaskConfig,
  type TaskDriver,
  type TaskHandle,
  type TaskStatus,
} from "./driver";
import { sleep } from "../../util/sleep";

/** Parses a Go duration ("1h2m3.5s", "250ms", "10us", "0") into milliseconds. Throws on a malformed value, naming `where`. */
export function goDurationMs(value: unknown, where: string): number {
  if (value === undefined || value === null || value === "") return 0;
  if (typeof value === "number") return value / 1_000_000;
  if (typeof value !== "string") throw new Error(`${where}: expected a duration string like "10s", got ${JSON.stringify(value)}`);
  try {
    return parseGoDuration(value) / 1_000_000;
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/** The parsed task config of a mock task. */
export interface MockTaskConfig {
  /** How long the task runs, ms (0 = exits at once). */
  runForMs: number;
  /** Exit code when it ends by itself. */
  exitCode: number;
  /** Exit signal when it ends by itself. */
  exitSignal: number;
  /** Error message of its exit. */
  exitErrMsg: string;
  /** Start fails with this message. */
  startError: string;
  /** The start error may be retried. */
  startErrorRecoverable: boolean;
  /** Start takes this long, ms. */
  startBlockForMs: number;
  /** After a stop request the task lingers this long, ms (capped by the kill timeout). */
  killAfterMs: number;
  /** Written to stdout at start. */
  stdoutString: string;
  /** How many more times `stdout_string` is written. */
  stdoutRepeat: number;
  /** Interval of those repeats, ms. */
  stdoutRepeatMs: number;
}

/** Reads a mock task's config; throws with the key name on a wrong type. */
export function parseMockConfig(config: Record<string, unknown>): MockTaskConfig {
  const num = (k: string): number => {
    const v = config[k];
    if (v === undefined || v === null) return 0;
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isFinite(n))
      throw new Error(`mock_driver config ${k}: expected a number, got ${JSON.stringify(v)}`);
    return n;
  };
  const text = (k: string): string => (config[k] === undefined || config[k] === null ? "" : String(config[k]));
  return {
    runForMs: goDurationMs(config.run_for, "mock_driver config run_for"),
    exitCode: num("exit_code"),
    exitSignal: num("exit_signal"),
    exitErrMsg: text("exit_err_msg"),
    startError: text("start_error"),
    startErrorRecoverable: config.start_error_recoverable === true || config.start_error_recoverable === "true",
    startBlockForMs: goDurationMs(config.start_block_for, "mock_driver config start_block_for"),
    killAfterMs: goDurationMs(config.kill_after, "mock_driver config kill_after"),
    stdoutString: text("stdout_string"),
    stdoutRepeat: num("stdout_repeat"),
    stdoutRepeatMs: goDurationMs(config.stdout_repeat_duration, "mock_driver config stdout_repeat_duration"),
  };
}

interface MockTask {
  name: string;
  cfg: MockTaskConfig;
  startedAtMs: number;
  exit: Deferred<ExitResult>;
  result?: ExitResult;
  completedAtMs?: number;
  timers: Set<NodeJS.Timeout>;
}

/** The mock driver. */
export class MockDriver implements TaskDriver {
  /** Nomad's plugin name. */
  readonly name = "mock_driver";
  /** No directories, nothing to recover. */
  readonly capabilities: DriverCapabilities = { needsTaskDir: false, recover: false, defaultKillSignal: "SIGINT", mounts: true };
  private readonly tasks = new Map<string, MockTask>();

  /** Always healthy; sets `driver.mock_driver = "true"`. */
  fingerprint(): DriverFingerprint {
    return { attributes: { "driver.mock_driver": "true" }, detected: true, healthy: true, description: "Healthy" };
  }

  /** Starts a pretend task. */
  async start(task: TaskConfig): Promise<TaskHandle> {
    let cfg: MockTaskConfig;
    try {
      cfg = parseMockConfig(task.config);
    } catch (err) {
      throw new DriverStartError((err as Error).message, false);
    }
    if (cfg.startBlockForMs > 0) await sleep(cfg.startBlockForMs);
    if (cfg.startError) throw new DriverStartError(cfg.startError, cfg.startErrorRecoverable);
    const t: MockTask = { name: task.name, cfg, startedAtMs: Date.now(), exit: deferred(), timers: new Set() };
    this.tasks.set(task.id, t);
    const later = (fn: () => void, ms: number) => {
      const timer = setTimeout(() => {
        t.timers.delete(timer);
        fn();
      }, ms);
      timer.unref?.();
      t.timers.add(timer);
    };
    if (cfg.stdoutString) {
      task.logs.write("stdout", cfg.stdoutString);
      let left = cfg.stdoutRepeat;
      const repeat = () => {
        if (left <= 0 || t.result) return;
        left--;
        task.logs.write("stdout", cfg.stdoutString);
        later(repeat, cfg.stdoutRepeatMs);
      };
      if (left > 0) later(repeat, cfg.stdoutRepeatMs);
    }
    const result: ExitResult = { exitCode: cfg.exitCode, signal: cfg.exitSignal };
    if (cfg.exitErrMsg) result.err = cfg.exitErrMsg;
    later(() => this.finish(t, result), cfg.runForMs);
    return { version: 1, driver: this.name, taskID: task.id, startedAtMs: t.startedAtMs, state: {} };
  }

  private finish(t: MockTask, result: ExitResult): void {
    if (t.result) return;
    for (const timer of t.timers) clearTimeout(timer);
    t.timers.clear();
    t.result = result;
    t.completedAtMs = Date.now();
    t.exit.resolve(result);
  }

  /** Resolves at the task's exit. */
  wait(taskID: string): Promise<ExitResult> {
    const t = this.tasks.get(taskID);
    if (!t) return Promise.reject(new Error(`mock_driver: unknown task ${taskID}`));
    return t.exit.promise;
  }

  /** Ends the task after `kill_after` (at most `timeoutMs`), as if it got the signal. */
  async stop(taskID: string, timeoutMs: number, signal: string): Promise<void> {
    const t = this.tasks.get(taskID);
    if (!t || t.result) return;
    for (const timer of t.timers) clearTimeout(timer);
    t.timers.clear();
    const lingerMs = Math.min(t.cfg.killAfterMs, timeoutMs > 0 ? timeoutMs : t.cfg.killAfterMs);
    if (lingerMs > 0) await sleep(lingerMs);
    this.finish(t, { exitCode: 0, signal: lingerMs < t.cfg.killAfterMs ? 9 : signalOrDefault(signal) });
  }

  /** Signals are accepted and ignored. */
  async signal(taskID: string): Promise<void> {
    if (!this.tasks.has(taskID)) throw new Error(`mock_driver: unknown task ${taskID}`);
  }

  /** A command "run" in a pretend task succeeds at once, its output naming it (as Nomad's mock driver answers `ExecTask`). */
  async exec(taskID: string, command: readonly string[]): Promise<ExecTaskResult> {
    const t = this.tasks.get(taskID);
    if (!t || t.result) throw new Error("task not found for given id");
    const quoted = `[${command.map((c) => JSON.stringify(c)).join(" ")}]`;
    return { exitCode: 0, output: Buffer.from(`Exec(${JSON.stringify(t.name)}, ${quoted})`) };
  }

  /** Status of a pretend task. */
  inspect(taskID: string): TaskStatus | undefined {
    const t = this.tasks.get(taskID);
    if (!t) return undefined;
    return {
      id: taskID,
      state: t.result ? "exited" : "running",
      startedAtMs: t.startedAtMs,
      completedAtMs: t.completedAtMs,
      exitResult: t.result,
      details: {},
    };
  }

  /** Forgets the task. */
  async destroy(taskID: string): Promise<void> {
    const t = this.tasks.get(taskID);
    if (!t) return;
    for (const timer of t.timers) clearTimeout(timer);
    this.tasks.delete(taskID);
  }

  /** Mock tasks never survive a restart. */
  async recover(handle: TaskHandle): Promise<void> {
    throw new Error(`mock_driver cannot recover task ${handle.taskID}`);
  }
}

function signalOrDefault(signal: string): number {
  if (signal === "SIGTERM") return 15;
  if (signal === "SIGKILL") return 9;
  return 2;
}
