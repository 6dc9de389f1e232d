import type { CommandIO } from "../command";

/**
 * One subcommand of a command group (`drover job promote`, `drover deployment
 * list`, `drover var get`): the file `<group>/<name>.ts` exports it as
 * `subcommand`, and the group (see subcommand-group.ts) loads it by name.
 */
export interface Subcommand {
  /** The word(s) after the group's name, e.g. `promote` or `scheduler get-config`. */
  readonly name: string;
  /** One line for the group's `--help` overview. */
  readonly summary: string;
  /** The usage text of `drover <group> <name> --help`. */
  readonly usage: string;
  /** Runs the subcommand and resolves to the exit code (0 success, 1 failure, 2 usage, 130 interrupted). */
  run(argv: string[], io: CommandIO): Promise<number>;
}
