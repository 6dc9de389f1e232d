/**
 * The resources each node's non-terminal allocations hold, kept by the store
 * as allocations are written (the scheduler's fast path: `nodeUsage`,
 * `nodeUsageOf`). The tally of a node is also attached to the node object
 * itself, so that the placement stack reads it with a property load instead
 * of a hash lookup by node ID per scored node. The property is a
 * non-enumerable symbol: JSON and object spreads do not see it.
 */
import type { Allocation, Node } from "../structs";

/** CPU (MHz), memory (MiB) and disk (MiB) held on a node. */
export interface NodeUsage {
  /** CPU shares, MHz. */
  cpu: number;
  /** Memory, MiB. */
  memoryMB: number;
  /** Ephemeral disk, MiB. */
  diskMB: number;
}

const USAGE_SLOT = Symbol("drover.nodeUsage");

/** A node object that may carry its usage tally. */
type SlottedNode = Node & { [USAGE_SLOT]?: NodeUsage };

/** Attaches a usage tally (the object that is kept up to date) to a node object. */
export function setNodeUsageSlot(node: Node, usage: NodeUsage): void {
  Object.defineProperty(node, USAGE_SLOT, { value: usage, writable: true, configurable: true, enumerable: false });
}

/** The tally attached to a node object, if any. */
export function nodeUsageSlot(node: Node): NodeUsage | undefined {
  return (node as SlottedNode)[USAGE_SLOT];
}

/** Resources of an allocation that count against its node. */
export function allocUsage(a: Allocation): NodeUsage {
  let cpu = 0;
  let mem = 0;
  const tasks = a.AllocatedResources?.Tasks ?? {};
  for (const name in tasks) {
    cpu += tasks[name].Cpu?.CpuShares ?? 0;
    mem += tasks[name].Memory?.MemoryMB ?? 0;
  }
  return { cpu, memoryMB: mem, diskMB: a.AllocatedResources?.Shared?.DiskMB ?? 0 };
}

/** The usage tallies of every node, by node ID. */
export class NodeUsageTallies {
  private readonly byNode = new Map<string, NodeUsage>();

  /** The tally of a node, if it has one. */
  get(nodeID: string): NodeUsage | undefined {
    return this.byNode.get(nodeID);
  }

  /** Adds (sign 1) or removes (sign −1) resources on a node; `node` is the node object to attach a new tally to. */
  add(nodeID: string, u: NodeUsage, sign: 1 | -1, node: Node | undefined): void {
    let cur = this.byNode.get(nodeID);
    if (!cur) {
      this.byNode.set(nodeID, (cur = { cpu: 0, memoryMB: 0, diskMB: 0 }));
      if (node) setNodeUsageSlot(node, cur);
    }
    cur.cpu += sign * u.cpu;
    cur.memoryMB += sign * u.memoryMB;
    cur.diskMB += sign * u.diskMB;
  }
}
