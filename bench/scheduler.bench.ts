/**
 * Scheduler throughput and memory through the Harness (no HTTP): service
 * jobs of 1,000 allocations each (100 MHz / 128 MB, so they fit) placed on
 * 1,000 / 10,000 / 50,000 big simulated nodes, with Nomad's limited scoring
 * (log2(n) nodes per placement) against the naive baseline that scores every
 * feasible node (`scoreAllNodes`), in the same run. Reports placements per
 * second (wall and per CPU second), heap per allocation, growth from 1,000
 * nodes, peak RSS and the projection to 1,000,000 allocations.
 *
 * Set BENCH_SCHEDULER_FULL=1 to also hold 1,000,000 allocations for real
 * (1,000 jobs × 1,000 on 10,000 nodes; a few minutes) and report their heap
 * and the peak RSS.
 *
 * Preemption: a priority-80 system job placed on N nodes each full of four
 * priority-20 service allocations (every placement evicts one), against the
 * same placement on nodes holding three (room for it: the baseline), at
 * 1,000 and 5,000 nodes; the time of the system job's evaluation only (best
 * of three, after a warm-up of both paths).
 * BENCH_SCHEDULER_PREEMPTION_ONLY=1 runs just that table.
 */
import type { Node } from "../lib/runtime/structs";
import { Harness, mockJob, mockNode } from "../lib/runtime/scheduler";
import { fmt, heapUsedMiB, printTable } from "./harness";

/** Title printed by the bench runner. */
export const title = "scheduler: placements/s and heap per allocation, limited scoring vs scoring every node";

function bigNode(i: number): Node {
  const hex = i.toString(16).padStart(12, "0");
  return mockNode({
    ID: `10000000-0000-4000-8000-${hex}`,
    Name: `node-${i}`,
    Datacenter: i % 2 ? "dc2" : "dc1",
    Meta: { rack: `r${i % 25}` },
    NodeResources: {
      ...mockNode().NodeResources,
      Cpu: { CpuShares: 64000 },
      Memory: { MemoryMB: 256 * 1024 },
    },
  });
}

interface Result {
  placements: number;
  seconds: number;
  /** CPU seconds (user + system, all threads): fairer than wall time on a shared machine. */
  cpuSeconds: number;
  heapMiB: number;
  heapPerAllocBytes: number;
  failed: number;
}

/** Peak resident set size of this process so far, in MiB. */
function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Places `jobs` × `count` allocations on `nodes` nodes; returns throughput and memory. */
function place(nodes: number, jobs: number, count: number, scoreAllNodes: boolean, progress = false): Result {
  // Plans are not kept by the harness: the heap then holds what a server holds (state), not a log of every plan.
  const h = new Harness({ seed: 42, scoreAllNodes, retainPlans: false });
  const list: Node[] = [];
  for (let i = 0; i < nodes; i++) list.push(bigNode(i));
  h.upsertNodes(list);
  const before = heapUsedMiB();
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let failed = 0;
  for (let j = 0; j < jobs; j++) {
    const job = h.upsertJob(
      mockJob({
        ID: `bench-${j}`,
        Datacenters: ["dc1", "dc2"],
        group: {
          Count: count,
          Networks: null,
          Tasks: [{ Name: "app", Driver: "mock_driver", Config: { run_for: "1h" }, Resources: { CPU: 100, MemoryMB: 128 } }],
        },
      }),
    );
    h.run(job);
    failed += h.lastEval().QueuedAllocations?.web ?? 0;
    if (progress && (j + 1) % 100 === 0)
      console.log(
        `  … ${fmt((j + 1) * count)} allocations placed, heap ${fmt(process.memoryUsage().heapUsed / 2 ** 20)} MiB, ${fmt(((j + 1) * count) / ((performance.now() - start) / 1000))}/s`,
      );
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const placements = jobs * count - failed;
  const after = heapUsedMiB();
  return {
    placements,
    seconds,
    cpuSeconds,
    heapMiB: after,
    heapPerAllocBytes: ((after - before) * 1024 * 1024) / Math.max(1, placements),
    failed,
  };
}

/** The outcome of placing the system job in the preemption case. */
interface SystemResult {
  placed: number;
  preempted: number;
  seconds: number;
  cpuSeconds: number;
}

/** N nodes of 3900 MHz / 7936 MB each holding `perNode` priority-20 allocations of 900 MHz / 1900 MB; then a priority-80 system job asking 500 MHz / 500 MB is placed on every node. */
function placeSystem(nodes: number, perNode: number): SystemResult {
  const h = new Harness({ seed: 7, retainPlans: false });
  const list: Node[] = [];
  for (let i = 0; i < nodes; i++)
    list.push(mockNode({ ID: `20000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`, Name: `n-${i}` }));
  h.upsertNodes(list);
  const low = h.upsertJob(
    mockJob({
      ID: "low",
      Priority: 20,
      group: {
        Count: nodes * perNode,
        Networks: null,
        EphemeralDisk: { SizeMB: 10 },
        Tasks: [{ Name: "app", Driver: "mock_driver", Config: { run_for: "1h" }, Resources: { CPU: 900, MemoryMB: 1900 } }],
      },
    }),
  );
  h.run(low);
  const unplaced = h.lastEval().QueuedAllocations?.web ?? 0;
  if (unplaced) throw new Error(`setup: ${unplaced} low-priority allocations did not fit`);
  const sys = h.upsertJob(
    mockJob({
      ID: "sys",
      Type: "system",
      Priority: 80,
      group: {
        Count: 1,
        Networks: null,
        EphemeralDisk: { SizeMB: 10 },
        Tasks: [{ Name: "agent", Driver: "mock_driver", Config: { run_for: "1h" }, Resources: { CPU: 500, MemoryMB: 500 } }],
      },
    }),
  );
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  h.run(sys);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - start) / 1000;
  const placed = h.liveAllocs("default", "sys").length;
  const preempted = h.allocsByJob("default", "low").filter((a) => a.DesiredStatus === "evict").length;
  if (placed !== nodes) throw new Error(`the system job placed ${placed} of ${nodes}`);
  return { placed, preempted, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** The preemption table: the system job on full nodes (one eviction per node) vs on nodes with room. */
function runPreemption(): void {
  const rows: (string | number)[][] = [];
  // Warm up both paths (JIT) before measuring; then the best of three runs of each, alternating.
  placeSystem(200, 3);
  placeSystem(200, 4);
  const best = (a: SystemResult, b: SystemResult) => (b.seconds < a.seconds ? b : a);
  for (const nodes of [1000, 5000]) {
    let room = placeSystem(nodes, 3);
    let full = placeSystem(nodes, 4);
    for (let i = 0; i < 2; i++) {
      room = best(room, placeSystem(nodes, 3));
      full = best(full, placeSystem(nodes, 4));
    }
    const rps = room.placed / room.seconds;
    const fps = full.placed / full.seconds;
    rows.push([
      fmt(nodes),
      fmt(rps),
      fmt(room.placed / room.cpuSeconds),
      fmt(fps),
      fmt(full.placed / full.cpuSeconds),
      fmt(full.preempted),
      `${fmt(fps / rps, 2)}×`,
    ]);
  }
  console.log(
    "\nPreemption: a priority-80 system job on N nodes full of priority-20 allocations (one eviction each) vs the same placement with room:",
  );
  printTable(
    ["nodes", "with room: placements/s", "per CPU-s", "preempting: placements/s", "per CPU-s", "evicted", "ratio (preempting / room)"],
    rows,
  );
}

/** Runs the benchmark. */
export async function run(): Promise<void> {
  if (process.env.BENCH_SCHEDULER_PREEMPTION_ONLY === "1") {
    runPreemption();
    return;
  }
  const rows: (string | number)[][] = [];
  const sizes: [number, number][] = [
    [1000, 100],
    [10000, 100],
    [50000, 100],
  ];
  const rates: number[] = [];
  const heaps: number[] = [];
  let perAlloc = 0;
  for (const [nodes, jobs] of sizes) {
    const limited = place(nodes, jobs, 1000, false);
    // The baseline scores every node per placement: fewer jobs keep it to seconds.
    const baselineJobs = Math.max(1, Math.round(2e6 / (nodes * 1000)));
    const naive = place(nodes, baselineJobs, 1000, true);
    const lps = limited.placements / limited.seconds;
    const nps = naive.placements / naive.seconds;
    rates.push(lps);
    heaps.push(limited.heapMiB);
    if (nodes === 10000) perAlloc = limited.heapPerAllocBytes;
    rows.push([
      fmt(nodes),
      `${jobs}×1000`,
      fmt(limited.placements),
      fmt(lps),
      fmt(limited.placements / limited.cpuSeconds),
      `${baselineJobs}×1000`,
      fmt(nps),
      `${fmt(lps / nps, 1)}×`,
      fmt(limited.heapMiB),
      fmt(limited.heapPerAllocBytes),
      limited.failed,
    ]);
  }
  printTable(
    [
      "nodes",
      "jobs",
      "placed",
      "placements/s",
      "per CPU-s",
      "baseline jobs",
      "baseline placements/s (score all)",
      "ratio",
      "heap MiB",
      "heap B/alloc",
      "unplaced",
    ],
    rows,
  );
  console.log(
    `\nGrowth from 1,000 nodes: placements/s ×${fmt(rates[1] / rates[0], 2)} at 10,000 and ×${fmt(rates[2] / rates[0], 2)} at 50,000; heap ×${fmt(heaps[1] / heaps[0], 2)} and ×${fmt(heaps[2] / heaps[0], 2)} (each row holds its own 100,000 allocations and its nodes).`,
  );
  console.log(`Peak RSS of the run so far: ${fmt(peakRssMiB())} MiB.`);
  console.log(
    `Load average at the end: ${require("node:os")
      .loadavg()
      .map((x: number) => x.toFixed(1))
      .join(" ")} (other processes share the 2 cores; wall-clock rates drop with load, per CPU-s less so).`,
  );
  console.log(
    `Projected heap for 1,000,000 allocations at ${fmt(perAlloc)} B each: ${fmt((perAlloc * 1e6) / 1024 ** 3, 2)} GiB (goal < 4 GB).`,
  );
  if (process.env.BENCH_SCHEDULER_FULL === "1") {
    console.log("\nBENCH_SCHEDULER_FULL=1: holding 1,000,000 allocations (1,000 jobs × 1,000 on 10,000 nodes):");
    const full = place(10000, 1000, 1000, false, true);
    console.log(
      `Held ${fmt(full.placements)} allocations: heap ${fmt(full.heapMiB)} MiB (${fmt(full.heapPerAllocBytes)} B per allocation), peak RSS ${fmt(peakRssMiB())} MiB, ${fmt(full.placements / full.seconds)} placements/s (${fmt(full.placements / full.cpuSeconds)} per CPU-s), ${full.failed} unplaced.`,
    );
  } else console.log("Set BENCH_SCHEDULER_FULL=1 to hold 1,000,000 allocations for real.");
  runPreemption();
}
