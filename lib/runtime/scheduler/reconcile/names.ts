/**
 * Allocation name indexes (Nomad's `allocNameIndex`): which `job.group[i]`
 * indexes are taken, and the next free ones.
 */
import type { Allocation } from "../../structs";
import { allocName, allocNameIndex } from "../../structs";

/** The taken indexes of one group's allocation names. */
export class AllocNameIndex {
  private readonly used = new Set<number>();

  constructor(
    private readonly jobID: string,
    private readonly group: string,
    /** The group's count. */
    private readonly count: number,
    existing: Iterable<Allocation>,
  ) {
    for (const a of existing) {
      const i = allocNameIndex(a.Name);
      if (i >= 0) this.used.add(i);
    }
  }

  /** The n lowest free names (beyond the count when needed); marks them taken. */
  next(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; out.length < n; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      out.push(allocName(this.jobID, this.group, i));
    }
    return out;
  }

  /** Names for canaries: first those of allocations being replaced (not already used by a canary), then free ones. */
  nextCanaries(n: number, canaries: readonly Allocation[], destructive: readonly Allocation[]): string[] {
    const out: string[] = [];
    const canaryNames = new Set(canaries.map((c) => c.Name));
    const idx = destructive
      .map((a) => allocNameIndex(a.Name))
      .filter((i) => i >= 0 && i < this.count)
      .sort((x, y) => x - y);
    for (const i of idx) {
      if (out.length >= n) return out;
      const name = allocName(this.jobID, this.group, i);
      if (canaryNames.has(name) || out.includes(name)) continue;
      out.push(name);
      this.used.add(i);
    }
    for (let i = 0; out.length < n; i++) {
      const name = allocName(this.jobID, this.group, i);
      if (this.used.has(i) || canaryNames.has(name)) continue;
      this.used.add(i);
      out.push(name);
    }
    return out;
  }

  /** The `n` allocations with the highest name index, highest first. */
  static highest(allocs: readonly Allocation[], n: number): Allocation[] {
    return [...allocs].sort((a, b) => allocNameIndex(b.Name) - allocNameIndex(a.Name) || (a.ID < b.ID ? -1 : 1)).slice(0, Math.max(0, n));
  }
}
