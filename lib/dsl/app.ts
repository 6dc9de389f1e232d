import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import type { IConstruct } from "constructs";
import { Job } from "./job";
import { checkProps, type PropProblem } from "./props/check";
import { formatProblem } from "./problem";
import type { SynthesisProblem } from "./problem";
import { SynthesisError } from "./synthesis-error";
import { SynthesizedJob, synthesizeJob } from "./synthesizer";

/** The environment variable that sets the default output directory of `App` (set by `drover synth`). */
export const OUTDIR_ENV = "DROVER_OUTDIR";

/** Props of an `App`. */
export interface AppProps {
  /**
   * Where `synth()` writes `<job-id>.json` files, relative to the working directory.
   * @default the `DROVER_OUTDIR` environment variable (set by `drover synth`), else "dist"
   */
  readonly outdir?: string;
}

/**
 * The root of a drover program. Jobs are created in it; `synth()` validates
 * every job and writes one JSON file per job.
 *
 * @example
 * const app = new App();
 * const job = new Job(app, "redis", { datacenters: ["dc1"] });
 * // ...groups and tasks...
 * app.synth(); // dist/redis.json
 */
export class App extends Construct {
  /** The output directory (see `AppProps.outdir`). */
  public readonly outdir: string;
  private readonly propProblems: readonly PropProblem[];

  /** Creates an app; it is the root of the construct tree (its path is empty). */
  constructor(props: AppProps = {}) {
    // The root construct has no scope, which the constructs typings do not spell (as cdk8s' App does).
    super(undefined as unknown as Construct, "");
    this.propProblems = checkProps("AppProps", props);
    this.outdir = props.outdir ?? (process.env[OUTDIR_ENV] || "dist");
  }

  /** Every job in the app, in construct order. */
  public get jobs(): Job[] {
    return this.node.findAll().filter((c): c is Job => c instanceof Job);
  }

  /**
   * Renders and validates every job and returns them without writing
   * anything. Throws a `SynthesisError` listing every problem of every job
   * (each with its construct path and prop) when any job is invalid.
   */
  public synthJobs(): SynthesizedJob[] {
    const jobs = this.jobs;
    const problems: SynthesisProblem[] = this.propProblems.map((p) => ({ constructPath: "", prop: p.prop, message: p.message }));
    // Validations of constructs outside any job (each job validates its own subtree).
    const outside = (c: IConstruct): void => {
      if (c instanceof Job) return;
      for (const message of c.node.validate()) problems.push({ constructPath: c.node.path, prop: "", message });
      for (const child of c.node.children) outside(child);
    };
    outside(this);
    const out: SynthesizedJob[] = [];
    const seen = new Map<string, string>();
    for (const job of jobs) {
      const prior = seen.get(job.id);
      if (prior !== undefined)
        problems.push({
          constructPath: job.node.path,
          prop: "id",
          message: `"${job.id}" is also the ID of ${prior}; each job needs its own ID (and file)`,
        });
      seen.set(job.id, job.node.path);
      const r = synthesizeJob(job);
      if (r.ok) out.push(r.job);
      else problems.push(...r.problems);
    }
    if (problems.length > 0) throw new SynthesisError(problems);
    return out;
  }

  /**
   * Validates every job and writes `<outdir>/<job-id>.json` for each; returns
   * the paths written, relative to the working directory as `outdir` is.
   * Warnings (keys Nomad accepts but ignores) are printed to stderr.
   * Writes nothing and throws a `SynthesisError` when any job is invalid.
   */
  public synth(): string[] {
    const jobs = this.synthJobs();
    for (const j of jobs) for (const w of j.warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
    fs.mkdirSync(this.outdir, { recursive: true });
    return jobs.map((j) => {
      const file = path.join(this.outdir, `${j.id}.json`);
      fs.writeFileSync(file, j.text);
      return file;
    });
  }
}
