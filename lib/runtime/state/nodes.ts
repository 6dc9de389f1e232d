/** Client nodes (Nomad's `state_store.go` node functions). */
import type { Node } from "../structs";
import { internNodeClass } from "../structs";
import type { NodeUsageTallies } from "./node-usage";
import { setNodeUsageSlot } from "./node-usage";
import type { StateTables } from "./schema";

/** The nodes ordered by ID (rebuilt only when a node is added or removed) and a version that moves on every node write. */
export class NodeList {
  private sorted: Node[] | null = null;
  private version: number;

  /** @param startVersion the version to count on from (a restored store continues its predecessor's count, so caches keyed by it never see a number twice). */
  constructor(startVersion = 0) {
    this.version = startVersion;
  }

  /** All nodes, ordered by ID. */
  all(t: StateTables): readonly Node[] {
    if (!this.sorted) this.sorted = [...t.nodes.values()].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
    return this.sorted;
  }

  /** A number that changes on every node write (the scheduler's cache key for base node sets). */
  get current(): number {
    return this.version;
  }

  /** Stores a node, attaching its usage tally and sharing its computed class string with the nodes of its class. */
  apply(t: StateTables, usage: NodeUsageTallies, n: Node): void {
    this.version++;
    const u = usage.get(n.ID);
    if (u) setNodeUsageSlot(n, u);
    if (n.ComputedClass) n.ComputedClass = internNodeClass(n.ComputedClass);
    if (!t.nodes.has(n.ID)) this.sorted = null;
    else if (this.sorted) {
      const i = this.sorted.findIndex((x) => x.ID === n.ID);
      if (i >= 0) this.sorted[i] = n;
      else this.sorted = null;
    }
    t.nodes.put(n);
  }

  /** Removes a node. */
  delete(t: StateTables, id: string): void {
    this.version++;
    t.nodes.delete(id);
    this.sorted = null;
  }
}
