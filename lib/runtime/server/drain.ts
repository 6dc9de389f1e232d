/**
 * The node drainer (Nomad's `nomad/drainer`): moves the allocations off
 * draining nodes as each group's `migrate` block allows. Per task group, an
 * allocation is marked for migration only while at least `count -
 * max_parallel` of the group's allocations are healthy
 * (`handleTaskGroup`); batch allocations are left to finish until the
 * deadline; at the deadline (or at once for a forced drain, deadline < 0)
 * every remaining allocation is marked; system allocations go last, once
 * nothing else is left (unless `IgnoreSystemJobs`). The node endpoint ends
 * the drain (DrainStrategy cleared) when no allocation remains.
 *
 * Health of an allocation for migration is what its client reported
 * (`DeploymentStatus.Healthy` set); for an allocation without such a report
 * (drover's client reports health only for deployments), the drainer judges
 * it as Nomad's client would for the migrate block: every task running for
 * `min_healthy_time`, and with `health_check = "checks"` every nomad service
 * check passing.
 */
import type { Allocation, Evaluation, Node } from "../structs";
import { allocClientTerminal, allocTerminal } from "../structs";
import { findJobGroup, newJobEval } from "../structs";
import type { Server } from "./server";

/** How often active drains are re-examined, ms, on the server's clock (a drain also takes its first step when it is set). */
export const DRAIN_TICK_MS = 200;

interface MigrateView {
  MaxParallel?: number | null;
  HealthCheck?: string | null;
  MinHealthyTime?: number | null;
}

function isSystem(a: Allocation): boolean {
  return a.Job.Type === "system" || a.Job.Type === "sysbatch";
}

/** When the drain's deadline passes, in unix ms: 0 forces now, Infinity means none. */
export function drainDeadlineMs(node: Node): number {
  const d = node.DrainStrategy;
  if (!d) return Infinity;
  if (d.Deadline < 0) return 0;
  if (d.Deadline === 0) return Infinity;
  const at = Date.parse(d.ForceDeadline);
  if (Number.isFinite(at) && at > 0) return at;
  const started = Date.parse(d.StartedAt);
  return (Number.isFinite(started) ? started : 0) + d.Deadline / 1e6;
}

/** The node drainer of a server. */
export class NodeDrainer {
  /** Periodic passes over the draining nodes so far (for stats, and for tests that wait for passes instead of sleeping). */
  passes = 0;
  /** The pending pass on the server's clock, if any. */
  private timer: unknown = null;
  private running = false;

  constructor(private readonly server: Server) {}

  /** Resumes drains found in state (after a restart) and starts the periodic check. */
  start(): void {
    this.running = true;
    if (this.server.store.nodes().some((n) => n.DrainStrategy)) this.ensureTimer();
  }

  /** Stops the periodic check. */
  stop(): void {
    this.running = false;
    this.clearTimer();
  }

  /** Schedules the next pass on the server's clock, unless one is pending. */
  private ensureTimer(): void {
    if (this.timer !== null || !this.running) return;
    this.timer = this.server.clock.setTimer(() => this.pass(), DRAIN_TICK_MS);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.server.clock.clearTimer(this.timer);
    this.timer = null;
  }

  /** One periodic pass; the next is scheduled while a node drains (also after a failed pass). */
  private pass(): void {
    this.timer = null;
    try {
      this.step();
    } catch (err) {
      this.server.logMessage(`drainer: ${(err as Error).stack ?? String(err)}`);
    }
    this.passes++;
    if (this.server.store.nodes().some((n) => n.DrainStrategy)) this.ensureTimer();
  }

  /**
   * Advances the drains of every draining node (or only `onlyNode`): marks
   * the allocations that may move now and creates `node-drain` evaluations
   * for their jobs. Returns those evaluations.
   */
  step(onlyNode?: string): Evaluation[] {
    const store = this.server.store;
    const draining = store.nodes().filter((n) => n.DrainStrategy && (!onlyNode || n.ID === onlyNode));
    if (draining.length === 0) {
      if (!onlyNode) this.clearTimer();
      return [];
    }
    this.ensureTimer();
    const nowMs = this.server.clock.nowMs();
    const toMark = new Map<string, Allocation>();
    const drainingIDs = new Set(
      store
        .nodes()
        .filter((n) => n.DrainStrategy)
        .map((n) => n.ID),
    );
    const handledJobs = new Set<string>();
    for (const node of draining) {
      const live = store.allocsByNode(node.ID).filter((a) => !allocClientTerminal(a));
      const ignoreSystem = node.DrainStrategy!.IgnoreSystemJobs;
      if (nowMs >= drainDeadlineMs(node)) {
        // Deadline reached (or a forced drain): everything goes now.
        for (const a of live) if (!(isSystem(a) && ignoreSystem) && !a.DesiredTransition?.Migrate && !allocTerminal(a)) toMark.set(a.ID, a);
        continue;
      }
      const others = live.filter((a) => !isSystem(a));
      if (others.length === 0) {
        if (!ignoreSystem) for (const a of live) if (!a.DesiredTransition?.Migrate && !allocTerminal(a)) toMark.set(a.ID, a);
        continue;
      }
      for (const a of others) {
        if (a.Job.Type === "batch") continue;
        const key = `${a.Namespace}\u0000${a.JobID}\u0000${a.TaskGroup}`;
        if (handledJobs.has(key)) continue;
        handledJobs.add(key);
        for (const m of this.drainableOfGroup(a, drainingIDs, nowMs)) toMark.set(m.ID, m);
      }
    }
    if (toMark.size === 0) {
      this.server.nodes.completeDrains(draining.map((n) => n.ID));
      return [];
    }
    const evals: Evaluation[] = [];
    const now = this.server.now();
    this.server.store.write((txn) => {
      const jobs = new Map<string, Allocation>();
      for (const a of toMark.values()) {
        const current = store.allocByID(a.ID) ?? a;
        txn.putAlloc({ ...current, DesiredTransition: { ...current.DesiredTransition, Migrate: true }, ModifyTime: now });
        jobs.set(`${a.Namespace}\u0000${a.JobID}`, current);
      }
      for (const a of jobs.values()) {
        const job = store.jobByID(a.Namespace, a.JobID) ?? a.Job;
        const e = newJobEval(job, {
          id: this.server.newID(),
          now,
          triggeredBy: "node-drain",
          nodeID: a.NodeID,
          nodeModifyIndex: txn.index,
        });
        txn.putEval(e);
        evals.push(e);
      }
    });
    for (const e of evals) this.server.route(e);
    return evals;
  }

  /** The allocations of `sample`'s group on draining nodes that may be marked now (Nomad's `handleTaskGroup`). */
  private drainableOfGroup(sample: Allocation, drainingIDs: ReadonlySet<string>, nowMs: number): Allocation[] {
    const store = this.server.store;
    const job = store.jobByID(sample.Namespace, sample.JobID) ?? sample.Job;
    const tg = findJobGroup(job, sample.TaskGroup);
    const count = tg?.Count ?? 1;
    const migrate = tg?.Migrate ?? {};
    const maxParallel = Math.max(1, migrate.MaxParallel ?? 1);
    let healthy = 0;
    const drainable: Allocation[] = [];
    for (const a of store.allocsByJob(sample.Namespace, sample.JobID)) {
      if (a.TaskGroup !== sample.TaskGroup) continue;
      if (!allocTerminal(a) && !a.DesiredTransition?.Migrate && this.healthyForMigration(a, migrate, nowMs)) healthy++;
      if (!drainingIDs.has(a.NodeID) || allocClientTerminal(a) || allocTerminal(a)) continue;
      if (!a.DesiredTransition?.Migrate) drainable.push(a);
    }
    drainable.sort((x, y) => (x.Name < y.Name ? -1 : x.Name > y.Name ? 1 : 0));
    const n = Math.min(drainable.length, healthy - (count - maxParallel));
    return n > 0 ? drainable.slice(0, n) : [];
  }

  /** Whether an allocation counts as healthy for migration. */
  private healthyForMigration(a: Allocation, migrate: MigrateView, nowMs: number): boolean {
    const reported = a.DeploymentStatus?.Healthy;
    if (reported !== undefined && reported !== null) return reported;
    if (a.ClientStatus !== "running") return false;
    const minHealthyMs = (migrate.MinHealthyTime ?? 10_000_000_000) / 1e6;
    const states = Object.values(a.TaskStates ?? {});
    if (states.length === 0) return false;
    for (const s of states) {
      if (s.State !== "running" || !s.StartedAt) return false;
      const started = Date.parse(s.StartedAt);
      if (!Number.isFinite(started) || nowMs - started < minHealthyMs) return false;
    }
    if (migrate.HealthCheck === "checks" && !this.server.services.allChecksPassing(a.ID)) return false;
    return true;
  }
}

/** Nomad's record of a node's most recent drain (`structs.DrainMetadata`, `Node.LastDrain`). */
export interface DrainMetadata {
  /** RFC 3339, whole seconds: when the drain started. */
  StartedAt: string;
  /** RFC 3339, whole seconds: the last change (start, update, completion, cancel). */
  UpdatedAt: string;
  /** "draining", "complete" or "canceled". */
  Status: "draining" | "complete" | "canceled";
  /** Accessor of the token of the last API call (ACLs are not enforced: ""). */
  AccessorID: string;
  /** Operator metadata of the drain. */
  Meta: Record<string, string> | null;
}

/**
 * The node's LastDrain after a drain change, as Nomad's state store keeps it
 * (`updateNodeDrainImpl`): a new record when a drain starts, the same one
 * updated otherwise; unchanged when neither the old nor the new node drains.
 */
export function nextLastDrain(
  existing: Node,
  draining: boolean,
  completed: boolean,
  nowMs: number,
  meta?: Record<string, string> | null,
): unknown {
  if (!existing.DrainStrategy && !draining) return existing.LastDrain;
  const at = new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace(".000Z", "Z");
  const prev = existing.LastDrain as DrainMetadata | null | undefined;
  const started = !existing.DrainStrategy && draining;
  const base: DrainMetadata =
    started || !prev ? { StartedAt: at, UpdatedAt: at, Status: "draining", AccessorID: "", Meta: meta ?? null } : { ...prev };
  if (!started && !prev && existing.DrainStrategy)
    base.StartedAt = new Date(Math.floor(Date.parse(existing.DrainStrategy.StartedAt) / 1000) * 1000).toISOString().replace(".000Z", "Z");
  base.UpdatedAt = at;
  if (meta && Object.keys(meta).length > 0) base.Meta = meta;
  base.Status = draining ? "draining" : completed ? "complete" : "canceled";
  return base;
}
