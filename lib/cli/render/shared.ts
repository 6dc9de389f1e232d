/**
 * What `drover plan`, `drover apply` and `drover destroy` share: the
 * connection flags, reading job files, and the confirmation prompt. (It lives
 * beside the renderers because `lib/cli/commands/` holds one file per command.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import * as readline from "node:readline";
import type { CommandIO } from "../command";
import { UsageError } from "../command";
import type { OptionSpec, ParsedArgs } from "../args";
import { loadCommand } from "../main";
import { NomadApiError, NomadClient, NomadConnectionError } from "../../api";
import type { Job } from "../../jobspec";
import { formatDiagnostic, isHclJobFile, parseJobHcl, validateJob } from "../../jobspec";
import { ApplyError, ConcurrentModificationError } from "../../plan";

/** The connection flags every cluster command takes (they override NOMAD_ADDR, NOMAD_TOKEN, NOMAD_NAMESPACE, NOMAD_REGION). */
export const CONNECTION_OPTIONS: Record<string, OptionSpec> = {
  address: { type: "string" },
  token: { type: "string" },
  namespace: { type: "string" },
  region: { type: "string" },
};

/** Usage lines of the connection flags. */
export const CONNECTION_USAGE = `Connection (override the NOMAD_* environment):
  --address ADDR     Nomad agent address (NOMAD_ADDR; default http://127.0.0.1:4646)
  --token TOKEN      ACL token (NOMAD_TOKEN)
  --namespace NS     default namespace for jobs that set none (NOMAD_NAMESPACE)
  --region REGION    default region for jobs that set none (NOMAD_REGION)
  TLS: NOMAD_CACERT, NOMAD_CAPATH, NOMAD_CLIENT_CERT, NOMAD_CLIENT_KEY, NOMAD_TLS_SERVER_NAME, NOMAD_SKIP_VERIFY`;

/** The flags that set HCL job variables (`-var name=value`, repeatable; `-var-file FILE`, repeatable), as `nomad job run` takes them. */
export const HCL_VAR_OPTIONS: Record<string, OptionSpec> = {
  var: { type: "string", multiple: true },
  "var-file": { type: "string", multiple: true },
};

/** Usage lines of the HCL variable flags. */
export const HCL_VAR_USAGE = `HCL job files (.hcl, .nomad, .nomad.hcl; parsed as Nomad's jobspec2 does):
  -var NAME=VALUE    set a job variable (repeatable; NOMAD_VAR_NAME also works)
  -var-file FILE     read variable values from an HCL or JSON file (repeatable)`;

/** Rewrites Nomad's single-dash `-var`/`-var-file` flags into the `--var`/`--var-file` form the argument parser reads. */
export function normalizeVarFlags(argv: string[]): string[] {
  return argv.map((a) => (/^-var(-file)?(=|$)/.test(a) ? "-" + a : a));
}

/** What the HCL variable flags and the environment give an HCL job file. */
export interface HclVarInputs {
  /** `-var` values ("name=value"). */
  argVars: string[];
  /** `-var-file` paths, resolved against the working directory. */
  varFiles: string[];
  /** The environment (NOMAD_VAR_*). */
  env: Record<string, string | undefined>;
}

/** The HCL variable inputs from parsed flags and the command's environment. */
export function hclInputsFromArgs(args: ParsedArgs, io: CommandIO): HclVarInputs {
  const list = (k: string) => (Array.isArray(args.values[k]) ? (args.values[k] as string[]) : []);
  return { argVars: list("var"), varFiles: list("var-file").map((f) => path.resolve(io.cwd, f)), env: io.env };
}

/**
 * Parses an HCL job file's text into the api.Job JSON shape; on errors,
 * returns the diagnostics, one `FILE:LINE:COLUMN: summary; detail` each.
 */
export function parseHclJobText(
  text: string,
  file: string,
  abs: string,
  inputs?: HclVarInputs,
): { ok: true; job: unknown } | { ok: false; messages: string[] } {
  const r = parseJobHcl(text, { file, baseDir: path.dirname(abs), allowFs: true, ...(inputs ?? { env: {} }) });
  if (r.job) return { ok: true, job: r.job };
  return { ok: false, messages: r.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic) };
}

/** A client from the environment and the connection flags. */
export function clientFromArgs(args: ParsedArgs, io: CommandIO): NomadClient {
  const s = (k: string) => (typeof args.values[k] === "string" ? (args.values[k] as string) : undefined);
  return NomadClient.fromEnv(io.env, { address: s("address"), token: s("token"), namespace: s("namespace"), region: s("region") });
}

/** A job read from a file, with where it came from. */
export interface LoadedJob {
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

/** Applies the flags' (or environment's) namespace and region to a job that sets none, as Nomad's CLI does. */
export function withDefaults(job: Job, client: NomadClient): Job {
  const j = { ...job } as Job & { Namespace?: string | null; Region?: string | null };
  if (!j.Namespace && client.config.namespace) j.Namespace = client.config.namespace;
  if (!j.Region && client.config.region) j.Region = client.config.region;
  return j;
}

/**
 * Asks for confirmation on the terminal; only "yes" confirms (as terraform).
 * Never waits without a terminal: returns false at once, and the caller says why.
 */
export async function confirm(io: CommandIO, question: string): Promise<boolean> {
  const input = (io as CommandIO & { in?: NodeJS.ReadableStream }).in ?? process.stdin;
  if (!io.isTTY) return false;
  const rl = readline.createInterface({ input, output: io.out, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(`${question} Only 'yes' will be accepted: `, resolve);
      rl.once("close", () => resolve(""));
    });
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}

/** Turns an error from planning or applying into a message and an exit code. */
export function reportError(err: unknown, io: CommandIO, command: string): number {
  if (err instanceof UsageError) throw err;
  if (err instanceof JobInputError) {
    io.err.write(`drover ${command}: ${err.message}\n`);
    return err.exitCode;
  }
  if (
    err instanceof ConcurrentModificationError ||
    err instanceof ApplyError ||
    err instanceof NomadApiError ||
    err instanceof NomadConnectionError
  ) {
    io.err.write(`drover ${command}: ${err.message}\n`);
    return 1;
  }
  io.err.write(`drover ${command}: ${(err as Error)?.message ?? String(err)}\n`);
  return 1;
}

/** Parses a Go-style duration ("90s", "10m", "1h30m") into milliseconds; throws a UsageError naming the bad value. */
export function parseTimeout(value: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  }
  if (!value || consumed !== value.length || total <= 0) throw new UsageError(`${flag} "${value}" is not a duration like 90s, 10m or 1h`);
  return total;
}
