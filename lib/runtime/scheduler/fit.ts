/**
 * Whether a set of allocations fits on a node (Nomad's `structs.AllocsFit`).
 */
import type { Allocation, Node } from "../structs";
import { allocTerminal } from "../structs";
import { NetworkIndex } from "./network-index";
import type { NodeUsage } from "./interfaces";
import { addAllocUsage, emptyUsage } from "./resources";

/** The outcome of a fit check. */
export interface FitResult {
  /** True when everything fits. */
  fit: boolean;
  /** The exhausted dimension when it does not: "cpu", "memory", "disk", "network: port collision", … ("" when it fits). */
  dimension: string;
  /** The resources the allocations use. */
  used: NodeUsage;
}

/** CPU (MHz), memory and disk (MiB) the node offers to allocations: its resources minus what it reserves. */
export function nodeCapacity(node: Node): { cpu: number; memoryMB: number; diskMB: number } {
  const r = node.ReservedResources;
  return {
    cpu: node.NodeResources.Cpu.CpuShares - (r?.Cpu.CpuShares ?? 0),
    memoryMB: node.NodeResources.Memory.MemoryMB - (r?.Memory.MemoryMB ?? 0),
    diskMB: node.NodeResources.Disk.DiskMB - (r?.Disk.DiskMB ?? 0),
  };
}

/** Compares used resources against the node's capacity; returns the first exhausted dimension in Nomad's order (cpu, memory, disk) or "". */
export function exhaustedDimension(node: Node, used: NodeUsage): string {
  const res = node.NodeResources;
  const r = node.ReservedResources;
  if (used.cpu > res.Cpu.CpuShares - (r?.Cpu.CpuShares ?? 0)) return "cpu";
  if (used.memoryMB > res.Memory.MemoryMB - (r?.Memory.MemoryMB ?? 0)) return "memory";
  if (used.diskMB > res.Disk.DiskMB - (r?.Disk.DiskMB ?? 0)) return "disk";
  return "";
}

/** True when any allocation holds host ports (only then can ports collide). */
export function anyPorts(allocs: readonly Allocation[]): boolean {
  for (const a of allocs) {
    const p = a.AllocatedResources.Shared.Ports;
    if (p && p.length > 0 && !allocTerminal(a)) return true;
  }
  return false;
}

/**
 * Checks that the (non-terminal) allocations fit on the node together: CPU,
 * memory and disk against capacity minus reserved, then port collisions
 * against the node's reserved ports and each other.
 */
export function allocsFit(node: Node, allocs: readonly Allocation[]): FitResult {
  const used = emptyUsage();
  const live: Allocation[] = [];
  for (const a of allocs) {
    if (allocTerminal(a)) continue;
    addAllocUsage(used, a, 1);
    live.push(a);
  }
  const dim = exhaustedDimension(node, used);
  if (dim) return { fit: false, dimension: dim, used };
  if (!anyPorts(live)) return { fit: true, dimension: "", used };
  const idx = new NetworkIndex();
  const bad = idx.setNode(node);
  if (bad) return { fit: false, dimension: "reserved node port collision", used };
  if (idx.addAllocs(live)) return { fit: false, dimension: "network: port collision", used };
  return { fit: true, dimension: "", used };
}
