/**
 * The lines that end the usage text of every subcommand and group overview:
 * the connection flags, the note on flag spelling, and the exit codes.
 */
import { CONNECTION_USAGE } from "../connection";

/** The connection lines and the note on flag spelling that end every subcommand's usage. */
export const COMMON_USAGE = `${CONNECTION_USAGE}

Flags may be written -flag or --flag, as nomad and drover write them.`;

/** The exit code text of the subcommands. */
export const EXIT_CODES =
  "Exit codes: 0 success, 1 failure (Nomad refused, what was named is missing, the rollout failed or timed out), 2 usage error, 130 interrupted (Ctrl-C ends the wait, not the change).";

/** The usage text of a subcommand: its own part, then the connection flags and exit codes. */
export function subcommandUsage(text: string): string {
  return `${text}\n${COMMON_USAGE}\n\n${EXIT_CODES}`;
}
