/** `drover var list [PREFIX]`: as `nomad var list`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, stringFlag, withJobClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { outFormat, renderVarList } from "./common";

/** The `drover var list` subcommand. */
export const subcommand: Subcommand = {
  name: "list",
  summary: "List variables",
  usage: subcommandUsage(`Usage: drover var list [options] [PREFIX]

Lists the variables whose path starts with PREFIX (all without it).

Options:
  -per-page N        How many to show per page.
  -page-token T      Where to start (the next page token of a previous list).
  -filter EXPR       A filter expression on the listed metadata.
  -out FORMAT        json, table or terse (default: table on a terminal, json
                     otherwise).
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      "per-page": { type: "string" },
      "page-token": { type: "string" },
      filter: { type: "string" },
      out: { type: "string" },
    });
    if (args.positionals.length > 1) throw new UsageError(`expected at most one prefix, got ${args.positionals.length}`);
    const format = outFormat(args, ["json", "table", "terse"] as const, io.isTTY ? "table" : "json");
    const perPageText = stringFlag(args, "per-page");
    if (perPageText !== undefined && !/^\d+$/.test(perPageText))
      throw new UsageError(`-per-page must be a non-negative integer, got "${perPageText}"`);
    return withJobClient(args, io, "var list", async (client) => {
      const r = await client.variables.list({
        prefix: args.positionals[0],
        perPage: perPageText ? Number(perPageText) : undefined,
        nextToken: stringFlag(args, "page-token"),
        filter: stringFlag(args, "filter"),
      });
      const list = r.data ?? [];
      const all = client.config.namespace === "*";
      if (format === "json") {
        io.out.write(JSON.stringify(r.meta.nextToken ? { Data: list, QueryMeta: { NextToken: r.meta.nextToken } } : list, null, 2) + "\n");
        return 0;
      }
      if (format === "terse")
        io.out.write(list.map((v) => (all ? `${v.Namespace}.${v.Path}` : v.Path)).join("\n") + (list.length ? "\n" : ""));
      else io.out.write(renderVarList(list, all));
      if (r.meta.nextToken) io.err.write(`\nNext page token: ${r.meta.nextToken}\n`);
      return 0;
    });
  },
};
