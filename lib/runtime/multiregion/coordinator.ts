/**
 * The multiregion coordinator: what Nomad Enterprise's servers do between
 * federated regions for a job with a `multiregion` block, done here between
 * the regions of one agent.
 *
 * - Registering such a job (Region still "global") in any region registers a
 *   copy in every region it lists (`structs/multiregion.ts`), each new version with a
 *   deployment in status "pending" ("Deployment is pending, waiting for peer
 *   region"), written with the job so the scheduler places nothing yet.
 * - Up to `strategy.max_parallel` regions (0: all) are set "running" at a
 *   time, in the order the job lists them. A region whose deployment
 *   completes goes "blocked" (the scheduler does that, as Nomad's
 *   reconciler does for multiregion jobs), which frees its slot for the
 *   next pending region.
 * - When every region is blocked, the last one to finish goes "unblocking"
 *   and then every region is marked "successful" (and its job version
 *   stable).
 * - When a region's deployment fails, `strategy.on_failure` decides who
 *   else fails ("Failed because of an error in peer region"): "fail_all"
 *   every region, "fail_local" none (the rollout goes on; the others end
 *   "blocked" and wait for `/v1/deployment/unblock`), and the default ""
 *   the failed region and every region after it in order. A region failed
 *   by its peer rolls back to its latest stable version when its update
 *   block asks for auto_revert.
 *
 * The coordinator watches every region's jobs and deployments tables, and
 * each region's deployment watcher (and deployment endpoint) tells it of a
 * failure at once, before an auto-revert moves that region to another
 * version. It keeps no state of its own beyond the set of multiregion jobs,
 * which it rebuilds from the stores on start, so a restarted agent carries
 * on.
 */
import type { Deployment, DeploymentState, Evaluation, StoredJob } from "../structs";
import { DeploymentDescriptions, deploymentActive, newDeployment, newDeploymentState } from "../structs";
import { groupUpdate, jobView } from "../scheduler/job-view";
import { badRequest, CodedError } from "../server/errors";
import { newJobEval } from "../structs";
import type { JobRegisterRequest, JobRegisterResponse, MultiregionRegistrar } from "../server/job-endpoint";
import { jobSpec } from "../server/job-spec";
import type { Server } from "../server/server";
import { multiregionOf, regionCopy, type MultiregionRegionSpec } from "../structs";
import type { RegionRegistry } from "./registry";

/** One region's part in a rollout: its server and its deployment of the job's current version (null: nothing to deploy there). */
interface RegionEntry {
  name: string;
  server: Server;
  deployment: Deployment | null;
}

/** Statuses that hold one of the `max_parallel` slots. */
function holdsSlot(d: Deployment): boolean {
  return d.Status === "running" || d.Status === "paused";
}

/** A failure of the region itself (not one a peer's failure caused). */
function originFailure(d: Deployment): boolean {
  return d.Status === "failed" && !d.StatusDescription.startsWith(DeploymentDescriptions.failedByPeer);
}

/**
 * The deployment a multiregion job's new version starts with in a region
 * (Nomad Enterprise's `multiregionCreateDeployment`): "pending", with every
 * group that has an update strategy and a count. Null when nothing deploys
 * (batch and system jobs, no update strategy).
 */
function pendingDeployment(server: Server, job: StoredJob): Deployment | null {
  if (job.Type !== "service" || job.Stop) return null;
  const view = jobView(job);
  const groups: Record<string, DeploymentState> = {};
  for (const tg of view.TaskGroups ?? []) {
    const u = groupUpdate(view, tg);
    const count = tg.Count ?? 1;
    if (!u || count === 0) continue;
    groups[tg.Name] = newDeploymentState(u, count);
  }
  if (Object.keys(groups).length === 0) return null;
  return newDeployment(job, {
    id: server.newID(),
    now: server.now(),
    isMultiregion: true,
    status: "pending",
    statusDescription: DeploymentDescriptions.pendingForPeer,
    evalPriority: job.Priority ?? 50,
    taskGroups: groups,
  });
}

/** A region's multiregion deployment of the job's current version, or null (no job, a stopped job, or nothing to deploy). */
function currentDeployment(server: Server, ns: string, id: string): Deployment | null {
  const job = server.store.jobByID(ns, id);
  if (!job || job.Stop) return null;
  return (
    server.store
      .deploymentsByJob(ns, id)
      .find((d) => d.IsMultiregion && d.JobVersion === job.Version && d.JobCreateIndex === job.CreateIndex) ?? null
  );
}

/**
 * Coordinates the multiregion jobs of the regions in a registry. The agent
 * constructs it first and hands it to each region's server as its
 * `MultiregionRegistrar`; `start` then follows every region.
 */
export class MultiregionCoordinator implements MultiregionRegistrar {
  private readonly jobs = new Map<string, { ns: string; id: string }>();
  private readonly unsubscribes: (() => void)[] = [];
  private scheduled = false;
  private stopped = true;

  constructor(
    private readonly regions: RegionRegistry,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Follows every region's deployments and state, picks up the multiregion jobs already stored, and moves their rollouts along. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const m of this.regions.all()) {
      this.unsubscribes.push(m.server.deploymentWatcher.onDeploymentFailed((d) => this.regionFailed(m.server, d)));
      this.unsubscribes.push(
        m.server.store.subscribe((change) => {
          // A snapshot restore replaced the region's jobs: follow the multiregion jobs it brought.
          if (change.restored) for (const j of m.server.store.jobs("*")) if (multiregionOf(j)) this.track(j.Namespace, j.ID);
          if (this.jobs.size > 0 && (change.tables.has("deployment") || change.tables.has("jobs"))) this.schedule();
        }),
      );
      for (const j of m.server.store.jobs("*")) if (multiregionOf(j)) this.track(j.Namespace, j.ID);
    }
    this.schedule();
  }

  /** Stops following the regions; from then on each region registers multiregion jobs alone. */
  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribes.splice(0)) u();
  }

  /** The `MultiregionRegistrar` of every region's server: `register` while the coordinator runs, null when stopped. */
  registerMultiregion(origin: Server, req: JobRegisterRequest, job: Record<string, unknown>): Promise<JobRegisterResponse> | null {
    if (this.stopped || !this.regions.all().some((m) => m.server === origin)) return null;
    return this.register(origin, req, job);
  }

  private track(ns: string, id: string): void {
    this.jobs.set(`${ns}\u0000${id}`, { ns, id });
  }

  /**
   * Registers a multiregion job in every region it lists. Every copy is
   * checked first, so a job that one region would refuse is stored nowhere.
   * The reply is that of the region the request came to when the job lists
   * it, else of the job's first region (where Nomad forwards it).
   */
  async register(origin: Server, req: JobRegisterRequest, job: Record<string, unknown>): Promise<JobRegisterResponse> {
    const mr = multiregionOf(job);
    if (!mr) throw new Error("not a multiregion job");
    const names = mr.Regions.map((r) => r.Name);
    const seen = new Set<string>();
    for (const [i, n] of names.entries()) {
      if (typeof n !== "string" || n === "") throw badRequest(`Multiregion.Regions[${i}]: region name is required`);
      if (seen.has(n)) throw badRequest(`Multiregion.Regions[${i}]: region "${n}" is listed more than once`);
      seen.add(n);
    }
    const missing = names.filter((n) => !this.regions.get(n));
    if (missing.length > 0)
      throw badRequest(
        `Multiregion job lists ${missing.length === 1 ? "a region" : "regions"} this agent does not serve: ${missing.map((n) => `"${n}"`).join(", ")} (it serves ${this.regions
          .names()
          .map((n) => `"${n}"`)
          .join(", ")})`,
      );
    const copies = mr.Regions.map((r: MultiregionRegionSpec) => ({
      name: r.Name,
      server: this.regions.serverOrThrow(r.Name),
      job: regionCopy(job, r),
    }));
    for (const c of copies) {
      if (c.server.store.schedulerConfig().RejectJobRegistration) throw new CodedError(403, "Permission denied");
      try {
        c.server.jobs.admit(c.job, req.Namespace);
      } catch (err) {
        if (err instanceof Error) err.message = `region "${c.name}": ${err.message}`;
        throw err;
      }
    }
    const runner = copies.find((c) => c.server === origin) ?? copies[0];
    const ns = (job.Namespace as string) || req.Namespace || "default";
    this.track(ns, job.ID as string);
    // The runner first: its EnforceIndex check decides before any other region is written.
    let reply: JobRegisterResponse | undefined;
    for (const c of [runner, ...copies.filter((x) => x !== runner)]) {
      const r = await c.server.jobs.register({
        ...req,
        Job: c.job,
        EnforceIndex: c === runner ? req.EnforceIndex : undefined,
        JobModifyIndex: c === runner ? req.JobModifyIndex : undefined,
        Deployment: (stored) => pendingDeployment(c.server, stored),
      });
      if (c === runner) reply = r;
    }
    this.schedule();
    return reply as JobRegisterResponse;
  }

  /** Runs a pass over every multiregion job soon (coalesced). */
  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      for (const [key, { ns, id }] of this.jobs) {
        try {
          if (!this.step(ns, id)) this.jobs.delete(key);
        } catch (err) {
          this.log(`multiregion: job ${id}: ${(err as Error).stack ?? String(err)}`);
        }
      }
    });
  }

  /** The regions of a job's rollout, in the job's order, from its most recently submitted copy. */
  private entries(ns: string, id: string): { entries: RegionEntry[]; maxParallel: number; onFailure: string } | null {
    let latest: StoredJob | undefined;
    for (const m of this.regions.all()) {
      const j = m.server.store.jobByID(ns, id);
      if (j && multiregionOf(j) && (!latest || j.SubmitTime > latest.SubmitTime)) latest = j;
    }
    if (!latest) return null;
    const mr = multiregionOf(latest);
    if (!mr) return null;
    const entries: RegionEntry[] = [];
    for (const r of mr.Regions) {
      const server = this.regions.server(r.Name);
      if (!server) continue;
      entries.push({ name: r.Name, server, deployment: currentDeployment(server, ns, id) });
    }
    return { entries, maxParallel: mr.Strategy?.MaxParallel ?? 0, onFailure: mr.Strategy?.OnFailure ?? "" };
  }

  /**
   * A region's deployment failed (told by its watcher or deployment
   * endpoint at once, before an auto-revert moves the region to another
   * version): `on_failure` fails the peer regions it names. The rollout
   * pass would see the failure too, but only while the failed deployment is
   * still the region's current one.
   */
  regionFailed(origin: Server, d: Deployment): void {
    if (!d.IsMultiregion || d.Status !== "failed" || this.stopped) return;
    const job = origin.store.jobByVersion(d.Namespace, d.JobID, d.JobVersion);
    const mr = job ? multiregionOf(job) : null;
    if (!mr) return;
    const onFailure = mr.Strategy?.OnFailure ?? "";
    if (onFailure === "fail_local") return;
    const at = mr.Regions.findIndex((r) => r.Name === origin.region);
    mr.Regions.forEach((r, i) => {
      if (i === at || (onFailure !== "fail_all" && i < at)) return;
      const server = this.regions.server(r.Name);
      const deployment = server ? currentDeployment(server, d.Namespace, d.JobID) : null;
      if (server && deployment && deploymentActive(deployment)) this.failByPeer({ name: r.Name, server, deployment });
    });
  }

  /** One pass of a job's rollout: spread failures, start pending regions, unblock when all are done. False when no region has the job any more. */
  private step(ns: string, id: string): boolean {
    const plan = this.entries(ns, id);
    if (!plan) return false;
    const { entries, maxParallel, onFailure } = plan;

    // Failures.
    const firstFailed = entries.findIndex((e) => e.deployment !== null && originFailure(e.deployment));
    if (firstFailed >= 0 && onFailure !== "fail_local") {
      entries.forEach((e, i) => {
        if (!e.deployment || !deploymentActive(e.deployment)) return;
        if (onFailure === "fail_all" || i > firstFailed) e.deployment = this.failByPeer(e);
      });
    }

    // Start pending regions, in order, while slots are free.
    const limit = maxParallel > 0 ? maxParallel : Infinity;
    let running = entries.filter((e) => e.deployment && holdsSlot(e.deployment)).length;
    for (const e of entries) {
      if (running >= limit) break;
      if (e.deployment?.Status !== "pending") continue;
      e.deployment = this.run(e);
      running++;
    }

    // Done everywhere without a failure: unblock.
    const live = entries.filter(
      (e): e is RegionEntry & { deployment: Deployment } =>
        e.deployment !== null && e.deployment.Status !== "cancelled" && e.deployment.Status !== "successful",
    );
    if (live.length === 0 || !live.every((e) => e.deployment.Status === "blocked" || e.deployment.Status === "unblocking")) return true;
    const last = live.reduce((a, b) => (b.deployment.ModifyTime > a.deployment.ModifyTime ? b : a));
    if (last.deployment.Status !== "unblocking")
      last.deployment = this.write(last, { Status: "unblocking", StatusDescription: DeploymentDescriptions.unblocking });
    for (const e of live) if (e !== last) this.succeed(e);
    this.succeed(last);
    return true;
  }

  /** Writes a status change of a region's deployment; with `evaluate`, also an eval so the region's scheduler acts on it. */
  private write(
    e: RegionEntry & { deployment: Deployment },
    change: Pick<Deployment, "Status" | "StatusDescription">,
    opts: { evaluate?: boolean; stable?: boolean } = {},
  ): Deployment {
    const store = e.server.store;
    const d = e.deployment;
    const next: Deployment = { ...d, ...change, ModifyTime: e.server.now() };
    const job = store.jobByID(d.Namespace, d.JobID);
    let ev: Evaluation | undefined;
    store.write((txn) => {
      txn.putDeployment(next);
      if (opts.stable) txn.markJobStable(d.Namespace, d.JobID, d.JobVersion);
      if (opts.evaluate && job) {
        ev = newJobEval(job, { id: e.server.newID(), now: e.server.now(), triggeredBy: "deployment-watcher" });
        ev.DeploymentID = d.ID;
        txn.putEval(ev);
      }
    });
    if (ev) e.server.route(ev);
    return store.deploymentByID(d.ID) ?? next;
  }

  /** Nomad Enterprise's `Deployment.Run`: a pending region starts deploying. */
  private run(e: RegionEntry): Deployment {
    const d = e.deployment as Deployment;
    this.log(`multiregion: job ${d.JobID}: region ${e.name} starts deployment ${d.ID}`);
    return this.write(
      e as RegionEntry & { deployment: Deployment },
      { Status: "running", StatusDescription: DeploymentDescriptions.running },
      { evaluate: true },
    );
  }

  /** Marks a region successful and its job version stable. */
  private succeed(e: RegionEntry & { deployment: Deployment }): void {
    e.deployment = this.write(e, { Status: "successful", StatusDescription: DeploymentDescriptions.successful }, { stable: true });
  }

  /** Fails a region because a peer failed; rolls it back when its update block asks for auto_revert and a stable version exists. */
  private failByPeer(e: RegionEntry): Deployment {
    const d = e.deployment as Deployment;
    const store = e.server.store;
    let description: string = DeploymentDescriptions.failedByPeer;
    let revertTo: StoredJob | undefined;
    if (Object.values(d.TaskGroups).some((s) => s.AutoRevert)) {
      revertTo = store.jobVersions(d.Namespace, d.JobID).find((v) => v.Stable && v.Version < d.JobVersion);
      description = revertTo
        ? `${description} - rolling back to job version ${revertTo.Version}`
        : `${description} - no stable job version to auto revert to`;
    }
    this.log(`multiregion: job ${d.JobID}: region ${e.name} fails deployment ${d.ID} (${description})`);
    const failed = this.write(
      e as RegionEntry & { deployment: Deployment },
      { Status: "failed", StatusDescription: description },
      { evaluate: true },
    );
    if (revertTo) {
      const spec = jobSpec(revertTo);
      void e.server.jobs
        .register({ Job: spec, Namespace: d.Namespace })
        .catch((err) => this.log(`multiregion: auto-revert of ${d.JobID} in region ${e.name} failed: ${(err as Error).message}`));
    }
    return failed;
  }
}
