/** Helpers of the HCL tests: evaluate a snippet, parse a fixture. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Value } from "../../lib/hcl";
import { evaluate, parseHcl, parseHclExpression, standardFunctions } from "../../lib/hcl";
import type { ParseJobHclOptions } from "../../lib/jobspec/hcl";
import { formatDiagnostics, parseJobHcl } from "../../lib/jobspec/hcl";

/** The shared HCL fixtures. */
export const FIXTURES = "/work/shared/fixtures/hcl";

/** Evaluates one expression with the standard functions and the given variables. */
export function ev(src: string, variables: Record<string, Value> = {}): Value {
  const r = parseHclExpression(src, "expr.hcl");
  if (!r.expr)
    throw new Error(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.summary}: ${d.detail}`).join("\n"));
  return evaluate(r.expr, { variables, functions: standardFunctions({ allowFs: false }) });
}

/** Parses a body and evaluates attribute `name` of it (for templates and heredocs that need newlines). */
export function evAttr(src: string, name = "a", variables: Record<string, Value> = {}): Value {
  const r = parseHcl(src, "body.hcl");
  if (r.diagnostics.length) throw new Error(r.diagnostics[0].summary + ": " + r.diagnostics[0].detail);
  const attr = r.body.attributes.find((a) => a.name === name);
  if (!attr) throw new Error(`no attribute ${name}`);
  return evaluate(attr.expr, { variables, functions: standardFunctions({ allowFs: false }) });
}

/** The first diagnostic of parsing `src` as `line:column summary`. */
export function syntaxError(src: string): string {
  const r = parseHcl(src, "bad.hcl");
  if (!r.diagnostics.length) return "no error";
  const d = r.diagnostics[0];
  return `${d.range.file}:${d.range.start.line}:${d.range.start.column} ${d.summary}`;
}

/** Parses a fixture file as a job (file functions allowed); throws with the diagnostics if it does not parse. */
export function fixtureJob(rel: string, options: ParseJobHclOptions = {}): any {
  const file = path.join(FIXTURES, rel);
  const r = parseJobHcl(fs.readFileSync(file, "utf8"), { file, allowFs: true, ...options });
  if (!r.job) throw new Error(formatDiagnostics(r.diagnostics));
  return r.job;
}

/** Parses job source text; returns the job or the formatted diagnostics. */
export function parseJob(src: string, options: ParseJobHclOptions = {}): { job?: any; errors: string } {
  const r = parseJobHcl(src, { file: "job.nomad.hcl", ...options });
  return { job: r.job, errors: formatDiagnostics(r.diagnostics.filter((d) => d.severity === "error")) };
}
