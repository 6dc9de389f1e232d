/**
 * The mock driver (Nomad's `drivers/mock`, plugin name `mock_driver`): tasks
 * that only pretend to run, for simulation and tests. Task config keys, as
 * in Nomad: `run_for` (Go duration; empty means exit at once), `exit_code`,
 * `exit_signal`, `exit_err_msg`, `start_error`, `start_error_recoverable`,
 * `start_block_for`, `kill_after`, `stdout_string`.
 */
import { parseGoDuration } from "../../jobspec/duration";
import type { DriverFingerprint, DriverTask, ExitResult, TaskDriver, TaskDriverEvents, TaskHandle } from "./driver";

/** Parses a Go duration ("1h2m3.5s", "250ms", "10us", "0") into milliseconds. Throws on a malformed value. */
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
  runForMs: number;
  exitCode: number;
  exitSignal: number;
  exitErrMsg: string;
  startError: string;
  startErrorRecoverable: boolean;
  startBlockForMs: number;
  killAfterMs: number;
  stdoutString: string;
}

/** Reads a mock task's config; throws with the key name on a wrong type. */
export function parseMockConfig(config: Record<string, unknown>): MockTaskConfig {
  const num = (k: string): number => {
    const v = config[k];
    if (v === undefined || v === null) return 0;
    const n = typeof v === "string" ? Number(v) : v;
    if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`mock_driver config ${k}: expected a number, got ${JSON.stringify(v)}`);
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
  };
}

/** The mock driver. */
export class MockDriver implements TaskDriver {
  /** Nomad's plugin name. */
  readonly name = "mock_driver";

  /** Always healthy; sets `driver.mock_driver = "true"`. */
  fingerprint(): DriverFingerprint {
    return { attributes: { "driver.mock_driver": "true" }, healthy: true, description: "Healthy" };
  }

  /** Starts a pretend task. */
  start(task: DriverTask, events: TaskDriverEvents): TaskHandle {
    let cfg: MockTaskConfig;
    const timers = new Set<NodeJS.Timeout>();
    const later = (fn: () => void, ms: number) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      t.unref?.();
      timers.add(t);
    };
    let finished = false;
    try {
      cfg = parseMockConfig(task.config);
    } catch (err) {
      later(() => events.startFailed((err as Error).message, false), 0);
      return { stop: (_ms, done) => done({ exitCode: 0, signal: 0 }), destroy: () => {} };
    }
    const clear = () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    };
    later(() => {
      if (cfg.startError) {
        finished = true;
        events.startFailed(cfg.startError, cfg.startErrorRecoverable);
        return;
      }
      events.started();
      if (cfg.stdoutString && events.stdout) events.stdout(cfg.stdoutString);
      later(() => {
        if (finished) return;
        finished = true;
        const result: ExitResult = { exitCode: cfg.exitCode, signal: cfg.exitSignal };
        if (cfg.exitErrMsg) result.err = cfg.exitErrMsg;
        events.exited(result);
      }, cfg.runForMs);
    }, cfg.startBlockForMs);
    return {
      stop: (killTimeoutMs, done) => {
        if (finished) return done({ exitCode: 0, signal: 0 });
        finished = true;
        clear();
        later(() => done({ exitCode: 0, signal: 15 }), Math.min(cfg.killAfterMs, killTimeoutMs || cfg.killAfterMs));
      },
      destroy: () => {
        finished = true;
        clear();
      },
    };
  }
}
