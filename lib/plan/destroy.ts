/**
 * `destroyJob`: deregisters a job (stops it, or removes it with purge) and
 * follows what Nomad does about it, as `nomad job stop` does and further:
 * the deregistration's evaluation, then the job's allocations until every
 * one is stopped on its client. The running children of a periodic or
 * parameterized parent are stopped with it unless asked not to (Nomad itself
 * leaves them running: terraform-provider-nomad #154).
 */
import type { AllocationListStub, Evaluation, JobListStub, NomadClient } from "../api";
import { isAllocClientTerminal, isEvaluationTerminal, watch, WatchTimeoutError } from "../api";
import { ApplyError, describeAllocations } from "./errors";
import type { ProgressListener } from "./progress";

/** Options of `destroyJob`. */
export interface DestroyOptions {
  /** Remove the job and its history instead of leaving it stopped. Default false (as `nomad job stop`). */
  purge?: boolean;
  /** Namespace. Default "default". */
  namespace?: string;
  /** Region. Default the client's. */
  region?: string;
  /** Return once the job is deregistered: follow neither the evaluation nor the allocations. Default false. */
  detach?: boolean;
  /** Deadline for the evaluation and for the allocations to stop, in milliseconds. Default 120000. */
  timeoutMs?: number;
  /**
   * Stop (or purge, with `purge`) the children of a periodic or parameterized
   * parent too: the periodic launches and dispatched jobs still running.
   * Default true.
   */
  stopChildren?: boolean;
  /** Receives progress events. */
  onProgress?: ProgressListener;
  /** Aborts the wait (the deregistration itself is not undone). */
  signal?: AbortSignal;
  /** Least time between polls when an index does not move, in milliseconds. Default 100. */
  pollIntervalMs?: number;
  /** Priority of the deregistration's evaluation (1..100). Default the job's priority. */
  evalPriority?: number;
  /** Stop a multiregion job in every region it lists (`?global=true`). Default false: only the request's region. */
  global?: boolean;
}

/** The result of `destroyJob`. */
export interface DestroyResult {
  /** Job ID. */
  jobId: string;
  /** Namespace. */
  namespace: string;
  /** False when Nomad had no such job (deregister is idempotent). */
  existed: boolean;
  /** The deregistration's evaluation ("" when none: periodic and parameterized parents, absent jobs). */
  evalId: string;
  /** Whether the job was purged. */
  purged: boolean;
  /** The children deregistered with the job (periodic launches, dispatched jobs), by ID. */
  children: string[];
  /** How many allocations were stopped (running or pending when the job was deregistered), children included. */
  stoppedAllocations: number;
}

/** The children of a periodic or parameterized job, from the job list (Nomad names them `<parent>/periodic-…` and `<parent>/dispatch-…`). */
export async function listChildren(
  client: NomadClient,
  parentId: string,
  scope: { namespace: string; region?: string; signal?: AbortSignal },
): Promise<JobListStub[]> {
  const res = await client.jobs.list({ namespace: scope.namespace, region: scope.region, prefix: `${parentId}/`, signal: scope.signal });
  return (res.data ?? []).filter((j) => j.ParentID === parentId);
}

/** Deregisters `id` (and, by default, its children). A job that does not exist is not an error (`existed` is false). */
export async function destroyJob(client: NomadClient, id: string, opts: DestroyOptions = {}): Promise<DestroyResult> {
  const namespace = opts.namespace ?? "default";
  const scope = { namespace, region: opts.region, signal: opts.signal };
  const emit: ProgressListener = (e) => opts.onProgress?.(e);
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const remaining = () => Math.max(1, deadline - Date.now());

  // What runs now: the allocations to wait for, of the job and of the children to stop with it.
  const before = await liveAllocations(client, id, scope);
  const children = opts.stopChildren === false ? [] : (await listChildren(client, id, scope)).filter((c) => opts.purge || !c.Stop);

  const res = await client.jobs.deregister(id, {
    purge: opts.purge,
    namespace,
    region: opts.region,
    signal: opts.signal,
    evalPriority: opts.evalPriority,
    global: opts.global,
  });
  const evalId = res.data?.EvalID ?? "";
  emit({ type: "deregistered", jobId: id, namespace, purge: !!opts.purge, evalId });
  const evals: { jobId: string; evalId: string }[] = evalId ? [{ jobId: id, evalId }] : [];
  const waitFor: { jobId: string; allocs: AllocationListStub[] }[] = [{ jobId: id, allocs: before }];
  for (const child of children) {
    const childAllocs = await liveAllocations(client, child.ID, scope);
    const r = await client.jobs.deregister(child.ID, { purge: opts.purge, namespace, region: opts.region, signal: opts.signal });
    emit({ type: "deregistered", jobId: child.ID, namespace, purge: !!opts.purge, evalId: r.data?.EvalID ?? "", parentId: id });
    if (r.data?.EvalID) evals.push({ jobId: child.ID, evalId: r.data.EvalID });
    waitFor.push({ jobId: child.ID, allocs: childAllocs });
  }
  const stoppedAllocations = waitFor.reduce((n, w) => n + w.allocs.length, 0);
  const result: DestroyResult = {
    jobId: id,
    namespace,
    existed: evalId !== "" || (res.data?.JobModifyIndex ?? 0) > 0,
    evalId,
    purged: !!opts.purge,
    children: children.map((c) => c.ID),
    stoppedAllocations,
  };
  if (opts.detach) {
    emit({ type: "done", jobId: id, outcome: opts.purge ? "purged" : "stopped" });
    return result;
  }

  for (const e of evals) {
    let last = "";
    await timed(id, "the deregistration's evaluation", opts.timeoutMs, () =>
      watch<Evaluation>((w) => client.evaluations.info(e.evalId, { namespace, region: opts.region, ...w }), {
        until: (ev) => isEvaluationTerminal(ev.Status),
        onUpdate: (ev) => {
          if (ev.Status !== last) {
            last = ev.Status;
            emit({ type: "evaluation", evalId: e.evalId, status: ev.Status, statusDescription: ev.StatusDescription ?? "" });
          }
        },
        timeoutMs: remaining(),
        signal: opts.signal,
        pollIntervalMs: opts.pollIntervalMs,
      }),
    );
  }

  // Every allocation that was live is stopped on its client (its processes ended, within the kill timeout).
  for (const w of waitFor) {
    if (!w.allocs.length) continue;
    const ids = new Set(w.allocs.map((a) => a.ID));
    let lastLeft = -1;
    const stillLive = (all: AllocationListStub[] | null) =>
      (all ?? []).filter((a) => ids.has(a.ID) && !isAllocClientTerminal(a.ClientStatus));
    await timed(
      w.jobId,
      "its allocations to stop",
      opts.timeoutMs,
      () =>
        watch<AllocationListStub[]>((q) => client.jobs.allocations(w.jobId, { namespace, region: opts.region, all: true, ...q }), {
          // Allocations the list no longer has were collected: they are stopped too.
          until: (all) => stillLive(all).length === 0,
          onUpdate: (all) => {
            const left = stillLive(all).length;
            if (left !== lastLeft) {
              lastLeft = left;
              emit({ type: "stopping", jobId: w.jobId, total: ids.size, running: left });
            }
          },
          timeoutMs: remaining(),
          signal: opts.signal,
          pollIntervalMs: opts.pollIntervalMs,
        }),
      async () => stillLive((await client.jobs.allocations(w.jobId, { namespace, region: opts.region, all: true })).data ?? []),
    );
  }
  emit({ type: "done", jobId: id, outcome: opts.purge ? "purged" : "stopped" });
  return result;
}

/** The allocations of a job that Nomad wants running or that still run on their client. */
async function liveAllocations(
  client: NomadClient,
  id: string,
  scope: { namespace: string; region?: string; signal?: AbortSignal },
): Promise<AllocationListStub[]> {
  const res = await client.jobs.allocations(id, { ...scope, all: true });
  return (res.data ?? []).filter((a) => !isAllocClientTerminal(a.ClientStatus));
}

/** Turns a watch timeout into an `ApplyError` that says what did not stop. */
async function timed<T>(
  jobId: string,
  what: string,
  timeoutMs: number | undefined,
  fn: () => Promise<T>,
  left?: () => Promise<AllocationListStub[]>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof WatchTimeoutError)) throw err;
    const allocs = left ? await left().catch(() => [] as AllocationListStub[]) : [];
    throw new ApplyError({
      jobId,
      registered: false,
      stage: "timeout",
      summary: `job "${jobId}" is deregistered, but timed out after ${Math.round((timeoutMs ?? 120_000) / 1000)}s waiting for ${what}`,
      allocations: describeAllocations(allocs),
    });
  }
}
