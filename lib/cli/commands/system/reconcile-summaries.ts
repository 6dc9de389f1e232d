/** `drover system reconcile summaries`: recounts every job's summary, as `nomad system reconcile summaries`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, parseJobArgs, withClient } from "../subcommand-common";

/** The `drover system reconcile summaries` subcommand. */
export const subcommand: Subcommand = {
  name: "reconcile summaries",
  summary: "Recount every job's summary from its allocations",
  usage: subcommandUsage(`Usage: drover system reconcile summaries [options]

Recounts the summary of every registered job (queued, starting, running,
failed, complete, lost per task group) from its allocations
(PUT /v1/system/reconcile/summaries). Prints nothing on success. Needs a
management token when ACLs are on.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {});
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    if (args.values.namespace !== undefined) throw new UsageError("--namespace does not apply: the command covers every namespace");
    return withClient(args, io, "system reconcile summaries", async (client) => {
      await callNomad("Error running system summary reconciliation", () => client.system.reconcileSummaries());
      return 0;
    });
  },
};
