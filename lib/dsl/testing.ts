import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "./app";
import type { Job } from "./job";
import type { Job as JobJson } from "../jobspec/types";
import { formatProblem } from "./problem";
import { SynthesisError } from "./synthesis-error";
import { synthesizeJob } from "./synthesizer";

/** Helpers that make tests of drover programs one line each. */
export class Testing {
  /** An app whose output directory is a fresh temporary directory (never the working directory). */
  public static app(): App {
    return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "drover-test-")) });
  }

  /**
   * Synthesizes one job and returns it as written to its file, `{"Job": {...}}`.
   * Throws a `SynthesisError` with every problem when it is invalid.
   */
  public static synth(job: Job): { Job: JobJson } {
    const r = synthesizeJob(job);
    if (!r.ok) throw new SynthesisError(r.problems);
    return r.job.json;
  }

  /** Synthesizes one job and returns the text of its file. */
  public static synthText(job: Job): string {
    const r = synthesizeJob(job);
    if (!r.ok) throw new SynthesisError(r.problems);
    return r.job.text;
  }

  /** The problems of a job as one-line strings (`path: prop message`), or `[]` when it is valid. */
  public static problems(job: Job): string[] {
    const r = synthesizeJob(job);
    if (r.ok) return [];
    return r.problems.map(formatProblem);
  }

  private constructor() {}
}
