/** `drover eval list`: the evaluations, as `nomad eval list`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { renderEvalList } from "../../render/evaluation";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, parseCount, parseJobArgs, stringFlag, withClient } from "../subcommand-common";

/** The arguments without a `-page-token` flag and its value (for the next page's command line). */
function withoutPageToken(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (/^--?page-token=/.test(argv[i])) continue;
    if (/^--?page-token$/.test(argv[i])) {
      i++;
      continue;
    }
    out.push(argv[i]);
  }
  return out;
}

/** The `drover eval list` subcommand. */
export const subcommand: Subcommand = {
  name: "list",
  summary: "List evaluations",
  usage: subcommandUsage(`Usage: drover eval list [options]

Lists the evaluations of the namespace (-namespace '*' for all), with their
priority, trigger, job, node, status and whether placements failed.

Options:
  -job JOB           Only the evaluations of this job ID.
  -status STATUS     Only evaluations with this status (blocked, pending,
                     complete, failed, canceled).
  -filter EXPR       A filter expression over the evaluations' fields.
  -per-page N        How many to show per page.
  -page-token TOKEN  Where to start the page (printed after a paginated list).
  -json              Print the evaluations as JSON.
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      job: { type: "string" },
      status: { type: "string" },
      filter: { type: "string" },
      "per-page": { type: "string" },
      "page-token": { type: "string" },
      json: { type: "boolean" },
      verbose: { type: "boolean" },
    });
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    const perPageFlag = stringFlag(args, "per-page");
    const perPage = perPageFlag === undefined ? undefined : parseCount(perPageFlag, "-per-page");
    return withClient(args, io, "eval list", async (client) => {
      const r = await callNomad("Error querying evaluations", () =>
        client.evaluations.list({
          job: stringFlag(args, "job"),
          status: stringFlag(args, "status"),
          filter: stringFlag(args, "filter"),
          perPage,
          nextToken: stringFlag(args, "page-token"),
        }),
      );
      const evals = r.data ?? [];
      if (args.values.json) {
        io.out.write(`${JSON.stringify(evals, null, 4)}\n`);
        return 0;
      }
      if (evals.length === 0) {
        io.out.write("No evals found\n");
        return 0;
      }
      io.out.write(`${renderEvalList(evals, !!args.values.verbose)}\n`);
      if (r.meta.nextToken) {
        const again = [...withoutPageToken(argv), "-page-token", r.meta.nextToken].join(" ");
        io.out.write(`\nResults have been paginated. To get the next page run:\n\ndrover eval list ${again}\n`);
      }
      return 0;
    });
  },
};
