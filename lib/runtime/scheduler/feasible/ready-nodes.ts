/**
 * The base node set of a job (Nomad's `readyNodesInDCsAndPool`): ready nodes
 * in one of the job's datacenters (glob patterns) and in its node pool.
 */
import type { Node } from "../../structs";
import type { SchedulerState, SchedulerStateFastPaths } from "../interfaces";
import { nodeIsReady } from "../../structs";

/** Nomad's default node pool. */
const DEFAULT_NODE_POOL = "default";
/** The pseudo pool that matches every pool. */
const ALL_NODE_POOL = "all";

const globCache = new Map<string, RegExp>();

/** Glob match with `*` (any run) and `?` (one character), as Nomad's `IsInAnyDC`. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === value;
  let re = globCache.get(pattern);
  if (!re) {
    const src = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${src}$`, "s");
    globCache.set(pattern, re);
  }
  return re.test(value);
}

/** True when the node's datacenter matches one of the patterns (default ["*"]). */
export function nodeInAnyDC(node: Node, datacenters: readonly string[] | null | undefined): boolean {
  const dcs = datacenters && datacenters.length > 0 ? datacenters : ["*"];
  for (const p of dcs) if (globMatch(p, node.Datacenter)) return true;
  return false;
}

/** True when the node is in the pool ("all" matches every pool; default "default"). */
export function nodeInPool(node: Node, pool: string | null | undefined): boolean {
  const p = pool || DEFAULT_NODE_POOL;
  return p === ALL_NODE_POOL || node.NodePool === p;
}

/** The ready nodes a job can use, plus the not-ready ones in its DCs and pool and the ready count per datacenter. */
export interface ReadyNodes {
  /** Ready, eligible, not draining nodes in the DCs and pool, in state order. */
  nodes: Node[];
  /** IDs of nodes in the DCs and pool that are not ready. */
  notReady: Set<string>;
  /** Ready nodes per datacenter (the metric's NodesAvailable). */
  byDC: Record<string, number>;
}

/** Computes the job's base node set. */
export function readyNodesInDCsAndPool(
  all: readonly Node[],
  datacenters: readonly string[] | null | undefined,
  pool: string | null | undefined,
): ReadyNodes {
  const nodes: Node[] = [];
  const notReady = new Set<string>();
  const byDC: Record<string, number> = {};
  for (const n of all) {
    if (!nodeInPool(n, pool) || !nodeInAnyDC(n, datacenters)) continue;
    if (!nodeIsReady(n)) {
      notReady.add(n.ID);
      continue;
    }
    nodes.push(n);
    byDC[n.Datacenter] = (byDC[n.Datacenter] ?? 0) + 1;
  }
  return { nodes, notReady, byDC };
}

/** Base node sets computed at one nodes version, by datacenters and pool. */
interface ReadyCache {
  version: number;
  byKey: Map<string, ReadyNodes>;
}

const readyCache = new WeakMap<readonly Node[], ReadyCache>();

/**
 * `readyNodesInDCsAndPool` over the state's nodes, reused while the state's
 * `nodesVersion` stays the same (computed afresh when the state does not
 * offer it). The result is shared: callers must not modify it.
 */
export function readyNodesForJob(
  state: SchedulerState & SchedulerStateFastPaths,
  datacenters: readonly string[] | null | undefined,
  pool: string | null | undefined,
): ReadyNodes {
  const all = state.nodes();
  const version = state.nodesVersion?.();
  if (version === undefined) return readyNodesInDCsAndPool(all, datacenters, pool);
  let c = readyCache.get(all);
  if (!c || c.version !== version) {
    c = { version, byKey: new Map() };
    readyCache.set(all, c);
  }
  const key = `${pool ?? ""}\u0000${(datacenters ?? []).join("\u0000")}`;
  let r = c.byKey.get(key);
  if (!r) {
    r = readyNodesInDCsAndPool(all, datacenters, pool);
    c.byKey.set(key, r);
  }
  return r;
}
