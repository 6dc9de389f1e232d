/**
 * `planJob`: what applying a job would change. Combines drover's local,
 * field-level diff (normalized desired vs normalized live) with Nomad's own
 * plan (`PUT /v1/job/:id/plan` with `Diff: true`), which says what the
 * scheduler would do: placements, stops, in-place and destructive updates,
 * canaries, and placement failures.
 */
import type { NomadClient } from "../api";
import { NomadApiError } from "../api";
import type { AllocationMetric, DesiredUpdates, JobDiff, ReadBackJob } from "../api";
import type { Job } from "../jobspec/types";
import type { JobChange } from "./change";
import { diffJobs } from "./diff";
import { normalizeDesired, normalizeLive } from "./normalize";
import { GLOBAL_REGION, requestRegion } from "./region";
import { replacementReasons } from "./rules";

/** What applying the plan does to the job as a whole. */
export type PlanAction = "create" | "update" | "replace" | "noop";

/** The job a plan replaces, when its key differs from the desired job's (e.g. an ID change seen by the Pulumi provider). */
export interface JobKey {
  /** Job ID. */
  id: string;
  /** Namespace. Default "default". */
  namespace?: string;
  /** Region. Default: the client's. */
  region?: string;
}

/** Options of `planJob`. Plain data. */
export interface PlanJobOptions {
  /** The job currently deployed under another key, which this one replaces. Default: the desired job's own key. */
  previous?: JobKey;
  /** Ask Nomad's scheduler for its plan too. Default true. */
  serverPlan?: boolean;
  /** Override soft-mandatory Sentinel policies (Enterprise). */
  policyOverride?: boolean;
  /** Aborts the requests. */
  signal?: AbortSignal;
  /**
   * Keep the live count of every group that exists already (an autoscaler's,
   * or `drover job scale`'s), as Nomad's `PreserveCounts` registers it: the
   * plan shows those counts as unchanged and apply registers with
   * `PreserveCounts`. New groups take the job's count. Default false.
   */
  preserveCounts?: boolean;
  /**
   * Run a finished batch job again: when the live job is a batch or sysbatch
   * job that ran to completion (dead, not stopped) and the spec is unchanged,
   * plan a replacement (purge, then register: Nomad does not run a finished
   * job again for a registration of the same spec). Default false: such a job
   * is left alone (a no-op), so that a run-once job runs once.
   */
  rerun?: boolean;
}

/** A group whose live count a plan keeps (`preserveCounts`). */
export interface PreservedCount {
  /** Group name. */
  group: string;
  /** The live count, which stays. */
  live: number;
  /** The count the job says. */
  desired: number;
}

/** An allocation of another job that the scheduler would evict to place this one (from the plan's `Annotations.PreemptedAllocs`). */
export interface PreemptedAlloc {
  /** The allocation's ID. */
  allocId: string;
  /** Its job's ID. */
  jobId: string;
  /** Its job's namespace. */
  namespace: string;
  /** Its job's type ("service", "batch", …). */
  jobType: string;
  /** Its task group. */
  taskGroup: string;
  /** The node it runs on. */
  nodeId: string;
}

/** The outcome of `planJob`: plain data, safe to keep between plan and apply. */
export interface JobPlan {
  /** The desired job's ID. */
  jobId: string;
  /** The desired job's namespace. */
  namespace: string;
  /** The desired job's region ("global" lets the agent choose its own). */
  region: string;
  /** What apply will do. */
  action: PlanAction;
  /** Field-level changes from the live job to the desired one ([] for noop; every field for create). */
  changes: JobChange[];
  /** Why the job must be replaced ([] unless action is "replace"). */
  replacementReasons: string[];
  /** Nomad's structural diff, when the server plan ran. */
  serverDiff: JobDiff | null;
  /** Per group, what the scheduler would do (`Annotations.DesiredTGUpdates`). */
  desiredTGUpdates: Record<string, DesiredUpdates>;
  /** Per group, why placements would fail (`FailedTGAllocs`). */
  failedTGAllocs: Record<string, AllocationMetric>;
  /** Allocations of other jobs the scheduler would preempt (`Annotations.PreemptedAllocs`; [] when none or without the server plan). */
  preemptions: PreemptedAlloc[];
  /** The live job's `JobModifyIndex` seen at plan time (0 when it did not exist): apply enforces it. */
  enforceIndex: number;
  /** Warnings from Nomad and from drover. */
  warnings: string[];
  /** The job apply registers (normalized desired). */
  job: Job;
  /** The live job, normalized (null when it does not exist). */
  live: Job | null;
  /** The live job's version (null when it does not exist). */
  liveVersion: number | null;
  /** The job to deregister first, for a replacement. */
  previous: JobKey | null;
  /** RFC 3339 time of the next periodic launch, when the job is periodic. */
  nextPeriodicLaunch: string | null;
  /** True when the live job is a batch or sysbatch job that ran to completion (dead, not stopped): unchanged, it is not run again unless planned with `rerun`. */
  finished: boolean;
  /** True when apply registers with Nomad's `PreserveCounts` (planned with `preserveCounts`). */
  preserveCounts: boolean;
  /** The groups whose live count differs from the job's and is kept ([] unless `preserveCounts`). */
  preservedCounts: PreservedCount[];
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Reads a job; null when Nomad answers 404. */
export async function readLiveJob(client: NomadClient, key: JobKey, signal?: AbortSignal): Promise<ReadBackJob | null> {
  try {
    return (await client.jobs.info(key.id, { namespace: key.namespace ?? "default", region: key.region, signal })).data;
  } catch (err) {
    if (err instanceof NomadApiError && err.status === 404) return null;
    throw err;
  }
}

const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Plans one job against the cluster `client` talks to. */
export async function planJob(client: NomadClient, job: Job, opts: PlanJobOptions = {}): Promise<JobPlan> {
  const raw: Record<string, unknown> = job;
  const jobId = str(raw.ID);
  if (!jobId) throw new Error("cannot plan a job without an ID: set Job.ID");
  const desired: Record<string, unknown> = normalizeDesired(job);
  const namespace = str(desired.Namespace) ?? "default";
  const explicitRegion = str(raw.Region);
  const regionForRequests = requestRegion(explicitRegion);
  const previous: JobKey = opts.previous ?? { id: jobId, namespace, region: regionForRequests };
  const liveRaw = await readLiveJob(client, previous, opts.signal);
  const warnings: string[] = [];

  let live: Record<string, unknown> | null = null;
  if (liveRaw) {
    live = normalizeLive(liveRaw, { desired: job });
    // The agent replaces "global" (or no region) with its own region (command/agent/job_endpoint.go regionForJob).
    if (!regionForRequests) {
      if (str(live.Region)) desired.Region = live.Region;
    }
  }

  const preservedCounts: PreservedCount[] = [];
  if (live && opts.preserveCounts) {
    // Nomad's PreserveCounts: existing groups keep their current count.
    const liveGroups = new Map(((live.TaskGroups ?? []) as { Name?: string; Count?: number }[]).map((g) => [g.Name, g]));
    desired.TaskGroups = ((desired.TaskGroups ?? []) as { Name?: string; Count?: number }[]).map((g) => {
      const lg = liveGroups.get(g.Name);
      if (!lg || typeof lg.Count !== "number" || lg.Count === g.Count) return g;
      preservedCounts.push({ group: g.Name ?? "", live: lg.Count, desired: g.Count ?? 1 });
      return { ...g, Count: lg.Count };
    });
  }

  let action: PlanAction;
  let changes: JobChange[];
  let reasons: string[] = [];
  if (!live) {
    action = "create";
    changes = diffJobs(desired, {});
  } else {
    reasons = replacementReasons(desired, live);
    // A stopped job registered again is started: Stop goes from true to false (the desired job leaves the false out).
    changes = diffJobs(desired, live).map((c) =>
      c.path === "Stop" && c.kind === "remove" && c.old === true ? { ...c, kind: "update" as const, new: false } : c,
    );
    action = reasons.length ? "replace" : changes.length ? "update" : "noop";
  }
  const liveType = str(liveRaw?.Type) ?? "service";
  const finished =
    !!liveRaw &&
    (liveType === "batch" || liveType === "sysbatch") &&
    liveRaw.Status === "dead" &&
    liveRaw.Stop !== true &&
    !liveRaw.Periodic &&
    !liveRaw.ParameterizedJob;
  if (finished && action === "noop" && opts.rerun) {
    action = "replace";
    reasons = [`the ${liveType} job has finished: it is run again (purged and registered anew), as asked`];
  }

  const sameKey = previous.id === jobId && (previous.namespace ?? "default") === namespace;
  let serverDiff: JobDiff | null = null;
  let desiredTGUpdates: Record<string, DesiredUpdates> = {};
  let failedTGAllocs: Record<string, AllocationMetric> = {};
  let preemptions: PreemptedAlloc[] = [];
  let nextPeriodicLaunch: string | null = null;
  // Nomad refuses to plan a type or periodic/parameterized change of an existing job; a replacement
  // under the same key is planned as the create it will be, without the server.
  const askServer = (opts.serverPlan ?? true) && !(action === "replace" && sameKey);
  if (askServer) {
    const res = await client.jobs.plan(desired as Job, {
      diff: true,
      policyOverride: opts.policyOverride,
      namespace,
      region: regionForRequests,
      signal: opts.signal,
    });
    const p = res.data;
    serverDiff = p.Diff ?? null;
    desiredTGUpdates = p.Annotations?.DesiredTGUpdates ?? {};
    failedTGAllocs = p.FailedTGAllocs ?? {};
    preemptions = (p.Annotations?.PreemptedAllocs ?? []).map((a) => ({
      allocId: a.ID,
      jobId: a.JobID,
      namespace: a.Namespace,
      jobType: a.JobType ?? "",
      taskGroup: a.TaskGroup,
      nodeId: a.NodeID,
    }));
    if (p.Warnings)
      warnings.push(
        ...p.Warnings.split("\n")
          .map((w) => w.trim())
          .filter(Boolean),
      );
    if (p.NextPeriodicLaunch && p.NextPeriodicLaunch !== ZERO_TIME) nextPeriodicLaunch = p.NextPeriodicLaunch;
    if (action === "noop" && serverDiff && serverDiff.Type !== "None") {
      warnings.push(
        `Nomad's plan reports a ${serverDiff.Type.toLowerCase()} job that drover's normalized diff does not: fields drover ignores as server defaults may differ`,
      );
    }
  } else if (action === "replace") {
    warnings.push(`job "${previous.id}" will be purged and registered again: its allocations will be stopped and placed anew`);
  }

  return {
    jobId,
    namespace,
    region: str(desired.Region) ?? GLOBAL_REGION,
    action,
    changes,
    replacementReasons: reasons,
    serverDiff,
    desiredTGUpdates,
    failedTGAllocs,
    preemptions,
    enforceIndex: liveRaw && action !== "replace" ? liveRaw.JobModifyIndex : 0,
    warnings,
    job: desired as Job,
    live: live as Job | null,
    liveVersion: liveRaw ? liveRaw.Version : null,
    previous: action === "replace" ? previous : null,
    nextPeriodicLaunch,
    finished,
    preserveCounts: !!opts.preserveCounts,
    preservedCounts,
  };
}
