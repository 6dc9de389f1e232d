/** `drover alloc signal [-s SIGNAL] ALLOC [TASK]`: sends a signal to an allocation's tasks, as `nomad alloc signal`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, parseJobArgs, stringFlag } from "../subcommand-common";
import { ALLOC_ARGUMENT, checkTask, withAlloc } from "./common";

/** The `drover alloc signal` subcommand. */
export const subcommand: Subcommand = {
  name: "signal",
  summary: "Send a signal to an allocation's tasks (or one task)",
  usage: subcommandUsage(`Usage: drover alloc signal [options] ALLOC [TASK]

Sends a signal to the allocation's running tasks, or with TASK (or -task)
to that task only. The task driver delivers it; a driver that cannot
signal makes Nomad refuse.
${ALLOC_ARGUMENT}

Options:
  -s SIGNAL          The signal, e.g. SIGHUP or SIGUSR1 (default SIGKILL).
  -task TASK         The task to signal (wins over the TASK argument).
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { s: { type: "string", short: "s" }, task: { type: "string" }, verbose: { type: "boolean" } });
    if (args.positionals.length < 1 || args.positionals.length > 2)
      throw new UsageError(`expected an allocation and optionally a task, got ${args.positionals.length} arguments`);
    const task = stringFlag(args, "task") ?? args.positionals[1];
    const signal = stringFlag(args, "s") ?? "SIGKILL";
    return withAlloc(args, io, "alloc signal", args.positionals[0], async (client, alloc) => {
      if (task) checkTask(alloc, task);
      await callNomad("Error signalling allocation", () =>
        client.allocations.signal(alloc.ID, signal, { namespace: alloc.Namespace, task }),
      );
      return 0;
    });
  },
};
