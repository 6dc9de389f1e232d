/**
 * Real tasks: N short raw_exec batch tasks (`sh -c 'echo …'`) registered
 * over HTTP to an in-process agent and run to completion by its client
 * (task directories, environment, log files, process groups, status sync),
 * against spawning the same N shells directly with child_process in the
 * same run, with as many in flight. After each run it checks what a leak
 * would leave: zombie children, processes still working in the client
 * directory, and descriptors left open (counted against the start).
 */
import { spawn } from "node:child_process";
import { startAgent } from "../lib/runtime/agent";
import { openFds, processesUnder, zombieChildren } from "../test/helpers/proc";
import { fmt, printTable } from "./harness";

/** Title shown by `npm run bench`. */
export const title = "drivers: short raw_exec batch tasks through the agent vs child_process.spawn";

const SCRIPT = 'echo "$NOMAD_ALLOC_INDEX $NOMAD_TASK_NAME"';
const PER_JOB = 100;

async function settle<T>(what: string, check: () => T | null | undefined | false, timeoutMs = 300_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs n tasks through the agent; returns ms and what was left behind. */
async function viaAgent(n: number): Promise<{ ms: number; zombies: number; leftover: number; fdDelta: number; taskFds: number }> {
  const agent = await startAgent({
    bind: "127.0.0.1",
    port: 0,
    syncIntervalMs: 20,
    plugins: { raw_exec: { enabled: true } },
    localNode: { cpuMHz: 1_000_000, memoryMB: 1_000_000 },
  });
  try {
    const clientDir = agent.client!.clientDir;
    const fdsBefore = openFds().length;
    const jobs = Math.ceil(n / PER_JOB);
    const start = performance.now();
    for (let j = 0; j < jobs; j++) {
      const count = Math.min(PER_JOB, n - j * PER_JOB);
      const job = {
        ID: `short-${j}`,
        Type: "batch",
        Datacenters: ["dc1"],
        TaskGroups: [
          {
            Name: "g",
            Count: count,
            RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: "fail" },
            Tasks: [
              { Name: "t", Driver: "raw_exec", Config: { command: "/bin/sh", args: ["-c", SCRIPT] }, Resources: { CPU: 10, MemoryMB: 10 } },
            ],
          },
        ],
      };
      const res = await fetch(`${agent.address}/v1/jobs`, { method: "PUT", body: JSON.stringify({ Job: job }) });
      if (res.status !== 200) throw new Error(`register returned ${res.status}: ${await res.text()}`);
    }
    await settle(`${n} complete allocations`, () => {
      let complete = 0;
      for (const a of agent.server.store.allocs()) {
        if (a.ClientStatus === "failed") throw new Error(`allocation ${a.Name} failed`);
        if (a.ClientStatus === "complete") complete++;
      }
      return complete === n;
    });
    const ms = performance.now() - start;
    await settle("no zombies", () => zombieChildren().length === 0, 10_000).catch(() => undefined);
    const zombies = zombieChildren().length;
    const leftover = processesUnder(clientDir).length;
    const fds = openFds();
    const fdDelta = fds.length - fdsBefore;
    const taskFds = fds.filter((f) => f.startsWith(clientDir)).length;
    return { ms, zombies, leftover, fdDelta, taskFds };
  } finally {
    await agent.stop();
  }
}

/** The baseline: n shells spawned directly, `concurrency` at a time. */
async function viaSpawn(n: number, concurrency: number): Promise<number> {
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await new Promise<void>((resolve, reject) => {
        const child = spawn("/bin/sh", ["-c", SCRIPT], {
          env: { ...process.env, NOMAD_ALLOC_INDEX: String(i), NOMAD_TASK_NAME: "t" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout.resume();
        child.stderr.resume();
        child.once("error", reject);
        child.once("exit", () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

/** Runs 100, 1,000 (the number) and 2,000 tasks (BENCH_DRIVERS_SIZES=100,1000 picks sizes). */
export async function run(): Promise<void> {
  const sizes = (process.env.BENCH_DRIVERS_SIZES ?? "100,1000,2000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  const rows: (string | number)[][] = [];
  const perTask: number[] = [];
  for (const n of sizes) {
    const agent = await viaAgent(n);
    const raw = await viaSpawn(n, PER_JOB);
    perTask.push(agent.ms / n);
    rows.push([
      fmt(n),
      fmt(agent.ms / 1000, 2),
      fmt((n * 1000) / agent.ms),
      fmt((n * 1000) / raw),
      `${fmt(agent.ms / raw, 2)}×`,
      agent.zombies,
      agent.leftover,
      agent.taskFds,
      agent.fdDelta,
    ]);
  }
  printTable(
    ["tasks", "agent s", "tasks/s", "spawn tasks/s", "agent/spawn time", "zombies", "processes left", "task fds open", "fds vs start"],
    rows,
  );
  console.log(`\nTasks registered as batch jobs of ${PER_JOB}; the baseline spawns ${PER_JOB} at a time.`);
  console.log(
    "task fds open: descriptors of the agent's process on files under the client directory; fds vs start also counts HTTP keep-alive sockets.",
  );
  if (perTask.length > 1)
    console.log(`time per task relative to ${fmt(sizes[0])} tasks: ${perTask.map((t) => fmt(t / perTask[0], 2)).join(" → ")}`);
}
