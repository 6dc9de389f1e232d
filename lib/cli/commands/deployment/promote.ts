/** `drover deployment promote DEPLOYMENT [-group G …]`: as `nomad deployment promote`. */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { FOLLOW_OPTIONS, FOLLOW_USAGE, parseJobArgs, readJob } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { promoteAndFollow } from "../job/promote";
import { withDeployment } from "./common";

/** The `drover deployment promote` subcommand. */
export const subcommand: Subcommand = {
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
    return withDeployment(args, io, "deployment promote", async (client, d) => {
      const job = await readJob(client, d.JobID);
      await promoteAndFollow(client, io, args, job, d, (args.values.group as string[] | undefined) ?? []);
      return 0;
    });
  },
};
