/**
 * The task runner (Nomad's `client/allocrunner/taskrunner`): runs one task
 * of an allocation through its driver, applies the restart policy, and
 * keeps the task's state and events (Nomad's types and display messages).
 * The alloc runner decides when a task may start (lifecycle stages) and
 * when it must die.
 */
import type { TaskEvent, TaskState } from "../structs";
import {
  DriverStartError,
  exitSuccessful,
  type ExecTaskResult,
  type ExitResult,
  type TaskConfig,
  type TaskDriver,
  type TaskHandle,
} from "../drivers/driver";
import { RestartReasons, RestartTracker, goDuration, type RestartPolicyMs } from "./restart-tracker";
import { TaskEventTypes as E, taskEvent } from "./task-events";

/** A task's lifecycle block (`structs.TaskLifecycleConfig`); hook "" for a main task. */
export interface TaskLifecycle {
  hook: "" | "prestart" | "poststart" | "poststop";
  sidecar: boolean;
}

/** The task fields the runners read. */
export interface TaskSpec {
  Name: string;
  Driver: string;
  User?: string | null;
  Config?: Record<string, unknown> | null;
  Env?: Record<string, string> | null;
  Meta?: Record<string, string> | null;
  KillTimeout?: number | null;
  KillSignal?: string | null;
  Leader?: boolean | null;
  Lifecycle?: { Hook?: string | null; Sidecar?: boolean | null } | null;
  RestartPolicy?: { Attempts?: number | null; Interval?: number | null; Delay?: number | null; Mode?: string | null } | null;
  Templates?: unknown[] | null;
  Artifacts?: unknown[] | null;
  VolumeMounts?: { Volume?: string | null; Destination?: string | null; ReadOnly?: boolean | null }[] | null;
  DispatchPayload?: { File?: string | null } | null;
  LogConfig?: { MaxFiles?: number | null; MaxFileSizeMB?: number | null } | null;
}

/** What a task runner needs from its alloc runner. */
export interface TaskRunnerHost {
  /** Unix milliseconds. */
  nowMs(): number;
  /** A task's state changed. */
  changed(): void;
  /**
   * Builds the driver's view of the task for run `n` (dirs, env, templates);
   * throws a setup error. `reattach` is true for a task that kept running
   * through an agent restart (its artifacts are not fetched again).
   */
  prepare(spec: TaskSpec, n: number, reattach?: boolean): Promise<TaskConfig>;
  /** Remembers (or forgets, with null) the handle of a running task, for reattach after a restart. */
  persist(task: string, handle: TaskHandle | null): void;
  /** Resolves after the next change of what templates read (variables, services), or when the allocation stops. */
  waitForTemplateChange(): Promise<void>;
  /** The task started (Nomad's poststart hooks: change scripts that run on the first render); optional. */
  started?(task: string): void;
}

const ZERO_TIME = "0001-01-01T00:00:00Z";
/** Nomad keeps the last 10 events of a task. */
const MAX_EVENTS = 10;

/** One task of an allocation. */
export class TaskRunner {
  /** The state reported to the server. */
  state: TaskState = {
    State: "pending",
    Failed: false,
    Restarts: 0,
    LastRestart: ZERO_TIME,
    StartedAt: null,
    FinishedAt: null,
    Events: [],
  };
  /** The lifecycle stage. */
  readonly lifecycle: TaskLifecycle;
  /** Set once the alloc runner let the task start (or it was restored). */
  begun = false;
  /** The task was killed (by the alloc runner), not ended by itself. */
  killed = false;
  private taskID: string | null = null;
  private runCount = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private launching: Promise<void> | null = null;
  private killing: Promise<void> | null = null;
  private readonly tracker: RestartTracker;
  private deadWaiters: (() => void)[] = [];
  /** The reason of a user-requested restart in progress (the task is being stopped to start again), else null. */
  private restartReason: string | null = null;
  /** A user-requested restart waits for the alloc runner to begin the task again (in lifecycle order), rather than starting at once. */
  private restartWaitsForStage = false;
  /** Set while a task restarted with the whole allocation has not started again: later stages wait for it. */
  awaitingStart = false;

  constructor(
    private readonly host: TaskRunnerHost,
    readonly spec: TaskSpec,
    private readonly driver: TaskDriver | undefined,
    policy: RestartPolicyMs,
    jobType: string,
  ) {
    const hook = spec.Lifecycle?.Hook ?? "";
    this.lifecycle = {
      hook: hook === "prestart" || hook === "poststart" || hook === "poststop" ? hook : "",
      sidecar: spec.Lifecycle?.Sidecar === true,
    };
    this.tracker = new RestartTracker(policy, RestartTracker.restartsOnSuccess(jobType, this.lifecycle.hook, this.lifecycle.sidecar), () =>
      host.nowMs(),
    );
  }

  /** The task's name. */
  get name(): string {
    return this.spec.Name;
  }

  /** True once dead. */
  get dead(): boolean {
    return this.state.State === "dead";
  }

  /** The driver's ID of the current run, if any. */
  get currentTaskID(): string | null {
    return this.taskID;
  }

  /** The driver (undefined when the node lacks it). */
  get taskDriver(): TaskDriver | undefined {
    return this.driver;
  }

  /** Records an event (the newest ten are kept). */
  event(type: string, display: string, extra: Partial<TaskEvent> = {}): void {
    this.state.Events.push(taskEvent(type, this.host.nowMs() * 1_000_000, display, extra));
    if (this.state.Events.length > MAX_EVENTS) this.state.Events.shift();
  }

  /** Marks the task received (the alloc runner calls it for every task at once). */
  received(): void {
    this.event(E.received, "Task received by client");
  }

  /** Starts the task (the alloc runner decided its stage may run). */
  begin(): void {
    if (this.begun || this.dead) return;
    this.begun = true;
    // A task restarted with its allocation has its directory already.
    if (!this.awaitingStart) this.event(E.setup, "Building Task Directory", { Message: "Building Task Directory" });
    this.launch();
  }

  /**
   * Resumes a task from a state saved before an agent restart: reattaches
   * to its handle when the driver can, else records the failure and starts
   * it again (counted as a restart).
   */
  restore(saved: TaskState, handle: TaskHandle | null): void {
    this.state = { ...saved, Events: [...(saved.Events ?? [])] };
    this.begun = true;
    if (saved.State === "dead") return;
    if (!handle || !this.driver) {
      this.relaunchAfterRestore("no handle of the running task was saved");
      return;
    }
    this.launching = (async () => {
      try {
        const cfg = await this.host.prepare(this.spec, this.runCount, true);
        await this.driver!.recover(handle, cfg);
        this.taskID = handle.taskID;
        this.state.State = "running";
        this.host.changed();
        this.watch(handle.taskID);
      } catch (err) {
        this.relaunchAfterRestore((err as Error).message);
      }
    })().finally(() => (this.launching = null));
  }

  private relaunchAfterRestore(why: string): void {
    this.event(E.restoreFailed, `failed to restore task: ${why}; restarting it`, { Message: why });
    this.host.persist(this.name, null);
    this.state.State = "pending";
    this.state.Restarts++;
    this.state.LastRestart = new Date(this.host.nowMs()).toISOString();
    this.host.changed();
    this.launch();
  }

  private launch(): void {
    if (this.stopping) return;
    if (!this.driver) {
      const msg = `failed to start task: driver "${this.spec.Driver}" is not available on this node`;
      this.event(E.driverFailure, msg, { DriverError: msg, FailsTask: true });
      this.finish(true);
      return;
    }
    const driver = this.driver;
    const n = this.runCount++;
    this.launching = (async () => {
      let cfg: TaskConfig;
      // Nomad's template hook: while what its templates read is missing, the task waits with a "Missing: …" event, and starts once it exists.
      for (;;) {
        let failure: unknown = null;
        try {
          cfg = await this.host.prepare(this.spec, n);
          break;
        } catch (err) {
          failure = err;
        }
        const msg = (failure as Error).message;
        if ((failure as { missing?: boolean }).missing === true) {
          if (this.state.Events[this.state.Events.length - 1]?.DisplayMessage !== msg) {
            this.event(E.template, msg);
            this.host.changed();
          }
          await this.host.waitForTemplateChange();
          if (this.stopping) return;
          continue;
        }
        const err = failure;
        const artifact = (err as { artifact?: boolean }).artifact === true;
        if ((err as { template?: boolean }).template === true) {
          // Nomad's template hook kills the task with "Template failed: ..." and fails it.
          this.event(E.killing, `Template failed: ${msg}`, { KillReason: `Template failed: ${msg}`, FailsTask: true });
          this.finish(true);
          return;
        }
        this.event(
          artifact ? E.artifactFailed : E.setupFailure,
          msg,
          artifact ? { Message: msg, DownloadError: msg } : { SetupError: msg },
        );
        // A failed download is recoverable, as in Nomad: the restart policy decides.
        this.afterFailure({ startError: { recoverable: artifact } });
        return;
      }
      if (this.stopping) return;
      cfg.driverMessage = (message) => {
        this.event(E.driverMessage, message, { DriverMessage: message });
        this.host.changed();
      };
      let handle: TaskHandle;
      try {
        handle = await driver.start(cfg);
      } catch (err) {
        const msg = (err as Error).message;
        const recoverable = err instanceof DriverStartError && err.recoverable;
        this.event(E.driverFailure, msg, { DriverError: msg });
        this.afterFailure({ startError: { recoverable } });
        return;
      }
      this.taskID = handle.taskID;
      if (driver.capabilities.recover) this.host.persist(this.name, handle);
      this.state.State = "running";
      this.state.StartedAt = new Date(this.host.nowMs()).toISOString();
      this.awaitingStart = false;
      this.event(E.started, "Task started by client");
      this.host.changed();
      if (this.stopping) return; // kill() waits for launching, then stops the handle
      this.watch(handle.taskID);
      this.host.started?.(this.name);
    })().finally(() => (this.launching = null));
  }

  private watch(taskID: string): void {
    const driver = this.driver!;
    driver.wait(taskID).then(
      (r) => this.onExit(taskID, r),
      (err: Error) => this.onExit(taskID, { exitCode: 0, signal: 0, err: `wait failed: ${err.message}` }),
    );
  }

  private onExit(taskID: string, r: ExitResult): void {
    if (this.stopping || taskID !== this.taskID) return;
    this.taskID = null;
    void this.driver!.destroy(taskID, false);
    if (this.driver!.capabilities.recover) this.host.persist(this.name, null);
    const parts = [`Exit Code: ${r.exitCode}`];
    if (r.signal) parts.push(`Signal: ${r.signal}`);
    if (r.err) parts.push(`Exit Message: ${JSON.stringify(r.err)}`);
    if (r.unknownExit) {
      const msg = "the exit code of a process reattached after an agent restart cannot be observed; reported as 0";
      this.event(E.driverMessage, msg, { DriverMessage: msg });
    }
    this.event(E.terminated, parts.join(", "), { ExitCode: r.exitCode, Signal: r.signal, Message: r.err ?? "" });
    if (this.restartReason !== null) {
      // A user-requested restart: at once, not counted against the restart policy.
      const reason = this.restartReason;
      this.restartReason = null;
      this.state.State = "pending";
      this.event(E.restarting, "Task restarting in 0s", { RestartReason: reason, StartDelay: 0 });
      this.state.Restarts++;
      this.state.LastRestart = new Date(this.host.nowMs()).toISOString();
      if (this.restartWaitsForStage) {
        // Restarted with the whole allocation: the alloc runner begins it again when its stage may run.
        this.restartWaitsForStage = false;
        this.begun = false;
        this.awaitingStart = true;
        this.host.changed();
        return;
      }
      this.host.changed();
      this.launch();
      return;
    }
    this.afterFailure({ success: exitSuccessful(r) });
  }

  /**
   * Restarts the running task now (`nomad alloc restart`): "Restart
   * Signaled", the driver stops it (kill signal, kill timeout), and it starts
   * again without counting against the restart policy.
   */
  async restart(reason = "User requested task to restart", options: { waitForStage?: boolean } = {}): Promise<void> {
    const taskID = this.taskID;
    if (this.stopping || this.state.State !== "running" || !taskID || !this.driver) throw new Error(`Task not running: ${this.name}`);
    this.restartReason = reason;
    this.restartWaitsForStage = options.waitForStage === true;
    this.event(E.restartSignal, reason, { RestartReason: reason });
    this.host.changed();
    const killTimeoutMs = (this.spec.KillTimeout ?? 5_000_000_000) / 1_000_000;
    await this.driver.stop(taskID, killTimeoutMs, this.spec.KillSignal || this.driver.capabilities.defaultKillSignal);
  }

  /**
   * Runs a task that has completed successfully again, with the whole
   * allocation (Nomad's `ForceRestart` under `RestartAll`): "Restart
   * Signaled", then the alloc runner begins it when its lifecycle stage may
   * run. A task that failed, or is not dead, is left as it is.
   */
  rerun(reason: string): void {
    if (this.stopping || !this.dead || this.state.Failed) return;
    this.event(E.restartSignal, reason, { RestartReason: reason });
    this.event(E.restarting, "Task restarting in 0s", { RestartReason: reason, StartDelay: 0 });
    this.state.State = "pending";
    this.state.Restarts++;
    this.state.LastRestart = new Date(this.host.nowMs()).toISOString();
    this.begun = false;
    this.killed = false;
    this.awaitingStart = true;
    this.host.changed();
  }

  /** Records an event of the template hook (a re-render that failed or waits for missing data). */
  note(message: string, type: string = E.template): void {
    this.event(type, message);
    this.host.changed();
  }

  /**
   * Runs a command inside the running task through its driver (Nomad's
   * `TaskRunner.Exec`), bounded by `timeoutMs`. Rejects with "Task not
   * running" when there is no running task, and with the driver's refusal
   * when it cannot run commands in a task.
   */
  async exec(timeoutMs: number, command: readonly string[]): Promise<ExecTaskResult> {
    const taskID = this.taskID;
    if (this.stopping || this.state.State !== "running" || !taskID || !this.driver) throw new Error("Task not running");
    if (!this.driver.exec) throw new Error(`${this.driver.name} driver can't execute commands`);
    return this.driver.exec(taskID, command, timeoutMs);
  }

  /** Sends a signal to the running task (`nomad alloc signal`), with a "Signaling" event. */
  async signal(signal: string, reason = "User requested signal"): Promise<void> {
    const taskID = this.taskID;
    if (this.stopping || this.state.State !== "running" || !taskID || !this.driver) throw new Error(`Task not running: ${this.name}`);
    this.event(E.signaling, `Task being sent signal ${signal}: ${reason}`, { Details: { signal } });
    this.host.changed();
    await this.driver.signal(taskID, signal);
  }

  /** The pid of the running task's main process, when its driver runs one on this host. */
  get pid(): number | undefined {
    if (!this.taskID || !this.driver) return undefined;
    const p = Number(this.driver.inspect(this.taskID)?.details.pid);
    return Number.isInteger(p) && p > 0 ? p : undefined;
  }

  private afterFailure(outcome: Parameters<RestartTracker["decide"]>[0]): void {
    const d = this.tracker.decide(outcome);
    if (d.kind === "done") {
      this.finish(false);
      return;
    }
    if (d.kind === "fail") {
      this.event(E.notRestarting, d.reason, { RestartReason: d.reason, FailsTask: true });
      this.finish(true);
      return;
    }
    this.state.State = "pending";
    const wait = `Task restarting in ${goDuration(d.delayMs)}`;
    this.event(E.restarting, d.reason === RestartReasons.withinPolicy ? wait : `${d.reason} - ${wait}`, {
      RestartReason: d.reason,
      StartDelay: Math.round(d.delayMs * 1_000_000),
    });
    this.host.changed();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.state.Restarts++;
      this.state.LastRestart = new Date(this.host.nowMs()).toISOString();
      this.launch();
    }, d.delayMs);
    this.restartTimer.unref?.();
  }

  private finish(failed: boolean): void {
    if (this.dead) return;
    this.state.State = "dead";
    this.state.Failed = failed;
    this.state.FinishedAt = new Date(this.host.nowMs()).toISOString();
    this.taskID = null;
    this.host.changed();
    const waiters = this.deadWaiters;
    this.deadWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once the task is dead. */
  whenDead(): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((r) => this.deadWaiters.push(r));
  }

  /**
   * Kills the task: `reason` is recorded first (e.g. "Sibling Task Failed"),
   * then Killing (kill signal, kill timeout, then force) and Killed. A task
   * that never started is just marked dead. A reason with `FailsTask` leaves
   * the task failed.
   */
  kill(reason?: { type: string; display: string; extra?: Partial<TaskEvent> }): Promise<void> {
    if (this.killing) return this.killing;
    if (this.dead) {
      this.stopping = true;
      return Promise.resolve();
    }
    this.stopping = true;
    this.killed = true;
    // A kill whose reason fails the task (a change script with fail_on_error) leaves it failed, as Nomad's `Kill` does.
    const fails = reason?.extra?.FailsTask === true;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
    if (reason) this.event(reason.type, reason.display, reason.extra);
    this.killing = (async () => {
      if (this.launching) await this.launching;
      const taskID = this.taskID;
      if (!taskID || !this.driver) {
        if (this.begun) this.event(E.killed, "Task successfully killed");
        this.finish(fails);
        return;
      }
      const killTimeoutMs = (this.spec.KillTimeout ?? 5_000_000_000) / 1_000_000;
      const signal = this.spec.KillSignal || this.driver.capabilities.defaultKillSignal;
      this.event(E.killing, `Sent interrupt. Waiting ${goDuration(killTimeoutMs)} before force killing`, {
        KillTimeout: killTimeoutMs * 1_000_000,
      });
      this.host.changed();
      let killError = "";
      try {
        await this.driver.stop(taskID, killTimeoutMs, signal);
      } catch (err) {
        killError = (err as Error).message;
      }
      await this.driver.destroy(taskID, true).catch(() => {});
      if (this.driver.capabilities.recover) this.host.persist(this.name, null);
      this.event(E.killed, killError || "Task successfully killed", killError ? { KillError: killError } : {});
      this.finish(fails);
    })();
    return this.killing;
  }

  /** Drops timers without stopping the task (agent shutdown with a data dir: the task keeps running for reattach). */
  detach(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  /** Forgets the task at agent shutdown, killing it by force when it cannot be reattached later. */
  async abandon(keepRunning: boolean): Promise<void> {
    this.detach();
    if (this.launching) await this.launching.catch(() => {});
    const taskID = this.taskID;
    if (!taskID || !this.driver) return;
    if (keepRunning && this.driver.capabilities.recover) return;
    await this.driver.destroy(taskID, true).catch(() => {});
  }
}
