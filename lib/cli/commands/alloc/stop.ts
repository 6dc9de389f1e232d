/** `drover alloc stop ALLOC`: stops an allocation so that it is rescheduled, and monitors the evaluation, as `nomad alloc stop`. */
import type { CommandIO } from "../../command";
import { monitorEvaluation } from "../../eval-monitor";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, onePositional, parseJobArgs } from "../subcommand-common";
import { ALLOC_ARGUMENT, withAlloc } from "./common";

/** The `drover alloc stop` subcommand. */
export const subcommand: Subcommand = {
  name: "stop",
  summary: "Stop an allocation and reschedule it",
  usage: subcommandUsage(`Usage: drover alloc stop [options] ALLOC

Stops the allocation; the scheduler places a replacement (the evaluation
Nomad creates for it is monitored as drover job stop does).
${ALLOC_ARGUMENT}

Options:
  -detach            Print the evaluation ID and return without monitoring.
  -no-shutdown-delay Skip the group's and tasks' shutdown_delay.
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      detach: { type: "boolean" },
      "no-shutdown-delay": { type: "boolean" },
      verbose: { type: "boolean" },
    });
    const given = onePositional(args, "allocation");
    return withAlloc(args, io, "alloc stop", given, async (client, alloc) => {
      const r = await callNomad("Error stopping allocation", () =>
        client.allocations.stop(alloc.ID, { namespace: alloc.Namespace, noShutdownDelay: !!args.values["no-shutdown-delay"] }),
      );
      if (args.values.detach) {
        io.out.write(`${r.data.EvalID}\n`);
        return 0;
      }
      return monitorEvaluation(client, io, r.data.EvalID, { verbose: !!args.values.verbose, namespace: alloc.Namespace });
    });
  },
};
