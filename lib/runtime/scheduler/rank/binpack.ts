/**
 * Resource fit and the bin-pack/spread-fit score (Nomad's `BinPackIterator`
 * and `ScoreFitBinPack`/`ScoreFitSpread` in `nomad/structs/funcs.go`).
 */
import type { AllocatedTaskResources, Node } from "../../structs";
import type { EvalContext } from "../context";
import { exhaustedDimension } from "../fit";
import type { NodeUsage } from "../interfaces";
import type { NetworkView, TaskGroupView } from "../job-view";
import { exhaustedNode } from "../metrics";
import { NetworkIndex } from "../network-index";
import { emptyUsage, groupDiskMB, taskResourcesFor, taskSums } from "../resources";
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
 * appends the fit score divided by 18 under "binpack".
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

  constructor(
    private readonly ctx: EvalContext,
    private readonly source: RankIterator,
  ) {}

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
      const dim = exhaustedDimension(node, used);
      if (dim) {
        exhaustedNode(this.ctx.metrics, node, dim);
        continue;
      }
      if (this.network) {
        const idx = new NetworkIndex();
        const bad = idx.setNode(node);
        if (bad) {
          exhaustedNode(this.ctx.metrics, node, "network: reserved node port collision");
          continue;
        }
        if (idx.addAllocs(this.ctx.proposedAllocs(node.ID))) {
          exhaustedNode(this.ctx.metrics, node, "network: port collision");
          continue;
        }
        const ports = idx.assignPorts(this.network, this.ctx.randomInt);
        if (typeof ports === "string") {
          exhaustedNode(this.ctx.metrics, node, `network: ${ports}`);
          continue;
        }
        option.ports = ports;
      }
      option.taskResources = this.tasks;
      const fit = this.spread ? scoreFitSpread(node, used) : scoreFitBinPack(node, used);
      option.scores.push(fit / BIN_PACKING_MAX_FIT_SCORE);
      option.scoreNames.push("binpack");
      return option;
    }
    return null;
  }

  reset(): void {
    this.source.reset();
  }
}
