/**
 * drover's runtime: job registrations per second over HTTP (keep-alive
 * connections, 16 in flight) to an agent in a child process (so that the
 * load generator does not share its CPU), with state persisted in SQLite (WAL,
 * synchronous=FULL, group commit) against the in-memory store as the
 * baseline, at growing numbers of jobs. Each registered job is also
 * scheduled (batch jobs placed on 20 simulated nodes) in the same process,
 * so the numbers include the scheduler's share of the CPU. A second table
 * measures blocking-query wake-up latency. Then Nomad Variables: puts and
 * gets per second, persisted (items encrypted, SQLite) against in memory;
 * and template re-renders when one variable read by 1,000 running tasks
 * changes (simulated tasks: the same render path as real ones), against the
 * time the same tasks took to be placed, rendered and started.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent as UndiciAgent, request } from "undici";
import { startAgent } from "../lib/runtime/agent";
import { spawnAgent } from "./agent-process";
import { fmt, printTable } from "./harness";

/** Title shown by `npm run bench`. */
export const title = "runtime: job registrations over HTTP, persisted vs in memory";

function job(id: string): unknown {
  return {
    Job: {
      ID: id,
      Type: "batch",
      Datacenters: ["dc1"],
      TaskGroups: [
        {
          Name: "g",
          Count: 1,
          Tasks: [{ Name: "t", Driver: "mock_driver", Config: { run_for: "1h" }, Resources: { CPU: 10, MemoryMB: 16 } }],
        },
      ],
    },
  };
}

/** CPU time (user + system) a child process has used so far, in ms, from /proc (Linux); NaN elsewhere. */
function childCpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

async function measure(
  persist: boolean,
  jobs: number,
  concurrency: number,
): Promise<{ perSecond: number; p99ms: number; dbMiB: number; cpuMsPerJob: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-"));
  const config = path.join(dir, "agent.json");
  fs.writeFileSync(config, JSON.stringify({ client: { enabled: false }, sim_nodes: [{ count: 20, cpu: 1_000_000, memory: 1_000_000 }] }));
  const dataDir = path.join(dir, "data");
  const agent = await spawnAgent(["--dev", "--port", "0", "--config", config, ...(persist ? ["--data-dir", dataDir] : [])]);
  const dispatcher = new UndiciAgent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs) {
      const i = next++;
      const started = performance.now();
      const res = await request(`${agent.address}/v1/jobs`, {
        method: "PUT",
        body: JSON.stringify(job(`bench-${i}`)),
        dispatcher,
        headers: { "content-type": "application/json" },
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`register returned ${res.statusCode}`);
      latencies.push(performance.now() - started);
    }
  };
  // Warm-up (JIT, first-use compilation in the child) outside the measurement.
  for (let i = 0; i < 300; i += concurrency)
    await Promise.all(
      Array.from({ length: concurrency }, async (_, k) => {
        const res = await request(`${agent.address}/v1/jobs`, { method: "PUT", body: JSON.stringify(job(`warm-${i + k}`)), dispatcher });
        await res.body.text();
      }),
    );
  const cpu0 = childCpuMs(agent.child.pid);
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - start;
  // The agent's CPU per registration (including scheduling it and the simulated client running it): unlike the rate, it hardly depends on what else runs on the machine.
  const cpuMsPerJob = (childCpuMs(agent.child.pid) - cpu0) / jobs;
  await dispatcher.close();
  await agent.stop();
  let dbMiB = 0;
  if (persist)
    for (const f of fs.readdirSync(path.join(dataDir, "server")))
      dbMiB += fs.statSync(path.join(dataDir, "server", f)).size / (1024 * 1024);
  fs.rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return { perSecond: (jobs * 1000) / elapsed, p99ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0, dbMiB, cpuMsPerJob };
}

/** Resident memory of a child process in MiB, from /proc (Linux); NaN elsewhere. */
function childRssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The event stream under load: `subscribers` clients follow `/v1/event/stream`
 * (every topic) while `jobs` jobs register, 16 in flight, on an agent in a
 * child process. Returns the registration rate, the events delivered per
 * second over all subscribers (until the last one has seen the final job),
 * and the agent's resident memory at the end.
 */
async function measureEvents(
  subscribers: number,
  jobs: number,
): Promise<{ perSecond: number; eventsPerSecond: number; eventsPerSubscriber: number; rssMiB: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-"));
  const config = path.join(dir, "agent.json");
  // One address opens a stream per subscriber plus the registering connections: above Nomad's default of 100 per client.
  fs.writeFileSync(
    config,
    JSON.stringify({
      client: { enabled: false },
      sim_nodes: [{ count: 20, cpu: 1_000_000, memory: 1_000_000 }],
      limits: { http_max_conns_per_client: subscribers + 64 },
    }),
  );
  const agent = await spawnAgent(["--dev", "--port", "0", "--config", config]);
  const dispatcher = new UndiciAgent({ connections: 16, keepAliveTimeout: 30_000 });
  const streams = new UndiciAgent({ connections: subscribers + 1, bodyTimeout: 0 });
  const register = async (id: string) => {
    const res = await request(`${agent.address}/v1/jobs`, { method: "PUT", body: JSON.stringify(job(id)), dispatcher });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`register returned ${res.statusCode}`);
  };
  for (let i = 0; i < 200; i++) await register(`warm-${i}`);
  const sentinel = '"Key":"bench-end"';
  let delivered = 0;
  const done: Promise<void>[] = [];
  for (let s = 0; s < subscribers; s++) {
    const res = await request(`${agent.address}/v1/event/stream`, { dispatcher: streams });
    done.push(
      (async () => {
        let carry = "";
        for await (const chunk of res.body) {
          const text = carry + (chunk as Buffer).toString("utf8");
          // Count events by their Topic key; the carried tail keeps a key split across chunks countable once.
          delivered += text.split('"Topic":"').length - 1 - (carry.split('"Topic":"').length - 1);
          if (text.includes(sentinel)) break;
          carry = text.slice(-32);
        }
        res.body.destroy();
      })(),
    );
  }
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < jobs) await register(`bench-${next++}`);
    }),
  );
  const registeredIn = performance.now() - start;
  await register("bench-end");
  await Promise.all(done);
  const deliveredIn = performance.now() - start;
  const rssMiB = childRssMiB(agent.child.pid);
  await dispatcher.close();
  await streams.close();
  await agent.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    perSecond: (jobs * 1000) / registeredIn,
    eventsPerSecond: (delivered * 1000) / deliveredIn,
    eventsPerSubscriber: subscribers ? delivered / subscribers : 0,
    rssMiB,
  };
}

async function blockingWake(): Promise<number> {
  const agent = await startAgent({ port: 0, client: false });
  const samples: number[] = [];
  for (let i = 0; i < 50; i++) {
    const idxRes = await request(`${agent.address}/v1/jobs`);
    await idxRes.body.text();
    const index = Number(idxRes.headers["x-nomad-index"]);
    let woke = 0;
    const pending = request(`${agent.address}/v1/jobs?index=${index}&wait=10s`).then(async (r) => {
      woke = performance.now();
      await r.body.text();
    });
    await new Promise((r) => setTimeout(r, 5));
    const wrote = performance.now();
    const reg = await request(`${agent.address}/v1/jobs`, { method: "PUT", body: JSON.stringify(job(`wake-${i}`)) });
    await reg.body.text();
    await pending;
    samples.push(woke - wrote);
  }
  await agent.stop();
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Variable puts then gets per second over HTTP (16 in flight), to an in-process agent. */
async function variablesRate(persist: boolean, n: number): Promise<{ puts: number; gets: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-bench-vars-"));
  const agent = await startAgent({ port: 0, client: false, dataDir: persist ? dir : undefined });
  const dispatcher = new UndiciAgent({ connections: 16, keepAliveTimeout: 30_000 });
  const runAll = async (fn: (i: number) => Promise<void>): Promise<number> => {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < n) await fn(next++);
      }),
    );
    return (n / (performance.now() - start)) * 1000;
  };
  try {
    const puts = await runAll(async (i) => {
      const r = await request(`${agent.address}/v1/var/bench/v${i}`, {
        method: "PUT",
        body: JSON.stringify({ Items: { password: `secret-${i}`, user: "app" } }),
        dispatcher,
      });
      await r.body.text();
      if (r.statusCode !== 200) throw new Error(`put returned ${r.statusCode}`);
    });
    const gets = await runAll(async (i) => {
      const r = await request(`${agent.address}/v1/var/bench/v${i}`, { dispatcher });
      await r.body.text();
      if (r.statusCode !== 200) throw new Error(`get returned ${r.statusCode}`);
    });
    return { puts, gets };
  } finally {
    await dispatcher.close();
    await agent.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 1,000 simulated tasks whose template reads one variable (change_mode
 * restart, no splay): the time from the variable's update to the last
 * task's restart, against the time the same tasks took to start at first.
 */
async function templateRerender(tasks: number): Promise<{ startMs: number; rerenderMs: number }> {
  const agent = await startAgent({ port: 0, client: false, simPools: [{ count: 20, cpu: 1_000_000, memory: 1_000_000 }] });
  try {
    await request(`${agent.address}/v1/var/nomad/jobs/rr`, { method: "PUT", body: JSON.stringify({ Items: { v: "1" } }) }).then((r) =>
      r.body.text(),
    );
    const job = {
      Job: {
        ID: "rr",
        Type: "batch",
        Datacenters: ["dc1"],
        TaskGroups: [
          {
            Name: "g",
            Count: tasks,
            Tasks: [
              {
                Name: "t",
                Driver: "mock_driver",
                Config: { run_for: "1h" },
                Resources: { CPU: 10, MemoryMB: 16 },
                Templates: [
                  {
                    DestPath: "local/v.conf",
                    EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/rr" }}{{ .v }}{{ end }}',
                    ChangeMode: "restart",
                    Splay: 0,
                    Wait: { Min: 0, Max: 0 },
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    const runners = () => [...(agent.client?.allocRunners() ?? [])].flatMap((r) => r.taskRunners);
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 12_000 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
      if (!pred()) throw new Error("timed out");
    };
    let t0 = performance.now();
    await request(`${agent.address}/v1/jobs`, { method: "PUT", body: JSON.stringify(job) }).then((r) => r.body.text());
    await until(() => runners().filter((t) => t.state.State === "running").length === tasks);
    const startMs = performance.now() - t0;
    t0 = performance.now();
    await request(`${agent.address}/v1/var/nomad/jobs/rr`, { method: "PUT", body: JSON.stringify({ Items: { v: "2" } }) }).then((r) =>
      r.body.text(),
    );
    await until(() => runners().filter((t) => t.state.State === "running" && t.state.Restarts >= 1).length === tasks);
    return { startMs, rerenderMs: performance.now() - t0 };
  } finally {
    await agent.stop();
  }
}

/** The Nomad Variables and template tables (also run alone with DROVER_BENCH_ONLY=variables). */
export async function runVariables(): Promise<void> {
  await variablesRate(false, 500); // warm-up (JIT) outside the measurement
  const mem = await variablesRate(false, 2000);
  const disk = await variablesRate(true, 2000);
  printTable(
    ["variables", "in memory /s", "persisted /s", "persisted/memory"],
    [
      ["put", fmt(mem.puts), fmt(disk.puts), `${fmt(disk.puts / mem.puts, 2)}x`],
      ["get", fmt(mem.gets), fmt(disk.gets), `${fmt(disk.gets / mem.gets, 2)}x`],
    ],
  );
  const r = await templateRerender(1000);
  printTable(
    [
      "tasks reading one variable",
      "first start (place, render, start) ms",
      "update → last restart ms",
      "re-renders /s",
      "re-render/first start",
    ],
    [[1000, fmt(r.startMs), fmt(r.rerenderMs), fmt((1000 / r.rerenderMs) * 1000), `${fmt(r.rerenderMs / r.startMs, 2)}x`]],
  );
}

/** Runs the benchmark. */
export async function run(): Promise<void> {
  if (process.env.DROVER_BENCH_ONLY === "variables") return runVariables();
  if (process.env.BENCH_RUNTIME_EVENTS_ONLY !== "1") await registrations();
  await eventStream();
}

/** The registration table and the blocking-query wake-up. */
async function registrations(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [n, c] of [
    [2000, 16],
    [2000, 64],
    [4000, 64],
  ] as const) {
    const mem = await measure(false, n, c);
    const disk = await measure(true, n, c);
    rows.push([
      n,
      c,
      fmt(mem.perSecond),
      fmt(disk.perSecond),
      `${fmt(disk.perSecond / mem.perSecond, 2)}x`,
      fmt(mem.cpuMsPerJob, 2),
      fmt(disk.cpuMsPerJob, 2),
      fmt(mem.p99ms, 1),
      fmt(disk.p99ms, 1),
      fmt(disk.dbMiB, 1),
    ]);
  }
  printTable(
    [
      "jobs",
      "in flight",
      "in memory /s",
      "persisted /s",
      "persisted/memory",
      "agent CPU ms/job (mem)",
      "agent CPU ms/job (persisted)",
      "p99 ms (mem)",
      "p99 ms (persisted)",
      "db MiB",
    ],
    rows,
  );
  console.log(
    `\nLoad average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} (the rates drop when other processes share the 2 cores; the agent's CPU per job much less).`,
  );
  console.log("Keep-alive connections to an agent in a child process; each job is also scheduled on 20 simulated nodes in that process.");
  console.log(
    "Persisted: SQLite WAL with synchronous=FULL, group commit on a worker thread (a registration is acknowledged only after its batch is on disk).",
  );
  console.log(`blocking query wake-up after a write (median of 50): ${fmt(await blockingWake(), 2)} ms`);
  await runVariables();
}

/** The event stream's delivery to 100 subscribers while jobs register, and the agent's memory with them (`BENCH_RUNTIME_EVENTS_ONLY=1` runs only this). */
async function eventStream(): Promise<void> {
  console.log("\nEvent stream: subscribers following every topic while jobs register (in memory, 16 in flight)");
  const eventRows: (string | number)[][] = [];
  const baseline = await measureEvents(0, 2000);
  for (const subs of [0, 100]) {
    const r = subs === 0 ? baseline : await measureEvents(subs, 2000);
    eventRows.push([
      subs,
      2000,
      fmt(r.perSecond),
      `${fmt(r.perSecond / baseline.perSecond, 2)}x`,
      fmt(r.eventsPerSecond),
      fmt(r.eventsPerSubscriber),
      fmt(r.rssMiB, 1),
      `${fmt(r.rssMiB / baseline.rssMiB, 2)}x`,
    ]);
  }
  printTable(
    [
      "subscribers",
      "jobs",
      "registrations /s",
      "vs no subscribers",
      "events delivered /s (all subscribers)",
      "events per subscriber",
      "agent RSS MiB",
      "RSS vs no subscribers",
    ],
    eventRows,
  );
}
