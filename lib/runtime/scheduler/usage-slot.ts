/**
 * A node's usage tally kept on the node object itself, so that the placement
 * stack reads it with a property load instead of a hash lookup by node ID
 * per scored node (`SchedulerStateFastPaths.nodeUsageOf`). The property is a
 * non-enumerable symbol: JSON and object spreads do not see it.
 */
import type { Node } from "../structs";
import type { NodeUsage } from "./interfaces";

const USAGE_SLOT = Symbol("drover.nodeUsage");

/** Attaches a usage tally (the same object the store updates) to a node object. */
export function setNodeUsageSlot(node: Node, usage: NodeUsage): void {
  Object.defineProperty(node, USAGE_SLOT, { value: usage, writable: true, configurable: true, enumerable: false });
}

/** The tally attached to a node object, if any. */
export function nodeUsageSlot(node: Node): NodeUsage | undefined {
  return (node as unknown as Record<symbol, NodeUsage | undefined>)[USAGE_SLOT];
}
