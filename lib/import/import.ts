/**
 * `importJob`: a Nomad job (HCL text, API JSON, or an object) → the source
 * text of a drover program that declares it, checked by running the program
 * and comparing canonical jobs.
 */
import type { JobDifference } from "./canonical";
import { canonicalJob, canonicalText, differences } from "./canonical";
import type { GenerateOptions } from "./generate";
import { generateProgram } from "./generate";
import { minimizeJob } from "./minimize";
import type { ReadOptions, SourceJob } from "./read";
import { fromApiJson, ImportError, readJobText } from "./read";
import { runProgram } from "./verify";

/** Options of {@link importJob} and {@link importJobs}. */
export interface ImportOptions extends GenerateOptions, ReadOptions {
  /** The source's file name: `.hcl`/`.nomad` files are HCL, others JSON when they start with `{`. @default "job.nomad.hcl" for text */
  readonly file?: string;
  /** Run the generated program and compare its canonical job with the source's. @default true */
  readonly verify?: boolean;
}

/** The outcome of importing one or more jobs into one program. */
export interface ImportResult {
  /** The program's source text. */
  readonly code: string;
  /** The job IDs, in order. */
  readonly ids: readonly string[];
  /** Differences between each source job and the program's, canonical (empty when exact, or not verified). */
  readonly differences: readonly JobDifference[];
  /** Whether the program was run and compared. */
  readonly verified: boolean;
  /** What `drover synth` reports for the program's jobs: only when the source job itself breaks one of Nomad's rules. */
  readonly problems: readonly string[];
  /** Notes for the user: variables written as values. */
  readonly notes: readonly string[];
}

/** Reads a source given as text or as an object. */
export function readSource(source: string | object, options: ImportOptions = {}): SourceJob {
  if (typeof source !== "string") return fromApiJson(source, options.file ?? "job");
  return readJobText(source, options.file ?? (source.trimStart().startsWith("{") ? "job.json" : "job.nomad.hcl"), options);
}

/** Writes the program of already-read jobs and verifies it (unless `verify: false`). */
export function importSources(sources: readonly SourceJob[], options: ImportOptions = {}): ImportResult {
  const code = generateProgram(
    sources.map((s) => ({
      job: minimizeJob(s.traced, new Set(s.variables.flatMap((v) => v.paths ?? []))),
      variables: s.variables,
      origin: s.origin,
    })),
    options,
  );
  const ids = sources.map((s) => String(s.job.ID));
  const notes = sources.flatMap((s) =>
    s.inlined.map(
      (n) =>
        `${s.origin}: variable "${n}" is written as its value (drover keeps the string, number and bool variables whose value reaches the job unchanged)`,
    ),
  );
  if (options.verify === false) return { code, ids, differences: [], verified: false, problems: [], notes };
  const env: Record<string, string> = {};
  for (const s of sources) for (const [k, v] of Object.entries(s.inputs)) env[`NOMAD_VAR_${k}`] = v;
  let jobs;
  try {
    jobs = runProgram(code, env, [options.module ?? "drover", "drover/dsl"]);
  } catch (err) {
    throw new ImportError(`the generated program failed to run: ${(err as Error).message}`);
  }
  const diffs: JobDifference[] = [];
  const problems: string[] = [];
  sources.forEach((s, i) => {
    const id = ids[i];
    const got = jobs.find((j) => j.id === id);
    if (!got) {
      diffs.push({ path: `job ${JSON.stringify(id)}`, source: id, generated: undefined });
      return;
    }
    if (canonicalText(s.job) !== canonicalText(got.rendered)) {
      for (const d of differences(canonicalJob(s.job), canonicalJob(got.rendered))) diffs.push({ ...d, path: `${id}: ${d.path}` });
    }
    problems.push(...got.problems);
  });
  return { code, ids, differences: diffs, verified: true, problems, notes };
}

/**
 * Imports jobs into one program; throws an `ImportError` when a source
 * cannot be read or, with verification, when the program does not
 * reproduce a job exactly.
 */
export function importJobs(sources: readonly (string | object)[], options: ImportOptions = {}): ImportResult {
  const read = sources.map((s) => readSource(s, options));
  const result = importSources(read, options);
  if (result.differences.length)
    throw new ImportError(`the generated program differs from the source:\n${formatDifferences(result.differences)}`);
  return result;
}

/**
 * The source text of a drover program that declares the job: HCL text, API
 * JSON text (`{"Job": …}`, a bare job, `nomad job inspect` output), or a
 * job object. Verified unless `verify: false`.
 *
 * @example
 * const code = importJob(fs.readFileSync("web.nomad.hcl", "utf8"), { file: "web.nomad.hcl" });
 */
export function importJob(source: string | object, options: ImportOptions = {}): string {
  return importJobs([source], options).code;
}

/** Differences as lines: `PATH: source VALUE, program VALUE`. */
export function formatDifferences(diffs: readonly JobDifference[]): string {
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));
  return diffs.map((d) => `  ${d.path}: source ${show(d.source)}, program ${show(d.generated)}`).join("\n");
}
