/**
 * Resource fit and the bin-pack/spread-fit score (Nomad's `BinPackIterator`
 * and `ScoreFitBinPack`/`ScoreFitSpread` in `nomad/structs/funcs.go`).
 */
import type { AllocatedTaskResources, Allocation, Node } from "../../structs";
import { DEFAULT_JOB_PRIORITY } from "../../structs";
import type { EvalContext } from "../context";
import { exhaustedDimension, nodeCapacity } from "../fit";
import type { NodeUsage } from "../interfaces";
import type { JobView, NetworkView, TaskGroupView } from "../job-view";
import { exhaustedNode } from "../metrics";
import { NetworkIndex } from "../network-index";
import { addAllocUsage, emptyUsage, groupDiskMB, taskResourcesFor, taskSums } from "../resources";
import { Preemptor } from "./preemptor";
import type { RankIterator, RankedNode } from "./ranked-node";

/** The largest fit score (`binPackingMaxFitScore`). */
const BIN_PACKING_MAX_FIT_SCORE = 18;

/** 10^freeCpu + 10^freeMem, computed without allocating. */
function freeSum(node: Node, used: NodeUsage): number {
  const r = node.ReservedResources;
  const cpu = node.NodeResources.Cpu.CpuShares - (r?.Cpu.CpuShares ?? 0);
  const mem = node.NodeResources.Memory.MemoryMB - (r?.Memory.MemoryMB ?? 0);
  return Math.pow(10, 1 - used.cpu / cpu) + Math.pow(10, 1 - used.memoryMB / mem);
}

/** Nomad's BestFit v3: clamp(20 − (10^freeCpu + 10^freeMem), 0, 18). Empty node 0, full node 18. */
export function scoreFitBinPack(node: Node, used: NodeUsage): number {
  return Math.min(BIN_PACKING_MAX_FIT_SCORE, Math.max(0, 20 - freeSum(node, used)));
}

/** Worst fit for the "spread" algorithm: clamp((10^freeCpu + 10^freeMem) − 2, 0, 18). */
export function scoreFitSpread(node: Node, used: NodeUsage): number {
  return Math.min(BIN_PACKING_MAX_FIT_SCORE, Math.max(0, freeSum(node, used) - 2));
}

/**
 * Checks that the group fits on each node (proposed usage plus the ask;
 * ports through a NetworkIndex), marks nodes that do not as exhausted, and
 * appends the fit score divided by 18 under "binpack". With `evict`, a node
 * that does not fit is given a second chance: the `Preemptor` picks
 * lower-priority allocations to evict (first the holders of asked static
 * ports, then CPU/memory/disk), recorded on the option's `preemptedAllocs`;
 * the fit score is computed before the evictions, as Nomad does.
 */
export class BinPackIterator implements RankIterator {
  private tasks: Record<string, AllocatedTaskResources> = {};
  private askCpu = 0;
  private askMem = 0;
  private askDisk = 0;
  private network: NetworkView | null = null;
  private readonly used = emptyUsage();
  /** Use worst fit (SchedulerAlgorithm "spread") instead of best fit. */
  spread = false;
  /** Evict lower-priority allocations when the group does not fit (Nomad's `evict`, set per Select). Default false. */
  evict = false;
  private jobPriority = DEFAULT_JOB_PRIORITY;
  private jobNamespace = "";
  private jobID = "";

  constructor(
    private readonly ctx: EvalContext,
    private readonly source: RankIterator,
  ) {}

  /** Sets the job being placed: its priority decides what it may preempt, and its own allocations are never preempted. */
  setJob(job: JobView): void {
    this.jobPriority = job.Priority ?? DEFAULT_JOB_PRIORITY;
    this.jobNamespace = job.Namespace;
    this.jobID = job.ID;
  }

  /** Sets the group being placed; its per-task resources are shared by every allocation this eval places. */
  setTaskGroup(tg: TaskGroupView, tasks?: Record<string, AllocatedTaskResources>): void {
    this.tasks = tasks ?? taskResourcesFor(tg, this.ctx.state.schedulerConfig?.()?.MemoryOversubscriptionEnabled ?? false);
    const s = taskSums(this.tasks);
    this.askCpu = s.cpu;
    this.askMem = s.memoryMB;
    this.askDisk = groupDiskMB(tg);
    const net = tg.Networks?.[0] ?? null;
    this.network = net && ((net.ReservedPorts?.length ?? 0) > 0 || (net.DynamicPorts?.length ?? 0) > 0) ? net : null;
  }

  next(): RankedNode | null {
    for (let option = this.source.next(); option !== null; option = this.source.next()) {
      const node = option.node;
      const used = this.ctx.proposedUsage(node.ID, this.used, node);
      used.cpu += this.askCpu;
      used.memoryMB += this.askMem;
      used.diskMB += this.askDisk;
      let dim = exhaustedDimension(node, used);
      if (dim && !this.evict) {
        exhaustedNode(this.ctx.metrics, node, dim);
        continue;
      }
      let proposed: Allocation[] | null = null;
      let preempted: Allocation[] | null = null;
      if (this.network) {
        const idx = new NetworkIndex();
        const bad = idx.setNode(node);
        if (bad) {
          exhaustedNode(this.ctx.metrics, node, "network: reserved node port collision");
          continue;
        }
        proposed = this.ctx.proposedAllocs(node.ID);
        if (idx.addAllocs(proposed)) {
          exhaustedNode(this.ctx.metrics, node, "network: port collision");
          continue;
        }
        let ports = idx.assignPorts(this.network, this.ctx.randomInt);
        if (typeof ports === "string" && this.evict) {
          // Free the asked static ports held by lower-priority allocations, then try the offer again.
          const preemptor = this.newPreemptor();
          preemptor.setCandidates(proposed);
          const freed = preemptor.preemptForPorts(this.network);
          if (freed && freed.length > 0) {
            preempted = freed;
            proposed = proposed.filter((a) => !freed.includes(a));
            const retry = new NetworkIndex();
            retry.setNode(node);
            retry.addAllocs(proposed);
            ports = retry.assignPorts(this.network, this.ctx.randomInt);
            for (const a of freed) addAllocUsage(used, a, -1);
            dim = exhaustedDimension(node, used);
          }
        }
        if (typeof ports === "string") {
          exhaustedNode(this.ctx.metrics, node, `network: ${ports}`);
          continue;
        }
        option.ports = ports;
      }
      if (dim) {
        // Evict lower-priority allocations until the group fits (the usage so far counts every proposed allocation).
        proposed ??= this.ctx.proposedAllocs(node.ID);
        const already = preempted;
        const preemptor = this.newPreemptor();
        preemptor.setCandidates(already ? proposed.filter((a) => !already.includes(a)) : proposed);
        const cap = nodeCapacity(node);
        const remaining = {
          cpu: cap.cpu - (used.cpu - this.askCpu),
          memoryMB: cap.memoryMB - (used.memoryMB - this.askMem),
          diskMB: cap.diskMB - (used.diskMB - this.askDisk),
        };
        const chosen = preemptor.preemptForTaskGroup({ cpu: this.askCpu, memoryMB: this.askMem, diskMB: this.askDisk }, remaining);
        if (!chosen || chosen.length === 0) {
          exhaustedNode(this.ctx.metrics, node, dim);
          continue;
        }
        preempted = already ? [...already, ...chosen] : chosen;
      }
      option.preemptedAllocs = preempted && preempted.length > 0 ? preempted : null;
      option.taskResources = this.tasks;
      const fit = this.spread ? scoreFitSpread(node, used) : scoreFitBinPack(node, used);
      option.scores.push(fit / BIN_PACKING_MAX_FIT_SCORE);
      option.scoreNames.push("binpack");
      return option;
    }
    return null;
  }

  private newPreemptor(): Preemptor {
    return new Preemptor(this.jobPriority, this.jobNamespace, this.jobID, this.ctx.preemptionsOf);
  }

  reset(): void {
    this.source.reset();
  }
}
