/** `drover server force-leave NODE`: removes a failed server from the gossip pool, as `nomad server force-leave`. */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { onePositional, parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The `drover server force-leave` subcommand. */
export const subcommand: Subcommand = {
  name: "force-leave",
  summary: "Remove a failed server from the gossip pool",
  usage: subcommandUsage(`Usage: drover server force-leave [options] NODE

Forces the server NODE (its member name, <name>.<region>) into the "left"
state (PUT /v1/agent/force-leave). drover's own agent is a single server:
there is no other member to remove, so this succeeds and changes nothing,
as it does on a single Nomad server. Needs agent:write when ACLs are
enabled.

Options:
  -prune             Also remove the member from the list at once.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { prune: { type: "boolean" } });
    const node = onePositional(args, "NODE");
    return withClient(args, io, "server force-leave", async (client) => {
      await client.agent.forceLeave(node, { prune: args.values.prune === true });
      return 0;
    });
  },
};
