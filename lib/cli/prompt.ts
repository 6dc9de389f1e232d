/** The confirmation prompts of commands that change the cluster (`drover apply`, `drover destroy`, `drover job stop`). */
import * as readline from "node:readline";
import type { CommandIO } from "./command";

/** Asks one question on the terminal and resolves to the answer, trimmed ("" when input ends); null without a terminal. */
export async function ask(io: CommandIO, prompt: string): Promise<string | null> {
  if (!io.isTTY) return null;
  const rl = readline.createInterface({ input: io.in ?? process.stdin, output: io.out, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(prompt, resolve);
      rl.once("close", () => resolve(""));
    });
    return answer.trim();
  } finally {
    rl.close();
  }
}

/**
 * Asks for confirmation on the terminal; only "yes" confirms (as terraform).
 * Never waits without a terminal: returns false at once, and the caller says why.
 */
export async function confirm(io: CommandIO, question: string): Promise<boolean> {
  return (await ask(io, `${question} Only 'yes' will be accepted: `)) === "yes";
}

/**
 * Asks a `[y/N]` question as Nomad's CLI does: only an exact "y" confirms.
 * Never waits without a terminal: returns false at once, and the caller says why.
 */
export async function confirmYesNo(io: CommandIO, question: string): Promise<boolean> {
  return (await ask(io, `${question} [y/N] `)) === "y";
}
