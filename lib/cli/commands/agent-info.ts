/** `drover agent-info`: status information about the local agent, as `nomad agent-info` prints it. */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseJobArgs, withClient } from "./subcommand-common";
import { subcommandUsage } from "./subcommand-usage";

/** Nomad's layout: each stats section by name, then its `key = value` lines, both sorted. */
export function renderAgentStats(stats: Record<string, Record<string, string> | undefined>): string {
  const lines: string[] = [];
  for (const section of Object.keys(stats).sort()) {
    const data = stats[section];
    if (!data) continue;
    lines.push(section);
    for (const k of Object.keys(data).sort()) lines.push(`  ${k} = ${data[k]}`);
  }
  return lines.map((l) => `${l}\n`).join("");
}

/** The `drover agent-info` command. */
export const command: Command = {
  name: "agent-info",
  summary: "Show status information about the local agent",
  usage: subcommandUsage(`Usage: drover agent-info [options]

Shows status information about the local agent (GET /v1/agent/self): its
stats by section (nomad, raft, runtime, client, …). Needs a token with
agent:read when ACLs are enabled.

Options:
  -json              Print the agent's self answer (config, member, stats) as JSON.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { json: { type: "boolean" } });
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    return withClient(args, io, "agent-info", async (client) => {
      let self;
      try {
        self = (await client.agent.self()).data;
      } catch (err) {
        io.err.write(`drover agent-info: Error querying agent info: ${(err as Error).message}\n`);
        return 1;
      }
      io.out.write(args.values.json ? `${JSON.stringify(self, null, 2)}\n` : renderAgentStats(self.stats));
      return 0;
    });
  },
};
