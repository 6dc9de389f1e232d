/** `drover synth`: runs a drover program and writes (or checks) one JSON file per job. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createTwoFilesPatch } from "diff";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import { typeCheckProgram } from "../typecheck";

const USAGE = `Usage: drover synth PROGRAM.ts [--output DIR] [--check] [--no-typecheck]

Type-checks a drover program with the nearest tsconfig.json (a strict
default when there is none), runs it (TypeScript, with tsx) and writes one
JSON file per job, <DIR>/<job-id>.json, ready for \`drover plan\`,
\`drover apply\` or Nomad's API. Type errors are printed as
FILE:LINE:COL: message. Every job is validated first (props, driver configs,
Nomad's rules); when any is invalid, every problem is printed with its
construct path and nothing is written.

The program should create an App without an explicit outdir and call
app.synth(): drover synth tells the App where to write (DROVER_OUTDIR).

Options:
  --output DIR  Where the JSON files go (default: dist)
  --no-typecheck
                Run the program without type-checking it first (the props
                are still checked at run time). The type check keeps
                incremental build info in node_modules/.cache/drover.
  --check       Write nothing; exit 1 with a diff when the files in DIR are
                missing or differ from what the program synthesizes, 0 when
                they are up to date (for CI)

Exit codes: 0 success, 1 type errors, invalid jobs, program error or stale files,
2 usage error or unreadable program.`;

/** Longest time the program may run before it is stopped. */
const PROGRAM_TIMEOUT_MS = 120_000;

/** The runner script next to the DSL, as .ts in a source checkout or .js when built. */
function runnerPath(): string {
  const ext = path.extname(__filename) === ".ts" ? ".ts" : ".js";
  return path.join(__dirname, "..", "..", "dsl", `program-runner${ext}`);
}

interface ProgramRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the program in a child process with tsx, with DROVER_OUTDIR set to `outdir`. */
function runProgram(program: string, outdir: string, io: CommandIO): Promise<ProgramRun> {
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", tsx, runnerPath(), program], {
      cwd: io.cwd,
      env: { ...io.env, DROVER_OUTDIR: outdir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\nstopped after ${PROGRAM_TIMEOUT_MS / 1000}s\n`;
      child.kill("SIGKILL");
    }, PROGRAM_TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ code: 1, stdout, stderr: stderr + String(err) });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** The `.json` files a directory holds, sorted; none when it does not exist. */
function jsonFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

/** Job files (`{"Job": ...}`) in `dir` that the program did not synthesize: left over from a renamed or removed job. */
function leftoverJobFiles(dir: string, synthesized: readonly string[]): string[] {
  return jsonFiles(dir).filter((f) => {
    if (synthesized.includes(f)) return false;
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as unknown;
      return typeof parsed === "object" && parsed !== null && "Job" in parsed;
    } catch {
      return false;
    }
  });
}

/** The `drover synth` command. */
export const command: Command = {
  name: "synth",
  summary: "Run a drover program and write one Nomad job JSON file per job",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(argv, {
      output: { type: "string", short: "o" },
      check: { type: "boolean" },
      "no-typecheck": { type: "boolean" },
    });
    if (args.positionals.length !== 1)
      throw new UsageError(args.positionals.length === 0 ? "missing PROGRAM.ts" : `expected one program, got ${args.positionals.length}`);
    const program = path.resolve(io.cwd, args.positionals[0]);
    const outdir = path.resolve(io.cwd, (args.values.output as string | undefined) ?? "dist");
    const shown = (p: string): string => path.relative(io.cwd, p) || ".";
    if (!fs.existsSync(program) || !fs.statSync(program).isFile()) {
      io.err.write(`drover synth: cannot read program ${args.positionals[0]}: no such file\n`);
      return 2;
    }
    if (!args.values["no-typecheck"]) {
      const checked = typeCheckProgram(program, io.cwd);
      if (!checked.ok) {
        if ("unavailable" in checked) {
          io.err.write(`drover synth: ${checked.unavailable}\n`);
          return 2;
        }
        for (const e of checked.errors) io.err.write(`${e}\n`);
        const n = checked.errors.length;
        io.err.write(
          `drover synth: ${shown(program)} has ${n} type error${n === 1 ? "" : "s"}${checked.configFile ? ` (with ${shown(checked.configFile)})` : ""}; nothing was written (--no-typecheck skips the check)\n`,
        );
        return 1;
      }
    }
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), "drover-synth-"));
    try {
      const run = await runProgram(program, staging, io);
      if (run.stdout) io.out.write(run.stdout);
      if (run.code !== 0) {
        io.err.write(run.stderr.endsWith("\n") || run.stderr === "" ? run.stderr : run.stderr + "\n");
        io.err.write(`drover synth: ${shown(program)} failed; nothing was written\n`);
        return 1;
      }
      if (run.stderr) io.err.write(run.stderr);
      const files = jsonFiles(staging);
      if (files.length === 0) {
        io.err.write(
          `drover synth: ${shown(program)} synthesized no jobs. Does it call app.synth() on an App without an explicit outdir?\n`,
        );
        return 1;
      }
      // Not deleted (the directory may be shared by several programs), but worth knowing before `drover apply DIR`.
      for (const f of leftoverJobFiles(outdir, files))
        io.err.write(
          `drover synth: warning: ${shown(path.join(outdir, f))} holds a job this program does not synthesize; delete it if that job is gone\n`,
        );
      if (args.values.check) {
        let stale = 0;
        for (const f of files) {
          const fresh = fs.readFileSync(path.join(staging, f), "utf8");
          const target = path.join(outdir, f);
          const onDisk = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
          if (onDisk === fresh) continue;
          stale++;
          const name = shown(target);
          io.out.write(onDisk === undefined ? `missing: ${name}\n` : `stale: ${name}\n`);
          io.out.write(
            createTwoFilesPatch(
              onDisk === undefined ? "/dev/null" : `${name} (on disk)`,
              `${name} (synthesized)`,
              onDisk ?? "",
              fresh,
              undefined,
              undefined,
              { context: 3 },
            ),
          );
        }
        if (stale > 0) {
          io.err.write(
            `drover synth: ${stale} of ${files.length} file${files.length === 1 ? "" : "s"} in ${shown(outdir)} ${stale === 1 ? "is" : "are"} not up to date; run: drover synth ${args.positionals[0]} --output ${shown(outdir)}\n`,
          );
          return 1;
        }
        io.out.write(`${files.length} file${files.length === 1 ? "" : "s"} in ${shown(outdir)} up to date\n`);
        return 0;
      }
      fs.mkdirSync(outdir, { recursive: true });
      for (const f of files) {
        fs.copyFileSync(path.join(staging, f), path.join(outdir, f));
        io.out.write(`wrote ${shown(path.join(outdir, f))}\n`);
      }
      return 0;
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  },
};
