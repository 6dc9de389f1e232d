/** `drover node meta read [-node-id NODE] [-json]`: a node's metadata, as `nomad node meta read`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { formatKV } from "../../render/status-format";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, stringFlag, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { resolveNode } from "./common";

/** `key = value` lines, sorted by key (`formatNodeMeta`). */
function metaKV(m: Record<string, string | null>): string {
  return formatKV(
    Object.keys(m)
      .sort()
      .map((k) => `${k}|${m[k] ?? "<unset>"}`),
  );
}

/** The `drover node meta read` subcommand. */
export const subcommand: Subcommand = {
  name: "meta read",
  summary: "Show a node's metadata: all of it, the dynamic keys and the configured ones",
  usage: subcommandUsage(`Usage: drover node meta read [options]

Shows a node's metadata (GET /v1/client/metadata): all of it, the keys set
dynamically (with "drover node meta apply"; <unset> marks a configured key
unset that way), and the keys of the agent's configuration.

Options:
  -node-id NODE      The node (an ID, a unique prefix or a name); default the
                     agent's own local node.
  -json              Print Nomad's {Meta, Dynamic, Static} as JSON.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { "node-id": { type: "string" }, json: { type: "boolean" } });
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    return withClient(args, io, "node meta read", async (client) => {
      const named = stringFlag(args, "node-id");
      const nodeID = named ? (await resolveNode(client, named)).ID : undefined;
      const meta = (await client.nodes.readMeta(nodeID)).data;
      if (args.values.json) {
        io.out.write(`${JSON.stringify(meta, null, 2)}\n`);
        return 0;
      }
      io.out.write(`All Meta\n${metaKV(meta.Meta)}\n\nDynamic Meta\n${metaKV(meta.Dynamic)}\n\nStatic Meta\n${metaKV(meta.Static)}\n`);
      return 0;
    });
  },
};
