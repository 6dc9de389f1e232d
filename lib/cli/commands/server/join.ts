/** `drover server join ADDRESS...`: asks the agent to join other servers, as `nomad server join`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The `drover server join` subcommand. */
export const subcommand: Subcommand = {
  name: "join",
  summary: "Join the agent's server to other servers",
  usage: subcommandUsage(`Usage: drover server join [options] ADDRESS [ADDRESS...]

Asks the agent's server to join the gossip of the servers at the addresses
(PUT /v1/agent/join; host or host:port, port 4648 by default). drover's own
agent is a single server that gossips with no other: it joins only its own
address and says why not the others. Exits 1 when any address was not
joined, as Nomad's command does.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {});
    if (args.positionals.length === 0) throw new UsageError("expected at least one ADDRESS");
    return withClient(args, io, "server join", async (client) => {
      const r = await client.agent.join(args.positionals);
      if (r.warning) io.err.write(`drover server join: Warning: ${r.warning}\n`);
      // As Nomad's CLI (through its Go client): any error fails the whole join.
      if (r.error) {
        io.err.write(`drover server join: Error joining: failed joining: ${r.error.trim()}\n`);
        return 1;
      }
      io.out.write(`Joined ${r.num_joined} servers successfully\n`);
      return 0;
    });
  },
};
