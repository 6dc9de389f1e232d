/** `drover deployment promote DEPLOYMENT [-group G …]`: as `nomad deployment promote`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { JobSubcommand } from "../job/common";
import { FOLLOW_OPTIONS, FOLLOW_USAGE, jobClient, parseJobArgs, readJob, reportJobError, subcommandUsage } from "../job/common";
import { promoteAndFollow } from "../job/promote";
import { resolveDeployment } from "./common";

/** The `drover deployment promote` subcommand. */
export const subcommand: JobSubcommand = {
  name: "promote",
  summary: "Promote a deployment's canaries",
  usage: subcommandUsage(`Usage: drover deployment promote [options] DEPLOYMENT

Promotes the canaries of DEPLOYMENT (an ID or a unique prefix), as
\`drover job promote JOB\` does for a job's latest deployment. Then, unless
-detach, follows the rest of the rollout.

Options:
  -group G           Promote only group G; may be given several times.
${FOLLOW_USAGE}
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { ...FOLLOW_OPTIONS, group: { type: "string", multiple: true } });
    if (args.positionals.length !== 1) throw new UsageError(`expected exactly one deployment ID, got ${args.positionals.length}`);
    const client = jobClient(args, io);
    try {
      const d = await resolveDeployment(client, args.positionals[0]);
      const job = await readJob(client, d.JobID);
      await promoteAndFollow(client, io, args, job, d, (args.values.group as string[] | undefined) ?? []);
      return 0;
    } catch (err) {
      return reportJobError(err, io, "deployment promote");
    } finally {
      await client.close();
    }
  },
};
