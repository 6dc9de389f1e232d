/**
 * Resource arithmetic on allocations and task groups: what an allocation
 * holds and what a group asks (Nomad's `ComparableResources`).
 */
import type { AllocatedResources, AllocatedTaskResources, Allocation } from "../structs";
import type { TaskGroupView } from "./job-view";
import type { NodeUsage } from "./interfaces";

/** Nomad's default task CPU in MHz when a task sets none. */
const DEFAULT_TASK_CPU = 100;
/** Nomad's default task memory in MiB when a task sets none. */
const DEFAULT_TASK_MEMORY_MB = 300;

/** Summed CPU (MHz) and memory (MiB) of a Tasks map. */
interface TaskSums {
  cpu: number;
  memoryMB: number;
}

const taskSumsCache = new WeakMap<object, TaskSums>();

/** CPU and memory summed over an allocation's tasks (cached per shared Tasks object). */
export function taskSums(tasks: Record<string, AllocatedTaskResources>): TaskSums {
  let s = taskSumsCache.get(tasks);
  if (!s) {
    let cpu = 0;
    let memoryMB = 0;
    for (const k in tasks) {
      cpu += tasks[k].Cpu.CpuShares;
      memoryMB += tasks[k].Memory.MemoryMB;
    }
    s = { cpu, memoryMB };
    taskSumsCache.set(tasks, s);
  }
  return s;
}

/** Adds (sign 1) or removes (sign −1) one allocation's resources to a usage tally. */
export function addAllocUsage(usage: NodeUsage, alloc: Allocation, sign: 1 | -1): void {
  const r = alloc.AllocatedResources;
  const s = taskSums(r.Tasks);
  usage.cpu += sign * s.cpu;
  usage.memoryMB += sign * s.memoryMB;
  usage.diskMB += sign * r.Shared.DiskMB;
}

/** An empty usage tally. */
export function emptyUsage(): NodeUsage {
  return { cpu: 0, memoryMB: 0, diskMB: 0 };
}

/**
 * The per-task resources a group's allocations get: CPU (MHz) and memory (MiB)
 * as the tasks ask, Nomad's defaults when unset. `memory_max` is granted only
 * while the scheduler configuration's `MemoryOversubscriptionEnabled` is on
 * (`memoryOversubscription`), as Nomad's bin-packing iterator does; otherwise
 * the allocation's `MemoryMaxMB` is 0.
 */
export function taskResourcesFor(tg: TaskGroupView, memoryOversubscription: boolean): Record<string, AllocatedTaskResources> {
  const out: Record<string, AllocatedTaskResources> = {};
  for (const t of tg.Tasks) {
    const mem = t.Resources?.MemoryMB ?? DEFAULT_TASK_MEMORY_MB;
    out[t.Name] = {
      Cpu: { CpuShares: t.Resources?.CPU ?? DEFAULT_TASK_CPU, ReservedCores: null },
      Memory: { MemoryMB: mem, MemoryMaxMB: memoryOversubscription ? (t.Resources?.MemoryMaxMB ?? 0) : 0 },
      Networks: null,
      Devices: null,
    };
  }
  return out;
}

/** The group's ephemeral disk in MiB (Nomad default 300). */
export function groupDiskMB(tg: TaskGroupView): number {
  return tg.EphemeralDisk?.SizeMB ?? 300;
}

/** Builds AllocatedResources from shared task resources, a disk size and assigned ports. */
export function allocatedResources(
  tasks: Record<string, AllocatedTaskResources>,
  diskMB: number,
  ports: AllocatedResources["Shared"]["Ports"],
): AllocatedResources {
  return { Tasks: tasks, Shared: { DiskMB: diskMB, Networks: null, Ports: ports } };
}
