/**
 * Choosing allocations to evict so that a higher-priority placement fits
 * (Nomad's `Preemptor` in `scheduler/feasible/preemption.go`), and the score
 * of a preempting option (`PreemptionScoringIterator`, `netPriority`,
 * `preemptionScore` in `feasible/rank.go`).
 *
 * What drover's resource model covers: CPU (MHz), memory (MiB) and
 * ephemeral disk (MiB), and host ports (a static port the group asks that a
 * lower-priority allocation holds). Network bandwidth (MBits) and devices are
 * not modelled by drover's scheduler, so they are never a reason to preempt.
 */
import type { Allocation, StoredJob } from "../../structs";
import { DEFAULT_JOB_PRIORITY } from "../../structs";
import type { NetworkView } from "../job-view";
import { jobView } from "../job-view";
import type { NodeUsage } from "../interfaces";
import { taskSums } from "../resources";
import type { RankIterator, RankedNode } from "./ranked-node";

/** Added to an allocation's distance per preemption beyond its group's `migrate.max_parallel` (Nomad's `maxParallelPenalty`). */
export const MAX_PARALLEL_PENALTY = 50;

/** An allocation may be preempted only by a job whose priority is at least this much higher. */
export const PREEMPTION_PRIORITY_DELTA = 10;

/** CPU, memory and disk of an allocation or an ask (Nomad's `ComparableResources` as far as drover models it). */
export interface Comparable {
  /** MHz. */
  cpu: number;
  /** MiB. */
  memoryMB: number;
  /** MiB. */
  diskMB: number;
}

/** The resources an allocation holds. */
export function allocComparable(a: Allocation): Comparable {
  const s = taskSums(a.AllocatedResources.Tasks);
  return { cpu: s.cpu, memoryMB: s.memoryMB, diskMB: a.AllocatedResources.Shared.DiskMB };
}

function superset(have: Comparable, want: Comparable): boolean {
  return have.cpu >= want.cpu && have.memoryMB >= want.memoryMB && have.diskMB >= want.diskMB;
}

/** The priority of an allocation's job (Nomad default 50). */
export function allocPriority(a: Allocation): number {
  return (a.Job as StoredJob | undefined)?.Priority ?? DEFAULT_JOB_PRIORITY;
}

/**
 * Distance between an ask and what an allocation frees (Nomad's
 * `basicResourceDistance`): per dimension (ask − used) / ask, then the
 * Euclidean norm. Smaller means the allocation is closer to what is needed.
 */
export function basicResourceDistance(ask: Comparable, used: Comparable): number {
  const mem = ask.memoryMB > 0 ? (ask.memoryMB - used.memoryMB) / ask.memoryMB : 0;
  const cpu = ask.cpu > 0 ? (ask.cpu - used.cpu) / ask.cpu : 0;
  const disk = ask.diskMB > 0 ? (ask.diskMB - used.diskMB) / ask.diskMB : 0;
  return Math.sqrt(mem * mem + cpu * cpu + disk * disk);
}

/** The distance plus the max_parallel penalty (Nomad's `scoreForTaskGroup`): lower is better. */
export function scoreForTaskGroup(ask: Comparable, used: Comparable, maxParallel: number, alreadyPreempted: number): number {
  const penalty = maxParallel > 0 && alreadyPreempted >= maxParallel ? (alreadyPreempted + 1 - maxParallel) * MAX_PARALLEL_PENALTY : 0;
  return basicResourceDistance(ask, used) + penalty;
}

/** Preemptible allocations grouped by job priority, lowest priority first (Nomad's `filterAndGroupPreemptibleAllocs`). */
export function groupPreemptible(jobPriority: number, allocs: readonly Allocation[]): { priority: number; allocs: Allocation[] }[] {
  const byPriority = new Map<number, Allocation[]>();
  for (const a of allocs) {
    if (!a.Job) continue;
    const p = allocPriority(a);
    if (jobPriority - p < PREEMPTION_PRIORITY_DELTA) continue;
    let l = byPriority.get(p);
    if (!l) byPriority.set(p, (l = []));
    l.push(a);
  }
  return [...byPriority.entries()].sort((x, y) => x[0] - y[0]).map(([priority, list]) => ({ priority, allocs: list }));
}

/** `migrate.max_parallel` of an allocation's group (0 when unset). */
function groupMaxParallel(a: Allocation): number {
  const tg = (jobView(a.Job).TaskGroups ?? []).find((g) => g.Name === a.TaskGroup);
  return tg?.Migrate?.MaxParallel ?? 0;
}

/**
 * Finds the allocations to evict on one node for one placement. Candidates
 * are the node's proposed allocations of other jobs; only those whose job
 * priority is at least 10 below the placing job's may be chosen.
 */
export class Preemptor {
  private readonly details = new Map<string, { resources: Comparable; maxParallel: number }>();
  private candidates: Allocation[] = [];

  /**
   * @param jobPriority the placing job's priority
   * @param namespace the placing job's namespace
   * @param jobID the placing job's ID (its own allocations are never candidates)
   * @param preemptionsOf how many allocations of the same job and group as the given one the plan already preempts (Nomad's `SetPreemptions` counts); default none
   */
  constructor(
    private readonly jobPriority: number,
    private readonly namespace: string,
    private readonly jobID: string,
    private readonly preemptionsOf: (a: Allocation) => number = () => 0,
  ) {}

  /** Sets the candidates: the node's proposed allocations, without the placing job's own (Nomad's `SetCandidates`). */
  setCandidates(proposed: readonly Allocation[]): void {
    this.candidates = [];
    for (const a of proposed) {
      if (a.JobID === this.jobID && a.Namespace === this.namespace) continue;
      if (!this.details.has(a.ID)) this.details.set(a.ID, { resources: allocComparable(a), maxParallel: a.Job ? groupMaxParallel(a) : 0 });
      this.candidates.push(a);
    }
  }

  private resources(a: Allocation): Comparable {
    return this.details.get(a.ID)!.resources;
  }

  /**
   * The allocations to evict so that `ask` fits (Nomad's
   * `PreemptForTaskGroup`), or null when no set of preemptible allocations
   * frees enough. `remaining` is what the node has left with every proposed
   * allocation counted (capacity minus usage, may be negative). Priority
   * groups are visited lowest first; within one, the allocation closest to
   * what is still needed (with the max_parallel penalty) is taken until the
   * ask fits; a last pass drops allocations the others already cover.
   */
  preemptForTaskGroup(ask: Comparable, remaining: Comparable): Allocation[] | null {
    const groups = groupPreemptible(this.jobPriority, this.candidates);
    const needed = { ...ask };
    const available = { ...remaining };
    const best: Allocation[] = [];
    let met = false;
    for (const g of groups) {
      const list = g.allocs.slice();
      while (list.length > 0 && !met) {
        let closest = 0;
        let bestDistance = Number.MAX_VALUE;
        for (let i = 0; i < list.length; i++) {
          const d = this.details.get(list[i].ID)!;
          const distance = scoreForTaskGroup(needed, d.resources, d.maxParallel, this.preemptionsOf(list[i]));
          if (distance < bestDistance) {
            bestDistance = distance;
            closest = i;
          }
        }
        const chosen = list[closest];
        const r = this.resources(chosen);
        available.cpu += r.cpu;
        available.memoryMB += r.memoryMB;
        available.diskMB += r.diskMB;
        met = superset(available, ask);
        best.push(chosen);
        list[closest] = list[list.length - 1];
        list.pop();
        needed.cpu -= r.cpu;
        needed.memoryMB -= r.memoryMB;
        needed.diskMB -= r.diskMB;
      }
      if (met) break;
    }
    if (!met) return null;
    return this.filterSuperset(best, remaining, ask);
  }

  /**
   * Drops allocations whose resources the others already cover (Nomad's
   * `filterSuperset`): sorted by distance from the ask, largest first, they
   * are taken until the ask fits.
   */
  private filterSuperset(best: Allocation[], remaining: Comparable, ask: Comparable): Allocation[] {
    const dist = new Map(best.map((a) => [a.ID, basicResourceDistance(ask, this.resources(a))]));
    best.sort((x, y) => dist.get(y.ID)! - dist.get(x.ID)!);
    const available = { ...remaining };
    const out: Allocation[] = [];
    for (const a of best) {
      out.push(a);
      const r = this.resources(a);
      available.cpu += r.cpu;
      available.memoryMB += r.memoryMB;
      available.diskMB += r.diskMB;
      if (superset(available, ask)) break;
    }
    return out;
  }

  /**
   * The allocations to evict so that the group's static ports are free (the
   * reserved-ports part of Nomad's `PreemptForNetwork`): each asked static
   * port held by a candidate is freed by evicting its holder, which must be
   * preemptible; a port held by an allocation that may not be preempted
   * (same job, or priority within 10) makes it impossible (null). Returns
   * [] when no asked port is held by a candidate.
   */
  preemptForPorts(network: NetworkView): Allocation[] | null {
    const holders = new Map<number, Allocation>();
    for (const a of this.candidates) for (const p of a.AllocatedResources.Shared.Ports ?? []) holders.set(p.Value, a);
    const out: Allocation[] = [];
    for (const port of network.ReservedPorts ?? []) {
      const holder = holders.get(port.Value ?? 0);
      if (!holder) continue;
      if (!holder.Job || this.jobPriority - allocPriority(holder) < PREEMPTION_PRIORITY_DELTA) return null;
      if (!out.includes(holder)) out.push(holder);
    }
    return out;
  }
}

/** The remaining resources of a node: capacity minus the proposed usage. */
export function remainingOf(capacity: Comparable, used: NodeUsage): Comparable {
  return { cpu: capacity.cpu - used.cpu, memoryMB: capacity.memoryMB - used.memoryMB, diskMB: capacity.diskMB - used.diskMB };
}

/**
 * Nomad's `netPriority`: the highest priority among the preempted
 * allocations plus the sum of their priorities divided by that maximum (so
 * many low-priority evictions weigh more than one).
 */
export function netPriority(allocs: readonly Allocation[]): number {
  let sum = 0;
  let max = 0;
  for (const a of allocs) {
    const p = allocPriority(a);
    if (p > max) max = p;
    sum += p;
  }
  return max + sum / max;
}

/** Nomad's `preemptionScore`: a logistic curve, 1/(1 + e^(0.0048·(netPriority − 2048))), in (0, 1), higher for cheaper evictions. */
export function preemptionScore(net: number): number {
  return 1 / (1 + Math.exp(0.0048 * (net - 2048)));
}

/** Appends the preemption score (under "preemption") to options that evict allocations (Nomad's `PreemptionScoringIterator`). */
export class PreemptionScoringIterator implements RankIterator {
  constructor(private readonly source: RankIterator) {}

  next(): RankedNode | null {
    const option = this.source.next();
    if (!option || !option.preemptedAllocs) return option;
    option.scores.push(preemptionScore(netPriority(option.preemptedAllocs)));
    option.scoreNames.push("preemption");
    return option;
  }

  reset(): void {
    this.source.reset();
  }
}
