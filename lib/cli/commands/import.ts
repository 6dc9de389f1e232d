/** `drover import`: existing Nomad jobs (HCL, JSON, or running in a cluster) → drover programs. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import type { ImportResult, SourceJob, VariablesStyle } from "../../import";
import { formatDifferences, fromApiJson, ImportError, importSources, readJobText } from "../../import";
import { clientFromArgs, CONNECTION_OPTIONS, CONNECTION_USAGE } from "../connection";
import { HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs, normalizeVarFlags } from "../hcl-vars";
import { reportError } from "../report-error";

const USAGE = `Usage: drover import [options] FILE...
       drover import [options] --job ID [--job ID]... | --all

Turns existing Nomad jobs into drover programs: one TypeScript file per job
(<output>/<job-id>.ts), written with the DSL as a person would write it:
constructs for groups, tasks and services, only what differs from Nomad's
defaults, durations such as "30s", ports as objects, typed drivers and
placement helpers, and HCL string variables as constants read from
NOMAD_VAR_<name> with their defaults.

Sources:
  FILE               an HCL job file (.nomad.hcl, .nomad, .hcl), API JSON
                     ({"Job": {...}} as \`nomad job run -output\` prints it, or a
                     bare job) or \`nomad job inspect\` output
  --job ID           a job registered in the cluster (repeatable); read with
                     NOMAD_ADDR/NOMAD_TOKEN and normalized as \`drover plan\`
                     normalizes read-back jobs
  --all              every job of the namespace (children of periodic and
                     parameterized jobs are left out); --namespace '*' for all

Options:
  --output DIR       where to write the programs (default: the working directory)
  --single           one program for all jobs: <output>/main.ts
  --variables STYLE  env (default): each HCL variable is a constant read from
                     NOMAD_VAR_<name>; params: the job is a function taking
                     the variables as a parameter
  --module NAME      the module the program imports the DSL from (default "drover")
  --force            overwrite existing files
  --no-verify        do not check the programs (by default each program is
                     run and must synthesize the same canonical job as its
                     source, or nothing is written)
${HCL_VAR_USAGE}
${CONNECTION_USAGE}

Exit codes: 0 written, 1 a job could not be read, imported or verified, or a
file exists (nothing is written then), 2 usage error.`;

const OPTIONS = {
  ...HCL_VAR_OPTIONS,
  ...CONNECTION_OPTIONS,
  job: { type: "string", multiple: true },
  all: { type: "boolean" },
  output: { type: "string" },
  single: { type: "boolean" },
  variables: { type: "string" },
  module: { type: "string" },
  force: { type: "boolean" },
  "no-verify": { type: "boolean" },
} as const;

/** A program to write. */
interface Planned {
  file: string;
  result: ImportResult;
}

/** The `drover import` command. */
export const command: Command = {
  name: "import",
  summary: "Turn Nomad jobs (HCL, JSON, or running ones) into drover programs",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(normalizeVarFlags(argv), { ...OPTIONS }, true);
    const jobIds = (args.values.job as string[] | undefined) ?? [];
    const all = args.values.all === true;
    if (args.positionals.length === 0 && jobIds.length === 0 && !all) throw new UsageError("name a job file, --job ID or --all");
    if (all && jobIds.length) throw new UsageError("--all and --job cannot be combined");
    const style = (args.values.variables as string | undefined) ?? "env";
    if (style !== "env" && style !== "params") throw new UsageError(`--variables must be "env" or "params" (got ${JSON.stringify(style)})`);
    const output = path.resolve(io.cwd, (args.values.output as string | undefined) ?? ".");
    const verify = args.values["no-verify"] !== true;
    const module = (args.values.module as string | undefined) ?? "drover";

    // Read every source first: nothing is written unless everything can be imported.
    const sources: SourceJob[] = [];
    const hcl = hclInputsFromArgs(args, io);
    let failed = false;
    for (const file of args.positionals) {
      const abs = path.resolve(io.cwd, file);
      let text: string;
      try {
        text = fs.readFileSync(abs, "utf8");
      } catch (err) {
        io.err.write(
          `drover import: ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}\n`,
        );
        failed = true;
        continue;
      }
      try {
        sources.push(
          readJobText(text, file, {
            argVars: hcl.argVars,
            varFiles: hcl.varFiles,
            env: hcl.env,
            baseDir: path.dirname(abs),
            allowFs: true,
          }),
        );
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        io.err.write(`${err.message}\n`);
        failed = true;
      }
    }
    if (jobIds.length || all) {
      try {
        const client = clientFromArgs(args, io);
        const ns = typeof args.values.namespace === "string" ? args.values.namespace : undefined;
        let targets = jobIds.map((id) => ({ id, namespace: ns }));
        if (all) {
          const list = await client.jobs.list({ namespace: ns });
          targets = list.data.filter((j) => !j.ParentID).map((j) => ({ id: j.ID, namespace: j.Namespace }));
        }
        for (const t of targets) {
          const r = await client.jobs.info(t.id, { namespace: t.namespace });
          sources.push(fromApiJson(r.data, `job ${JSON.stringify(t.id)}`));
        }
      } catch (err) {
        return reportError(err, io, "import");
      }
    }
    if (failed) return 1;
    if (sources.length === 0) {
      io.err.write("drover import: no jobs to import\n");
      return 1;
    }

    const groups: SourceJob[][] = args.values.single === true ? [sources] : sources.map((s) => [s]);
    const planned: Planned[] = [];
    for (const group of groups) {
      let result: ImportResult;
      try {
        result = importSources(group, { variables: style as VariablesStyle, module, verify });
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        io.err.write(`drover import: ${group.map((s) => s.origin).join(", ")}: ${err.message}\n`);
        failed = true;
        continue;
      }
      if (result.differences.length) {
        io.err.write(
          `drover import: ${group.map((s) => s.origin).join(", ")}: the generated program does not synthesize the same job:\n${formatDifferences(result.differences)}\n`,
        );
        failed = true;
        continue;
      }
      for (const n of result.notes) io.err.write(`note: ${n}\n`);
      for (const p of result.problems) io.err.write(`warning: the source job is not valid, and the program reproduces it: ${p}\n`);
      const name = args.values.single === true ? "main" : result.ids[0].replace(/[^A-Za-z0-9._-]/g, "_");
      planned.push({ file: path.join(output, `${name}.ts`), result });
    }
    const names = new Set<string>();
    for (const p of planned) {
      if (names.has(p.file)) {
        io.err.write(
          `drover import: two jobs would be written to ${path.relative(io.cwd, p.file) || p.file}; use --single or import them separately\n`,
        );
        failed = true;
      }
      names.add(p.file);
      if (args.values.force !== true && fs.existsSync(p.file)) {
        io.err.write(`drover import: ${path.relative(io.cwd, p.file)} exists (use --force to overwrite)\n`);
        failed = true;
      }
    }
    if (failed) return 1;
    fs.mkdirSync(output, { recursive: true });
    for (const p of planned) {
      fs.writeFileSync(p.file, p.result.code);
      io.out.write(
        `wrote ${path.relative(io.cwd, p.file)} (${p.result.ids.map((id) => `job "${id}"`).join(", ")}${p.result.verified ? ": verified, synthesizes the same canonical job" : ": not verified"})\n`,
      );
    }
    return 0;
  },
};
