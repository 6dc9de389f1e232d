/**
 * The DSL's synthesis throughput: jobs of 3 groups × 3 tasks rendered from
 * constructs, validated by lib/jobspec and formatted deterministically,
 * against `JSON.stringify` of the same JSON in the same run (the floor: what
 * writing the object costs with no validation or ordering). Sizes of 100,
 * 1,000 and 10,000 jobs show how it grows.
 *
 * Then \`drover synth\` end to end on a program of 100 and 1,000 such jobs,
 * with and without its type check, first run (no build info cached) and
 * repeat run, against the run without type checking as the baseline.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import type { CommandIO } from "../lib/cli/command";
import { main } from "../lib/cli/main";
import { App, Driver, Job } from "../lib/dsl";
import { fmt, heapUsedMiB, printTable, timeMs } from "./harness";

/** Title printed by the bench runner. */
export const title = "DSL synthesis: constructs → validated, formatted job JSON";

/** A realistic job: 3 groups, each with a port, a service and check, and 3 tasks. */
function addJob(app: App, i: number): Job {
  const job = new Job(app, `job-${i}`, {
    datacenters: ["dc1", "dc2"],
    meta: { team: "platform", index: String(i) },
    update: { maxParallel: 1, minHealthyTime: "10s", healthyDeadline: "3m" },
  });
  for (let g = 0; g < 3; g++) {
    const group = job.addGroup(`group-${g}`, { count: 2, restart: { attempts: 3, interval: "5m", delay: "15s", mode: "delay" } });
    const http = group.network.addDynamicPort("http", { to: 8080 });
    group.addService(`svc-${g}`, {
      port: http,
      tags: ["web"],
      checks: [{ type: "http", path: "/health", interval: "10s", timeout: "2s" }],
    });
    for (let t = 0; t < 3; t++) {
      group.addTask(`task-${t}`, {
        driver: Driver.docker({
          image: `registry.example.com/app-${t}:1.${i % 10}.0`,
          ports: t === 0 ? [http] : undefined,
          args: ["--verbose"],
        }),
        env: { INDEX: String(i), ADDR: http.envAddr },
        resources: { cpu: 100 + t * 50, memoryMB: 128 },
        killTimeout: "10s",
      });
    }
  }
  return job;
}

/** Runs the benchmark and prints the table. */
export async function run(): Promise<void> {
  // Warm-up, so that the first size is not measured against a cold JIT.
  const warm = new App({ outdir: "unused" });
  for (let i = 0; i < 300; i++) addJob(warm, i);
  for (let round = 0; round < 3; round++) warm.synthJobs();
  const rows: (string | number)[][] = [];
  for (const n of [100, 1_000, 10_000]) {
    const app = new App({ outdir: "unused" });
    const buildMs = await timeMs(() => {
      for (let i = 0; i < n; i++) addJob(app, i);
    });
    const heapBefore = heapUsedMiB();
    let bytes = 0;
    // Best of two runs: the machine is shared, and the best run is the steadiest estimate.
    let synthMs = Infinity;
    for (let round = 0; round < 2; round++) {
      bytes = 0;
      synthMs = Math.min(
        synthMs,
        await timeMs(() => {
          for (const j of app.synthJobs()) bytes += j.text.length;
        }),
      );
    }
    const jobs = app.jobs;
    const rendered = jobs.map((j) => j.toJson());
    let baseBytes = 0;
    let baseMs = Infinity;
    for (let round = 0; round < 2; round++) {
      baseBytes = 0;
      baseMs = Math.min(
        baseMs,
        await timeMs(() => {
          for (const r of rendered) baseBytes += JSON.stringify(r, null, 2).length;
        }),
      );
    }
    const perSec = (n * 1000) / synthMs;
    rows.push([
      fmt(n),
      fmt(buildMs, 1),
      fmt(synthMs, 1),
      fmt(perSec),
      fmt((n * 1000) / baseMs),
      `${fmt(synthMs / baseMs, 1)}x`,
      fmt(bytes / n),
      fmt(heapUsedMiB() - heapBefore, 1),
    ]);
    if (Math.abs(bytes - baseBytes) > n * 4096) console.log(`note: formatted size ${bytes} differs from the baseline's ${baseBytes}`);
  }
  printTable(
    ["jobs", "build ms", "synth ms", "synth jobs/s", "JSON.stringify jobs/s", "synth / stringify", "bytes/job", "heap Δ MiB"],
    rows,
  );
  console.log(
    "\nsynth = render + lib/jobspec validateJob + formatJobJson per job (best of 2 runs after a warm-up); goal ≥ 2,000 jobs/s at 1,000 jobs.",
  );
  await runCli();
}

/** A program that builds `n` jobs like `addJob` and synthesizes them. */
function cliProgram(n: number): string {
  const dsl = JSON.stringify(path.resolve(__dirname, "..", "lib", "dsl"));
  return `import { App, Driver, Job } from ${dsl};
const app = new App();
for (let i = 0; i < ${n}; i++) {
  const job = new Job(app, \`job-\${i}\`, { datacenters: ["dc1"], update: { maxParallel: 1, minHealthyTime: "10s" } });
  for (let g = 0; g < 3; g++) {
    const group = job.addGroup(\`group-\${g}\`, { count: 2 });
    const http = group.network.addDynamicPort("http", { to: 8080 });
    group.addService(\`svc-\${g}\`, { port: http, checks: [{ type: "http", path: "/health", interval: "10s", timeout: "2s" }] });
    for (let t = 0; t < 3; t++) group.addTask(\`task-\${t}\`, { driver: Driver.docker({ image: "app:1", ports: t === 0 ? [http] : undefined }), resources: { cpu: 100, memoryMB: 128 }, killTimeout: "10s" });
  }
}
app.synth();
`;
}

/** \`drover synth\` end to end: with and without the type check, first and repeat run. */
async function runCli(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-synth-"));
  // A node_modules of its own, so that the type check's build info is cached here and the first run is cold.
  fs.mkdirSync(path.join(dir, "node_modules"));
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const io: CommandIO = { out: sink, err: sink, cwd: dir, env: { ...process.env, DROVER_OUTDIR: "" }, isTTY: false };
  const synth = async (program: string, typecheck: boolean): Promise<number> => {
    let code = 0;
    const ms = await timeMs(async () => {
      code = await main(["synth", program, "--output", "out", ...(typecheck ? [] : ["--no-typecheck"])], io);
    });
    if (code !== 0) throw new Error(`drover synth ${program} exited ${code}`);
    return ms;
  };
  const rows: (string | number)[][] = [];
  try {
    for (const n of [100, 1_000]) {
      const program = `jobs-${n}.ts`;
      fs.writeFileSync(path.join(dir, program), cliProgram(n));
      const plainFirst = await synth(program, false);
      const plainRepeat = await synth(program, false);
      fs.rmSync(path.join(dir, "node_modules", ".cache"), { recursive: true, force: true });
      const checkedFirst = await synth(program, true);
      const checkedRepeat = await synth(program, true);
      rows.push([
        fmt(n),
        fmt(plainFirst),
        fmt(plainRepeat),
        fmt((n * 1000) / plainRepeat),
        fmt(checkedFirst),
        fmt(checkedRepeat),
        `${fmt(checkedFirst / plainRepeat, 1)}x`,
        `${fmt(checkedRepeat / plainRepeat, 1)}x`,
      ]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log("\n`drover synth PROGRAM.ts` end to end (child process with tsx, validation, files written):\n");
  printTable(
    [
      "jobs",
      "no check, first ms",
      "no check, repeat ms",
      "no check jobs/s",
      "checked, first ms",
      "checked, repeat ms",
      "first / no check",
      "repeat / no check",
    ],
    rows,
  );
  console.log("\nchecked = the TypeScript type check first (incremental build info in node_modules/.cache/drover; first = none cached).");
}
