/** `drover deployment fail DEPLOYMENT`: as `nomad deployment fail`. */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { FOLLOW_OPTIONS, FOLLOW_USAGE, parseJobArgs } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { failAndFollow } from "../job/fail";
import { withDeployment } from "./common";

/** The `drover deployment fail` subcommand. */
export const subcommand: Subcommand = {
  name: "fail",
  summary: "Fail a deployment (auto_revert rolls back)",
  usage: subcommandUsage(`Usage: drover deployment fail [options] DEPLOYMENT

Marks DEPLOYMENT (an ID or a unique prefix) as failed. With auto_revert, Nomad
registers the job's latest stable version again; unless -detach, drover
follows that rollout.

Options:
${FOLLOW_USAGE}
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, FOLLOW_OPTIONS);
    return withDeployment(args, io, "deployment fail", async (client, d) => {
      await failAndFollow(client, io, args, d.JobID, d);
      return 0;
    });
  },
};
