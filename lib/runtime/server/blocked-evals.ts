/**
 * Blocked evaluations (Nomad's `nomad/blocked_evals.go`): evals whose
 * placements failed for lack of capacity wait here, at most one per job,
 * until capacity may have appeared: a node registered or became ready or
 * eligible, or allocations finished and freed resources.
 *
 * Evals that recorded class eligibility are "captured": a change on a
 * computed node class wakes them unless they marked that class ineligible.
 * Evals whose constraints escape class caching are "escaped" and wake on any
 * change.
 */
import type { Evaluation } from "../structs";

function jobKey(e: Evaluation): string {
  return `${e.Namespace}\u0000${e.JobID}`;
}

/** The blocked-eval tracker. */
export class BlockedEvals {
  private readonly byJob = new Map<string, Evaluation>();
  /** Latest unblock index per computed class (to catch unblocks missed while an eval was being scheduled). */
  private readonly unblockIndexes = new Map<string, number>();
  private duplicates: Evaluation[] = [];

  /** @param onUnblock receives evals to put back in the broker (already marked pending by the caller). */
  constructor(private readonly onUnblock: (evals: Evaluation[]) => void) {}

  /**
   * Tracks a blocked eval. A second blocked eval for the same job replaces
   * the older one, which becomes a duplicate to cancel. If an unblock for a
   * class it could use happened after the eval's snapshot, it is unblocked
   * at once.
   */
  block(e: Evaluation): void {
    const key = jobKey(e);
    const existing = this.byJob.get(key);
    if (existing && existing.ID !== e.ID) {
      if (existing.CreateIndex > e.CreateIndex) {
        this.duplicates.push(e);
        return;
      }
      this.duplicates.push(existing);
    }
    if (this.missedUnblock(e)) {
      this.byJob.delete(key);
      this.onUnblock([e]);
      return;
    }
    this.byJob.set(key, e);
  }

  /** Blocks again an eval that was unblocked and still could not place everything. */
  reblock(e: Evaluation): void {
    this.block(e);
  }

  /** Forgets the job's blocked eval (a later eval for the job succeeded). Returns it, so the caller can cancel it. */
  untrack(namespace: string, jobID: string): Evaluation | undefined {
    const key = `${namespace}\u0000${jobID}`;
    const e = this.byJob.get(key);
    this.byJob.delete(key);
    return e;
  }

  /** Whether the job has a blocked eval. */
  hasJob(namespace: string, jobID: string): boolean {
    return this.byJob.has(`${namespace}\u0000${jobID}`);
  }

  /** The job's blocked eval. */
  forJob(namespace: string, jobID: string): Evaluation | undefined {
    return this.byJob.get(`${namespace}\u0000${jobID}`);
  }

  /** Capacity changed on nodes of `computedClass` at `index`: wake every eval that might use it. */
  unblock(computedClass: string, index: number): void {
    this.unblockIndexes.set(computedClass, Math.max(index, this.unblockIndexes.get(computedClass) ?? 0));
    const woken: Evaluation[] = [];
    for (const [key, e] of this.byJob) {
      if (this.eligibleFor(e, computedClass)) {
        woken.push(e);
        this.byJob.delete(key);
      }
    }
    if (woken.length > 0) this.onUnblock(woken);
  }

  /** Wakes every blocked eval. */
  unblockAll(): void {
    const woken = [...this.byJob.values()];
    this.byJob.clear();
    if (woken.length > 0) this.onUnblock(woken);
  }

  /** Forgets every blocked evaluation (the leader stepping down, as Nomad's `SetEnabled(false)` flushes them). */
  flush(): void {
    this.byJob.clear();
    this.unblockIndexes.clear();
    this.duplicates = [];
  }

  /** Takes the evals replaced by a newer blocked eval of the same job. */
  takeDuplicates(): Evaluation[] {
    const d = this.duplicates;
    this.duplicates = [];
    return d;
  }

  /** Number of blocked evals. */
  get size(): number {
    return this.byJob.size;
  }

  private eligibleFor(e: Evaluation, computedClass: string): boolean {
    if (e.EscapedComputedClass || !e.ClassEligibility) return true;
    return e.ClassEligibility[computedClass] !== false;
  }

  private missedUnblock(e: Evaluation): boolean {
    for (const [cls, idx] of this.unblockIndexes) if (idx > e.SnapshotIndex && this.eligibleFor(e, cls)) return true;
    return false;
  }
}
