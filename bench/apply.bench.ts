/**
 * Applying jobs end to end: the time from "here are N jobs" until every one
 * of their allocations runs on the included runtime, through lib/plan
 * (`planJob` with the server's plan, then `applyJob`: register with
 * EnforceIndex and follow the evaluation and the deployment or the
 * allocations), against the least a script could do in the same run: a raw
 * `PUT /v1/jobs` per job, then one poll of `/v1/allocations` every 50 ms
 * until all of them run (or, for batch jobs, complete). Both sides use the same number of requests in
 * flight, and each measurement gets a fresh agent in a child process (20
 * simulated nodes, mock driver), so the numbers include the scheduler's and
 * the clients' work.
 *
 * Two job shapes: a batch job whose tasks run for 10 ms (no deployment:
 * apply follows its allocations until they complete, and so does the
 * baseline), and a service job with a rolling update block and
 * min_healthy_time 0 (apply follows its deployment to "successful", which
 * needs every allocation healthy, one step more than the baseline waits
 * for). A service job without an update block gets Nomad's default one
 * (max_parallel 1, min_healthy_time 10s), which would measure the timers,
 * not drover.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent as UndiciAgent, request } from "undici";
import { NomadClient } from "../lib/api";
import type { Job } from "../lib/jobspec";
import { applyJob, planJob } from "../lib/plan";
import { spawnAgent, type AgentProcess } from "./agent-process";
import { fmt, printTable } from "./harness";

/** Title shown by `npm run bench`. */
export const title = "apply: plan + register + follow until running, vs raw PUT and polling";

const COUNT = 2;
const SIM_NODES = 20;
const TIMEOUT_MS = 600_000;

/** What apply follows: a batch job's allocations to completion, or a service job's deployment. */
type Shape = "allocations" | "deployment";

function makeJob(i: number, shape: Shape): Job {
  const job: Record<string, unknown> = {
    ID: `apply-${i}`,
    Type: shape === "deployment" ? "service" : "batch",
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "web",
        Count: COUNT,
        Tasks: [
          {
            Name: "app",
            Driver: "mock_driver",
            Config: { run_for: shape === "deployment" ? "1h" : "10ms" },
            Resources: { CPU: 20, MemoryMB: 32 },
          },
        ],
      },
    ],
  };
  if (shape === "deployment") job.Update = { MaxParallel: COUNT, MinHealthyTime: 0, HealthyDeadline: 60e9, ProgressDeadline: 120e9 };
  return job as unknown as Job;
}

async function startAgent(): Promise<{ agent: AgentProcess; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-apply-"));
  const config = path.join(dir, "agent.json");
  fs.writeFileSync(
    config,
    JSON.stringify({ client: { enabled: false }, sim_nodes: [{ count: SIM_NODES, cpu: 1_000_000, memory: 1_000_000, disk: 100_000_000 }] }),
  );
  const agent = await spawnAgent(["--dev", "--port", "0", "--config", config]);
  return { agent, dir };
}

/** Runs `work(i)` for i in [0, n) with at most `concurrency` in flight. */
async function inParallel(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
}

/** lib/plan's way: plan, apply, follow. Returns milliseconds. */
async function viaPlan(address: string, n: number, shape: Shape, concurrency: number): Promise<number> {
  const client = new NomadClient({ address, timeoutMs: TIMEOUT_MS });
  try {
    const start = performance.now();
    await inParallel(n, concurrency, async (i) => {
      const plan = await planJob(client, makeJob(i, shape));
      const res = await applyJob(client, plan, { timeoutMs: TIMEOUT_MS });
      const want = shape === "deployment" ? "deployed" : "complete";
      if (res.outcome !== want) throw new Error(`apply of ${plan.jobId} ended ${res.outcome}, expected ${want}`);
    });
    return performance.now() - start;
  } finally {
    await client.close();
  }
}

/** The baseline: raw PUTs, then poll the allocation list until all run. Returns milliseconds. */
async function viaRawPut(address: string, n: number, shape: Shape, concurrency: number): Promise<number> {
  const dispatcher = new UndiciAgent({ connections: concurrency, keepAliveTimeout: 30_000 });
  try {
    const start = performance.now();
    await inParallel(n, concurrency, async (i) => {
      const res = await request(`${address}/v1/jobs`, { method: "PUT", body: JSON.stringify({ Job: makeJob(i, shape) }), dispatcher });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`register returned ${res.statusCode}: ${text}`);
    });
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const res = await request(`${address}/v1/allocations`, { dispatcher });
      const allocs = (await res.body.json()) as { ClientStatus: string; DesiredStatus: string }[];
      const want = shape === "deployment" ? "running" : "complete";
      if (allocs.filter((a) => a.DesiredStatus === "run" && a.ClientStatus === want).length >= n * COUNT) break;
      if (Date.now() > deadline) throw new Error("baseline: allocations did not all run in time");
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - start;
  } finally {
    await dispatcher.close();
  }
}

async function measure(fn: typeof viaPlan, n: number, shape: Shape, concurrency: number): Promise<number> {
  const { agent, dir } = await startAgent();
  try {
    return await fn(agent.address, n, shape, concurrency);
  } finally {
    await agent.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the benchmark at 50, 500 and 5,000 jobs with 32 in flight
 * (BENCH_APPLY_SIZES=50,500 and BENCH_APPLY_CONCURRENCY=16 change them).
 */
export async function run(): Promise<void> {
  const sizes = (process.env.BENCH_APPLY_SIZES ?? "50,500,5000")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  const concurrency = Number(process.env.BENCH_APPLY_CONCURRENCY ?? 32);
  const rows: (string | number)[][] = [];
  const perJob = new Map<Shape, number[]>();
  for (const shape of ["allocations", "deployment"] as const) {
    for (const n of sizes) {
      const ours = await measure(viaPlan, n, shape, concurrency);
      const raw = await measure(viaRawPut, n, shape, concurrency);
      const list = perJob.get(shape) ?? [];
      list.push(ours / n);
      perJob.set(shape, list);
      rows.push([
        shape === "deployment" ? "rolling update" : "batch (until complete)",
        fmt(n),
        fmt(n * COUNT),
        fmt(ours / 1000, 2),
        fmt((n * 1000) / ours),
        fmt(raw / 1000, 2),
        fmt((n * 1000) / raw),
        `${fmt(ours / raw, 2)}×`,
      ]);
    }
  }
  printTable(["job shape", "jobs", "allocs", "apply s", "jobs/s", "raw PUT+poll s", "jobs/s", "apply/raw time"], rows);
  console.log(`\n${concurrency} jobs in flight on both sides; ${SIM_NODES} simulated nodes; ${COUNT} mock_driver allocations per job.`);
  for (const [shape, list] of perJob) {
    if (list.length < 2) continue;
    const growth = list.map((ms, i) => (i === 0 ? "1.00" : fmt(ms / list[0], 2))).join(" → ");
    console.log(
      `apply time per job (${shape === "deployment" ? "rolling update" : "batch (until complete)"}), relative to the smallest size: ${growth} (1.00 everywhere = linear total cost)`,
    );
  }
}
