/** `destroyJob`: deregisters a job (stops it, or removes it with purge) and follows the evaluation. */
import type { Evaluation, NomadClient } from "../api";
import { isEvaluationTerminal, watch } from "../api";
import type { ProgressListener } from "./progress";

/** Options of `destroyJob`. */
export interface DestroyOptions {
  /** Remove the job and its history instead of leaving it stopped. Default false (as `nomad job stop`). */
  purge?: boolean;
  /** Namespace. Default "default". */
  namespace?: string;
  /** Region. Default the client's. */
  region?: string;
  /** Do not wait for the evaluation. Default false. */
  detach?: boolean;
  /** Deadline for the evaluation, in milliseconds. Default 120000. */
  timeoutMs?: number;
  /** Receives progress events. */
  onProgress?: ProgressListener;
  /** Aborts the wait. */
  signal?: AbortSignal;
}

/** The result of `destroyJob`. */
export interface DestroyResult {
  /** Job ID. */
  jobId: string;
  /** Namespace. */
  namespace: string;
  /** False when Nomad had no such job (deregister is idempotent). */
  existed: boolean;
  /** The deregistration's evaluation ("" when none). */
  evalId: string;
  /** Whether the job was purged. */
  purged: boolean;
}

/** Deregisters `id`. A job that does not exist is not an error (`existed` is false). */
export async function destroyJob(client: NomadClient, id: string, opts: DestroyOptions = {}): Promise<DestroyResult> {
  const namespace = opts.namespace ?? "default";
  const res = await client.jobs.deregister(id, { purge: opts.purge, namespace, region: opts.region, signal: opts.signal });
  const evalId = res.data?.EvalID ?? "";
  opts.onProgress?.({ type: "deregistered", jobId: id, namespace, purge: !!opts.purge, evalId });
  if (evalId && !opts.detach) {
    let last = "";
    await watch<Evaluation>((w) => client.evaluations.info(evalId, { namespace, region: opts.region, ...w }), {
      until: (e) => isEvaluationTerminal(e.Status),
      onUpdate: (e) => {
        if (e.Status !== last) {
          last = e.Status;
          opts.onProgress?.({ type: "evaluation", evalId, status: e.Status, statusDescription: e.StatusDescription ?? "" });
        }
      },
      timeoutMs: opts.timeoutMs ?? 120_000,
      signal: opts.signal,
    });
  }
  opts.onProgress?.({ type: "done", jobId: id, outcome: opts.purge ? "purged" : "stopped" });
  return { jobId: id, namespace, existed: evalId !== "" || (res.data?.JobModifyIndex ?? 0) > 0, evalId, purged: !!opts.purge };
}
