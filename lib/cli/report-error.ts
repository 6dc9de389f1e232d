/** How a command's failure reaches the user: one line on stderr and an exit code. */
import type { CommandIO } from "./command";
import { UsageError } from "./command";
import { JobInputError } from "./job-file";
import { NomadApiError, NomadConnectionError } from "../api";
import { ApplyError, ConcurrentModificationError } from "../plan";

/** Turns an error from planning or applying into a message and an exit code. */
export function reportError(err: unknown, io: CommandIO, command: string): number {
  if (err instanceof UsageError) throw err;
  if (err instanceof JobInputError) {
    io.err.write(`drover ${command}: ${err.message}\n`);
    return err.exitCode;
  }
  if (
    err instanceof ConcurrentModificationError ||
    err instanceof ApplyError ||
    err instanceof NomadApiError ||
    err instanceof NomadConnectionError
  ) {
    io.err.write(`drover ${command}: ${err.message}\n`);
    return 1;
  }
  io.err.write(`drover ${command}: ${(err as Error)?.message ?? String(err)}\n`);
  return 1;
}
