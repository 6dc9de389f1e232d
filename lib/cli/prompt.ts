/** The confirmation prompt of commands that change the cluster (`drover apply`, `drover destroy`). */
import * as readline from "node:readline";
import type { CommandIO } from "./command";

/**
 * Asks for confirmation on the terminal; only "yes" confirms (as terraform).
 * Never waits without a terminal: returns false at once, and the caller says why.
 */
export async function confirm(io: CommandIO, question: string): Promise<boolean> {
  const input = (io as CommandIO & { in?: NodeJS.ReadableStream }).in ?? process.stdin;
  if (!io.isTTY) return false;
  const rl = readline.createInterface({ input, output: io.out, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(`${question} Only 'yes' will be accepted: `, resolve);
      rl.once("close", () => resolve(""));
    });
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}
