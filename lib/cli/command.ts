/**
 * The contract every `drover` subcommand implements. Each command lives in
 * `lib/cli/commands/<name>.ts` and exports `command`; `main.ts` loads only the
 * one that was asked for, so `drover validate` never loads the scheduler.
 */
export interface Command {
  /** The word after `drover`, e.g. `validate`. Equal to the file name. */
  readonly name: string;
  /** One line for `drover help`. */
  readonly summary: string;
  /** The full usage text printed by `drover <name> --help` and on a usage error. */
  readonly usage: string;
  /**
   * Runs the command and resolves to the process exit code.
   * Conventions: 0 success, 1 failure (invalid input, failed apply), 2 usage error
   * or unreadable input. Commands write results to `io.out` and problems to `io.err`.
   */
  run(argv: string[], io: CommandIO): Promise<number>;
  /** For commands with subcommands: the usage of the one `argv` names (for --help and usage errors). */
  usageFor?(argv: string[]): string;
}

/** Where a command writes. Tests pass buffers; the binary passes the process streams. */
export interface CommandIO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Where prompts read answers from; `process.stdin` when absent. */
  in?: NodeJS.ReadableStream;
  /** The working directory relative paths are resolved against. */
  cwd: string;
  /** Environment (NOMAD_ADDR and friends). */
  env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal (progress displays, prompts). */
  isTTY: boolean;
  /**
   * Aborted when the user interrupts the command (Ctrl-C). When absent,
   * commands that wait listen to the process's SIGINT and SIGTERM while
   * they wait. Tests pass their own.
   */
  interrupt?: AbortSignal;
}

/** Thrown by argument parsing; `main` prints the message and the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
