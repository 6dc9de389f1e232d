/**
 * Job summaries and job status (Nomad's `state_store.go` `updateSummaryWithAlloc`,
 * `setJobStatus`, `getJobStatus`): derived from a job's allocations and
 * evaluations whenever a transaction touched them, and the `Children`
 * counts of periodic and parameterized parents.
 */
import type { Evaluation, JobSummary, StoredJob, TaskGroupSummary } from "../structs";
// The hot per-allocation functions come from their own modules: a call through the structs index goes through a re-export getter.
import { allocTerminal } from "../structs/allocation";
import { evalTerminal } from "../structs/evaluation";
import { isParameterizedJob, isPeriodicJob } from "../structs/job";
import { nsKey, type StateTables } from "./schema";

const SUMMARY_FIELDS = ["Queued", "Complete", "Failed", "Running", "Starting", "Lost", "Unknown"] as const;

function emptyGroupSummary(): TaskGroupSummary {
  return { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 };
}

/** True when two summaries have the same groups, in the same order, with the same counts. */
function sameGroupSummaries(a: Record<string, TaskGroupSummary>, b: Record<string, TaskGroupSummary>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    const x = a[ka[i]];
    const y = b[kb[i]];
    for (const f of SUMMARY_FIELDS) if (x[f] !== y[f]) return false;
    if (Object.keys(x).length !== Object.keys(y).length) return false;
  }
  return true;
}

/** Which status a child is counted under in its parent's summary. */
type ChildStatus = StoredJob["Status"];

/** The state kept beside the summaries table to derive it. */
export class JobSummaries {
  /** Queued placements per job and group, as last reported by an evaluation. */
  private readonly queuedByJob = new Map<string, Record<string, number>>();
  /** The status each child is counted under in its parent's summary. */
  private readonly childCounted = new Map<string, { parentKey: string; status: ChildStatus }>();

  constructor(private readonly t: StateTables) {}

  /** Takes the queued counts of a finished (complete or blocked) evaluation. */
  noteEval(e: Evaluation): void {
    if (e.QueuedAllocations && (e.Status === "complete" || e.Status === "blocked"))
      this.queuedByJob.set(nsKey(e.Namespace, e.JobID), e.QueuedAllocations);
  }

  /** Forgets a purged job's queued counts. */
  forgetJob(namespace: string, id: string): void {
    this.queuedByJob.delete(nsKey(namespace, id));
  }

  /** Records, on load, the status a stored child is already counted under. */
  noteChild(job: StoredJob): void {
    if (job.ParentID)
      this.childCounted.set(nsKey(job.Namespace, job.ID), { parentKey: nsKey(job.Namespace, job.ParentID), status: job.Status });
  }

  /**
   * Keeps a parent's `Children` counts in step with one child, as Nomad's
   * state store does on every job status change: the child leaves the status
   * it was counted under and joins `status` (undefined: purged). Returns the
   * parent's new summary when the counts changed.
   */
  countChild(namespace: string, childID: string, parentID: string, status: ChildStatus | undefined, index: number): JobSummary | null {
    const childKey = nsKey(namespace, childID);
    const parentKey = nsKey(namespace, parentID);
    const counted = this.childCounted.get(childKey);
    const was = counted?.parentKey === parentKey ? counted.status : undefined;
    if (was === status) return null;
    const old = this.t.job_summary.get(parentKey);
    if (status === undefined) this.childCounted.delete(childKey);
    else this.childCounted.set(childKey, { parentKey, status });
    if (!old) return null;
    const children = { ...(old.Children ?? { Pending: 0, Running: 0, Dead: 0 }) };
    const field = (s: ChildStatus): "Pending" | "Running" | "Dead" => (s === "running" ? "Running" : s === "dead" ? "Dead" : "Pending");
    if (was !== undefined) children[field(was)] = Math.max(0, children[field(was)] - 1);
    if (status !== undefined) children[field(status)]++;
    const summary: JobSummary = { ...old, Children: children, ModifyIndex: index };
    this.t.job_summary.put(summary);
    return summary;
  }

  /** Recomputes a job's summary from its allocations; returns it when it changed. */
  recompute(namespace: string, jobID: string, index: number): JobSummary | null {
    const key = nsKey(namespace, jobID);
    const job = this.t.jobs.get(key);
    if (!job) return null;
    const groups: Record<string, TaskGroupSummary> = {};
    for (const tg of job.TaskGroups ?? []) if (tg.Name) groups[tg.Name] = emptyGroupSummary();
    for (const a of this.t.allocs.index("job").get(key)) {
      const g = (groups[a.TaskGroup] ??= emptyGroupSummary());
      switch (a.ClientStatus) {
        case "pending":
          if (!allocTerminal(a)) g.Starting++;
          break;
        case "running":
          g.Running++;
          break;
        case "complete":
          g.Complete++;
          break;
        case "failed":
          g.Failed++;
          break;
        case "lost":
          g.Lost++;
          break;
        case "unknown":
          g.Unknown++;
          break;
      }
    }
    const queued = this.queuedByJob.get(key) ?? {};
    for (const name in groups) groups[name].Queued = queued[name] ?? 0;
    const old = this.t.job_summary.get(key);
    if (old && sameGroupSummaries(old.Summary, groups)) return null;
    const summary: JobSummary = {
      JobID: jobID,
      Namespace: namespace,
      Summary: groups,
      Children: old?.Children ?? { Pending: 0, Running: 0, Dead: 0 },
      CreateIndex: old?.CreateIndex ?? index,
      ModifyIndex: index,
    };
    this.t.job_summary.put(summary);
    return summary;
  }

  /** Nomad's `getJobStatus`: dead when stopped or finished, running with live allocations, pending otherwise. */
  jobStatus(job: StoredJob): ChildStatus {
    // Periodic and parameterized parents run until stopped (`IsPeriodic`, `IsParameterized`: a dispatched child is not one).
    if (isPeriodicJob(job) || isParameterizedJob(job)) return job.Stop ? "dead" : "running";
    const key = nsKey(job.Namespace, job.ID);
    let anyAlloc = false;
    for (const a of this.t.allocs.index("job").get(key)) {
      anyAlloc = true;
      if (!allocTerminal(a)) return "running";
    }
    let anyEval = false;
    for (const e of this.t.evals.index("job").get(key)) {
      anyEval = true;
      if (!evalTerminal(e)) return "pending";
    }
    if (job.Stop) return "dead";
    if (anyAlloc || anyEval) return "dead";
    return "pending";
  }
}
