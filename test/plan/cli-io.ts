/** In-memory streams for calling `main([...], io)` in tests. */
import { PassThrough, Writable } from "node:stream";
import type { CommandIO } from "../../lib/cli/command";

/** A CommandIO whose output is collected in strings. */
export interface TestIO extends CommandIO {
  /** Everything written to out. */
  stdout(): string;
  /** Everything written to err. */
  stderr(): string;
  /** Input the confirmation prompt reads (only used when isTTY). */
  in: PassThrough;
}

function sink(chunks: string[]): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
}

/** Builds an IO with the given working directory and environment. */
export function testIO(cwd: string, env: NodeJS.ProcessEnv, isTTY = false): TestIO {
  const out: string[] = [];
  const err: string[] = [];
  return { out: sink(out), err: sink(err), cwd, env, isTTY, in: new PassThrough(), stdout: () => out.join(""), stderr: () => err.join("") };
}
