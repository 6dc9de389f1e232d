/** `drover deployment status DEPLOYMENT`: one deployment, as `nomad deployment status`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { renderDeployment } from "../../render/deployment";
import type { JobSubcommand } from "../job/common";
import { jobClient, parseJobArgs, reportJobError, subcommandUsage } from "../job/common";
import { resolveDeployment } from "./common";

/** The `drover deployment status` subcommand. */
export const subcommand: JobSubcommand = {
  name: "status",
  summary: "Show a deployment's groups, canaries and health",
  usage: subcommandUsage(`Usage: drover deployment status [options] DEPLOYMENT

Shows the deployment (an ID or a unique prefix of one): its job and version,
status, and per group the desired, placed, healthy and unhealthy allocations,
canaries and promotion, and progress deadline. When its canaries are healthy
and wait for a manual promotion, says how to promote them.

Options:
  -verbose           Print the full ID.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { verbose: { type: "boolean" } });
    if (args.positionals.length !== 1) throw new UsageError(`expected exactly one deployment ID, got ${args.positionals.length}`);
    const client = jobClient(args, io);
    try {
      const d = await resolveDeployment(client, args.positionals[0]);
      io.out.write(renderDeployment(d, !!args.values.verbose));
      return 0;
    } catch (err) {
      return reportJobError(err, io, "deployment status");
    } finally {
      await client.close();
    }
  },
};
