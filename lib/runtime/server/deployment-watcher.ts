/**
 * The deployment watcher (Nomad's `nomad/deploymentwatcher`), reduced to
 * what moves a rollout: when clients report allocation health, the
 * deployment's job is evaluated again (so the scheduler places the next
 * batch, or marks the deployment successful); an unhealthy allocation fails
 * the deployment and, with `auto_revert`, re-registers the latest stable
 * version of the job. (Progress deadlines and promotion endpoints are not
 * implemented yet.)
 */
import type { Allocation, Deployment, Evaluation } from "../structs";
import { DeploymentDescriptions, deploymentActive } from "../structs";
import { newJobEval } from "./evals";
import { jobSpec } from "./job-spec";
import type { Server } from "./server";

/** The watcher. */
export class DeploymentWatcher {
  constructor(private readonly server: Server) {}

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
    const now = this.server.now();
    store.write((txn) => {
      for (const [id, list] of byDeployment) {
        const d = store.deploymentByID(id);
        if (!d || !deploymentActive(d)) continue;
        const job = store.jobByID(d.Namespace, d.JobID);
        if (!job) continue;
        const unhealthy = list.some((a) => a.DeploymentStatus?.Healthy === false);
        if (unhealthy && d.Status !== "paused") {
          const failed: Deployment = { ...d, Status: "failed", StatusDescription: DeploymentDescriptions.failedAllocations, ModifyTime: now };
          const wantsRevert = Object.entries(d.TaskGroups).some(([g, s]) => s.AutoRevert && list.some((a) => a.TaskGroup === g));
          if (wantsRevert) {
            const stable = store.jobVersions(d.Namespace, d.JobID).find((v) => v.Stable && v.Version < d.JobVersion);
            if (stable) {
              failed.StatusDescription = `${failed.StatusDescription} - rolling back to job version ${stable.Version}`;
              reverts.push({ ns: d.Namespace, id: d.JobID, version: stable.Version });
            } else failed.StatusDescription = `${failed.StatusDescription} - no stable job version to auto revert to`;
          }
          txn.putDeployment(failed);
        }
        const e = newJobEval(job, { id: this.server.newID(), now, triggeredBy: "deployment-watcher" });
        e.DeploymentID = d.ID;
        txn.putEval(e);
        evals.push(e);
      }
    });
    for (const e of evals) this.server.route(e);
    for (const r of reverts) {
      const v = store.jobByVersion(r.ns, r.id, r.version);
      if (v) void this.server.jobs.register({ Job: jobSpec(v as unknown as Record<string, unknown>), Namespace: r.ns }).catch((err) => this.server.logMessage(`deployment watcher: auto-revert of ${r.id} failed: ${(err as Error).message}`));
    }
  }
}
