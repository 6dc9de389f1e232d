/**
 * Computed node classes (Nomad's `nomad/structs/node_class.go`, `Node.ComputeClass`): nodes whose
 * scheduling-relevant fields are equal share a class, so feasibility decided
 * for one node of a class holds for all of them within an evaluation.
 */
import type { Node } from "./node";

/** Keys with this prefix identify one node and are left out of the class. */
export const UNIQUE_PREFIX = "unique.";

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function sortedEntries(m: Record<string, string> | null | undefined): string {
  if (!m) return "";
  return Object.keys(m)
    .filter((k) => !k.startsWith(UNIQUE_PREFIX))
    .sort()
    .map((k) => `${k.length}:${k}=${m[k].length}:${m[k]}`)
    .join(";");
}

/**
 * The computed class of a node: "v1:<n>", where n hashes the Datacenter, the
 * Attributes and Meta without `unique.*` keys, the NodeClass and the NodePool.
 */
export function computeNodeClass(node: Node): string {
  const text = `dc=${node.Datacenter}|attr=${sortedEntries(node.Attributes)}|meta=${sortedEntries(node.Meta)}|class=${node.NodeClass}|pool=${node.NodePool}`;
  // Two independent 32-bit FNV-1a hashes combined into a 53-bit integer.
  const hi = fnv1a(text, 0x811c9dc5) & 0x1fffff;
  const lo = fnv1a(text, 0x050c5d1f);
  return internNodeClass(`v1:${hi * 0x100000000 + lo}`);
}

const classStrings = new Map<string, string>();
/** Clusters have few classes; past this many distinct strings new ones are not interned. */
const MAX_INTERNED_CLASSES = 65536;

/**
 * The one shared string object for a computed class: nodes of a class then
 * hold the same string, so the per-node class comparisons and lookups of the
 * feasibility cache compare pointers instead of characters.
 */
export function internNodeClass(cls: string): string {
  const known = classStrings.get(cls);
  if (known !== undefined) return known;
  if (classStrings.size < MAX_INTERNED_CLASSES) classStrings.set(cls, cls);
  return cls;
}
