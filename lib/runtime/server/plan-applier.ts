/**
 * The plan applier (Nomad's `nomad/plan_apply.go`): the single, serialized
 * committer of scheduler plans. Each plan is checked node by node against
 * the latest state (optimistic concurrency: allocations may have changed
 * since the scheduler read them); the nodes that fit are committed together
 * in one state transaction, the others are dropped and the result carries a
 * `RefreshIndex` so the scheduler retries with fresh state. An `AllAtOnce`
 * plan commits everything or nothing. Preempted allocations are evicted in
 * the same transaction, and each preempted job gets a pending evaluation
 * (TriggeredBy "preemption") that places its allocations again.
 */
import { randomUUID } from "node:crypto";
import type { Allocation, Evaluation, Plan, PlanResult } from "../structs";
import { newJobEval, preemptedDescription } from "../structs";
import type { StateStore } from "../state";
import { verifyPlan, type NodePlanVerifier } from "../scheduler/plan-verify";

export type { NodePlanVerifier };

/** Counters of the applier, for tests and stats. */
export interface PlanApplierStats {
  /** Plans received. */
  plans: number;
  /** Plans committed only in part (or not at all). */
  partial: number;
  /** Node plans rejected. */
  rejectedNodes: number;
}

/** The applier. */
export class PlanApplier {
  /** Counters. */
  readonly stats: PlanApplierStats = { plans: 0, partial: 0, rejectedNodes: 0 };

  /**
   * @param store the state store plans are committed to
   * @param verify the per-node check of a plan against the latest state
   * @param nowNs the current time in unix nanoseconds
   * @param newID IDs of the evaluations it creates (default random UUIDs)
   * @param onEvals receives the evaluations a committed plan created (the preempted jobs' follow-ups, TriggeredBy "preemption"), already written, to route them to the broker; default: none
   */
  constructor(
    private readonly store: StateStore,
    private readonly verify: NodePlanVerifier,
    private readonly nowNs: () => number,
    private readonly newID: () => string = randomUUID,
    private readonly onEvals: (evals: Evaluation[]) => void = () => {},
  ) {}

  /** Verifies and commits a plan; returns what was committed. */
  apply(plan: Plan): PlanResult {
    this.stats.plans++;
    let rejectedNodes = 0;
    const result = verifyPlan(this.store, plan, {
      verifyNode: this.verify,
      // Nomad's evaluatePlan: the later of the allocs and nodes tables' indexes.
      refreshIndex: () => Math.max(this.store.indexOf(["allocs"]), this.store.indexOf(["nodes"])),
      onRejected: () => rejectedNodes++,
    });
    if (rejectedNodes > 0) {
      this.stats.partial++;
      this.stats.rejectedNodes += rejectedNodes;
    }
    const hasWork =
      Object.keys(result.NodeUpdate).length > 0 ||
      Object.keys(result.NodeAllocation).length > 0 ||
      Object.keys(result.NodePreemptions).length > 0 ||
      result.Deployment !== null ||
      result.DeploymentUpdates.length > 0;
    if (!hasWork) return result;
    const now = this.nowNs();
    const followups: Evaluation[] = [];
    const { index } = this.store.write((txn) => {
      if (result.Deployment) {
        result.Deployment.ModifyTime = now;
        if (!result.Deployment.CreateTime) result.Deployment.CreateTime = now;
        txn.putDeployment(result.Deployment);
      }
      for (const u of result.DeploymentUpdates) {
        const d = this.store.deploymentByID(u.DeploymentID);
        if (!d) continue;
        txn.putDeployment({ ...d, Status: u.Status, StatusDescription: u.StatusDescription, ModifyTime: now });
        if (u.Status === "successful") txn.markJobStable(d.Namespace, d.JobID, d.JobVersion);
      }
      for (const list of Object.values(result.NodeUpdate)) for (const a of list) txn.putAlloc(this.denormalize(a, plan, now));
      // Evictions (Nomad's AllocsPreempted): the stored allocation, evicted by the preempting one, with Nomad's description.
      const preemptedJobs = new Map<string, { namespace: string; jobID: string }>();
      for (const list of Object.values(result.NodePreemptions))
        for (const a of list) {
          const existing = this.store.allocByID(a.ID);
          if (!existing) continue;
          txn.putAlloc({
            ...existing,
            DesiredStatus: "evict",
            DesiredDescription: preemptedDescription(a.PreemptedByAllocation ?? ""),
            PreemptedByAllocation: a.PreemptedByAllocation ?? "",
            ModifyTime: now,
          });
          preemptedJobs.set(`${existing.Namespace}\u0000${existing.JobID}`, { namespace: existing.Namespace, jobID: existing.JobID });
        }
      // One pending evaluation per preempted job, so that its allocations are placed again (or blocked until there is room).
      for (const { namespace, jobID } of preemptedJobs.values()) {
        const job = this.store.jobByID(namespace, jobID);
        if (!job) continue;
        const ev: Evaluation = { ...newJobEval(job, { id: this.newID(), now, triggeredBy: "preemption" }), JobModifyIndex: 0 };
        txn.putEval(ev);
        followups.push(ev);
      }
      for (const list of Object.values(result.NodeAllocation))
        for (const a of list) {
          if (!a.Job && plan.Job) a.Job = plan.Job;
          if (!a.CreateTime) a.CreateTime = now;
          a.ModifyTime = now;
          txn.putAlloc(a);
          // Link the allocation it replaces (`NextAllocation`).
          const prev = a.PreviousAllocation ? this.store.allocByID(a.PreviousAllocation) : undefined;
          if (prev && prev.NextAllocation !== a.ID) txn.putAlloc({ ...prev, NextAllocation: a.ID, ModifyTime: now }, false);
        }
    });
    result.AllocIndex = index;
    if (followups.length > 0) this.onEvals(followups);
    return result;
  }

  /** Stops in a plan may be partial objects (ID plus the changed fields): merge them over the stored allocation. */
  private denormalize(a: Allocation, plan: Plan, now: number): Allocation {
    const existing = this.store.allocByID(a.ID);
    const merged: Allocation = existing ? { ...existing, ...a } : a;
    if (!merged.Job && plan.Job) merged.Job = plan.Job;
    merged.ModifyTime = now;
    return merged;
  }
}
