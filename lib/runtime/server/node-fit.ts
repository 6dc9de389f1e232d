/**
 * The plan applier's per-node check (Nomad's `evaluateNodePlan` in
 * `nomad/plan_apply.go`), used when the scheduler module does not provide its
 * own verification: node status and eligibility, then CPU, memory and disk of
 * the proposed allocation set against the node's capacity minus its reserved
 * resources. (Port and device collisions are left to the scheduler's
 * verifier.)
 */
import type { Allocation, Node, Plan } from "../structs";
import { allocTerminal } from "../structs";
import type { SchedulerState } from "../scheduler/interfaces";

/** The result of checking one node of a plan. */
export interface NodePlanVerdict {
  /** The node's part of the plan can be committed. */
  fits: boolean;
  /** Why not, for logs and tests ("node not ready", "memory exhausted", …). */
  reason: string;
}

function usageOf(a: Allocation): { cpu: number; mem: number; disk: number } {
  let cpu = 0;
  let mem = 0;
  const tasks = a.AllocatedResources?.Tasks ?? {};
  for (const name in tasks) {
    cpu += tasks[name].Cpu?.CpuShares ?? 0;
    mem += tasks[name].Memory?.MemoryMB ?? 0;
  }
  return { cpu, mem, disk: a.AllocatedResources?.Shared?.DiskMB ?? 0 };
}

/** Whether `allocs` fit on `node` (CPU MHz, memory MiB, disk MiB, after the node's reservations). */
export function allocsFitNode(node: Node, allocs: readonly Allocation[]): NodePlanVerdict {
  let cpu = 0;
  let mem = 0;
  let disk = 0;
  for (const a of allocs) {
    const u = usageOf(a);
    cpu += u.cpu;
    mem += u.mem;
    disk += u.disk;
  }
  const r = node.ReservedResources;
  const capCpu = (node.NodeResources?.Cpu?.CpuShares ?? 0) - (r?.Cpu?.CpuShares ?? 0);
  const capMem = (node.NodeResources?.Memory?.MemoryMB ?? 0) - (r?.Memory?.MemoryMB ?? 0);
  const capDisk = (node.NodeResources?.Disk?.DiskMB ?? 0) - (r?.Disk?.DiskMB ?? 0);
  if (cpu > capCpu) return { fits: false, reason: "cpu" };
  if (mem > capMem) return { fits: false, reason: "memory" };
  if (disk > capDisk) return { fits: false, reason: "disk" };
  return { fits: true, reason: "" };
}

/** Checks one node's part of a plan against the latest state. */
export function evaluateNodePlan(state: SchedulerState, plan: Plan, nodeID: string): NodePlanVerdict {
  const placing = plan.NodeAllocation[nodeID] ?? [];
  if (placing.length === 0) return { fits: true, reason: "" };
  const node = state.nodeByID(nodeID);
  if (!node) return { fits: false, reason: "node does not exist" };
  if (node.Status !== "ready") return { fits: false, reason: "node is not ready for placements" };
  const existing = state.allocsByNode(nodeID);
  const existingIDs = new Set(existing.map((a) => a.ID));
  if (placing.every((a) => existingIDs.has(a.ID))) return { fits: true, reason: "" };
  if (node.SchedulingEligibility === "ineligible") return { fits: false, reason: "node is not eligible" };
  const removed = new Set<string>();
  for (const a of plan.NodeUpdate[nodeID] ?? []) removed.add(a.ID);
  for (const a of plan.NodePreemptions[nodeID] ?? []) removed.add(a.ID);
  for (const a of placing) removed.add(a.ID);
  const proposed: Allocation[] = [];
  for (const a of existing) if (!removed.has(a.ID) && !allocTerminal(a)) proposed.push(a);
  for (const a of placing) proposed.push(a);
  return allocsFitNode(node, proposed);
}
