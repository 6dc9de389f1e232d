/**
 * Runs a user's drover program for `drover synth`, in a child process
 * started as `node --import tsx program-runner PROGRAM.ts`. A
 * `SynthesisError` is printed as its list of problems (no stack trace) and
 * the process exits 1; any other error is printed with its stack.
 */
import * as path from "node:path";

function isSynthesisError(err: unknown): err is Error & { problems: unknown[] } {
  return err instanceof Error && err.name === "SynthesisError" && Array.isArray((err as { problems?: unknown }).problems);
}

function runProgram(): void {
  const program = process.argv[2];
  if (!program) {
    process.stderr.write("program-runner: no program given\n");
    process.exit(2);
  }
  try {
    require(path.resolve(program));
  } catch (err) {
    if (isSynthesisError(err)) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${program}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}

runProgram();
