/** `drover alloc checks ALLOC`: the latest results of the allocation's Nomad service checks, as `nomad alloc checks`. */
import type { CommandIO } from "../../command";
import { formatList, formatTime } from "../../render/status-format";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, onePositional, parseJobArgs } from "../subcommand-common";
import { ALLOC_ARGUMENT, withAlloc } from "./common";

/** The `drover alloc checks` subcommand. */
export const subcommand: Subcommand = {
  name: "checks",
  summary: "Show the latest results of an allocation's service checks",
  usage: subcommandUsage(`Usage: drover alloc checks [options] ALLOC

Shows the latest result of each health check of the allocation's services
that use Nomad's service discovery (provider = "nomad").
${ALLOC_ARGUMENT}

Options:
  -json              Print the results as JSON.
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { json: { type: "boolean" }, verbose: { type: "boolean" } });
    const given = onePositional(args, "allocation");
    return withAlloc(args, io, "alloc checks", given, async (client, alloc) => {
      const checks = (
        await callNomad("Error querying allocation checks", () => client.client.allocationChecks(alloc.ID, { namespace: alloc.Namespace }))
      ).data;
      if (args.values.json) {
        io.out.write(`${JSON.stringify(checks, null, 4)}\n`);
        return 0;
      }
      const results = Object.values(checks ?? {});
      io.out.write(`Status of ${results.length} Nomad Service Checks\n\n`);
      for (const c of results) {
        const rows = [
          `ID|=|${c.ID}`,
          `Name|=|${c.Check}`,
          `Group|=|${c.Group}`,
          `Task|=|${c.Task || "(group)"}`,
          `Service|=|${c.Service}`,
          `Status|=|${c.Status}`,
          ...(c.StatusCode ? [`StatusCode|=|${c.StatusCode}`] : []),
          `Mode|=|${c.Mode}`,
          `Timestamp|=|${formatTime(c.Timestamp * 1000)}`,
          `Output|=|${c.Output}`,
        ];
        io.out.write(`${formatList(rows)}\n\n`);
      }
      return 0;
    });
  },
};
