/**
 * The alloc runner (Nomad's `client/allocrunner`): runs the tasks of one
 * allocation through their drivers, applies the restart policy, records task
 * states and events, derives the allocation's client status, and decides
 * its deployment health from the group's update block (task_states: every
 * task running for min_healthy_time).
 */
import type { AllocDeploymentStatus, Allocation, TaskState } from "../structs";
import { defaultRestartPolicy } from "../../jobspec/defaults";
import type { ClientAllocUpdate } from "../server/node-endpoint";
import type { ExitResult, TaskDriver, TaskHandle } from "./driver";
import { TaskEventTypes as E, formatDurationMs, taskEvent } from "./task-events";

/** Restart policy in milliseconds (`structs.RestartPolicy`). */
interface RestartPolicyMs {
  attempts: number;
  intervalMs: number;
  delayMs: number;
  mode: string;
}

interface TaskSpec {
  Name: string;
  Driver: string;
  Config?: Record<string, unknown> | null;
  Env?: Record<string, string> | null;
  KillTimeout?: number | null;
  RestartPolicy?: { Attempts?: number | null; Interval?: number | null; Delay?: number | null; Mode?: string | null } | null;
}

interface GroupSpec {
  Name: string;
  Tasks: TaskSpec[];
  RestartPolicy?: TaskSpec["RestartPolicy"];
  Update?: { HealthCheck?: string | null; MinHealthyTime?: number | null; HealthyDeadline?: number | null } | null;
}

const ZERO_TIME = "0001-01-01T00:00:00Z";

/** One task of an allocation. */
class TaskRunner {
  state: TaskState = { State: "pending", Failed: false, Restarts: 0, LastRestart: ZERO_TIME, StartedAt: null, FinishedAt: null, Events: [] };
  private handle: TaskHandle | null = null;
  private restartTimes: number[] = [];
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private killWaiters: (() => void)[] | null = null;

  constructor(
    private readonly runner: AllocRunner,
    readonly spec: TaskSpec,
    private readonly driver: TaskDriver | undefined,
    private readonly policy: RestartPolicyMs,
    private readonly batch: boolean,
  ) {}

  private event(type: string, display: string, extra: Parameters<typeof taskEvent>[3] = {}): void {
    this.state.Events.push(taskEvent(type, this.runner.nowNs(), display, extra));
    if (this.state.Events.length > 10) this.state.Events.shift();
  }

  begin(): void {
    this.event(E.received, "Task received by client");
    this.event(E.setup, "Building Task Directory", { Message: "Building Task Directory" });
    this.launch();
  }

  private launch(): void {
    if (this.stopping) return;
    if (!this.driver) {
      this.event(E.driverFailure, `failed to start task: driver "${this.spec.Driver}" is not available on this node`, { DriverError: `driver ${this.spec.Driver} not found`, FailsTask: true });
      this.finish(true);
      return;
    }
    this.handle = this.driver.start(
      { name: this.spec.Name, allocID: this.runner.alloc.ID, config: this.spec.Config ?? {}, env: this.spec.Env ?? {} },
      {
        started: () => {
          if (this.stopping) return;
          this.state.State = "running";
          this.state.StartedAt = new Date(this.runner.nowMs()).toISOString();
          this.event(E.started, "Task started by client");
          this.runner.changed();
        },
        startFailed: (message, recoverable) => {
          this.event(E.driverFailure, message, { DriverError: message });
          if (recoverable) this.maybeRestart(`Error was recoverable: ${message}`, true);
          else {
            this.event(E.notRestarting, "Error was unrecoverable", { RestartReason: "Error was unrecoverable", FailsTask: true });
            this.finish(true);
          }
        },
        exited: (r: ExitResult) => this.onExit(r),
      },
    );
  }

  private onExit(r: ExitResult): void {
    if (this.stopping) return;
    const display = `Exit Code: ${r.exitCode}${r.signal ? `, Signal: ${r.signal}` : ""}${r.err ? `, Exit Message: ${JSON.stringify(r.err)}` : ""}`;
    this.event(E.terminated, display, { ExitCode: r.exitCode, Signal: r.signal, Message: r.err ?? "" });
    const success = r.exitCode === 0 && r.signal === 0 && !r.err;
    if (success && this.batch) {
      this.finish(false);
      return;
    }
    this.maybeRestart(success ? "Restart unnecessary as task terminated successfully" : "Restart within policy", !success);
  }

  private maybeRestart(reason: string, failure: boolean): void {
    const now = this.runner.nowMs();
    this.restartTimes = this.restartTimes.filter((t) => now - t < this.policy.intervalMs);
    if (this.restartTimes.length >= this.policy.attempts) {
      const why =
        this.policy.mode === "fail"
          ? `Exceeded allowed attempts ${this.policy.attempts} in interval ${formatDurationMs(this.policy.intervalMs)} and mode is "fail"`
          : `Exceeded allowed attempts ${this.policy.attempts} in interval ${formatDurationMs(this.policy.intervalMs)}`;
      this.event(E.notRestarting, why, { RestartReason: why, FailsTask: true });
      this.finish(true);
      return;
    }
    this.restartTimes.push(now);
    this.state.State = "pending";
    this.event(E.restarting, `Task restarting in ${formatDurationMs(this.policy.delayMs)}`, { RestartReason: failure ? "Restart within policy" : reason, StartDelay: this.policy.delayMs * 1_000_000 });
    this.runner.changed();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.state.Restarts++;
      this.state.LastRestart = new Date(this.runner.nowMs()).toISOString();
      this.launch();
    }, this.policy.delayMs);
    this.restartTimer.unref?.();
  }

  private finish(failed: boolean): void {
    this.state.State = "dead";
    this.state.Failed = failed;
    this.state.FinishedAt = new Date(this.runner.nowMs()).toISOString();
    this.handle = null;
    this.runner.changed();
  }

  /** Kills the task (server-side stop). */
  kill(done: () => void): void {
    if (this.state.State === "dead") {
      this.stopping = true;
      if (this.restartTimer) clearTimeout(this.restartTimer);
      return done();
    }
    if (this.killWaiters) {
      this.killWaiters.push(done);
      return;
    }
    this.killWaiters = [done];
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const killTimeoutMs = (this.spec.KillTimeout ?? 5_000_000_000) / 1_000_000;
    this.event(E.killing, `Sent interrupt. Waiting ${formatDurationMs(killTimeoutMs)} before force killing`, { KillTimeout: killTimeoutMs * 1_000_000 });
    this.runner.changed();
    const handle = this.handle;
    const complete = () => {
      this.event(E.killed, "Task successfully killed");
      this.state.State = "dead";
      this.state.FinishedAt = new Date(this.runner.nowMs()).toISOString();
      this.handle = null;
      const waiters = this.killWaiters ?? [];
      this.killWaiters = null;
      for (const w of waiters) w();
    };
    if (handle) handle.stop(killTimeoutMs, complete);
    else complete();
  }

  destroy(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.handle?.destroy();
  }
}

/** Runs one allocation. */
export class AllocRunner {
  /** The allocation as last received from the server. */
  alloc: Allocation;
  private tasks: TaskRunner[] = [];
  private clientStatus: Allocation["ClientStatus"] = "pending";
  private deploymentStatus: AllocDeploymentStatus | null = null;
  private healthTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  /**
   * @param sink receives the client-owned fields whenever they change (the
   *   client batches them to the server).
   */
  constructor(
    alloc: Allocation,
    private readonly drivers: ReadonlyMap<string, TaskDriver>,
    private readonly sink: (update: ClientAllocUpdate) => void,
    private readonly clockMs: () => number = Date.now,
  ) {
    this.alloc = alloc;
  }

  /** Unix milliseconds. */
  nowMs(): number {
    return this.clockMs();
  }

  /** Unix nanoseconds. */
  nowNs(): number {
    return this.clockMs() * 1_000_000;
  }

  private group(): GroupSpec | undefined {
    return ((this.alloc.Job.TaskGroups ?? []) as unknown as GroupSpec[]).find((g) => g.Name === this.alloc.TaskGroup);
  }

  /** Starts every task. */
  run(): void {
    const tg = this.group();
    if (!tg) {
      this.clientStatus = "failed";
      this.emit(`task group "${this.alloc.TaskGroup}" not found in job`);
      return;
    }
    const batch = this.alloc.Job.Type === "batch" || this.alloc.Job.Type === "sysbatch";
    const def = defaultRestartPolicy(this.alloc.Job.Type);
    for (const spec of tg.Tasks) {
      const rp = spec.RestartPolicy ?? tg.RestartPolicy ?? {};
      const policy: RestartPolicyMs = {
        attempts: rp.Attempts ?? def.Attempts,
        intervalMs: (rp.Interval ?? def.Interval) / 1_000_000,
        delayMs: (rp.Delay ?? def.Delay) / 1_000_000,
        mode: rp.Mode ?? def.Mode,
      };
      this.tasks.push(new TaskRunner(this, spec, this.drivers.get(spec.Driver), policy, batch));
    }
    for (const t of this.tasks) t.begin();
    this.changed();
    this.startHealthyDeadline(tg);
  }

  /** Not healthy by the group's healthy deadline (Nomad default 5 min): unhealthy. */
  private startHealthyDeadline(tg: GroupSpec): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    if (!this.alloc.DeploymentID || tg.Update?.HealthCheck === "manual") return;
    const deadlineMs = (tg.Update?.HealthyDeadline ?? 300_000_000_000) / 1_000_000;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      if (this.stopped || this.deploymentStatus) return;
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      this.deploymentStatus = { Healthy: false, Timestamp: new Date(this.nowMs()).toISOString(), Canary: this.alloc.DeploymentStatus?.Canary ?? false, ModifyIndex: 0 };
      this.emit();
    }, deadlineMs);
    this.deadlineTimer.unref?.();
  }

  /** An in-place update from the server: keep running with the new job version. */
  update(alloc: Allocation): void {
    const joinedDeployment = !!alloc.DeploymentID && alloc.DeploymentID !== this.alloc.DeploymentID;
    this.alloc = alloc;
    if (joinedDeployment && !this.stopped) {
      // An in-place update moved the allocation into a new deployment: its
      // health there starts undecided and is watched again from now.
      this.deploymentStatus = null;
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      const tg = this.group();
      if (tg) this.startHealthyDeadline(tg);
      this.changed();
    }
  }

  /** @internal A task changed: recompute the alloc status and health, then report. */
  changed(): void {
    if (this.stopped) return;
    let failed = false;
    let running = false;
    let pending = false;
    let dead = false;
    for (const t of this.tasks) {
      if (t.state.State === "running") running = true;
      else if (t.state.State === "pending") pending = true;
      else if (t.state.Failed) failed = true;
      else dead = true;
    }
    this.clientStatus = failed ? "failed" : running ? "running" : pending ? "pending" : dead ? "complete" : "pending";
    if (failed && this.tasks.some((t) => t.state.State !== "dead")) {
      // A failed task fails the allocation: stop the others (Nomad kills the group's remaining tasks).
      for (const t of this.tasks) if (t.state.State !== "dead") t.kill(() => this.changed());
    }
    this.updateHealth();
    this.emit();
  }

  private updateHealth(): void {
    if (!this.alloc.DeploymentID || this.deploymentStatus?.Healthy !== undefined && this.deploymentStatus?.Healthy !== null) return;
    const update = this.group()?.Update;
    if (update?.HealthCheck === "manual") return;
    const setHealth = (healthy: boolean) => {
      if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
      this.deadlineTimer = null;
      this.deploymentStatus = { Healthy: healthy, Timestamp: new Date(this.nowMs()).toISOString(), Canary: this.alloc.DeploymentStatus?.Canary ?? false, ModifyIndex: 0 };
      this.emit();
    };
    if (this.clientStatus === "failed" || (this.tasks.some((t) => t.state.State === "dead") && this.clientStatus !== "running")) {
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      setHealth(false);
      return;
    }
    const allRunning = this.tasks.length > 0 && this.tasks.every((t) => t.state.State === "running");
    if (!allRunning) {
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      return;
    }
    if (this.healthTimer) return;
    const minHealthyMs = (update?.MinHealthyTime ?? 10_000_000_000) / 1_000_000;
    this.healthTimer = setTimeout(() => {
      this.healthTimer = null;
      if (!this.stopped && this.tasks.every((t) => t.state.State === "running")) setHealth(true);
    }, minHealthyMs);
    this.healthTimer.unref?.();
  }

  private emit(description?: string): void {
    const states: Record<string, TaskState> = {};
    for (const t of this.tasks) states[t.spec.Name] = { ...t.state, Events: [...t.state.Events] };
    this.sink({
      ID: this.alloc.ID,
      ClientStatus: this.clientStatus,
      ClientDescription: description ?? clientDescription(this.clientStatus),
      TaskStates: states,
      DeploymentStatus: this.deploymentStatus ?? this.alloc.DeploymentStatus,
    });
  }

  /** The server wants the allocation stopped: kill every task, then report it complete. */
  stop(): void {
    if (this.stopped) return;
    if (this.healthTimer) clearTimeout(this.healthTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    let remaining = this.tasks.length;
    const terminal = this.clientStatus === "complete" || this.clientStatus === "failed";
    const finish = () => {
      this.stopped = true;
      if (!terminal) this.clientStatus = "complete";
      this.emit(terminal ? undefined : "All tasks have completed");
    };
    if (remaining === 0) return finish();
    for (const t of this.tasks)
      t.kill(() => {
        remaining--;
        if (remaining === 0) finish();
        else this.emit();
      });
  }

  /** True once the allocation reached a terminal client status. */
  get terminal(): boolean {
    return this.clientStatus === "complete" || this.clientStatus === "failed" || this.clientStatus === "lost";
  }

  /** Drops every timer (client shutdown); reports nothing more. */
  destroy(): void {
    this.stopped = true;
    if (this.healthTimer) clearTimeout(this.healthTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    for (const t of this.tasks) t.destroy();
  }
}

function clientDescription(status: Allocation["ClientStatus"]): string {
  switch (status) {
    case "pending":
      return "No tasks have started";
    case "running":
      return "Tasks are running";
    case "complete":
      return "All tasks have completed";
    case "failed":
      return "Failed tasks";
    default:
      return "";
  }
}
