/**
 * Reading the jobs a command is given: .json files, HCL job files, directories
 * of .json files and drover programs (PROGRAM.ts, synthesized first), each
 * validated, with errors that name the file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import type { CommandIO } from "./command";
import { UsageError } from "./command";
import type { HclVarInputs } from "./hcl-vars";
import { loadCommand } from "./main";
import type { Job } from "../jobspec";
import { formatDiagnostic, isHclJobFile, parseJobHcl, validateJob } from "../jobspec";

/**
 * Parses an HCL job file's text into the api.Job JSON shape; on errors,
 * returns the diagnostics, one `FILE:LINE:COLUMN: summary; detail` each.
 */
function parseHclJobText(
  text: string,
  file: string,
  abs: string,
  inputs?: HclVarInputs,
): { ok: true; job: unknown } | { ok: false; messages: string[] } {
  const r = parseJobHcl(text, { file, baseDir: path.dirname(abs), allowFs: true, ...(inputs ?? { env: {} }) });
  if (r.job) return { ok: true, job: r.job };
  return { ok: false, messages: r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic) };
}

/** A job read from a file, with where it came from. */
interface LoadedJob {
  /** The file (relative to the working directory, for messages). */
  file: string;
  /** The validated job. */
  job: Job;
}

/** Thrown when input files cannot be read (exit 2) or hold invalid jobs (exit 1). */
export class JobInputError extends Error {
  constructor(
    message: string,
    /** The exit code: 2 unreadable input, 1 invalid job. */
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = "JobInputError";
  }
}

function expandInputs(inputs: string[], cwd: string): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new JobInputError(`${input}: no such file or directory`, 2);
    }
    if (stat.isDirectory()) {
      const jsons = fs
        .readdirSync(abs)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => path.join(abs, f));
      if (!jsons.length) throw new JobInputError(`${input}: the directory holds no .json job files (run \`drover synth\` first)`, 2);
      files.push(...jsons);
    } else if (abs.endsWith(".ts")) {
      files.push(abs); // synthesized in loadJobs
    } else {
      files.push(abs);
    }
  }
  return files;
}

/** A stream that keeps what is written to it. */
function memoryStream(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/**
 * Synthesizes a drover program (PROGRAM.ts) through the `drover synth`
 * command into a temporary directory and returns the JSON files it wrote.
 */
async function synthesizeProgram(program: string, io: CommandIO, tmpdir: string): Promise<string[]> {
  const synth = loadCommand("synth");
  if (!synth)
    throw new JobInputError(`${program}: cannot synthesize TypeScript programs: the synth command is not available; pass .json files`, 2);
  const out = memoryStream();
  const err = memoryStream();
  const code = await synth.run([program, "--output", tmpdir], { ...io, out: out.stream, err: err.stream });
  const rel = path.relative(io.cwd, program) || program;
  if (code !== 0) throw new JobInputError(`${rel}: synthesis failed:\n${err.text().trimEnd()}`, code === 2 ? 2 : 1);
  return fs
    .readdirSync(tmpdir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => path.join(tmpdir, f));
}

/**
 * Reads and validates the jobs in the given .json files, HCL job files
 * (.hcl, .nomad, .nomad.hcl, with `hcl`'s variables), directories of .json
 * files, and drover programs (PROGRAM.ts, synthesized as \`drover synth\` does).
 */
export async function loadJobs(inputs: string[], io: CommandIO, hcl?: HclVarInputs): Promise<LoadedJob[]> {
  if (!inputs.length) throw new UsageError("expected at least one job file (.json or .nomad.hcl), directory or program (.ts)");
  const files: string[] = [];
  const tmpdirs: string[] = [];
  try {
    for (const file of expandInputs(inputs, io.cwd)) {
      if (!file.endsWith(".ts")) {
        files.push(file);
        continue;
      }
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drover-synth-"));
      tmpdirs.push(tmp);
      files.push(...(await synthesizeProgram(file, io, tmp)));
    }
    return readJobFiles(files, io, hcl);
  } finally {
    for (const d of tmpdirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

function readJobFiles(files: string[], io: CommandIO, hcl?: HclVarInputs): LoadedJob[] {
  const out: LoadedJob[] = [];
  for (const file of files) {
    const rel = path.relative(io.cwd, file) || file;
    let data: unknown;
    if (isHclJobFile(file)) {
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (err) {
        throw new JobInputError(`${rel}: cannot read: ${(err as Error).message}`, 2);
      }
      const parsed = parseHclJobText(text, rel, file, hcl);
      if (!parsed.ok) throw new JobInputError(`${rel}: cannot parse the HCL job:\n${parsed.messages.map((m) => `  ${m}`).join("\n")}`, 1);
      data = parsed.job;
    } else if (/\.ya?ml$/i.test(file)) {
      throw new JobInputError(`${rel}: YAML job files are not supported; use JSON or HCL`, 2);
    } else {
      try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (err) {
        throw new JobInputError(`${rel}: cannot read a JSON job: ${(err as Error).message}`, 2);
      }
    }
    const res = validateJob(data);
    if (!res.valid) {
      const problems = res.problems.map((p: { path: string; message: string }) => `  ${p.path}: ${p.message}`).join("\n");
      throw new JobInputError(`${rel}: invalid job:\n${problems}`, 1);
    }
    out.push({ file: rel, job: res.job });
  }
  const seen = new Map<string, string>();
  for (const { file, job } of out) {
    const key = `${job.Namespace ?? "default"}/${job.ID}`;
    if (seen.has(key)) throw new JobInputError(`${file}: job "${job.ID}" is also defined in ${seen.get(key)}`, 1);
    seen.set(key, file);
  }
  return out;
}
