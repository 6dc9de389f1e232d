/**
 * The deep dive's dispatch flow, in TypeScript: where the Python version
 * calls `client.job.dispatch_job("etl-pipeline", meta={"date": ..., "source": ...})`,
 * this dispatches the parameterized `etl-pipeline` job (examples/etl-pipeline)
 * with drover's NomadClient, then follows the child job to its end with
 * blocking queries and reports how its allocations finished.
 *
 *   drover agent --dev &
 *   npx tsx examples/dispatch/main.ts --register --date 2026-03-28 --source clickstream
 *
 * `--register` first registers examples/etl-pipeline/etl-pipeline.json (the
 * job `drover synth examples/etl-pipeline/main.ts` writes). Its task runs
 * `python -m etl.run` in the ghcr.io/myorg/etl image with the docker driver,
 * so the child only runs where a client has Docker and can pull that image;
 * elsewhere the program says which placement failed and why, and exits 1.
 * The address comes from NOMAD_ADDR (default http://127.0.0.1:4646).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { NomadClient, watch } from "../../lib/api";
import type { AllocationListStub, Evaluation } from "../../lib/api";
import type { Job } from "../../lib/jobspec";

/** What to dispatch. */
export interface DispatchFlowOptions {
  /** The parameterized job (default "etl-pipeline"). */
  jobID?: string;
  /** Meta of the child: the etl-pipeline job requires `date` and `source`. */
  meta: Record<string, string>;
  /** Makes a retried dispatch return the child the first attempt created. */
  idempotencyToken?: string;
  /** Longest wait for the child to finish, ms (default 10 minutes). */
  timeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** How a dispatched child ended. */
export interface DispatchFlowResult {
  /** The child's ID, `<parent>/dispatch-<unix>-<8 hex>`. */
  dispatchedJobID: string;
  /** The evaluation the dispatch created ("" when an idempotency token returned an earlier child). */
  evalID: string;
  /** "complete": every allocation completed; "failed": one failed or was lost; "unplaced": no node could run it. */
  outcome: "complete" | "failed" | "unplaced";
  /** The child's allocations when it ended. */
  allocations: AllocationListStub[];
  /** One line for people. */
  message: string;
}

/** The reasons of a failed placement, as `nomad job status` prints them (e.g. `missing drivers: 1`). */
function placementReasons(e: Evaluation): string {
  const parts: string[] = [];
  for (const [group, m] of Object.entries(e.FailedTGAllocs ?? {})) {
    const reasons = { ...(m.ConstraintFiltered ?? {}), ...(m.ClassFiltered ?? {}), ...(m.DimensionExhausted ?? {}) };
    const text = Object.entries(reasons)
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ");
    parts.push(`group ${JSON.stringify(group)}: ${m.NodesEvaluated} node(s) evaluated${text ? `; ${text}` : ""}`);
  }
  return parts.join("; ");
}

/**
 * Dispatches a parameterized job and waits for the child: first for its
 * evaluation (a failed placement ends the wait at once), then, with
 * blocking queries, for the child job to be dead.
 */
export async function dispatchAndWait(client: NomadClient, opts: DispatchFlowOptions): Promise<DispatchFlowResult> {
  const jobID = opts.jobID ?? "etl-pipeline";
  const log = opts.log ?? (() => {});
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const { data: dispatched } = await client.jobs.dispatch(jobID, { meta: opts.meta, idempotencyToken: opts.idempotencyToken });
  const childID = dispatched.DispatchedJobID;
  log(`dispatched ${childID} (evaluation ${dispatched.EvalID || "none: an earlier dispatch with this token"})`);

  if (dispatched.EvalID) {
    const { data: evaluation } = await watch((q) => client.evaluations.info(dispatched.EvalID, q), {
      until: (e) => e.Status !== "pending",
      timeoutMs,
    });
    if (evaluation.FailedTGAllocs && Object.keys(evaluation.FailedTGAllocs).length > 0) {
      const { data: allocations } = await client.jobs.allocations(childID);
      if (allocations.length === 0)
        return {
          dispatchedJobID: childID,
          evalID: dispatched.EvalID,
          outcome: "unplaced",
          allocations,
          message: `no node can run ${childID}: ${placementReasons(evaluation)}`,
        };
    }
  }

  await watch((q) => client.jobs.info(childID, q), {
    until: (j) => (j as { Status?: string }).Status === "dead",
    timeoutMs,
    onUpdate: (j) => log(`${childID}: ${(j as { Status?: string }).Status}`),
  });
  const { data: allocations } = await client.jobs.allocations(childID);
  const bad = allocations.filter((a) => a.ClientStatus !== "complete");
  const outcome = allocations.length > 0 && bad.length === 0 ? "complete" : "failed";
  const message =
    outcome === "complete"
      ? `${childID} completed (${allocations.length} allocation${allocations.length === 1 ? "" : "s"})`
      : `${childID} did not complete: ${bad.map((a) => `${a.ID.slice(0, 8)} ${a.ClientStatus}`).join(", ") || "no allocations"}`;
  return { dispatchedJobID: childID, evalID: dispatched.EvalID, outcome, allocations, message };
}

/** The etl-pipeline job as `drover synth` wrote it. */
export function etlPipelineJob(): Job {
  const file = path.join(__dirname, "..", "etl-pipeline", "etl-pipeline.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { Job: Job }).Job;
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The command line: `[--register] --date D --source S [--token T]`. Returns the exit code. */
export async function main(argv: string[], client = NomadClient.fromEnv()): Promise<number> {
  const date = argValue(argv, "--date") ?? new Date().toISOString().slice(0, 10);
  const source = argValue(argv, "--source");
  if (!source) {
    process.stderr.write("usage: main.ts [--register] [--date YYYY-MM-DD] --source NAME [--token IDEMPOTENCY_TOKEN]\n");
    return 2;
  }
  try {
    if (argv.includes("--register")) {
      const { data } = await client.jobs.register(etlPipelineJob());
      console.log(`registered etl-pipeline (job modify index ${data.JobModifyIndex})`);
    }
    const result = await dispatchAndWait(client, {
      meta: { date, source },
      idempotencyToken: argValue(argv, "--token"),
      log: (l) => console.log(l),
    });
    console.log(result.message);
    return result.outcome === "complete" ? 0 : 1;
  } catch (err) {
    process.stderr.write(`dispatch failed: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
