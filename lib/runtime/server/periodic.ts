/**
 * The periodic launcher of the leader (Nomad's `nomad/periodic.go`,
 * `PeriodicDispatch`): it tracks every active periodic job and, at each
 * launch time its cron specs give, registers a child job
 * `<parent>/periodic-<unix seconds>` with an evaluation. The last launch of
 * each job is kept in the `periodic_launch` table, so that a restarted
 * server neither launches a time twice nor forgets a launch it missed while
 * down (it launches once, at start, as Nomad's `restorePeriodicDispatcher`).
 */
import type { Evaluation, StoredJob } from "../structs";
import { allocTerminal, evalTerminal, isParameterizedJob, isPeriodicActive, isPeriodicJob } from "../structs";
import { newChildJob } from "./child-job";
import { rfc3339 } from "./clock";
import { badRequest, notFound } from "./errors";
import { newJobEval } from "../structs";
import { periodicNext, type PeriodicTiming } from "./periodic-next";
import type { Server } from "./server";

/** What a periodic child's ID has between the parent's ID and the launch time (`structs.PeriodicLaunchSuffix`). */
const PERIODIC_LAUNCH_SUFFIX = "/periodic-";

/** The longest the launcher sleeps before looking at the clock again (timers cannot wait years; clocks get stepped). */
const MAX_SLEEP_MS = 60 * 60 * 1000;

/** Launches handled in one timer callback before the launcher yields. */
const LAUNCHES_PER_TICK = 100;

/** The ID of the child launched at `launchMs` (`derivedJobID`: whole unix seconds). */
function periodicChildID(parentID: string, launchMs: number): string {
  return `${parentID}${PERIODIC_LAUNCH_SUFFIX}${Math.floor(launchMs / 1000)}`;
}

/** `api.PeriodicForceResponse`. */
export interface PeriodicForceResponse {
  EvalID: string;
  EvalCreateIndex: number;
  Index: number;
}

interface Tracked {
  job: StoredJob;
  /** Unix ms of the next launch, null when the specs give none. */
  next: number | null;
}

function key(namespace: string, id: string): string {
  return `${namespace}\u0000${id}`;
}

/** The periodic launcher. */
export class PeriodicDispatch {
  private readonly tracked = new Map<string, Tracked>();
  private timer: unknown = null;
  private enabled = false;

  constructor(private readonly server: Server) {}

  /**
   * Starts tracking (on leader start): every active periodic job is added,
   * and a job whose next launch after its last recorded one is already past
   * is launched once now, unless it prohibits overlap and a child still runs.
   */
  start(): void {
    if (this.enabled) return;
    this.enabled = true;
    const now = this.server.clock.nowMs();
    for (const job of this.server.store.jobs("*")) {
      if (!isPeriodicJob(job) || isParameterizedJob(job)) continue;
      this.add(job);
      if (!isPeriodicActive(job)) continue;
      const last = this.server.store.periodicLaunch(job.Namespace, job.ID);
      const lastMs = last ? Date.parse(last.Launch) : Math.floor(job.SubmitTime / 1_000_000);
      let next: number | null;
      try {
        next = periodicNext(job.Periodic as PeriodicTiming, lastMs);
      } catch (err) {
        this.server.logMessage(`periodic: job ${job.ID}: ${(err as Error).message}`);
        continue;
      }
      if (next === null || next >= now) continue;
      if (job.Periodic?.ProhibitOverlap && this.runningChildren(job)) continue;
      this.server.logMessage(`periodic: job ${job.ID} missed its launch at ${rfc3339(next)}; launching now`);
      this.launch(job, now);
    }
  }

  /** Stops tracking (leader step-down, shutdown). */
  stop(): void {
    this.enabled = false;
    this.tracked.clear();
    this.disarm();
  }

  /**
   * Tracks a registered job, or stops tracking it when it is no longer an
   * active periodic job (`PeriodicDispatch.Add`). The next launch is
   * computed from now.
   */
  add(job: StoredJob): void {
    if (!this.enabled) return;
    const k = key(job.Namespace, job.ID);
    if (!isPeriodicActive(job)) {
      if (this.tracked.delete(k)) this.arm();
      return;
    }
    let next: number | null;
    try {
      next = periodicNext(job.Periodic as PeriodicTiming, this.server.clock.nowMs());
    } catch (err) {
      this.server.logMessage(`periodic: job ${job.ID}: ${(err as Error).message}`);
      this.tracked.delete(k);
      this.arm();
      return;
    }
    this.tracked.set(k, { job, next });
    this.arm();
  }

  /** Stops tracking a job (deregistered). */
  remove(namespace: string, id: string): void {
    if (this.tracked.delete(key(namespace, id))) this.arm();
  }

  /** Whether a job is tracked (an active periodic job). */
  isTracked(namespace: string, id: string): boolean {
    return this.tracked.has(key(namespace, id));
  }

  /** Unix ms of a tracked job's next launch, or null. */
  nextLaunch(namespace: string, id: string): number | null {
    return this.tracked.get(key(namespace, id))?.next ?? null;
  }

  /**
   * Launches a periodic job now (`Periodic.Force`), whatever its schedule
   * and overlap setting say. 404 for a missing job, 400 for a job that is
   * not periodic or not active.
   */
  async force(namespace: string, id: string): Promise<PeriodicForceResponse> {
    const job = this.server.store.jobByID(namespace, id);
    if (!job) throw notFound("job not found");
    if (!isPeriodicJob(job)) throw badRequest("can't force launch non-periodic job");
    const t = this.tracked.get(key(namespace, id));
    if (!t) throw badRequest(`force launch for job "${id}" failed: can't force run non-tracked job "${id}" (${namespace})`);
    const { evaluation, durable } = this.launch(t.job, this.server.clock.nowMs());
    await durable;
    return { EvalID: evaluation.ID, EvalCreateIndex: evaluation.CreateIndex, Index: evaluation.CreateIndex };
  }

  /**
   * Whether a child launched by the schedule still runs: any of its
   * evaluations is not terminal, or any allocation of those evaluations is
   * not (`Server.RunningChildren`).
   */
  runningChildren(job: StoredJob): boolean {
    const store = this.server.store;
    const prefix = job.ID + PERIODIC_LAUNCH_SUFFIX;
    for (const child of store.jobChildren(job.Namespace, job.ID)) {
      if (child.ParentID !== job.ID || !child.ID.startsWith(prefix)) continue;
      for (const e of store.evalsByJob(child.Namespace, child.ID)) {
        if (!evalTerminal(e)) return true;
        for (const a of store.allocsByEval(e.ID)) if (!allocTerminal(a)) return true;
      }
    }
    return false;
  }

  /**
   * Registers the child of `parent` for the launch at `launchMs` with its
   * evaluation, and records the launch, in one write. A child that already
   * exists (two launches in one second) gets a new evaluation only.
   */
  private launch(tracked: StoredJob, launchMs: number): { evaluation: Evaluation; durable: Promise<void> } {
    const store = this.server.store;
    // The stored job, not the tracked copy: changes that skip registration (scaling) reach the children too.
    const parent = store.jobByID(tracked.Namespace, tracked.ID) ?? tracked;
    const childID = periodicChildID(parent.ID, launchMs);
    const now = this.server.now();
    let evaluation: Evaluation | undefined;
    const { durable } = store.write((txn) => {
      let child = store.jobByID(parent.Namespace, childID);
      if (!child) {
        child = newChildJob(parent, childID, txn.index, now, { Periodic: null });
        txn.putJob(child, true);
      }
      evaluation = newJobEval(child, { id: this.server.newID(), now, triggeredBy: "periodic-job" });
      txn.putEval(evaluation);
      txn.putPeriodicLaunch(parent.Namespace, parent.ID, rfc3339(Math.floor(launchMs / 1000) * 1000));
    });
    const e = evaluation as Evaluation;
    this.server.route(e);
    this.server.logMessage(`periodic: launched ${childID} (eval ${e.ID})`);
    return { evaluation: e, durable };
  }

  /** The timer callback: launches every due job (each missed time, as Nomad does), then sleeps again. */
  private fire(): void {
    this.timer = null;
    if (!this.enabled) return;
    for (let n = 0; n < LAUNCHES_PER_TICK; n++) {
      const now = this.server.clock.nowMs();
      let due: Tracked | undefined;
      for (const t of this.tracked.values()) if (t.next !== null && t.next <= now && (!due || t.next < (due.next as number))) due = t;
      if (!due) break;
      const launchMs = due.next as number;
      try {
        due.next = periodicNext(due.job.Periodic as PeriodicTiming, launchMs);
      } catch (err) {
        this.server.logMessage(`periodic: job ${due.job.ID}: ${(err as Error).message}`);
        due.next = null;
      }
      if (due.job.Periodic?.ProhibitOverlap && this.runningChildren(due.job)) {
        this.server.logMessage(
          `periodic: skipping the launch of ${due.job.ID} at ${rfc3339(launchMs)}: a previous child still runs and the job prohibits overlap`,
        );
        continue;
      }
      try {
        this.launch(due.job, launchMs);
      } catch (err) {
        this.server.logMessage(`periodic: launching ${due.job.ID} failed: ${(err as Error).stack ?? String(err)}`);
      }
    }
    this.arm();
  }

  /** Sets the timer for the earliest next launch (at most an hour away; it looks again then). */
  private arm(): void {
    this.disarm();
    if (!this.enabled) return;
    let earliest: number | null = null;
    for (const t of this.tracked.values()) if (t.next !== null && (earliest === null || t.next < earliest)) earliest = t.next;
    if (earliest === null) return;
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, earliest - this.server.clock.nowMs()));
    this.timer = this.server.clock.setTimer(() => this.fire(), delay);
  }

  private disarm(): void {
    if (this.timer !== null) this.server.clock.clearTimer(this.timer);
    this.timer = null;
  }
}
