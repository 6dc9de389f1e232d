/** `drover var get PATH`: as `nomad var get`. */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { JobCommandError, onePositional, parseJobArgs, stringFlag, withJobClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { NomadApiError } from "../../../api";
import { outFormat, writeVar, type VarFormat } from "./common";

/** The `drover var get` subcommand. */
export const subcommand: Subcommand = {
  name: "get",
  summary: "Print a variable",
  usage: subcommandUsage(`Usage: drover var get [options] PATH

Prints the variable at PATH.

Options:
  -item KEY          Print only the value of item KEY, without a newline.
  -out FORMAT        json, hcl, table or none (default: table on a terminal,
                     json otherwise).
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { item: { type: "string" }, out: { type: "string" } });
    const path = onePositional(args, "variable path");
    const format = outFormat<VarFormat>(args, ["json", "hcl", "table", "none"], io.isTTY ? "table" : "json");
    return withJobClient(args, io, "var get", async (client) => {
      const v = await client.variables.read(path).then(
        (r) => r.data,
        (err: unknown) => {
          if (err instanceof NomadApiError && err.status === 404)
            throw new JobCommandError(`Error retrieving variable: Variable not found`);
          throw err;
        },
      );
      const item = stringFlag(args, "item");
      if (item !== undefined) {
        const value = v.Items?.[item];
        if (value === undefined) throw new JobCommandError(`Variable does not contain "${item}" item`);
        io.out.write(value);
        return 0;
      }
      writeVar(io, v, format);
      return 0;
    });
  },
};
