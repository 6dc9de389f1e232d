/**
 * `drover import` throughput over the shared fixtures and the examples'
 * JSON: jobs read, minimized, written as programs and verified (each
 * program compiled, run and its canonical job compared) per second, against
 * reading the same jobs and synthesizing them straight from their JSON
 * (`validateJob` + `formatJobJson`, what `drover validate --canonical`
 * does) in the same run. Also the share of the time each stage takes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { formatJobJson, validateJob } from "../lib/jobspec";
import { generateProgram, minimizeJob, readJobText, runProgram } from "../lib/import";
import type { SourceJob } from "../lib/import";
import { canonicalText } from "../lib/import/canonical";
import { fmt, printTable, timeMs } from "./harness";

/** Title printed by the bench runner. */
export const title = "drover import: jobs imported and verified per second";

const FIXTURES = "/work/shared/fixtures";
const NEEDS_VARS: Record<string, string[]> = { "task_schedule__schedule.nomad.hcl": ["start=0 12 * * *", "end=0 13 * * *"] };

function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const dirs = ["hcl/jobspec2", "hcl/command-asset", "hcl/e2e", "hcl/legacy-jobspec-hcl1", "json"].map((d) => path.join(FIXTURES, d));
  const examples = path.join(__dirname, "..", "examples");
  for (const d of fs.readdirSync(examples)) dirs.push(path.join(examples, d));
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort())
      if (/\.(hcl|nomad|json)$/.test(f)) out.push({ file: path.join(dir, f), text: fs.readFileSync(path.join(dir, f), "utf8") });
  }
  return out;
}

/** Runs the benchmark and prints the table. */
export async function run(): Promise<void> {
  const files = sources();
  const readAll = (): SourceJob[] => {
    const jobs: SourceJob[] = [];
    for (const f of files) {
      try {
        jobs.push(readJobText(f.text, f.file, { argVars: NEEDS_VARS[path.basename(f.file)], allowFs: true }));
      } catch {
        // HCL1 fixtures Nomad's parser refuses: not jobs.
      }
    }
    return jobs;
  };
  const stages = { read: 0, minimize: 0, generate: 0, verify: 0 };
  const importAll = async (): Promise<number> => {
    let n = 0;
    let read: SourceJob[] = [];
    stages.read += await timeMs(() => {
      read = readAll();
    });
    for (const s of read) {
      let min: Record<string, unknown> = {};
      stages.minimize += await timeMs(() => {
        min = minimizeJob(s.traced);
      });
      let code = "";
      stages.generate += await timeMs(() => {
        code = generateProgram([{ job: min, variables: s.variables, origin: s.origin }]);
      });
      stages.verify += await timeMs(() => {
        const env: Record<string, string> = {};
        for (const [k, v] of Object.entries(s.inputs)) env[`NOMAD_VAR_${k}`] = v;
        const [job] = runProgram(code, env);
        if (canonicalText(job.rendered) !== canonicalText(s.job)) throw new Error(`${s.origin}: not exact`);
      });
      n++;
    }
    return n;
  };
  const baselineAll = async (): Promise<number> => {
    let n = 0;
    for (const s of readAll()) {
      const v = validateJob({ Job: s.job });
      formatJobJson(v.valid ? v.job : s.job, { wrap: true });
      n++;
    }
    return n;
  };
  // Warm-up: esbuild's service start, the JIT.
  await importAll();
  await baselineAll();
  for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k] = 0;
  const rows: (string | number)[][] = [];
  let importMs = Infinity;
  let baseMs = Infinity;
  let count = 0;
  for (let round = 0; round < 3; round++) {
    importMs = Math.min(importMs, await timeMs(async () => (count = await importAll())));
    baseMs = Math.min(baseMs, await timeMs(() => baselineAll()));
  }
  const total = stages.read + stages.minimize + stages.generate + stages.verify;
  rows.push(["import + verify", count, fmt(importMs), fmt((count / importMs) * 1000), fmt(importMs / baseMs, 1) + "×"]);
  rows.push(["read + validate + format (baseline)", count, fmt(baseMs), fmt((count / baseMs) * 1000), "1.0×"]);
  printTable(["what", "jobs", "best ms", "jobs/s", "time vs baseline"], rows);
  console.log(
    `\nshare of import time (3 rounds): read ${fmt((stages.read / total) * 100)}%, minimize ${fmt((stages.minimize / total) * 100)}%, generate ${fmt((stages.generate / total) * 100)}%, verify (compile, run, compare) ${fmt((stages.verify / total) * 100)}%`,
  );
}
