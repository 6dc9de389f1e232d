/**
 * The deployment watcher (Nomad's `nomad/deploymentwatcher`), reduced to
 * what moves a rollout: when clients report allocation health, the
 * deployment's job is evaluated again (so the scheduler places the next
 * batch, or marks the deployment successful); an unhealthy allocation fails
 * the deployment and, with `auto_revert`, re-registers the latest stable
 * version of the job; a deployment that made no progress by its groups'
 * `RequireProgressBy` fails ("Failed due to progress deadline"), checked
 * once a second.
 */
import type { Allocation, Deployment, Evaluation } from "../structs";
import { DeploymentDescriptions, deploymentActive } from "../structs";
import { newJobEval } from "../structs";
import { jobSpec } from "./job-spec";
import type { Server } from "./server";

/** The watcher. */
export class DeploymentWatcher {
  private timer: unknown = null;
  /** Told of each deployment the watcher or the deployment endpoint fails, once written (the multiregion coordinator spreads the failure to peer regions). */
  private readonly failedListeners = new Set<(d: Deployment) => void>();

  constructor(private readonly server: Server) {}

  /** Calls `listener` with each deployment failed from now on, once written; returns the unsubscribe function. */
  onDeploymentFailed(listener: (d: Deployment) => void): () => void {
    this.failedListeners.add(listener);
    return () => this.failedListeners.delete(listener);
  }

  /** Tells the listeners of a deployment that was failed (by the watcher or through the deployment endpoint). */
  notifyFailed(d: Deployment): void {
    for (const l of this.failedListeners) l(d);
  }

  /** Starts the progress-deadline check (every `everyMs`, default 1 s). */
  start(everyMs = 1000): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.timer = null;
      if (!this.server.isRunning) return;
      this.checkDeadlines();
      this.timer = this.server.clock.setTimer(tick, everyMs);
    };
    this.timer = this.server.clock.setTimer(tick, everyMs);
  }

  /** Stops the check. */
  stop(): void {
    if (this.timer !== null) this.server.clock.clearTimer(this.timer);
    this.timer = null;
  }

  /** Fails running deployments whose progress deadline passed without every group healthy. */
  checkDeadlines(): void {
    const store = this.server.store;
    const nowIso = new Date(this.server.clock.nowMs()).toISOString();
    const late: Deployment[] = [];
    for (const d of store.deployments()) {
      if (d.Status !== "running") continue;
      const missed = Object.values(d.TaskGroups).some((s) => {
        if (!s.RequireProgressBy || s.RequireProgressBy.startsWith("0001-") || s.ProgressDeadline <= 0) return false;
        const target = s.DesiredCanaries > 0 && !s.Promoted ? s.DesiredCanaries : s.DesiredTotal;
        return s.RequireProgressBy < nowIso && s.HealthyAllocs < target;
      });
      if (missed) late.push(d);
    }
    if (late.length === 0) return;
    const now = this.server.now();
    const evals: Evaluation[] = [];
    const reverts: { ns: string; id: string; version: number }[] = [];
    store.write((txn) => {
      for (const d of late) {
        const failed: Deployment = { ...d, Status: "failed", StatusDescription: DeploymentDescriptions.progressDeadline, ModifyTime: now };
        if (Object.values(d.TaskGroups).some((s) => s.AutoRevert)) {
          const stable = store.jobVersions(d.Namespace, d.JobID).find((v) => v.Stable && v.Version < d.JobVersion);
          if (stable) {
            failed.StatusDescription = `${failed.StatusDescription} - rolling back to job version ${stable.Version}`;
            reverts.push({ ns: d.Namespace, id: d.JobID, version: stable.Version });
          }
        }
        txn.putDeployment(failed);
        const job = store.jobByID(d.Namespace, d.JobID);
        if (job) {
          const e = newJobEval(job, { id: this.server.newID(), now, triggeredBy: "deployment-watcher" });
          e.DeploymentID = d.ID;
          txn.putEval(e);
          evals.push(e);
        }
      }
    });
    for (const e of evals) this.server.route(e);
    for (const d of late) this.notifyFailed(store.deploymentByID(d.ID) ?? d);
    this.revert(reverts);
  }

  private revert(reverts: { ns: string; id: string; version: number }[]): void {
    for (const r of reverts) {
      const v = this.server.store.jobByVersion(r.ns, r.id, r.version);
      if (v)
        void this.server.jobs
          .register({ Job: jobSpec(v), Namespace: r.ns })
          .catch((err) => this.server.logMessage(`deployment watcher: auto-revert of ${r.id} failed: ${(err as Error).message}`));
    }
  }

  /**
   * Nomad's auto-promotion rule (`autoPromoteDeployment`): the deployment
   * still waits on canaries, every one of its groups sets `auto_promote`,
   * and every group has placed all its canaries and they are all healthy.
   */
  private canAutoPromote(d: Deployment): boolean {
    const groups = Object.values(d.TaskGroups);
    if (!groups.some((s) => s.DesiredCanaries > 0 && !s.Promoted)) return false;
    return groups.every((s) => {
      if (!s.AutoPromote) return false;
      const placed = s.PlacedCanaries ?? [];
      if (placed.length !== s.DesiredCanaries) return false;
      return placed.every((id) => this.server.store.allocByID(id)?.DeploymentStatus?.Healthy === true);
    });
  }

  /** Allocations whose deployment health was just decided (already committed). */
  healthChanged(allocs: readonly Allocation[]): void {
    const store = this.server.store;
    const byDeployment = new Map<string, Allocation[]>();
    for (const a of allocs) {
      if (!a.DeploymentID) continue;
      const list = byDeployment.get(a.DeploymentID) ?? [];
      list.push(a);
      byDeployment.set(a.DeploymentID, list);
    }
    const evals: Evaluation[] = [];
    const reverts: { ns: string; id: string; version: number }[] = [];
    const failedNow: Deployment[] = [];
    const now = this.server.now();
    store.write((txn) => {
      for (const [id, list] of byDeployment) {
        const d = store.deploymentByID(id);
        if (!d || !deploymentActive(d)) continue;
        const job = store.jobByID(d.Namespace, d.JobID);
        if (!job) continue;
        const unhealthy = list.some((a) => a.DeploymentStatus?.Healthy === false);
        if (unhealthy && d.Status !== "paused") {
          const failed: Deployment = {
            ...d,
            Status: "failed",
            StatusDescription: DeploymentDescriptions.failedAllocations,
            ModifyTime: now,
          };
          const wantsRevert = Object.entries(d.TaskGroups).some(([g, s]) => s.AutoRevert && list.some((a) => a.TaskGroup === g));
          if (wantsRevert) {
            const stable = store.jobVersions(d.Namespace, d.JobID).find((v) => v.Stable && v.Version < d.JobVersion);
            if (stable) {
              failed.StatusDescription = `${failed.StatusDescription} - rolling back to job version ${stable.Version}`;
              reverts.push({ ns: d.Namespace, id: d.JobID, version: stable.Version });
            } else failed.StatusDescription = `${failed.StatusDescription} - no stable job version to auto revert to`;
          }
          txn.putDeployment(failed);
          failedNow.push(failed);
        } else if (d.Status === "running" && this.canAutoPromote(d)) {
          const promoted: Deployment = {
            ...d,
            TaskGroups: { ...d.TaskGroups },
            StatusDescription: DeploymentDescriptions.running,
            ModifyTime: now,
          };
          for (const [g, s] of Object.entries(d.TaskGroups)) if (s.DesiredCanaries > 0) promoted.TaskGroups[g] = { ...s, Promoted: true };
          txn.putDeployment(promoted);
        }
        const e = newJobEval(job, { id: this.server.newID(), now, triggeredBy: "deployment-watcher" });
        e.DeploymentID = d.ID;
        txn.putEval(e);
        evals.push(e);
      }
    });
    for (const e of evals) this.server.route(e);
    for (const f of failedNow) this.notifyFailed(f);
    this.revert(reverts);
  }
}
