/** `drover deployment status DEPLOYMENT`: one deployment, as `nomad deployment status`. */
import type { CommandIO } from "../../command";
import { renderDeployment } from "../../render/deployment";
import type { Subcommand } from "../subcommand";
import { parseJobArgs } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { withDeployment } from "./common";

/** The `drover deployment status` subcommand. */
export const subcommand: Subcommand = {
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
    return withDeployment(args, io, "deployment status", async (_client, d) => {
      io.out.write(renderDeployment(d, !!args.values.verbose));
      return 0;
    });
  },
};
