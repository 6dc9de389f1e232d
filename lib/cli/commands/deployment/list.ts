/** `drover deployment list`: the deployments, as `nomad deployment list`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { renderDeploymentList } from "../../render/deployment";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, withJobClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The `drover deployment list` subcommand. */
export const subcommand: Subcommand = {
  name: "list",
  summary: "List the deployments",
  usage: subcommandUsage(`Usage: drover deployment list [options]

Lists the deployments of the namespace, newest first.

Options:
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { verbose: { type: "boolean" } });
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    return withJobClient(args, io, "deployment list", async (client) => {
      const list = ((await client.deployments.list()).data ?? []).slice().sort((a, b) => b.CreateIndex - a.CreateIndex);
      io.out.write(renderDeploymentList(list, !!args.values.verbose));
      return 0;
    });
  },
};
