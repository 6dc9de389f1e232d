/**
 * Target interpolation for constraints, affinities and spreads (Nomad's
 * `resolveTarget` in `scheduler/feasible/feasible.go`).
 */
import type { Node } from "../../structs";

/** The outcome of resolving a target: the value and whether it was found. */
export interface ResolvedTarget {
  /** The resolved value ("" when not found). */
  value: string;
  /** False when the target names an attribute or meta key the node does not have, or an unknown interpolation. */
  found: boolean;
}

const NOT_FOUND: ResolvedTarget = { value: "", found: false };

/**
 * Resolves `${node.unique.id}`, `${node.datacenter}`, `${node.unique.name}`,
 * `${node.class}`, `${node.pool}`, `${attr.X}` and `${meta.X}` against a node;
 * anything not starting with "${" is a literal. Unknown interpolations are not found.
 */
export function resolveTarget(target: string, node: Node): ResolvedTarget {
  if (!target.startsWith("${")) return { value: target, found: true };
  switch (target) {
    case "${node.unique.id}":
      return { value: node.ID, found: true };
    case "${node.datacenter}":
      return { value: node.Datacenter, found: true };
    case "${node.unique.name}":
      return { value: node.Name, found: true };
    case "${node.class}":
      return { value: node.NodeClass, found: true };
    case "${node.pool}":
      return { value: node.NodePool, found: true };
  }
  if (!target.endsWith("}")) return NOT_FOUND;
  if (target.startsWith("${attr.")) {
    const v = node.Attributes[target.slice(7, -1)];
    return v === undefined ? NOT_FOUND : { value: v, found: true };
  }
  if (target.startsWith("${meta.")) {
    const v = node.Meta[target.slice(7, -1)];
    return v === undefined ? NOT_FOUND : { value: v, found: true };
  }
  return NOT_FOUND;
}

/** True when a target names a per-node value (`unique.*`), which makes class-level caching wrong (`EscapedConstraints`). */
export function targetEscapes(target: string | null | undefined): boolean {
  if (!target) return false;
  return (
    target.startsWith("${unique.") ||
    target.startsWith("${node.unique.") ||
    target.startsWith("${attr.unique.") ||
    target.startsWith("${meta.unique.")
  );
}
