/** `drover job allocs JOB`: the job's allocations, as `nomad job allocs`. */
import type { CommandIO } from "../../command";
import { renderAllocList } from "../../render/alloc-list";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, onePositional, parseJobArgs, readJob, withJobClient } from "../subcommand-common";

/** The `drover job allocs` subcommand. */
export const subcommand: Subcommand = {
  name: "allocs",
  summary: "List a job's allocations",
  usage: subcommandUsage(`Usage: drover job allocs [options] JOB

Lists the allocations of the job JOB (an ID or a unique prefix of one).

Options:
  -all               Include the allocations of an older job with the same ID
                     (one that was purged and registered again).
  -json              Print the allocations as JSON.
  -verbose           Full IDs, the evaluation and node name, absolute times.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { all: { type: "boolean" }, json: { type: "boolean" }, verbose: { type: "boolean" } });
    const given = onePositional(args, "job ID");
    return withJobClient(args, io, "allocs", async (client) => {
      const job = await readJob(client, given);
      const allocs = (
        await callNomad("Error retrieving allocations", () =>
          client.jobs.allocations(job.ID, { namespace: job.Namespace, all: !!args.values.all }),
        )
      ).data;
      if (args.values.json) io.out.write(`${JSON.stringify(allocs, null, 4)}\n`);
      else io.out.write(`${renderAllocList(allocs, { nowMs: Date.now(), verbose: !!args.values.verbose })}\n`);
      return 0;
    });
  },
};
