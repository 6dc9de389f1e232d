/**
 * `drover logs ALLOC [TASK]`: a task's output, the short form of
 * `drover alloc logs` (as `nomad logs` is of `nomad alloc logs`).
 */
import type { Command } from "../command";
import { ALLOC_LOGS_USAGE, subcommand as allocLogs } from "./alloc/logs";

/** The `drover logs` command. */
export const command: Command = {
  name: "logs",
  summary: "Show a task's stdout or stderr (drover alloc logs)",
  usage: ALLOC_LOGS_USAGE.replace("Usage: drover alloc logs", "Usage: drover logs"),
  run(argv, io) {
    return allocLogs.run(argv, io);
  },
};
