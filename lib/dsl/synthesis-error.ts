import { formatProblem, SynthesisProblem } from "./problem";

/**
 * Thrown by `App.synth()` (and `Testing.synth()`) when any job is invalid.
 * Carries every problem found in every job, so that one run shows them all;
 * nothing is written when it is thrown.
 */
export class SynthesisError extends Error {
  /** Every problem, in construct order. */
  public readonly problems: readonly SynthesisProblem[];

  /** Builds the error; the message lists each problem on its own line. */
  constructor(problems: readonly SynthesisProblem[]) {
    const n = problems.length;
    super(`synthesis failed with ${n} problem${n === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "SynthesisError";
    this.problems = problems;
  }
}
