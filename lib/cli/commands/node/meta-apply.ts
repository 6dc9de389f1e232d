/** `drover node meta apply [-node-id NODE] [-unset k1,k2] k=v…`: sets or unsets a node's dynamic metadata, as `nomad node meta apply`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, stringFlag, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { resolveNode } from "./common";

/** The `drover node meta apply` subcommand. */
export const subcommand: Subcommand = {
  name: "meta apply",
  summary: "Set or unset keys of a node's metadata",
  usage: subcommandUsage(`Usage: drover node meta apply [options] key1=value1 ... keyN=valueN

Sets keys of a node's metadata, or unsets them with -unset (POST
/v1/client/metadata). The node's constraints are evaluated again at once, so a
job waiting for \${meta.key} is placed when the key matches. Keys are dotted
identifiers (a, a.b, team-x.owner). Prints nothing on success, as nomad.

Options:
  -node-id NODE      The node (an ID, a unique prefix or a name); default the
                     agent's own local node.
  -unset K1,...,KN   Unset these keys.

Example:
  drover node meta apply -unset testing,tempvar ready=1 role=preinit-db
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { "node-id": { type: "string" }, unset: { type: "string" } });
    const unset = stringFlag(args, "unset") ?? "";
    if (unset === "" && args.positionals.length === 0) throw new UsageError("Must specify -unset or at least 1 key=value pair");
    const meta: Record<string, string | null> = {};
    for (const pair of args.positionals) {
      const at = pair.indexOf("=");
      meta[at < 0 ? pair : pair.slice(0, at)] = at < 0 ? "" : pair.slice(at + 1);
    }
    for (const k of unset.split(",")) if (k !== "") meta[k] = null;
    return withClient(args, io, "node meta apply", async (client) => {
      const named = stringFlag(args, "node-id");
      const nodeID = named ? (await resolveNode(client, named)).ID : undefined;
      await client.nodes.applyMeta(meta, { nodeID });
      return 0;
    });
  },
};
