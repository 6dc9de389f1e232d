/**
 * Computed node classes for blocked-eval unblocking: lib/runtime/scheduler's
 * `computeNodeClass` when it is there, else a hash of the fields that decide
 * feasibility (datacenter, class, pool, non-unique attributes and meta).
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import type { Node } from "../structs";

let schedulerComputeNodeClass: ((node: Node) => string) | null | undefined;

function nativeFingerprint(node: Node): string {
  const attrs = Object.entries(node.Attributes ?? {})
    .filter(([k]) => !k.startsWith("unique."))
    .sort();
  const meta = Object.entries(node.Meta ?? {})
    .filter(([k]) => !k.startsWith("unique."))
    .sort();
  const h = createHash("sha256").update(JSON.stringify([node.Datacenter, node.NodeClass, node.NodePool, attrs, meta])).digest("hex");
  return `v1:${BigInt("0x" + h.slice(0, 16)).toString()}`;
}

/** The computed class of a node. */
export function computeClass(node: Node): string {
  if (schedulerComputeNodeClass === undefined) {
    try {
      const mod = require(path.join(__dirname, "..", "scheduler", "feasible", "node-class")) as { computeNodeClass?: (node: Node) => string };
      schedulerComputeNodeClass = typeof mod.computeNodeClass === "function" ? mod.computeNodeClass : null;
    } catch {
      schedulerComputeNodeClass = null;
    }
  }
  return schedulerComputeNodeClass ? schedulerComputeNodeClass(node) : nativeFingerprint(node);
}
