/** `drover job inspect JOB`: the job as Nomad's API returns it, as `nomad job inspect`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, JobCommandError, parseCount, parseJobArgs, readJob, stringFlag, withJobClient } from "../subcommand-common";

/** The `drover job inspect` subcommand. */
export const subcommand: Subcommand = {
  name: "inspect",
  summary: "Print a submitted job as JSON",
  usage: subcommandUsage(`Usage: drover job inspect [options] JOB

Prints the job JOB (an ID or a unique prefix of one) as Nomad's API returns
it (GET /v1/job/:id), wrapped as {"Job": …} so that the output can be
registered again. Without JOB, -json prints the job list.

Options:
  -version N         The job at version N (from GET /v1/job/:id/versions)
                     instead of the current one.
  -json              Print the job alone, not wrapped in {"Job": …}.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { version: { type: "string" }, json: { type: "boolean" } });
    const json = !!args.values.json;
    const versionFlag = stringFlag(args, "version");
    const version = versionFlag === undefined ? undefined : parseCount(versionFlag, "-version");
    if (args.positionals.length > 1) throw new UsageError(`expected one job ID, got ${args.positionals.length}`);
    if (args.positionals.length === 0 && !json) throw new UsageError("expected a job ID (or -json for the job list)");
    return withJobClient(args, io, "inspect", async (client) => {
      if (args.positionals.length === 0) {
        const jobs = (await callNomad("Error querying jobs", () => client.jobs.list())).data;
        io.out.write(`${JSON.stringify(jobs, null, 4)}\n`);
        return 0;
      }
      let job = await readJob(client, args.positionals[0]);
      if (version !== undefined) {
        const id = job.ID;
        const versions = (await callNomad("Error inspecting job", () => client.jobs.versions(id, { namespace: job.Namespace }))).data;
        const found = versions.Versions.find((v) => v.Version === version);
        if (!found) throw new JobCommandError(`Error inspecting job: job ${JSON.stringify(id)} with version ${version} couldn't be found`);
        job = found;
      }
      io.out.write(`${JSON.stringify(json ? job : { Job: job }, null, 4)}\n`);
      return 0;
    });
  },
};
