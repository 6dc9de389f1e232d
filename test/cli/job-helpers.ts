/** Shared pieces of the `drover job` end-to-end tests: a CLI runner against a test agent and job builders. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { testIO, type TestIO } from "../plan/cli-io";
import { api, mockJob } from "../helpers/runtime";

type Obj = Record<string, any>;

/** Runs `drover <argv>` against `address` in `dir`; resolves to the exit code and the IO. */
export async function drover(
  address: string,
  dir: string,
  argv: string[],
  tty = false,
): Promise<{ code: number; io: TestIO; out: string; err: string }> {
  const io = testIO(dir, { NOMAD_ADDR: address }, tty);
  const code = await main(argv, io);
  return { code, io, out: io.stdout(), err: io.stderr() };
}

/** A temporary directory for job files; removed by `cleanup`. */
export function tempDir(): { dir: string; write(name: string, job: Obj): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-job-"));
  return {
    dir,
    write(name, job) {
      fs.writeFileSync(path.join(dir, name), JSON.stringify({ Job: job }, null, 2));
      return name;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A mock-driver service job with a canary update block (fast health: 20 ms min healthy time). */
export function canaryJob(
  id: string,
  opts: {
    count?: number;
    runFor?: string;
    canary?: number;
    autoRevert?: boolean;
    autoPromote?: boolean;
    scaling?: { Min: number; Max: number };
  } = {},
): Obj {
  const job = mockJob(id, { count: opts.count ?? 3, runFor: opts.runFor ?? "1h" }) as Obj;
  const g = job.TaskGroups[0];
  g.Update = {
    ...g.Update,
    MaxParallel: 1,
    Canary: opts.canary ?? 0,
    AutoRevert: opts.autoRevert ?? false,
    AutoPromote: opts.autoPromote ?? false,
  };
  if (opts.scaling) g.Scaling = { Min: opts.scaling.Min, Max: opts.scaling.Max, Enabled: true };
  return job;
}

/** The allocations Nomad wants running, as "version:status" strings, sorted. */
export async function liveAllocations(address: string, jobId: string): Promise<string[]> {
  const allocs = (await api(address, "GET", `/v1/job/${encodeURIComponent(jobId)}/allocations`)).body as Obj[];
  return allocs
    .filter((a) => a.DesiredStatus === "run")
    .map((a) => `${a.JobVersion}:${a.ClientStatus}`)
    .sort();
}

/** The job's latest deployment. */
export async function latestDeployment(address: string, jobId: string): Promise<Obj | null> {
  return (await api(address, "GET", `/v1/job/${encodeURIComponent(jobId)}/deployment`)).body as Obj | null;
}
