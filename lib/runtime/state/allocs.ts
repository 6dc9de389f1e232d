/**
 * Allocations (Nomad's `state_store.go` allocation functions): the rows, their
 * indexes by job, node, evaluation and deployment, and the usage tallies of
 * the nodes they run on.
 */
import type { Allocation } from "../structs";
import { allocTerminal } from "../structs/allocation";
import { allocUsage, type NodeUsageTallies } from "./node-usage";
import type { StateTables } from "./schema";

/** How an allocation row is persisted: its job as a reference to a stored version. */
export interface PersistedAlloc extends Omit<Allocation, "Job"> {
  /** The stored job version the allocation runs. */
  Job: { Namespace: string; ID: string; Version: number };
}

/** The persisted form of an allocation. */
export function persistedAlloc(a: Allocation): PersistedAlloc {
  return { ...a, Job: { Namespace: a.Job.Namespace, ID: a.Job.ID, Version: a.Job.Version } };
}

/** Stores an allocation, keeping its node's usage tally; returns the row it replaced. */
export function applyAlloc(t: StateTables, usage: NodeUsageTallies, a: Allocation): Allocation | undefined {
  const old = t.allocs.put(a);
  if (old && !allocTerminal(old)) usage.add(old.NodeID, allocUsage(old), -1, t.nodes.get(old.NodeID));
  if (!allocTerminal(a)) usage.add(a.NodeID, allocUsage(a), 1, t.nodes.get(a.NodeID));
  return old;
}

/** Removes an allocation (garbage collection, node purge); returns it. */
export function applyAllocDelete(t: StateTables, usage: NodeUsageTallies, id: string): Allocation | undefined {
  const a = t.allocs.delete(id);
  if (a && !allocTerminal(a)) usage.add(a.NodeID, allocUsage(a), -1, t.nodes.get(a.NodeID));
  return a;
}
