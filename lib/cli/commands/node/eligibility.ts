/** `drover node eligibility -enable|-disable NODE`: whether a node takes new allocations, as `nomad node eligibility`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { JobCommandError, parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { resolveNode } from "./common";

/** The `drover node eligibility` subcommand. */
export const subcommand: Subcommand = {
  name: "eligibility",
  summary: "Mark a node eligible or ineligible for new allocations",
  usage: subcommandUsage(`Usage: drover node eligibility [options] NODE

Marks a node eligible (-enable) or ineligible (-disable) for scheduling (PUT
/v1/node/:id/eligibility). An ineligible node keeps its allocations and takes
no new ones. NODE is an ID, a unique ID prefix of at least two characters, or a
node name.

Options:
  -enable            Mark the node eligible.
  -disable           Mark the node ineligible.
  -self              Use the agent's own local node.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { enable: { type: "boolean" }, disable: { type: "boolean" }, self: { type: "boolean" } });
    const v = args.values;
    if (v.enable === v.disable) throw new UsageError("Either the '-enable' or '-disable' flag must be set");
    if (!v.self && args.positionals.length !== 1) throw new UsageError("Node ID must be specified if -self isn't being used");
    if (v.self && args.positionals.length > 0) throw new UsageError("-self takes no NODE argument");
    return withClient(args, io, "node eligibility", async (client) => {
      const nodeID = v.self ? (await client.agent.self()).data.stats?.client?.node_id : (await resolveNode(client, args.positionals[0])).ID;
      if (!nodeID) throw new JobCommandError("-self: the agent runs no client node");
      await client.nodes.toggleEligibility(nodeID, v.enable === true);
      io.out.write(`Node ${JSON.stringify(nodeID)} scheduling eligibility set: ${v.enable ? "eligible" : "ineligible"} for scheduling\n`);
      return 0;
    });
  },
};
