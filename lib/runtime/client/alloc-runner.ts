/**
 * The alloc runner (Nomad's `client/allocrunner`): runs the tasks of one
 * allocation through task runners in their lifecycle stages, derives the
 * allocation's client status, and decides its deployment health from the
 * group's update block (task_states: every task running for
 * min_healthy_time).
 *
 * Lifecycle, as Nomad's task coordinator: prestart tasks first (main tasks
 * wait until ephemeral prestart tasks have completed successfully and
 * prestart sidecars run), then main tasks, poststart tasks once every main
 * task has started, and poststop tasks once every other task is dead. When
 * the main tasks are dead (or the leader is), the sidecars are killed; a
 * failed task kills its siblings ("Sibling Task Failed").
 */
import * as os from "node:os";
import * as path from "node:path";
import * as fs from "node:fs";
import type { AllocDeploymentStatus, Allocation, StoredTaskGroup, TaskState } from "../structs";
import { allocSuffix, findJobGroup, groupTasks } from "../structs";
import { defaultRestartPolicy } from "../../jobspec/defaults";
import type { ClientAllocUpdate } from "../server/node-endpoint";
import type { TaskConfig, TaskDriver, TaskHandle } from "../drivers/driver";
import { AllocDirLayout } from "./alloc-dir";
import type { RestartPolicyMs } from "./restart-tracker";
import { TaskEventTypes as E } from "./task-events";
import { buildTaskEnv, interpolateConfig, type TaskEnvNode } from "./task-env";
import { fetchArtifact, DEFAULT_ARTIFACT_LIMITS, type ArtifactLimits, type ArtifactSpec } from "./artifact";
import {
  buildTaskDir,
  renderTemplates,
  writeDispatchPayload,
  writeTemplateOutput,
  type ChangeScriptSpec,
  type TemplateSpec,
} from "./task-dir";
import { MissingDependencyError, type TemplateReads, type TemplateSources } from "./template/funcs";
import type { TaskDirs, TaskMount } from "../drivers/driver";
import { DEFAULT_LOG_ROTATION, FileLogSink, MemoryLogSink } from "./task-logs";
import { TaskRunner, type TaskRunnerHost, type TaskSpec } from "./task-runner";

/** What an alloc runner saves for reattach after an agent restart (`<clientDir>/state/<allocID>.json`). */
export interface SavedAllocState {
  /** Per task: its state and, while it runs, the driver handle. */
  tasks: Record<string, { state: TaskState; handle: TaskHandle | null }>;
}

/** Options of an alloc runner. */
export interface AllocRunnerOptions {
  /** Clock, unix ms. */
  clockMs?: () => number;
  /** The node's client directory (`<data-dir>/client`, or a temp dir); created on first use. */
  clientDir?: () => string;
  /** The client keeps state across restarts (data dir): save handles for reattach. */
  persistent?: boolean;
  /** Mock output in memory instead of files (default: when no `clientDir` is given). */
  memoryLogs?: boolean;
  /** The node the allocation runs on (for `${node.*}`, `${attr.*}`, `${meta.*}`). */
  node?: () => TaskEnvNode | null;
  /** Region, for NOMAD_REGION. */
  region?: string;
  /**
   * Whether the allocation's service checks pass (for `health_check =
   * "checks"`, Nomad's default); without it only task states decide health.
   */
  checksHealthy?: (alloc: Allocation) => boolean;
  /** Where templates read Nomad Variables and services (the client's view of the server); without it templates that read them fail. */
  templateSources?: TemplateSources;
  /** Size and time limits of artifact downloads (Nomad's `client.artifact`; its defaults when unset). */
  artifactLimits?: ArtifactLimits;
  /** The host volumes of the allocation's node (Nomad's `Node.HostVolumes`). */
  hostVolumes?: () => Record<string, { Path: string; ReadOnly: boolean }> | null;
}

/** What a task's templates need to be rendered again when what they read changes. */
interface TemplateWatch {
  task: string;
  templates: TemplateSpec[];
  env: Record<string, string>;
  nodeValues: Record<string, string>;
  dirs: TaskDirs;
  reads: TemplateReads;
  /** The pending re-render (Nomad's wait quiescence), if any. */
  timer: NodeJS.Timeout | null;
  /** When the first change of the pending re-render arrived (for wait.max). */
  firstChangeMs: number;
  /** A change arrived while the task was starting: render again once it runs. */
  pendingRerender?: boolean;
}

/** A change script's default timeout, ns (Nomad's `api.ChangeScript` default, 5s). */
export const DEFAULT_CHANGE_SCRIPT_TIMEOUT_NS = 5e9;

/** Nomad's client default of a template's quiescence (`client.template.wait`: min 5s, max 4m). */
export const DEFAULT_TEMPLATE_WAIT_MS = { min: 5_000, max: 240_000 };

let fallbackClientDir: string | null = null;
function defaultClientDir(): string {
  if (!fallbackClientDir) fallbackClientDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-client-"));
  return fallbackClientDir;
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
  private stopping = false;
  private killingAll = false;
  private readonly memoryLogs = new Map<string, MemoryLogSink>();
  private readonly opts: Required<Omit<AllocRunnerOptions, "node" | "checksHealthy" | "templateSources" | "hostVolumes">> & {
    hostVolumes: () => Record<string, { Path: string; ReadOnly: boolean }> | null;
    node: () => TaskEnvNode | null;
    checksHealthy: ((alloc: Allocation) => boolean) | null;
    templateSources: TemplateSources | null;
  };
  private readonly templateWatches = new Map<string, TemplateWatch>();
  /** Artifacts each task has fetched (by position and content), not fetched again when the task restarts. */
  private readonly artifactsFetched = new Map<string, Set<string>>();
  /** Tasks whose first-render change scripts ran (once per task, as Nomad's template manager keeps them across restarts). */
  private readonly firstRenderScriptsRan = new Set<string>();
  private unsubscribeTemplates: (() => void) | null = null;
  private templateWaiters: (() => void)[] = [];
  private layoutCache: AllocDirLayout | null = null;
  private saved: SavedAllocState = { tasks: {} };
  private stopWaiters: (() => void)[] = [];
  private stateFileWritten = false;

  /**
   * @param sink receives the client-owned fields whenever they change (the
   *   client batches them to the server).
   * @param options a clock function (older form) or options
   */
  constructor(
    alloc: Allocation,
    private readonly drivers: ReadonlyMap<string, TaskDriver>,
    private readonly sink: (update: ClientAllocUpdate) => void,
    options: AllocRunnerOptions | (() => number) = {},
  ) {
    this.alloc = alloc;
    const o = typeof options === "function" ? { clockMs: options } : options;
    this.opts = {
      clockMs: o.clockMs ?? Date.now,
      clientDir: o.clientDir ?? defaultClientDir,
      persistent: o.persistent ?? false,
      memoryLogs: o.memoryLogs ?? o.clientDir === undefined,
      node: o.node ?? (() => null),
      region: o.region ?? "global",
      checksHealthy: o.checksHealthy ?? null,
      templateSources: o.templateSources ?? null,
      hostVolumes: o.hostVolumes ?? (() => null),
      artifactLimits: o.artifactLimits ?? DEFAULT_ARTIFACT_LIMITS,
    };
  }

  /** Unix milliseconds. */
  nowMs(): number {
    return this.opts.clockMs();
  }

  /** The allocation's directory layout. */
  get layout(): AllocDirLayout {
    if (!this.layoutCache) this.layoutCache = new AllocDirLayout(this.opts.clientDir(), this.alloc.ID);
    return this.layoutCache;
  }

  /** True once the allocation's directory may exist on disk. */
  get hasAllocDir(): boolean {
    return this.layoutCache !== null;
  }

  /** In-memory output of a task (clients without a data dir), or undefined. */
  memoryLog(task: string): MemoryLogSink | undefined {
    return this.memoryLogs.get(task);
  }

  /** The task runners (read-only use: states, driver task IDs). */
  get taskRunners(): readonly TaskRunner[] {
    return this.tasks;
  }

  private group(): StoredTaskGroup | undefined {
    return findJobGroup(this.alloc.Job, this.alloc.TaskGroup);
  }

  private statePath(): string {
    return path.join(this.opts.clientDir(), "state", `${this.alloc.ID}.json`);
  }

  /** Reads the state saved by a previous agent process, if any. */
  private loadSaved(): SavedAllocState | null {
    if (!this.opts.persistent) return null;
    // Most allocations are new and have no state file: test for it without the cost of a thrown ENOENT.
    const file = this.statePath();
    if (!fs.statSync(file, { throwIfNoEntry: false })) return null;
    try {
      const saved = JSON.parse(fs.readFileSync(file, "utf8")) as SavedAllocState;
      this.stateFileWritten = true;
      return saved;
    } catch {
      return null;
    }
  }

  private save(): void {
    if (!this.opts.persistent) return;
    const tasks: SavedAllocState["tasks"] = {};
    let any = false;
    for (const t of this.tasks) {
      const handle = this.saved.tasks[t.name]?.handle ?? null;
      tasks[t.name] = { state: t.state, handle };
      if (handle) any = true;
    }
    this.saved = { tasks };
    const file = this.statePath();
    try {
      if (!any && !this.stateFileWritten) return;
      if (!any && this.tasks.every((t) => t.dead)) {
        fs.rmSync(file, { force: true });
        this.stateFileWritten = false;
        return;
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file + ".tmp", JSON.stringify(this.saved));
      fs.renameSync(file + ".tmp", file);
      this.stateFileWritten = true;
    } catch {
      // Best effort: a lost state file means the task is restarted instead of reattached.
    }
  }

  private host(): TaskRunnerHost {
    return {
      nowMs: () => this.nowMs(),
      changed: () => this.changed(),
      prepare: (spec, n, reattach) => this.prepare(spec, n, reattach === true),
      started: (task) => this.taskStarted(task),
      waitForTemplateChange: () =>
        new Promise<void>((resolve) => {
          if (this.stopped || this.stopping || !this.opts.templateSources) return resolve();
          this.templateWaiters.push(resolve);
          this.subscribeTemplates();
        }),
      persist: (task, handle) => {
        const entry = this.saved.tasks[task] ?? { state: this.tasks.find((t) => t.name === task)!.state, handle: null };
        entry.handle = handle;
        this.saved.tasks[task] = entry;
        this.save();
      },
    };
  }

  /** Builds a task's directories, environment, templates and config for one run. */
  private async prepare(spec: TaskSpec, n: number, reattach = false): Promise<TaskConfig> {
    const tg = this.group()!;
    const driver = this.drivers.get(spec.Driver)!;
    const mounts = this.hostVolumeMounts(spec, tg, driver.name, driver.capabilities.mounts === true);
    const templates = (spec.Templates ?? []) as TemplateSpec[];
    const job = this.alloc.Job;
    const payloadFile = spec.DispatchPayload?.File;
    const artifacts = (spec.Artifacts ?? []) as ArtifactSpec[];
    const needDirs = driver.capabilities.needsTaskDir || templates.length > 0 || artifacts.length > 0 || (!!payloadFile && !!job.Payload);
    const layout = needDirs || !this.opts.memoryLogs ? this.layout : null;
    const dirs = needDirs && layout ? buildTaskDir(layout, spec.Name) : null;
    const inContainer = driver.name === "docker";
    const envDirs = dirs
      ? inContainer
        ? { allocDir: "/alloc", localDir: "/local", secretsDir: "/secrets" }
        : { allocDir: dirs.allocDir, localDir: dirs.localDir, secretsDir: dirs.secretsDir }
      : null;
    // A simulated task that runs nothing and interpolates nothing needs no environment (keeps 10,000 mock tasks cheap).
    const simple = !driver.capabilities.needsTaskDir && !dirs && !hasInterpolation(spec.Config);
    const node = simple ? null : this.opts.node();
    const base = { alloc: this.alloc, group: tg, task: spec, node, region: this.opts.region, dirs: envDirs };
    let built = simple ? { env: {}, nodeValues: {} } : buildTaskEnv(base);
    if (dirs && layout) {
      if (payloadFile && job.Payload) writeDispatchPayload(layout, dirs, payloadFile, job.Payload);
      // Nomad's artifact hook runs before the template hook: templates may read what artifacts brought.
      // An artifact fetched by an earlier run of the task is not fetched again (the hook's saved state in Nomad).
      let done = this.artifactsFetched.get(spec.Name);
      if (!done) this.artifactsFetched.set(spec.Name, (done = new Set()));
      const keyed = artifacts.map((a, i) => ({ a, key: `${i}:${JSON.stringify(a)}` }));
      // A task reattached after an agent restart fetched its artifacts before it started.
      if (reattach) for (const { key } of keyed) done.add(key);
      const pending = keyed.filter(({ key }) => !done.has(key));
      if (pending.length > 0) this.tasks.find((t) => t.name === spec.Name)?.note("Client is downloading artifacts", E.downloadingArtifacts);
      for (const { a, key } of pending) {
        try {
          await fetchArtifact(a, dirs.dir, layout.root, this.opts.artifactLimits, { user: spec.User ?? "" });
          done.add(key);
        } catch (err) {
          throw Object.assign(new Error(`failed to download artifact ${JSON.stringify(a.GetterSource ?? "")}: ${(err as Error).message}`), {
            artifact: true,
          });
        }
      }
      if (templates.length > 0) {
        const env = built.env;
        const rendered = this.renderTaskTemplates(spec.Name, templates, env, built.nodeValues, dirs);
        if (Object.keys(rendered.env).length > 0) built = buildTaskEnv({ ...base, templateEnv: rendered.env });
        this.templateWatches.set(spec.Name, {
          task: spec.Name,
          templates,
          env,
          nodeValues: built.nodeValues,
          dirs,
          reads: rendered.reads,
          timer: null,
          firstChangeMs: 0,
        });
        if (rendered.reads.variables || rendered.reads.services) this.subscribeTemplates();
      }
    }
    let logs;
    if (layout) {
      const lc = spec.LogConfig;
      const rotation = {
        maxFiles: Math.max(1, lc?.MaxFiles ?? DEFAULT_LOG_ROTATION.maxFiles),
        maxFileBytes: Math.max(1, lc?.MaxFileSizeMB ?? 10) * 1024 * 1024,
      };
      logs = new FileLogSink(layout.logFile(spec.Name, "stdout"), layout.logFile(spec.Name, "stderr"), rotation);
    } else {
      logs = this.memoryLogs.get(spec.Name) ?? new MemoryLogSink();
      this.memoryLogs.set(spec.Name, logs);
    }
    const res = this.alloc.AllocatedResources?.Tasks?.[spec.Name];
    return {
      id: `${this.alloc.ID}/${spec.Name}/${n}-${this.nowMs().toString(36)}`,
      name: spec.Name,
      allocID: this.alloc.ID,
      allocName: this.alloc.Name,
      jobID: this.alloc.JobID,
      groupName: tg.Name,
      namespace: this.alloc.Namespace,
      config: simple ? (spec.Config ?? {}) : interpolateConfig(spec.Config ?? {}, built.env, built.nodeValues),
      env: built.env,
      user: spec.User ?? "",
      dirs,
      logs,
      resources: { cpuMHz: res?.Cpu?.CpuShares ?? 0, memoryMB: res?.Memory?.MemoryMB ?? 0, memoryMaxMB: res?.Memory?.MemoryMaxMB ?? 0 },
      ports: this.alloc.AllocatedResources?.Shared?.Ports ?? [],
      mounts,
    };
  }

  /**
   * The host volumes a task's `volume_mount` blocks ask for (Nomad's volume
   * hook): each names a `volume` of the group whose source the node must
   * have, and the driver must support mounts. Throws a setup error saying
   * which is missing.
   */
  private hostVolumeMounts(spec: TaskSpec, tg: StoredTaskGroup, driverName: string, driverMounts: boolean): TaskMount[] {
    const wanted = spec.VolumeMounts ?? [];
    if (wanted.length === 0) return [];
    const requests = ((
      tg as {
        Volumes?: Record<
          string,
          { Type?: string | null; Source?: string | null; ReadOnly?: boolean | null; PerAlloc?: boolean | null }
        > | null;
      }
    ).Volumes ?? {}) as Record<
      string,
      { Type?: string | null; Source?: string | null; ReadOnly?: boolean | null; PerAlloc?: boolean | null }
    >;
    const onNode = this.opts.hostVolumes() ?? {};
    const mounts: TaskMount[] = [];
    const missing: string[] = [];
    for (const m of wanted) {
      const req = requests[m.Volume ?? ""];
      if (!req)
        throw new Error(`volume_mount of task "${spec.Name}" names volume ${JSON.stringify(m.Volume)}, which the group does not declare`);
      if ((req.Type || "host") !== "host")
        throw new Error(`volume ${JSON.stringify(m.Volume)}: CSI volumes are not available on this agent`);
      // "[<index>]" of the allocation's name, as the scheduler looked for it.
      const suffix = allocSuffix(this.alloc.Name);
      const source = req.PerAlloc ? `${req.Source ?? ""}${suffix}` : (req.Source ?? "");
      const hv = onNode[source];
      if (!hv) {
        missing.push(`missing ${source}`);
        continue;
      }
      mounts.push({
        volume: source,
        hostPath: hv.Path,
        taskPath: m.Destination ?? "",
        readOnly: hv.ReadOnly || req.ReadOnly === true || m.ReadOnly === true,
      });
    }
    if (missing.length) throw new Error(`host volume validation error: ${missing.join(", ")}`);
    if (mounts.length > 0 && !driverMounts)
      throw new Error(`task driver ${JSON.stringify(driverName)} for ${JSON.stringify(spec.Name)} does not support host volumes`);
    return mounts;
  }

  /**
   * Renders a task's templates and writes them (through
   * `writeTemplateOutput`); returns what they read and their env. A missing
   * variable throws with `missing` set, any other failure with `template`.
   */
  private renderTaskTemplates(
    task: string,
    templates: TemplateSpec[],
    env: Record<string, string>,
    nodeValues: Record<string, string>,
    dirs: TaskDirs,
  ) {
    const tg = this.group()!;
    const identity = {
      namespace: this.alloc.Namespace,
      region: this.opts.region,
      job: this.alloc.Job.ParentID || this.alloc.JobID,
      group: tg.Name,
      task,
    };
    try {
      const rendered = renderTemplates(this.layout, dirs, templates, env, nodeValues, identity, this.opts.templateSources ?? undefined);
      for (const f of rendered.files) writeTemplateOutput(f);
      return rendered;
    } catch (err) {
      if (err instanceof MissingDependencyError) throw Object.assign(err, { missing: true });
      throw Object.assign(err as Error, { template: true });
    }
  }

  /** Follows changes of variables and services while some template reads them. */
  private subscribeTemplates(): void {
    if (this.unsubscribeTemplates || !this.opts.templateSources) return;
    this.unsubscribeTemplates = this.opts.templateSources.onChange((what) => this.templateSourcesChanged(what));
  }

  private unsubscribeTemplateSources(): void {
    this.unsubscribeTemplates?.();
    this.unsubscribeTemplates = null;
    for (const w of this.templateWatches.values()) if (w.timer) clearTimeout(w.timer);
    for (const r of this.templateWaiters.splice(0)) r();
  }

  private templateSourcesChanged(what: { variables: boolean; services: boolean }): void {
    if (this.stopped || this.stopping) return;
    for (const r of this.templateWaiters.splice(0)) r();
    for (const w of this.templateWatches.values()) {
      if (!((what.variables && w.reads.variables) || (what.services && w.reads.services))) continue;
      // Nomad's wait block: render once changes have been quiet for `min`, but no later than `max` after the first one
      // (a template without one gets the client's default, Nomad's 5s and 4m).
      const minMs = Math.max(0, ...w.templates.map((t) => (t.Wait ? (t.Wait.Min ?? 0) / 1e6 : DEFAULT_TEMPLATE_WAIT_MS.min)));
      const maxMs = Math.max(0, ...w.templates.map((t) => (t.Wait ? (t.Wait.Max ?? 0) / 1e6 : DEFAULT_TEMPLATE_WAIT_MS.max)));
      const now = this.nowMs();
      if (!w.timer) w.firstChangeMs = now;
      else clearTimeout(w.timer);
      const delay = maxMs > 0 ? Math.min(minMs, Math.max(0, w.firstChangeMs + maxMs - now)) : minMs;
      w.timer = setTimeout(() => {
        w.timer = null;
        this.rerender(w);
      }, delay);
      w.timer.unref?.();
    }
  }

  /** Renders a task's templates again; when a file changed, honours its change_mode (after a random splay). */
  private rerender(w: TemplateWatch): void {
    const runner = this.tasks.find((t) => t.name === w.task);
    if (!runner || this.stopped || this.stopping || runner.dead) return;
    if (runner.state.State !== "running") {
      // Still starting (its templates were rendered before the change): render again once it runs, so the change is not lost.
      w.pendingRerender = true;
      return;
    }
    w.pendingRerender = false;
    const identity = {
      namespace: this.alloc.Namespace,
      region: this.opts.region,
      job: this.alloc.Job.ParentID || this.alloc.JobID,
      group: this.group()!.Name,
      task: w.task,
    };
    let changed: TemplateSpec[];
    try {
      const rendered = renderTemplates(
        this.layout,
        w.dirs,
        w.templates.filter((t) => !t.Once),
        w.env,
        w.nodeValues,
        identity,
        this.opts.templateSources ?? undefined,
      );
      w.reads = { variables: w.reads.variables || rendered.reads.variables, services: w.reads.services || rendered.reads.services };
      changed = rendered.files.filter((f) => writeTemplateOutput(f)).map((f) => f.spec);
    } catch (err) {
      // Nomad keeps the last rendering while a dependency is missing; a render error is reported as an event.
      if (!(err instanceof MissingDependencyError)) runner.note(`Template failed to re-render: ${(err as Error).message}`);
      else runner.note(err.message);
      return;
    }
    if (changed.length === 0) return;
    const restart = changed.some((t) => (t.ChangeMode || "restart") === "restart");
    const signals = [...new Set(changed.filter((t) => t.ChangeMode === "signal").map((t) => t.ChangeSignal || "SIGHUP"))];
    const scripts = changed.filter((t) => t.ChangeMode === "script" && t.ChangeScript).map((t) => t.ChangeScript as ChangeScriptSpec);
    const splayMs = Math.max(0, ...changed.map((t) => (t.Splay ?? 0) / 1e6));
    const act = () => {
      if (this.stopped || this.stopping || runner.state.State !== "running") return;
      if (restart) void runner.restart("Template with change_mode restart re-rendered").catch(() => {});
      else {
        // Nomad's onTemplateRendered: signals and scripts both, when no template asks for a restart.
        for (const sig of signals) void runner.signal(sig, "Template re-rendered").catch(() => {});
        for (const script of scripts) void this.runChangeScript(runner, script);
      }
    };
    if (!restart && signals.length === 0 && scripts.length === 0) return;
    const t = setTimeout(act, Math.random() * splayMs);
    t.unref?.();
  }

  /**
   * Runs a template's change script inside the task (Nomad's
   * `processScript`), bounded by its timeout (default 5s). Success is a
   * "Task hook message" event; a failure to run it or a non-zero exit is a
   * "Task hook failed" event, and with `fail_on_error` the task is killed
   * and fails ("Template script failed, task is being killed").
   */
  private async runChangeScript(runner: TaskRunner, script: ChangeScriptSpec): Promise<void> {
    const command = script.Command ?? "";
    const args = script.Args ?? [];
    // Go's %v of a []string: [a b c].
    const shown = `[${args.join(" ")}]`;
    const timeoutMs = (script.Timeout || DEFAULT_CHANGE_SCRIPT_TIMEOUT_NS) / 1e6;
    let failure: string | null = null;
    try {
      const r = await runner.exec(timeoutMs, [command, ...args]);
      if (r.exitCode !== 0)
        failure = `Template ran script ${command} with arguments ${shown} on change but it exited with code: ${r.exitCode}`;
    } catch (err) {
      failure = `Template failed to run script ${command} with arguments ${shown} on change: ${(err as Error).message}. Exit code: 0`;
    }
    if (this.stopped || runner.dead) return;
    if (!failure) {
      runner.note(`Template successfully ran script ${command} with arguments: ${shown}. Exit code: 0`, E.hookMessage);
      return;
    }
    runner.note(failure, E.hookFailed);
    if (script.FailOnError)
      void runner.kill({ type: E.killing, display: "Template script failed, task is being killed", extra: { FailsTask: true } });
  }

  /**
   * A task started: a change of what its templates read that arrived while
   * it was starting is rendered now; the change scripts that run on the
   * first render run once, now that the task can run commands (Nomad's
   * template poststart hook).
   */
  private taskStarted(task: string): void {
    const watch = this.templateWatches.get(task);
    if (watch?.pendingRerender) this.rerender(watch);
    if (this.firstRenderScriptsRan.has(task)) return;
    this.firstRenderScriptsRan.add(task);
    const w = this.templateWatches.get(task);
    const runner = this.tasks.find((t) => t.name === task);
    if (!w || !runner) return;
    for (const t of w.templates)
      if (t.ChangeMode === "script" && t.ChangeScript?.RunOnFirstRender) void this.runChangeScript(runner, t.ChangeScript);
  }

  /** Starts the allocation's tasks (or resumes them after an agent restart). */
  run(): void {
    const tg = this.group();
    if (!tg) {
      this.clientStatus = "failed";
      this.emit(`task group "${this.alloc.TaskGroup}" not found in job`);
      return;
    }
    const def = defaultRestartPolicy(this.alloc.Job.Type);
    const host = this.host();
    for (const spec of groupTasks(tg)) {
      const rp = spec.RestartPolicy ?? tg.RestartPolicy ?? {};
      const policy: RestartPolicyMs = {
        attempts: rp.Attempts ?? def.Attempts,
        intervalMs: (rp.Interval ?? def.Interval) / 1_000_000,
        delayMs: (rp.Delay ?? def.Delay) / 1_000_000,
        mode: rp.Mode ?? def.Mode,
      };
      this.tasks.push(new TaskRunner(host, spec, this.drivers.get(spec.Driver), policy, this.alloc.Job.Type));
    }
    const saved = this.loadSaved();
    const known = this.alloc.TaskStates ?? {};
    if (saved || Object.keys(known).length > 0) {
      // An agent restart: resume from what this client saved (handles) or what the server knows.
      for (const t of this.tasks) {
        const entry = saved?.tasks[t.name];
        const state = entry?.state ?? known[t.name];
        if (!state || (state.State === "pending" && !entry?.handle && state.Events.length <= 2)) {
          t.received();
          continue;
        }
        if (entry) this.saved.tasks[t.name] = { state: entry.state, handle: entry.handle };
        t.restore(state, entry?.handle ?? null);
      }
    } else {
      for (const t of this.tasks) t.received();
    }
    this.advance();
    this.changed();
    this.armHealthyDeadline(tg);
  }

  /** Not healthy by the group's healthy deadline (Nomad default 5 min): unhealthy. */
  private armHealthyDeadline(tg: StoredTaskGroup): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    if (!this.alloc.DeploymentID || tg.Update?.HealthCheck === "manual") return;
    const deadlineMs = (tg.Update?.HealthyDeadline ?? 300_000_000_000) / 1_000_000;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      if (this.stopped || this.deploymentStatus) return;
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      this.deploymentStatus = {
        Healthy: false,
        Timestamp: new Date(this.nowMs()).toISOString(),
        Canary: this.alloc.DeploymentStatus?.Canary ?? false,
        ModifyIndex: 0,
      };
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
      if (tg) this.armHealthyDeadline(tg);
      this.changed();
    }
  }

  /**
   * Restarts every task, also those that have completed (Nomad's
   * `RestartAll`, `nomad alloc restart -all-tasks`): the lifecycle runs
   * again from the prestart tasks, and main tasks start once those are done.
   * Poststop tasks, which run after the allocation, are left alone.
   */
  async restartAll(reason: string): Promise<void> {
    if (this.stopped || this.stopping || this.killingAll) throw new Error("restart of an alloc that should not run");
    const running = this.tasks.filter((t) => t.state.State === "running" && t.lifecycle.hook !== "poststop");
    // Running tasks count as not started from now on, so poststart tasks wait for their new start.
    for (const t of running) t.awaitingStart = true;
    for (const t of this.tasks) if (t.lifecycle.hook !== "poststop") t.rerun(reason);
    await Promise.all(running.map((t) => t.restart(reason, { waitForStage: true })));
  }

  private stage(kind: "prestart" | "main" | "poststart" | "poststop"): TaskRunner[] {
    return this.tasks.filter((t) => (t.lifecycle.hook || "main") === kind);
  }

  /** Starts the tasks whose stage may run, and ends the allocation's stages. */
  private advance(): void {
    if (this.stopped) return;
    const pre = this.stage("prestart");
    const main = this.stage("main");
    const post = this.stage("poststart");
    const stop = this.stage("poststop");
    const nonPoststop = this.tasks.filter((t) => t.lifecycle.hook !== "poststop");
    const failed = this.tasks.find((t) => t.dead && t.state.Failed);
    if (failed && !this.killingAll) {
      this.killingAll = true;
      for (const t of nonPoststop) {
        if (!t.dead)
          void t.kill({
            type: E.siblingFailed,
            display: `Task's sibling ${JSON.stringify(failed.name)} failed`,
            extra: { Details: { failed_sibling: failed.name } },
          });
      }
    }
    if (!this.killingAll && !this.stopping) {
      for (const t of pre) t.begin();
      const preDone = pre.every((t) =>
        t.lifecycle.sidecar ? t.state.State === "running" || (t.dead && !t.state.Failed) : t.dead && !t.state.Failed,
      );
      if (preDone) for (const t of main) t.begin();
      if (main.length > 0 && main.every((t) => (t.state.StartedAt !== null && !t.awaitingStart) || t.dead)) for (const t of post) t.begin();
      const leader = this.tasks.find((t) => t.spec.Leader === true);
      const mainDead = main.length > 0 && main.every((t) => t.dead);
      if (leader?.dead || mainDead) {
        this.killingAll = true;
        for (const t of nonPoststop) {
          if (t.dead) continue;
          if (leader?.dead) void t.kill({ type: E.leaderDead, display: "Leader Task in Group dead" });
          else void t.kill({ type: E.mainDead, display: "Main tasks in the group died" });
        }
      }
    }
    if (nonPoststop.every((t) => t.dead)) for (const t of stop) t.begin();
    if (this.stopping && this.tasks.every((t) => t.dead)) {
      const waiters = this.stopWaiters;
      this.stopWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** @internal A task changed: advance the stages, recompute the alloc status and health, then report. */
  changed(): void {
    if (this.stopped) return;
    this.advance();
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
    this.updateHealth();
    this.save();
    this.emit();
  }

  /** A service check of the allocation changed status: decide its deployment health again. */
  checksChanged(): void {
    if (this.stopped) return;
    const before = this.deploymentStatus;
    this.updateHealth();
    if (this.deploymentStatus !== before) this.emit();
  }

  private updateHealth(): void {
    if (!this.alloc.DeploymentID || (this.deploymentStatus?.Healthy !== undefined && this.deploymentStatus?.Healthy !== null)) return;
    const update = this.group()?.Update;
    if (update?.HealthCheck === "manual") return;
    const setHealth = (healthy: boolean) => {
      if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
      this.deadlineTimer = null;
      this.deploymentStatus = {
        Healthy: healthy,
        Timestamp: new Date(this.nowMs()).toISOString(),
        Canary: this.alloc.DeploymentStatus?.Canary ?? false,
        ModifyIndex: 0,
      };
    };
    // Ephemeral hook tasks do not need to keep running (Nomad's health watcher ignores them once done).
    const watched = this.tasks.filter((t) => t.lifecycle.hook === "" || t.lifecycle.sidecar);
    if (this.clientStatus === "failed" || (watched.some((t) => t.dead) && this.clientStatus !== "running")) {
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      setHealth(false);
      return;
    }
    const allRunning =
      watched.length > 0 && watched.filter((t) => t.lifecycle.hook !== "poststop").every((t) => t.state.State === "running");
    if (!allRunning) {
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      return;
    }
    // With health_check "checks" (the default), the service checks must pass too, for all of min_healthy_time.
    const checksOk = () =>
      (update?.HealthCheck ?? "checks") !== "checks" || !this.opts.checksHealthy || this.opts.checksHealthy(this.alloc);
    if (!checksOk()) {
      if (this.healthTimer) clearTimeout(this.healthTimer);
      this.healthTimer = null;
      return;
    }
    if (this.healthTimer) return;
    const minHealthyMs = (update?.MinHealthyTime ?? 10_000_000_000) / 1_000_000;
    this.healthTimer = setTimeout(() => {
      this.healthTimer = null;
      if (!this.stopped && checksOk() && watched.filter((t) => t.lifecycle.hook !== "poststop").every((t) => t.state.State === "running")) {
        setHealth(true);
        this.emit();
      }
    }, minHealthyMs);
    this.healthTimer.unref?.();
  }

  private emit(description?: string): void {
    const states: Record<string, TaskState> = {};
    for (const t of this.tasks) states[t.name] = { ...t.state, Events: [...t.state.Events] };
    this.sink({
      ID: this.alloc.ID,
      ClientStatus: this.clientStatus,
      ClientDescription: description ?? clientDescription(this.clientStatus),
      TaskStates: states,
      DeploymentStatus: this.deploymentStatus ?? this.alloc.DeploymentStatus,
    });
  }

  /** The server wants the allocation stopped: kill every task, run the poststop tasks, then report. */
  stop(): void {
    if (this.stopped || this.stopping) return;
    this.stopping = true;
    this.unsubscribeTemplateSources();
    if (this.healthTimer) clearTimeout(this.healthTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    const terminal = this.clientStatus === "complete" || this.clientStatus === "failed";
    const finish = () => {
      this.changed();
      this.stopped = true;
      if (this.clientStatus !== "failed") this.clientStatus = "complete";
      this.emit(terminal ? undefined : "All tasks have completed");
      this.removeSaved();
    };
    const done = new Promise<void>((r) => this.stopWaiters.push(r));
    void done.then(finish);
    this.killingAll = true;
    const nonPoststop = this.tasks.filter((t) => t.lifecycle.hook !== "poststop");
    const kills = nonPoststop.filter((t) => !t.dead).map((t) => t.kill());
    // Poststop tasks that never ran and never will (nothing ran) end now.
    if (this.tasks.every((t) => !t.begun)) for (const t of this.tasks) void t.kill();
    void Promise.all(kills).then(() => this.changed());
    this.advance();
  }

  private removeSaved(): void {
    if (!this.opts.persistent) return;
    try {
      if (this.stateFileWritten) fs.rmSync(this.statePath(), { force: true });
      this.stateFileWritten = false;
    } catch {
      // nothing saved
    }
  }

  /** True once the allocation reached a terminal client status. */
  get terminal(): boolean {
    return this.clientStatus === "complete" || this.clientStatus === "failed" || this.clientStatus === "lost";
  }

  /**
   * Drops every timer (client shutdown); reports nothing more. Tasks whose
   * driver can reattach keep running when the client is persistent; others
   * are killed by force.
   */
  async destroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribeTemplateSources();
    if (this.healthTimer) clearTimeout(this.healthTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    await Promise.all(this.tasks.map((t) => t.abandon(this.opts.persistent)));
  }

  /** Forgets the allocation for good (the server gave up on it): kills its tasks by force and removes saved state. */
  async discard(): Promise<void> {
    this.stopped = true;
    this.unsubscribeTemplateSources();
    if (this.healthTimer) clearTimeout(this.healthTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    await Promise.all(this.tasks.map((t) => t.abandon(false)));
    this.removeSaved();
  }
}

/** True when a config holds a `${...}` reference anywhere (keys included). */
function hasInterpolation(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${");
  if (Array.isArray(value)) return value.some(hasInterpolation);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("${") || hasInterpolation(v));
  return false;
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
