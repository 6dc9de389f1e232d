/**
 * distinct_hosts and distinct_property (Nomad's `DistinctHostsIterator`,
 * `DistinctPropertyIterator` and `propertyset.go`): both count the job's
 * proposed allocations (existing non-terminal ones not stopped by the plan,
 * plus the plan's own placements).
 */
import type { Node } from "../../structs";
import { allocTerminal } from "../../structs";
import type { EvalContext } from "../context";
import type { ConstraintView, JobView, TaskGroupView } from "../job-view";
import { filterNode } from "../metrics";
import type { FeasibleIterator } from "./iterators";
import { resolveTarget } from "./target";

/** True when a constraint list enables distinct_hosts (RTarget "", "true", or unparsable). */
function hasDistinctHosts(cs: readonly ConstraintView[] | null | undefined): boolean {
  for (const c of cs ?? []) {
    if (c.Operand !== "distinct_hosts") continue;
    const r = (c.RTarget ?? "").trim().toLowerCase();
    if (r === "false" || r === "0" || r === "f") continue;
    return true;
  }
  return false;
}

/** Filters nodes that already hold an allocation of the job (job scope) or of the group (group scope). */
export class DistinctHostsIterator implements FeasibleIterator {
  private jobDistinct = false;
  private groupDistinct = false;
  private group = "";

  constructor(
    private readonly ctx: EvalContext,
    private readonly source: FeasibleIterator,
  ) {}

  /** Reads the job-level constraint. */
  setJob(job: JobView): void {
    this.jobDistinct = hasDistinctHosts(job.Constraints);
  }

  /** Reads the group-level constraint (group and task constraints). */
  setTaskGroup(tg: TaskGroupView): void {
    this.group = tg.Name;
    this.groupDistinct = hasDistinctHosts(tg.Constraints) || tg.Tasks.some((t) => hasDistinctHosts(t.Constraints));
  }

  next(): Node | null {
    for (let node = this.source.next(); node !== null; node = this.source.next()) {
      if (!this.jobDistinct && !this.groupDistinct) return node;
      const collide = this.jobDistinct ? this.ctx.jobAllocsOnNode(node.ID) > 0 : this.ctx.groupAllocsOnNode(node.ID, this.group) > 0;
      if (!collide) return node;
      filterNode(this.ctx.metrics, node, "distinct_hosts");
    }
    return null;
  }

  reset(): void {
    this.source.reset();
  }
}

/** One distinct_property constraint with its value counts. */
interface PropertySet {
  constraint: ConstraintView;
  /** Allowed allocations per value (RTarget, default 1). */
  allowed: number;
  /** Restrict counting to this group ("" for job scope). */
  group: string;
  counts: Map<string, number>;
}

/** Filters nodes whose property value already has as many proposed allocations as the constraint allows. */
export class DistinctPropertyIterator implements FeasibleIterator {
  private job: JobView | null = null;
  private jobSets: PropertySet[] = [];
  private groupSets: PropertySet[] = [];
  private allSets: PropertySet[] = [];

  constructor(
    private readonly ctx: EvalContext,
    private readonly source: FeasibleIterator,
  ) {}

  private static sets(cs: readonly ConstraintView[] | null | undefined, group: string): PropertySet[] {
    const out: PropertySet[] = [];
    for (const c of cs ?? []) {
      if (c.Operand !== "distinct_property") continue;
      const n = c.RTarget ? parseInt(c.RTarget, 10) : 1;
      out.push({ constraint: c, allowed: Number.isFinite(n) && n > 0 ? n : 1, group, counts: new Map() });
    }
    return out;
  }

  /** Reads the job-level constraints. */
  setJob(job: JobView): void {
    this.job = job;
    this.jobSets = DistinctPropertyIterator.sets(job.Constraints, "");
    this.allSets = [...this.jobSets, ...this.groupSets];
  }

  /** Reads the group-level constraints. */
  setTaskGroup(tg: TaskGroupView): void {
    const cs = [...(tg.Constraints ?? []), ...tg.Tasks.flatMap((t) => t.Constraints ?? [])];
    this.groupSets = DistinctPropertyIterator.sets(cs, tg.Name);
    this.allSets = [...this.jobSets, ...this.groupSets];
  }

  /** Recounts values over the proposed allocations (called once per placement). */
  private recount(): void {
    const sets = this.allSets;
    if (sets.length === 0 || !this.job) return;
    for (const s of sets) s.counts.clear();
    const add = (nodeID: string, group: string) => {
      const node = this.ctx.node(nodeID);
      if (!node) return;
      for (const s of sets) {
        if (s.group && s.group !== group) continue;
        const v = resolveTarget(s.constraint.LTarget ?? "", node);
        if (v.found) s.counts.set(v.value, (s.counts.get(v.value) ?? 0) + 1);
      }
    };
    for (const a of this.ctx.state.allocsByJob(this.job.Namespace, this.job.ID)) {
      if (allocTerminal(a) || this.ctx.isReplaced(a.ID)) continue;
      add(a.NodeID, a.TaskGroup);
    }
    for (const list of Object.values(this.ctx.plan.NodeAllocation)) {
      for (const a of list) {
        if (a.JobID !== this.job.ID) continue;
        const prev = this.ctx.state.allocByID(a.ID);
        if (prev && !allocTerminal(prev)) continue; // an in-place update, already counted
        add(a.NodeID, a.TaskGroup);
      }
    }
  }

  next(): Node | null {
    const sets = this.allSets;
    outer: for (let node = this.source.next(); node !== null; node = this.source.next()) {
      for (let i = 0; i < sets.length; i++) {
        const s = sets[i];
        const v = resolveTarget(s.constraint.LTarget ?? "", node);
        if (!v.found) {
          filterNode(this.ctx.metrics, node, `missing property ${s.constraint.LTarget}`);
          continue outer;
        }
        const used = s.counts.get(v.value) ?? 0;
        if (used >= s.allowed) {
          filterNode(this.ctx.metrics, node, `distinct_property: ${s.constraint.LTarget}=${v.value} used by ${used} allocs`);
          continue outer;
        }
      }
      return node;
    }
    return null;
  }

  reset(): void {
    this.source.reset();
    this.recount();
  }
}
