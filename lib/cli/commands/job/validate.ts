/**
 * `drover job validate FILE...`: checks job files as `drover validate` does
 * and, with -remote, asks Nomad too (POST /v1/validate/job), printing its
 * answer as `nomad job validate` does.
 */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { loadCommand } from "../../main";
import { CONNECTION_OPTIONS, withDefaults } from "../../connection";
import { HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs } from "../../hcl-vars";
import { loadJobs } from "../../job-file";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, JobCommandError, parseJobArgs, withJobClient } from "../subcommand-common";

/** The `drover job validate` subcommand. */
export const subcommand: Subcommand = {
  name: "validate",
  summary: "Validate job files (locally, and with -remote by Nomad)",
  usage: subcommandUsage(`Usage: drover job validate [options] FILE...

Validates job files (.json, .hcl, .nomad, .nomad.hcl) as \`drover validate\`
does: every problem with its path and position, exit 1 when one is invalid.
With -remote, the files that pass are also sent to Nomad's
POST /v1/validate/job and its answer is printed as nomad job validate
prints it: "Job validation errors:" and Nomad's message, or any warnings
and "Job validation successful". The connection flags only apply with -remote.

Files are read by their extension (nomad job validate's -json, "the file is
JSON", is not needed); \`drover validate --json\` prints the results as JSON.

Options:
  -remote            Also ask Nomad to validate each job.
${HCL_VAR_USAGE}
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      ...HCL_VAR_OPTIONS,
      remote: { type: "boolean" },
    });
    if (args.positionals.length === 0) throw new UsageError("expected at least one job file");
    if (!args.values.remote) {
      const connection = Object.keys(CONNECTION_OPTIONS).find((k) => args.values[k] !== undefined);
      if (connection) throw new UsageError(`--${connection} only applies with -remote (local validation talks to no agent)`);
      const validate = loadCommand("validate");
      if (!validate) throw new JobCommandError("`drover validate` is not available in this build of drover");
      const list = (k: string) => (Array.isArray(args.values[k]) ? (args.values[k] as string[]) : []);
      return validate.run(
        [...list("var").flatMap((v) => ["--var", v]), ...list("var-file").flatMap((v) => ["--var-file", v]), "--", ...args.positionals],
        io,
      );
    }
    return withJobClient(args, io, "validate", async (client) => {
      const jobs = await loadJobs(args.positionals, io, hclInputsFromArgs(args, io));
      let code = 0;
      for (const { file, job } of jobs) {
        const r = (await callNomad(`${file}: Error validating job`, () => client.jobs.validate(withDefaults(job, client)))).data;
        if (jobs.length > 1) io.out.write(`==> ${file}\n`);
        if (r.Error) {
          io.err.write(`Job validation errors:\n${r.Error}\n`);
          code = 1;
          continue;
        }
        if (r.Warnings) io.out.write(`Job Warnings:\n${r.Warnings}\n\n`);
        io.out.write("Job validation successful\n");
      }
      return code;
    });
  },
};
