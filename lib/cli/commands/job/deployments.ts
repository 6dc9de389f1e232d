/** `drover job deployments JOB`: the job's deployments, as `nomad job deployments`. */
import type { CommandIO } from "../../command";
import { renderDeployment, renderDeploymentList } from "../../render/deployment";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, onePositional, parseJobArgs, readJob, withJobClient } from "../subcommand-common";

/** The `drover job deployments` subcommand. */
export const subcommand: Subcommand = {
  name: "deployments",
  summary: "List a job's deployments",
  usage: subcommandUsage(`Usage: drover job deployments [options] JOB

Lists the deployments of the job JOB (an ID or a unique prefix of one),
newest first, or with -latest shows its latest deployment as
\`drover deployment status\` does.

Options:
  -latest            Show the latest deployment only.
  -all               Include the deployments of an older job with the same ID.
  -json              Print the deployments (or the latest) as JSON.
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      latest: { type: "boolean" },
      all: { type: "boolean" },
      json: { type: "boolean" },
      verbose: { type: "boolean" },
    });
    const given = onePositional(args, "job ID");
    const verbose = !!args.values.verbose;
    return withJobClient(args, io, "deployments", async (client) => {
      const job = await readJob(client, given);
      const scope = { namespace: job.Namespace };
      if (args.values.latest) {
        const d = (await callNomad("Error retrieving deployments", () => client.jobs.latestDeployment(job.ID, scope))).data;
        if (args.values.json) io.out.write(`${JSON.stringify(d, null, 4)}\n`);
        else io.out.write(d ? renderDeployment(d, verbose) : "No deployment found\n");
        return 0;
      }
      const list = (
        await callNomad("Error retrieving deployments", () => client.jobs.deployments(job.ID, { ...scope, all: !!args.values.all }))
      ).data;
      if (args.values.json) io.out.write(`${JSON.stringify(list, null, 4)}\n`);
      else io.out.write(renderDeploymentList(list ?? [], verbose));
      return 0;
    });
  },
};
