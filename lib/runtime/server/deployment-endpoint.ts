/**
 * Deployment operations (Nomad's `nomad/deployment_endpoint.go`): promote
 * canaries, fail (with auto-revert), pause/resume, and set allocation health
 * by hand (for `health_check = "manual"`), and unblock a multiregion
 * deployment waiting for its peers. Each change but unblock creates a
 * `deployment-watcher` evaluation so the scheduler acts on it.
 */
import type { Allocation, Deployment, Evaluation } from "../structs";
import { allocTerminal, DeploymentDescriptions, deploymentActive } from "../structs";
import { badRequest, CodedError, formatMultiError, notFound } from "./errors";
import { newJobEval } from "../structs";
import { jobSpec } from "./job-spec";
import type { Server } from "./server";

/** `structs.DeploymentUpdateResponse`. */
export interface DeploymentUpdateResponse {
  EvalID: string;
  EvalCreateIndex: number;
  DeploymentModifyIndex: number;
  RevertedJobVersion: number | null;
  Index: number;
}

/** The deployment endpoint. */
export class DeploymentEndpoint {
  constructor(private readonly server: Server) {}

  /**
   * The deployment a write is for, as Nomad's endpoint checks it: `deployment
   * not found`, then `terminal` (Nomad's `ErrDeploymentTerminalNo…` text for
   * the operation, a 500 as Nomad's agent answers it) when the deployment is
   * no longer active. Unknown or missing deployments are a 404 and a 400 here
   * (Nomad answers 500): drover answers what a request names wrongly with a
   * 4xx (test/runtime/http/openapi-walk.test.ts, hostile-input.test.ts).
   */
  private active(id: string, terminal: string): Deployment {
    if (id === "") throw badRequest("missing deployment ID");
    const d = this.server.store.deploymentByID(id);
    if (!d) throw notFound("deployment not found");
    if (!deploymentActive(d)) throw new CodedError(500, terminal);
    return d;
  }

  /** Writes the deployment change and a watcher eval; reverts the job when asked. */
  private async commit(d: Deployment, allocs: Allocation[] = [], revertTo: number | null = null): Promise<DeploymentUpdateResponse> {
    const store = this.server.store;
    const job = store.jobByID(d.Namespace, d.JobID);
    let e: Evaluation | undefined;
    const { index, durable } = store.write((txn) => {
      txn.putDeployment({ ...d, ModifyTime: this.server.now() });
      for (const a of allocs) txn.putAlloc(a, false);
      if (job) {
        e = newJobEval(job, { id: this.server.newID(), now: this.server.now(), triggeredBy: "deployment-watcher" });
        e.DeploymentID = d.ID;
        txn.putEval(e);
      }
    });
    if (e) this.server.route(e);
    await durable;
    if (revertTo !== null) {
      const v = store.jobByVersion(d.Namespace, d.JobID, revertTo);
      if (v) await this.server.jobs.register({ Job: jobSpec(v), Namespace: d.Namespace });
    }
    return {
      EvalID: e?.ID ?? "",
      EvalCreateIndex: e?.CreateIndex ?? 0,
      DeploymentModifyIndex: index,
      RevertedJobVersion: revertTo,
      Index: index,
    };
  }

  /** Promotes the canaries of all groups or the named ones; every promoted group's canaries must be healthy. */
  promote(id: string, all: boolean, groups: string[]): Promise<DeploymentUpdateResponse> {
    const d = this.active(id, "can't promote terminal deployment");
    if (d.Status === "paused") throw badRequest("can't promote a paused deployment");
    const names = all ? Object.keys(d.TaskGroups).filter((g) => d.TaskGroups[g].DesiredCanaries > 0) : groups;
    if (names.length === 0) throw badRequest("no canaries to promote");
    for (const g of names) if (!d.TaskGroups[g]) throw badRequest(`deployment has no task group "${g}"`);
    const next: Deployment = { ...d, TaskGroups: { ...d.TaskGroups } };
    // UpdateDeploymentPromotion: every group to promote must have all its canaries healthy; the shortfalls come back together.
    const unhealthy: string[] = [];
    for (const g of names) {
      const s = d.TaskGroups[g];
      const healthy = (s.PlacedCanaries ?? []).filter((aid) => {
        const a = this.server.store.allocByID(aid);
        return a !== undefined && !allocTerminal(a) && a.DeploymentStatus?.Healthy === true;
      }).length;
      if (s.DesiredCanaries > 0 && healthy < s.DesiredCanaries)
        unhealthy.push(`Task group ${JSON.stringify(g)} has ${healthy}/${s.DesiredCanaries} healthy allocations`);
      next.TaskGroups[g] = { ...s, Promoted: true };
    }
    if (unhealthy.length > 0) throw new CodedError(500, formatMultiError(unhealthy));
    next.StatusDescription = DeploymentDescriptions.running;
    return this.commit(next);
  }

  /** Marks the deployment failed; with auto_revert on any group, the latest stable version is registered again. */
  async fail(id: string): Promise<DeploymentUpdateResponse> {
    const d = this.active(id, "can't fail terminal deployment");
    let description: string = DeploymentDescriptions.failedByUser;
    let revertTo: number | null = null;
    if (Object.values(d.TaskGroups).some((s) => s.AutoRevert)) {
      const stable = this.server.store.jobVersions(d.Namespace, d.JobID).find((v) => v.Stable && v.Version < d.JobVersion);
      if (stable) {
        revertTo = stable.Version;
        description = `${description} - rolling back to job version ${stable.Version}`;
      } else description = `${description} - no stable job version to auto revert to`;
    }
    const r = await this.commit({ ...d, Status: "failed", StatusDescription: description }, [], revertTo);
    this.server.deploymentWatcher.notifyFailed(this.server.store.deploymentByID(id) ?? d);
    return r;
  }

  /** Pauses or resumes the deployment. */
  pause(id: string, pause: boolean): Promise<DeploymentUpdateResponse> {
    const d = this.active(id, pause ? "can't pause terminal deployment" : "can't resume terminal deployment");
    return this.commit({
      ...d,
      Status: pause ? "paused" : "running",
      StatusDescription: pause ? DeploymentDescriptions.paused : DeploymentDescriptions.running,
    });
  }

  /**
   * Unblocks a multiregion deployment that finished in its region and waits
   * for its peers (`nomad deployment unblock`): it is marked successful and
   * its job version stable. Used after a peer region failed under
   * `on_failure = "fail_local"` or the default, when nothing unblocks it.
   */
  async unblock(id: string): Promise<DeploymentUpdateResponse> {
    const d = this.active(id, "can't unblock terminal deployment");
    if (!d.IsMultiregion) throw badRequest("deployment is not multiregion");
    if (d.Status !== "blocked") throw badRequest(`deployment is not blocked (status ${d.Status})`);
    const { index, durable } = this.server.store.write((txn) => {
      txn.putDeployment({
        ...d,
        Status: "successful",
        StatusDescription: DeploymentDescriptions.successful,
        ModifyTime: this.server.now(),
      });
      txn.markJobStable(d.Namespace, d.JobID, d.JobVersion);
    });
    await durable;
    return { EvalID: "", EvalCreateIndex: 0, DeploymentModifyIndex: index, RevertedJobVersion: null, Index: index };
  }

  /** Sets the health of allocations of the deployment by hand. */
  async setAllocHealth(id: string, healthy: string[], unhealthy: string[]): Promise<DeploymentUpdateResponse> {
    if (healthy.length === 0 && unhealthy.length === 0) throw badRequest("must specify at least one healthy/unhealthy allocation ID");
    const d = this.active(id, "can't set health of allocations for a terminal deployment");
    const ts = new Date(this.server.clock.nowMs()).toISOString();
    const allocs: Allocation[] = [];
    for (const [ids, value] of [
      [healthy, true],
      [unhealthy, false],
    ] as const)
      for (const aid of ids) {
        const a = this.server.store.allocByID(aid);
        // UpdateDeploymentAllocHealth's texts (uncoded: 500).
        if (!a) throw new CodedError(500, `unknown alloc ${JSON.stringify(aid)}`);
        if (a.DeploymentID !== id)
          throw new CodedError(500, `alloc ${JSON.stringify(aid)} is not part of deployment ${JSON.stringify(id)}`);
        allocs.push({
          ...a,
          DeploymentStatus: { Healthy: value, Timestamp: ts, Canary: a.DeploymentStatus?.Canary ?? false, ModifyIndex: 0 },
        });
      }
    const r = await this.commit(d, allocs);
    this.server.deploymentWatcher.healthChanged(allocs.filter((a) => a.DeploymentStatus?.Healthy === false));
    return r;
  }
}
