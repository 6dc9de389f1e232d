/**
 * The verifier: runs a generated program the way `drover synth` would (the
 * TypeScript compiled by esbuild, which tsx uses, and run in this process
 * against drover's own DSL) and returns the jobs it declares, rendered, and
 * validated as `drover synth` validates them.
 */
import * as path from "node:path";
import * as dsl from "../dsl";
import { synthesizeJob } from "../dsl/synthesizer";
import type { SynthesisProblem } from "../dsl";
import { formatProblem } from "../dsl";

type Obj = Record<string, unknown>;

/** One job a program declared. */
export interface ProgramJob {
  /** The job ID. */
  readonly id: string;
  /** The job as the program renders it (bare, overrides applied, not validated). */
  readonly rendered: Obj;
  /** What `drover synth` reports for it (empty when it synthesizes). */
  readonly problems: readonly string[];
}

interface Transformer {
  transformSync(code: string, options: { loader: "ts"; format: "cjs"; target: string }): { code: string };
}

let esbuild: Transformer | undefined;

/** esbuild, as installed for tsx (drover's TypeScript runner). */
function transformer(): Transformer {
  if (!esbuild) {
    let resolved: string;
    try {
      resolved = require.resolve("esbuild", { paths: [path.dirname(require.resolve("tsx"))] });
    } catch {
      resolved = require.resolve("esbuild");
    }
    esbuild = require(resolved) as Transformer;
  }
  return esbuild;
}

/**
 * Runs a program's source text with `env` as its `process.env` and the
 * given module names resolving to drover's DSL. `App.synth()` is captured
 * instead of writing files. Throws when the program throws.
 */
export function runProgram(
  source: string,
  env: Readonly<Record<string, string>> = {},
  modules: readonly string[] = ["drover", "drover/dsl"],
): ProgramJob[] {
  const js = transformer().transformSync(source, { loader: "ts", format: "cjs", target: "node20" }).code;
  const apps: dsl.App[] = [];
  class CapturingApp extends dsl.App {
    constructor(props: dsl.AppProps = {}) {
      super({ outdir: "unused", ...props });
      apps.push(this);
    }
    /** Records the jobs instead of writing them. */
    public override synth(): string[] {
      return [];
    }
  }
  const exported = { ...dsl, App: CapturingApp };
  const fakeRequire = (id: string): unknown => {
    if (modules.includes(id)) return exported;
    throw new Error(`the program imports ${JSON.stringify(id)}; an imported program only imports ${modules.join(" or ")}`);
  };
  const mod = { exports: {} as Obj };
  const run = new Function("require", "module", "exports", "process", js) as (r: unknown, m: unknown, e: unknown, p: unknown) => void;
  run(fakeRequire, mod, mod.exports, { env: { ...env } });
  const out: ProgramJob[] = [];
  for (const app of apps) {
    for (const job of app.jobs) {
      const rendered = job.toJson().Job as Obj;
      const r = synthesizeJob(job);
      const problems: SynthesisProblem[] = r.ok ? [] : r.problems;
      out.push({ id: job.id, rendered, problems: problems.map(formatProblem) });
    }
  }
  return out;
}
