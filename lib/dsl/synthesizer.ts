import type { IConstruct } from "constructs";
import { formatJobJson, validateJob } from "../jobspec";
import type { Job as JobJson, JobProblem } from "../jobspec/types";
import { Job } from "./job";
import type { JsonObject } from "./json";
import { NomadConstruct, propProblemsOf } from "./nomad-construct";
import type { SynthesisProblem } from "./problem";
import { RenderContext } from "./render-context";

/** One synthesized job. */
export interface SynthesizedJob {
  /** The job ID, which names the file (`<id>.json`). */
  readonly id: string;
  /** The construct path of the `Job`. */
  readonly constructPath: string;
  /** The job as Nomad's API takes it: `{"Job": {...}}`, keys in Nomad's order. */
  readonly json: { Job: JobJson };
  /** The file contents: deterministic JSON, 2-space indent, trailing newline. */
  readonly text: string;
  /** Things Nomad accepts but ignores or deprecates, located like problems. */
  readonly warnings: readonly SynthesisProblem[];
}

/** The result of synthesizing one job: the job, or its problems. */
export type JobSynthesis = { ok: true; job: SynthesizedJob } | { ok: false; problems: SynthesisProblem[] };

/** Locates a lib/jobspec problem in the user's program. */
function locateProblem(ctx: RenderContext, p: JobProblem): SynthesisProblem {
  const loc = ctx.locate(p.segments);
  return { constructPath: loc.constructPath, prop: loc.prop, message: stripPath(p.message, p.path), jsonPath: p.path };
}

/** Drops a leading copy of the JSON path from a message, since the location is given separately. */
function stripPath(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

/**
 * The problems of `scope` and everything under it found before rendering:
 * props that do not match their declared types (unknown props, wrong types,
 * missing required props) and the construct validations (`node.addValidation`).
 */
function constructProblems(scope: IConstruct): SynthesisProblem[] {
  const out: SynthesisProblem[] = [];
  for (const c of scope.node.findAll()) {
    if (c instanceof NomadConstruct)
      for (const p of propProblemsOf(c)) out.push({ constructPath: c.node.path, prop: p.prop, message: p.message });
    for (const message of c.node.validate()) out.push({ constructPath: c.node.path, prop: "", message });
  }
  return out;
}

/**
 * Renders one job, validates it with lib/jobspec's `validateJob` and formats
 * it with `formatJobJson`. Every problem (from rendering, construct
 * validations and the jobspec rules) is located by construct path and prop.
 */
export function synthesizeJob(job: Job): JobSynthesis {
  const ctx = new RenderContext();
  const problems = constructProblems(job);
  let rendered: JsonObject;
  try {
    rendered = job.render(ctx);
  } catch (err) {
    return {
      ok: false,
      problems: [...problems, { constructPath: job.node.path, prop: "", message: `could not be rendered: ${(err as Error).message}` }],
    };
  }
  problems.push(...ctx.problems);
  const result = validateJob({ Job: rendered });
  if (!result.valid) {
    // A prop already reported (a bad duration, a dangling port, an unknown prop) is not reported twice.
    const seen = new Set([...ctx.problems, ...problems.filter((p) => p.prop !== "")].map((p) => `${p.constructPath}\0${p.prop}`));
    for (const jp of result.problems) {
      const p = locateProblem(ctx, jp);
      if (!seen.has(`${p.constructPath}\0${p.prop}`)) problems.push(p);
    }
  }
  if (problems.length > 0 || !result.valid) return { ok: false, problems };
  const text = formatJobJson(result.job, { wrap: true });
  const warnings = result.warnings.map((w) => locateProblem(ctx, w));
  let json: { Job: JobJson } | undefined;
  const synthesized: SynthesizedJob = {
    id: job.id,
    constructPath: job.node.path,
    // Parsed from the text on first use, so that it has the file's key order and costs nothing when unused.
    get json(): { Job: JobJson } {
      json ??= JSON.parse(text) as { Job: JobJson };
      return json;
    },
    text,
    warnings,
  };
  return { ok: true, job: synthesized };
}
