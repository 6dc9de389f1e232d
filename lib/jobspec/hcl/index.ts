/**
 * lib/jobspec/hcl: HCL2 job files (Nomad's jobspec2) decoded into the
 * api.Job JSON shape that lib/jobspec validates. Variables (`variable`,
 * `-var`, `-var-file`, NOMAD_VAR_*), locals, functions, `dynamic` blocks,
 * and runtime interpolations (`${NOMAD_*}`, `${attr.*}`, `${node.*}`,
 * `${meta.*}`, ...) kept literally for the client, as jobspec2 does.
 */
import * as path from "node:path";
import type { Body, Diagnostic, EvalContext, ObjectValue, Range } from "../../hcl";
import { errorAt, formatDiagnostic, HclError, parseHcl, parseJsonNodes, standardFunctions } from "../../hcl";
import { findBlockModel, JOB_MODEL } from "../model";
import type { Json } from "./decode";
import { JobDecoder } from "./decode";
import { jsonJobBody } from "./json-syntax";
import { normalizeJob } from "./normalize";
import { markBlock } from "./positions";
export { hclRangeAt } from "./positions";
import type { VariableInputs } from "./variables";
import { assignInputs, declareVariables, Diags, evaluateLocals, variableValues } from "./variables";

export type { VariableInputs } from "./variables";
export { VAR_ENV_PREFIX } from "./variables";
export { formatDiagnostic, HclError } from "../../hcl";
export type { Diagnostic as HclDiagnostic } from "../../hcl";

/** Options of {@link parseJobHcl}. */
export interface ParseJobHclOptions extends VariableInputs {
  /** The job file's path: used in diagnostics and as the base of relative paths in file(). Default "job.nomad.hcl". */
  file?: string;
  /** The directory file() reads relative to; default the directory of `file`. */
  baseDir?: string;
  /** Allow file functions (the CLI does; the agent's parse endpoint does not). Default false. */
  allowFs?: boolean;
}

/** The result of {@link parseJobHcl}. */
export interface ParseJobHclResult {
  /** The job in the api.Job JSON shape, when there were no errors. */
  job?: Record<string, unknown>;
  /** The values of the input variables, by name. */
  variables: Record<string, unknown>;
  /** Errors and warnings, each with file, line and column. */
  diagnostics: Diagnostic[];
}

/** True when text looks like JSON (its first non-space character is `{`), as jobspec2 decides. */
export function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text);
}

/**
 * Keeps a reference to an undefined root variable as `${...}` text, for the
 * client to interpolate (jobspec2's UndefinedVariable): inside `${ ... }`
 * the interpolation is kept as written, spaces included.
 */
function keepRuntimeReference(source: string): (text: string, root: string, range: Range) => string {
  return (text, _root, range) => {
    const start = range.start.offset;
    const end = range.end.offset;
    let i = start - 1;
    while (i >= 1 && source[i] === " ") i--;
    if (i >= 1 && source[i] === "{" && source[i - 1] === "$") {
      let j = end;
      while (j < source.length && source[j] === " ") j++;
      return source.slice(i - 1, start) + text + (source[j] === "}" ? source.slice(end, j) : "") + "}";
    }
    return "${" + text + "}";
  };
}

/**
 * Parses an HCL2 job file (native syntax, or HCL's JSON syntax when the text
 * starts with `{`) into the api.Job JSON shape, as Nomad's jobspec2 does.
 * Never throws for bad input: problems come back as diagnostics with file,
 * line and column.
 */
export function parseJobHcl(source: string, options: ParseJobHclOptions = {}): ParseJobHclResult {
  try {
    return parseJobHclUnguarded(source, options);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const file = options.file ?? "job.nomad.hcl";
    const at = { line: 1, column: 1, offset: 0 };
    return {
      variables: {},
      diagnostics: [
        {
          severity: "error",
          summary: "Nesting too deep",
          detail: `The file nests expressions or blocks too deeply to process (${err.message}).`,
          range: { file, start: at, end: at },
        },
      ],
    };
  }
}

function parseJobHclUnguarded(source: string, options: ParseJobHclOptions): ParseJobHclResult {
  const file = options.file ?? "job.nomad.hcl";
  const diags = new Diags();
  let body: Body;
  const json = looksLikeJson(source);
  if (json) {
    // HCL's JSON syntax: the job model decides which properties are blocks.
    const nodes = parseJsonNodes(source, file);
    if (!nodes.node) return { variables: {}, diagnostics: nodes.diagnostics };
    const root = nodes.node;
    const converted = diags.guard(() => jsonJobBody(root));
    if (!converted) return { variables: {}, diagnostics: diags.list };
    body = converted;
  } else {
    const parsed = parseHcl(source, file);
    if (parsed.diagnostics.length) return { variables: {}, diagnostics: parsed.diagnostics };
    body = parsed.body;
  }
  const varObj: ObjectValue = {};
  const localObj: ObjectValue = {};
  const ctx: EvalContext = {
    variables: { var: varObj, local: localObj },
    functions: standardFunctions({ baseDir: options.baseDir ?? path.dirname(path.resolve(file)), allowFs: options.allowFs ?? false }),
    undefinedVariable: json ? (text) => "${" + text + "}" : keepRuntimeReference(source),
    source: json ? undefined : source,
  };
  for (const a of body.attributes)
    diags.add(errorAt(a.nameRange, "Unsupported argument", `An argument named ${JSON.stringify(a.name)} is not expected here.`));
  for (const b of body.blocks)
    if (!["variable", "variables", "locals", "job"].includes(b.type))
      diags.add(errorAt(b.typeRange, "Unsupported block type", `Blocks of type ${JSON.stringify(b.type)} are not expected here.`));
  if (diags.hasErrors) return { variables: {}, diagnostics: diags.list };

  const declCtx: EvalContext = { variables: {}, functions: ctx.functions };
  const vars = declareVariables(body.blocks, declCtx, diags);
  assignInputs(vars, options, diags);
  Object.assign(varObj, variableValues(vars, ctx, diags));
  if (diags.hasErrors) return { variables: { ...varObj }, diagnostics: diags.list };
  evaluateLocals(body.blocks, ctx, localObj, diags);
  if (diags.hasErrors) return { variables: { ...varObj }, diagnostics: diags.list };

  const jobs = body.blocks.filter((b) => b.type === "job");
  if (jobs.length === 0) {
    diags.add(errorAt(body.range, "Missing job block", "A job block is required"));
    return { variables: { ...varObj }, diagnostics: diags.list };
  }
  for (const extra of jobs.slice(1))
    diags.add(
      errorAt(
        extra.defRange,
        "Duplicate job block",
        `Only one block of type "job" is allowed. Previous definition was at ${jobs[0].defRange.file}:${jobs[0].defRange.start.line},${jobs[0].defRange.start.column}.`,
      ),
    );
  const jb = jobs[0];
  if (jb.labels.length !== 1) {
    diags.add(
      errorAt(
        jb.defRange,
        jb.labels.length ? "Extraneous label for job" : "Missing name for job",
        "All job blocks must have 1 labels (name).",
      ),
    );
    return { variables: { ...varObj }, diagnostics: diags.list };
  }
  const decoder = new JobDecoder(diags);
  const job: Json = {};
  markBlock(job, jb.defRange);
  decoder.decodeInto(jb.body, ctx, JOB_MODEL, job, new Set(["task", "vault", "secret"]));
  const tasks: Json[] = [];
  const secrets: Json[] = [];
  let vault: Json | undefined;
  const taskModel = findBlockModel("Task");
  const vaultModel = findBlockModel("Vault");
  const secretModel = findBlockModel("Secret");
  for (const { block, ctx: bctx } of decoder.blocksOf(jb.body, ctx)) {
    if (block.type === "task" && taskModel) {
      if (block.labels.length !== 1)
        diags.add(errorAt(block.defRange, "Missing name for task", "All task blocks must have 1 labels (name)."));
      else tasks.push(decoder.decodeBlock(block, bctx, taskModel));
    } else if (block.type === "vault" && vaultModel) {
      if (vault) diags.add(errorAt(block.defRange, "Duplicate vault block", 'Only one block of type "vault" is allowed.'));
      else vault = decoder.decodeBlock(block, bctx, vaultModel);
    } else if (block.type === "secret" && secretModel) {
      if (block.labels.length !== 1)
        diags.add(errorAt(block.defRange, "Missing name for secret", "All secret blocks must have 1 labels (name)."));
      else secrets.push(decoder.decodeBlock(block, bctx, secretModel));
    }
  }
  if (diags.hasErrors) return { variables: { ...varObj }, diagnostics: diags.list };
  normalizeJob(job, { jobId: jb.labels[0], tasks, vault, secrets });
  return { job, variables: { ...varObj }, diagnostics: diags.list };
}

/** Like {@link parseJobHcl}, but throws an HclError (its message lists every diagnostic as `file:line:column: summary; detail`) on errors. */
export function parseJobHclOrThrow(source: string, options: ParseJobHclOptions = {}): Record<string, unknown> {
  const r = parseJobHcl(source, options);
  if (!r.job) throw new HclError(r.diagnostics.filter((d) => d.severity === "error"));
  return r.job;
}

/** The diagnostics as text, one per line. */
export function formatDiagnostics(diags: readonly Diagnostic[]): string {
  return diags.map(formatDiagnostic).join("\n");
}

/** True for the file names HCL job files use: `*.hcl`, `*.nomad` (so also `*.nomad.hcl`). */
export function isHclJobFile(file: string): boolean {
  return /\.(hcl|nomad)$/i.test(file);
}
