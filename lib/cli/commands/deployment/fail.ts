/** `drover deployment fail DEPLOYMENT`: as `nomad deployment fail`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { JobSubcommand } from "../job/common";
import { FOLLOW_OPTIONS, FOLLOW_USAGE, jobClient, parseJobArgs, reportJobError, subcommandUsage } from "../job/common";
import { failAndFollow } from "../job/fail";
import { resolveDeployment } from "./common";

/** The `drover deployment fail` subcommand. */
export const subcommand: JobSubcommand = {
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
    if (args.positionals.length !== 1) throw new UsageError(`expected exactly one deployment ID, got ${args.positionals.length}`);
    const client = jobClient(args, io);
    try {
      const d = await resolveDeployment(client, args.positionals[0]);
      await failAndFollow(client, io, args, d.JobID, d);
      return 0;
    } catch (err) {
      return reportJobError(err, io, "deployment fail");
    } finally {
      await client.close();
    }
  },
};
