/** `drover var purge PATH`: as `nomad var purge`. */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { onePositional, parseJobArgs, withJobClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { casFailure, checkIndex } from "./common";

/** The `drover var purge` subcommand. */
export const subcommand: Subcommand = {
  name: "purge",
  summary: "Delete a variable",
  usage: subcommandUsage(`Usage: drover var purge [options] PATH

Permanently deletes the variable at PATH.

Options:
  -check-index N     Delete only if the variable's modify index is N.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { "check-index": { type: "string" } });
    const path = onePositional(args, "variable path");
    const cas = checkIndex(args);
    return withJobClient(args, io, "var purge", async (client) => {
      await client.variables.delete(path, { checkIndex: cas }).catch(casFailure);
      io.out.write(`Successfully purged variable "${path}"!\n`);
      return 0;
    });
  },
};
