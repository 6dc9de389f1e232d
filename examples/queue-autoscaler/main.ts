/**
 * Runs the queue-based scaler against a Nomad agent: one group of one job
 * follows the depth of a spool-directory queue.
 *
 *   drover agent --dev &
 *   mkdir -p /tmp/queue
 *   npx tsx examples/queue-autoscaler/main.ts --register --dir /tmp/queue --per-worker 10 --cooldown 10s --interval 2s
 *   for i in $(seq 1 35); do echo job > /tmp/queue/$i.msg; done   # in another shell: 4 workers
 *
 * `--register` registers a demo job ("queue-workers", group "worker",
 * mock_driver, a scaling block with min 1 and max 5). The address comes from
 * NOMAD_ADDR (default http://127.0.0.1:4646). Stops on SIGINT/SIGTERM.
 */
import { NomadClient } from "../../lib/api";
import { parseGoDuration } from "../../lib/jobspec";
import { DirectoryQueue } from "./queue";
import { QueueBasedScaler } from "./scaler";

/** The demo job of `--register`: a worker group whose scaling block allows 1 to 5 workers. */
export function demoWorkersJob(
  jobId = "queue-workers",
  scaling: { min: number; max: number } = { min: 1, max: 5 },
): Record<string, unknown> {
  return {
    ID: jobId,
    Name: jobId,
    Type: "service",
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "worker",
        Count: scaling.min,
        Scaling: { Min: scaling.min, Max: scaling.max, Enabled: true },
        Update: { MaxParallel: 2, HealthCheck: "task_states", MinHealthyTime: 100e6, HealthyDeadline: 60e9, ProgressDeadline: 120e9 },
        Tasks: [{ Name: "consume", Driver: "mock_driver", Config: { run_for: "24h" }, Resources: { CPU: 100, MemoryMB: 64 } }],
      },
    ],
  };
}

/** The parsed command line. */
export interface ScalerArgs {
  /** `--job` (default "queue-workers"). */
  jobId: string;
  /** `--group` (default "worker"). */
  group: string;
  /** `--dir`: the spool directory. */
  dir: string;
  /** `--per-worker` (default 100). */
  messagesPerWorker: number;
  /** `--cooldown`, ms (default 60 s). */
  cooldownMs: number;
  /** `--interval`, ms (default 30 s). */
  intervalMs: number;
  /** `--register`: register the demo job first. */
  register: boolean;
}

/** Parses `--job J --group G --dir D [--per-worker N] [--cooldown DUR] [--interval DUR] [--register]`; throws with the reason. */
export function parseArgs(argv: string[]): ScalerArgs {
  const value = (name: string, fallback?: string): string => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? argv[i + 1] : fallback;
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    return v;
  };
  const known = new Set(["--job", "--group", "--dir", "--per-worker", "--cooldown", "--interval", "--register"]);
  for (let i = 0; i < argv.length; i++) {
    if (!known.has(argv[i])) throw new Error(`unknown argument ${JSON.stringify(argv[i])}`);
    if (argv[i] !== "--register") i++;
  }
  const perWorker = Number(value("--per-worker", "100"));
  if (!Number.isInteger(perWorker) || perWorker < 1) throw new Error(`--per-worker must be a positive integer`);
  return {
    jobId: value("--job", "queue-workers"),
    group: value("--group", "worker"),
    dir: value("--dir"),
    messagesPerWorker: perWorker,
    cooldownMs: parseGoDuration(value("--cooldown", "60s")) / 1e6,
    intervalMs: parseGoDuration(value("--interval", "30s")) / 1e6,
    register: argv.includes("--register"),
  };
}

/** The command line; resolves to the exit code once `signal` aborts (0) or on bad arguments (2). */
export async function main(argv: string[], client: NomadClient = NomadClient.fromEnv(), signal?: AbortSignal): Promise<number> {
  let args: ScalerArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(
      `queue-autoscaler: ${(err as Error).message}\nusage: main.ts --dir DIR [--job JOB] [--group GROUP] [--per-worker N] [--cooldown 60s] [--interval 30s] [--register]\n`,
    );
    return 2;
  }
  const log = (line: string) => console.log(line);
  try {
    if (args.register) {
      const r = await client.jobs.register(demoWorkersJob(args.jobId) as never);
      log(`registered ${args.jobId} (evaluation ${r.data.EvalID.slice(0, 8)})`);
    }
    const scaler = new QueueBasedScaler(client, {
      jobId: args.jobId,
      group: args.group,
      source: new DirectoryQueue(args.dir),
      messagesPerWorker: args.messagesPerWorker,
      cooldownMs: args.cooldownMs,
      log,
    });
    const stop = new AbortController();
    signal?.addEventListener("abort", () => stop.abort(), { once: true });
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      await scaler.run({ intervalMs: args.intervalMs, signal: stop.signal });
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return 0;
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
