/** `drover alloc restart ALLOC [TASK]`: restarts an allocation's tasks in place, as `nomad alloc restart`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, parseJobArgs, stringFlag } from "../subcommand-common";
import { ALLOC_ARGUMENT, checkTask, withAlloc } from "./common";

/** The `drover alloc restart` subcommand. */
export const subcommand: Subcommand = {
  name: "restart",
  summary: "Restart an allocation's running tasks (or one task)",
  usage: subcommandUsage(`Usage: drover alloc restart [options] ALLOC [TASK]

Restarts the allocation's tasks in place, on the same node (they are not
rescheduled). Without TASK, the tasks that are running; with TASK (or
-task), that task only; with -all-tasks, every task, including prestart and
poststart tasks that already ran.
${ALLOC_ARGUMENT}

Options:
  -task TASK         The task to restart (wins over the TASK argument).
  -all-tasks         Restart every task, including those that already ran.
                     Not with a task.
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { task: { type: "string" }, "all-tasks": { type: "boolean" }, verbose: { type: "boolean" } });
    if (args.positionals.length < 1 || args.positionals.length > 2)
      throw new UsageError(`expected an allocation and optionally a task, got ${args.positionals.length} arguments`);
    const task = stringFlag(args, "task") ?? args.positionals[1];
    const allTasks = !!args.values["all-tasks"];
    if (allTasks && task) throw new UsageError("The -all-tasks option is not allowed when restarting a specific task.");
    return withAlloc(args, io, "alloc restart", args.positionals[0], async (client, alloc) => {
      if (task) checkTask(alloc, task);
      await callNomad(`Failed to restart ${task ? "task" : "allocation"}`, () =>
        client.allocations.restart(alloc.ID, { namespace: alloc.Namespace, task, allTasks }),
      );
      return 0;
    });
  },
};
