/**
 * Plan verification for the server's plan applier (Nomad's `evaluatePlan`
 * and `evaluateNodePlan` in `nomad/plan_apply.go`): each node of a plan is
 * checked against the latest state; nodes that fail are dropped (a partial
 * commit with a RefreshIndex), or the whole plan when it is AllAtOnce.
 */
import type { Allocation, Plan, PlanResult } from "../structs";
import { allocTerminal } from "../structs";
import { allocsFit, anyPorts, exhaustedDimension } from "./fit";
import type { SchedulerState, SchedulerStateFastPaths } from "./interfaces";
import { addAllocUsage } from "./resources";

/** The verdict for one node. */
export interface NodePlanVerdict {
  /** True when the node's part of the plan may be committed. */
  fit: boolean;
  /** Why not ("node does not exist", "node is not ready for placements", "node is not eligible", or the exhausted dimension). */
  reason: string;
}

/**
 * Checks one node's part of a plan: stops alone always fit; a missing node,
 * or one that is not ready, rejects placements (down/disconnected nodes may
 * only receive lost/unknown updates); in-place updates are allowed on
 * ineligible nodes; otherwise existing non-terminal − stopped/updated +
 * planned allocations must pass allocsFit (resources and ports).
 */
export function verifyNodePlan(state: SchedulerState, plan: Plan, nodeID: string): NodePlanVerdict {
  const placed = plan.NodeAllocation[nodeID] ?? [];
  if (placed.length === 0) return { fit: true, reason: "" };
  const node = state.nodeByID(nodeID);
  if (!node) return { fit: false, reason: "node does not exist" };
  if (node.Status === "down" || node.Status === "disconnected") {
    const onlyLost = placed.every((a) => a.ClientStatus === "lost" || a.ClientStatus === "unknown");
    return onlyLost ? { fit: true, reason: "" } : { fit: false, reason: `node is ${node.Status}` };
  }
  if (node.Status !== "ready") return { fit: false, reason: "node is not ready for placements" };
  // One state lookup per placed allocation: the live allocation it updates on this node, if any.
  let onlyUpdates = true;
  let updated: Allocation[] | null = null;
  for (const a of placed) {
    const e = state.allocByID(a.ID);
    if (e !== undefined && e.NodeID === nodeID && !allocTerminal(e)) (updated ??= []).push(e);
    else onlyUpdates = false;
  }
  if (!onlyUpdates && (node.SchedulingEligibility === "ineligible" || node.DrainStrategy !== null))
    return { fit: false, reason: "node is not eligible" };
  const stops = plan.NodeUpdate[nodeID];
  const preempted = plan.NodePreemptions[nodeID];
  const fast = (state as SchedulerState & SchedulerStateFastPaths).nodeUsage?.(nodeID);
  if (fast && !anyPorts(placed)) {
    // Tallies of the store, minus what the plan removes, plus what it places: no walk over the node's allocations.
    const used = { ...fast };
    const removed = new Set<string>();
    const subtract = (e: Allocation | undefined) => {
      if (e && e.NodeID === nodeID && !allocTerminal(e) && !removed.has(e.ID)) {
        removed.add(e.ID);
        addAllocUsage(used, e, -1);
      }
    };
    if (stops) for (const a of stops) subtract(state.allocByID(a.ID));
    if (preempted) for (const a of preempted) subtract(state.allocByID(a.ID));
    if (updated) for (const e of updated) subtract(e);
    for (const a of placed) if (!allocTerminal(a)) addAllocUsage(used, a, 1);
    const dim = exhaustedDimension(node, used);
    return { fit: dim === "", reason: dim };
  }
  const remove = new Set<string>();
  if (stops) for (const a of stops) remove.add(a.ID);
  if (preempted) for (const a of preempted) remove.add(a.ID);
  for (const a of placed) remove.add(a.ID);
  const existing = state.allocsByNode(nodeID);
  const proposed: Allocation[] = [];
  for (const a of existing) if (!allocTerminal(a) && !remove.has(a.ID)) proposed.push(a);
  for (const a of placed) proposed.push(a);
  const r = allocsFit(node, proposed);
  return { fit: r.fit, reason: r.dimension };
}

/** Checks one node of a plan against the latest state (`verifyNodePlan` unless a caller substitutes one). */
export type NodePlanVerifier = (state: SchedulerState, plan: Plan, nodeID: string) => NodePlanVerdict;

/** Options of `verifyPlan`. */
export interface VerifyPlanOptions {
  /** The per-node check (default `verifyNodePlan`). */
  verifyNode?: NodePlanVerifier;
  /** The index a scheduler must refresh to after a rejection (default the state's latest index). */
  refreshIndex?: () => number;
  /** Called for each rejected node plan. */
  onRejected?: (nodeID: string) => void;
}

/**
 * Verifies a whole plan and returns what may be committed (Nomad's
 * `evaluatePlan`). Rejected nodes are left out and `RefreshIndex` is set; an
 * AllAtOnce plan with any rejection commits nothing. Canaries that were not
 * committed are removed from the plan's deployment
 * (`correctDeploymentCanaries`). `AllocIndex` is left 0 for the applier to
 * fill in.
 */
export function verifyPlan(state: SchedulerState, plan: Plan, opts: VerifyPlanOptions = {}): PlanResult {
  const verifyNode = opts.verifyNode ?? verifyNodePlan;
  const result: PlanResult = {
    NodeUpdate: {},
    NodeAllocation: {},
    NodePreemptions: {},
    Deployment: plan.Deployment,
    DeploymentUpdates: plan.DeploymentUpdates,
    RefreshIndex: 0,
    AllocIndex: 0,
  };
  const nodes = new Set([...Object.keys(plan.NodeUpdate), ...Object.keys(plan.NodeAllocation)]);
  let rejected = false;
  for (const nodeID of nodes) {
    const v = verifyNode(state, plan, nodeID);
    if (!v.fit) {
      rejected = true;
      opts.onRejected?.(nodeID);
      if (plan.AllAtOnce) break;
      continue;
    }
    if (plan.NodeUpdate[nodeID]?.length) result.NodeUpdate[nodeID] = plan.NodeUpdate[nodeID];
    if (plan.NodeAllocation[nodeID]?.length) result.NodeAllocation[nodeID] = plan.NodeAllocation[nodeID];
    // Preemptions of allocations that have become terminal meanwhile are dropped (Nomad's evaluatePlan does the same).
    const preempted = plan.NodePreemptions[nodeID]?.filter((a) => {
      const current = state.allocByID(a.ID);
      return current !== undefined && !allocTerminal(current);
    });
    if (preempted?.length) result.NodePreemptions[nodeID] = preempted;
  }
  if (!rejected) return result;
  result.RefreshIndex = opts.refreshIndex ? opts.refreshIndex() : state.latestIndex();
  if (plan.AllAtOnce) {
    result.NodeUpdate = {};
    result.NodeAllocation = {};
    result.NodePreemptions = {};
    result.Deployment = null;
    result.DeploymentUpdates = [];
    return result;
  }
  if (result.Deployment) {
    const committed = new Set(Object.values(result.NodeAllocation).flatMap((l) => l.map((a) => a.ID)));
    const d = { ...result.Deployment, TaskGroups: { ...result.Deployment.TaskGroups } };
    for (const [g, s] of Object.entries(d.TaskGroups)) {
      if (s.PlacedCanaries) d.TaskGroups[g] = { ...s, PlacedCanaries: s.PlacedCanaries.filter((id) => committed.has(id)) };
    }
    result.Deployment = d;
  }
  return result;
}
