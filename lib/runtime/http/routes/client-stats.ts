/**
 * Resource usage as Nomad's client reports it (`cstructs.AllocResourceUsage`,
 * `HostStats`): CPU and memory of a task's processes read from `/proc` by
 * pid when the client knows the pids, zeros with an empty `Measured` list
 * when it does not (simulated tasks, or a platform without `/proc`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import type { AllocResourceUsage, HostStats, ResourceUsage, TaskResourceUsage } from "../../../api/types/client";

const CLOCK_TICKS = 100;
/** Previous CPU samples by pid, to turn tick counters into a percentage (bounded). */
const lastSample = new Map<number, { ticks: number; atMs: number; percent: number }>();
const MAX_SAMPLES = 4096;

function zeroUsage(measured: boolean): ResourceUsage {
  return {
    MemoryStats: {
      RSS: 0,
      Cache: 0,
      Swap: 0,
      MappedFile: 0,
      Usage: 0,
      MaxUsage: 0,
      KernelUsage: 0,
      KernelMaxUsage: 0,
      Measured: measured ? ["RSS", "Swap"] : [],
    },
    CpuStats: {
      SystemMode: 0,
      UserMode: 0,
      TotalTicks: 0,
      ThrottledPeriods: 0,
      ThrottledTime: 0,
      Percent: 0,
      Measured: measured ? ["System Mode", "User Mode", "Percent"] : [],
    },
    DeviceStats: [],
  };
}

/** Usage of one process from `/proc/<pid>`, or undefined when it is gone or unreadable. */
function processUsage(pid: number, nowMs = Date.now()): ResourceUsage | undefined {
  let stat: string;
  let status: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const ticks = utime + stime;
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  };
  const prev = lastSample.get(pid);
  let percent = prev?.percent ?? 0;
  if (prev && nowMs > prev.atMs) percent = (((ticks - prev.ticks) / CLOCK_TICKS) * 1000 * 100) / (nowMs - prev.atMs);
  if (!prev || nowMs - prev.atMs >= 100) {
    if (lastSample.size >= MAX_SAMPLES) lastSample.delete(lastSample.keys().next().value as number);
    lastSample.set(pid, { ticks, atMs: nowMs, percent });
  }
  const u = zeroUsage(true);
  u.MemoryStats.RSS = kb("VmRSS");
  u.MemoryStats.Swap = kb("VmSwap");
  u.MemoryStats.Usage = u.MemoryStats.RSS;
  u.MemoryStats.MaxUsage = kb("VmHWM");
  u.CpuStats.UserMode = (utime / CLOCK_TICKS) * 1e9;
  u.CpuStats.SystemMode = (stime / CLOCK_TICKS) * 1e9;
  u.CpuStats.Percent = Math.max(0, percent);
  // Nomad's TotalTicks is the percentage scaled to the host's MHz.
  u.CpuStats.TotalTicks = (Math.max(0, percent) / 100) * (os.cpus()[0]?.speed ?? 0);
  return u;
}

function add(into: ResourceUsage, u: ResourceUsage): void {
  const m = into.MemoryStats;
  m.RSS += u.MemoryStats.RSS;
  m.Swap += u.MemoryStats.Swap;
  m.Usage += u.MemoryStats.Usage;
  m.MaxUsage += u.MemoryStats.MaxUsage;
  const c = into.CpuStats;
  c.UserMode += u.CpuStats.UserMode;
  c.SystemMode += u.CpuStats.SystemMode;
  c.Percent += u.CpuStats.Percent;
  c.TotalTicks += u.CpuStats.TotalTicks;
  m.Measured = u.MemoryStats.Measured;
  c.Measured = u.CpuStats.Measured;
}

/** Usage of one task: the sum over its pids (zeros, nothing measured, when none is known). */
function taskUsage(pids: readonly number[], nowMs = Date.now()): TaskResourceUsage {
  const total = zeroUsage(false);
  const perPid: Record<string, ResourceUsage> = {};
  for (const pid of pids) {
    const u = processUsage(pid, nowMs);
    if (!u) continue;
    perPid[String(pid)] = u;
    add(total, u);
  }
  return { ResourceUsage: total, Timestamp: nowMs * 1_000_000, Pids: Object.keys(perPid).length ? perPid : null };
}

/** Usage of an allocation: its tasks and their sum. */
export function allocUsage(tasks: readonly string[], pidsOf: (task: string) => number[], nowMs = Date.now()): AllocResourceUsage {
  const total = zeroUsage(false);
  const out: Record<string, TaskResourceUsage> = {};
  for (const t of tasks) {
    const u = taskUsage(pidsOf(t), nowMs);
    out[t] = u;
    if (u.Pids) add(total, u.ResourceUsage);
  }
  return { ResourceUsage: total, Tasks: out, Timestamp: nowMs * 1_000_000 };
}

/** `cstructs.HostStats` of this machine (the local node; simulated nodes report the same host). */
export function hostStats(dataDir: string, nowMs = Date.now()): HostStats {
  const cpus = os.cpus();
  let disk: Record<string, unknown> | null = null;
  try {
    const s = fs.statfsSync(dataDir || os.tmpdir());
    const size = s.blocks * s.bsize;
    const available = s.bavail * s.bsize;
    const used = size - s.bfree * s.bsize;
    disk = {
      Device: "",
      Mountpoint: dataDir || os.tmpdir(),
      Size: size,
      Used: used,
      Available: available,
      UsedPercent: size ? (used / size) * 100 : 0,
      InodesUsedPercent: s.files ? ((s.files - s.ffree) / s.files) * 100 : 0,
    };
  } catch {
    disk = null;
  }
  const total = os.totalmem();
  const free = os.freemem();
  return {
    Memory: { Total: total, Available: free, Used: total - free, Free: free },
    CPU: cpus.map((c, i) => {
      const sum = c.times.user + c.times.sys + c.times.idle + c.times.nice + c.times.irq || 1;
      return {
        CPU: `cpu${i}`,
        User: (c.times.user / sum) * 100,
        System: (c.times.sys / sum) * 100,
        Idle: (c.times.idle / sum) * 100,
        Total: ((sum - c.times.idle) / sum) * 100,
      };
    }),
    CPUTicksConsumed: 0,
    DiskStats: disk ? [disk] : [],
    AllocDirStats: disk,
    DeviceStats: [],
    Uptime: Math.floor(os.uptime()),
    Timestamp: nowMs * 1_000_000,
  };
}
