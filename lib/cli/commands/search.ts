/**
 * `drover search PREFIX`: what has an ID (or, with -fuzzy, a name) that
 * starts with (contains) the text, per context, through Nomad's search API.
 */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { onePositional, parseJobArgs, stringFlag, withClient } from "./subcommand-common";
import { subcommandUsage } from "./subcommand-usage";

const USAGE = subcommandUsage(`Usage: drover search [options] PREFIX

Searches the IDs of jobs, evaluations, allocations, nodes, node pools,
deployments and namespaces that start with PREFIX (POST /v1/search), or
with -fuzzy the names that contain it (POST /v1/search/fuzzy: jobs, groups,
tasks, services, images, commands, allocations, nodes; at least 2
characters). Prints each context with its matches; "(more not shown)" marks
a context Nomad truncated. Exits 1 when nothing matched.

Options:
  -context CTX       jobs, evals, allocs, nodes, node_pools, deployment,
                     namespaces, plugins, volumes, vars, or all (default).
  -fuzzy             Fuzzy search instead of prefix search.
  -json              Print the API's answer as JSON.
`);

/** The `drover search` command. */
export const command: Command = {
  name: "search",
  summary: "Find jobs, allocations, nodes, … by ID prefix or (with -fuzzy) by name",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { context: { type: "string" }, fuzzy: { type: "boolean" }, json: { type: "boolean" } });
    const text = onePositional(args, "PREFIX");
    const context = stringFlag(args, "context") ?? "all";
    if (args.values.fuzzy && text.length < 2) throw new UsageError(`-fuzzy needs at least 2 characters, got ${text.length}`);
    return withClient(args, io, "search", async (client) => {
      const r = args.values.fuzzy ? await client.search.fuzzy(text, context) : await client.search.prefix(text, context);
      if (args.values.json) io.out.write(`${JSON.stringify(r, null, 2)}\n`);
      let found = 0;
      for (const ctx of Object.keys(r.Matches).sort()) {
        const matches = (r.Matches[ctx] ?? []) as (string | { ID: string; Scope?: string[] })[];
        if (matches.length === 0) continue;
        found += matches.length;
        if (args.values.json) continue;
        io.out.write(`${ctx}\n`);
        for (const m of matches) {
          if (typeof m === "string") io.out.write(`  ${m}\n`);
          else io.out.write(`  ${m.ID}${m.Scope?.length ? `  (${m.Scope.join("/")})` : ""}\n`);
        }
        if (r.Truncations[ctx]) io.out.write("  (more not shown)\n");
      }
      if (found === 0 && !args.values.json) io.err.write(`No matches for ${JSON.stringify(text)}\n`);
      return found === 0 ? 1 : 0;
    });
  },
};
