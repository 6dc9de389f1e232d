/**
 * HCL variables in imported programs. A job file's `variable` blocks are
 * configuration the program should keep: the importer finds where each
 * string variable's value lands in the job by parsing the file a second
 * time with a unique marker as the variable's value, and keeps a reference
 * to the variable wherever the marker came through unchanged (directly or
 * inside a longer string). Everywhere else (a number, a value passed
 * through a function) the job's value is written as it is.
 */
import type { Block } from "../hcl";
import { parseHcl } from "../hcl";
import type { ParseJobHclOptions } from "../jobspec/hcl";
import { looksLikeJson, parseJobHcl } from "../jobspec/hcl";
import { declareVariables, Diags } from "../jobspec/hcl/variables";
import { isObject as isObj } from "../util/object";

type Obj = Record<string, unknown>;

/** A variable of the job file that the generated program reads. */
export interface ImportVariable {
  /** The variable's name in the job file. */
  readonly name: string;
  /** The HCL type: strings are traced through markers, numbers and bools through the fields they set. */
  readonly type: "string" | "number" | "bool";
  /** The marker that stands for it in the job's strings while the program is written (unique per variable). */
  readonly marker: string;
  /** Its default (as declared), or undefined when it has none (the program then requires it). */
  readonly default?: string | number | boolean;
  /** Its description. */
  readonly description?: string;
  /** For numbers and bools: the JSON paths (`TaskGroups.0.Count`) of the fields that hold its value. */
  readonly paths?: readonly string[];
}

let markers = 0;

/** A marker no other variable of this process has, so that jobs from several files can share one program. */
function newMarker(): string {
  return `@@drover-var-${markers++}@@`;
}

/** The pattern of variable markers in a job's strings. */
export function markerPattern(): RegExp {
  return /@@drover-var-\d+@@/g;
}

/** A declared variable: name, the kind of value it holds, default and description. */
interface Declared {
  name: string;
  kind: "string" | "number" | "bool" | "other";
  default?: string | number | boolean;
  description?: string;
}

function declared(source: string, file: string): Declared[] {
  if (looksLikeJson(source)) return [];
  const parsed = parseHcl(source, file);
  if (parsed.diagnostics.length) return [];
  const diags = new Diags();
  const blocks: Block[] = parsed.body.blocks.filter((b) => b.type === "variable" || b.type === "variables");
  const vars = declareVariables(blocks, { variables: {}, functions: {} }, diags);
  const out: Declared[] = [];
  for (const v of vars.values()) {
    const def = v.values.find((x) => x.from === "default")?.value;
    const typed = v.type?.kind;
    const untyped = typed === undefined || typed === "any";
    const kind =
      typed === "string" || (untyped && (def === undefined || typeof def === "string"))
        ? "string"
        : typed === "number"
          ? "number"
          : typed === "bool"
            ? "bool"
            : "other";
    const usable =
      (kind === "string" && typeof def === "string") ||
      (kind === "number" && typeof def === "number") ||
      (kind === "bool" && typeof def === "boolean");
    out.push({ name: v.name, kind, default: usable ? (def as string | number | boolean) : undefined, description: v.description });
  }
  return out;
}

function argList(argVars: ParseJobHclOptions["argVars"]): string[] {
  if (!argVars) return [];
  return Array.isArray(argVars) ? [...argVars] : Object.entries(argVars).map(([k, v]) => `${k}=${v}`);
}

function hasMarker(v: unknown): boolean {
  if (typeof v === "string") return markerPattern().test(v);
  if (Array.isArray(v)) return v.some(hasMarker);
  if (isObj(v)) return Object.values(v).some(hasMarker);
  return false;
}

/** `traced` where it differs from `real` only by markers standing for the values they had; `real` elsewhere. */
function merge(real: unknown, traced: unknown, values: ReadonlyMap<string, string>): unknown {
  if (typeof real === "string" && typeof traced === "string") {
    if (traced === real || !hasMarker(traced)) return real;
    const filled = traced.replace(markerPattern(), (m) => values.get(m) ?? m);
    return filled === real ? traced : real;
  }
  if (Array.isArray(real) && Array.isArray(traced) && real.length === traced.length) return real.map((x, i) => merge(x, traced[i], values));
  if (isObj(real) && isObj(traced)) {
    const keys = Object.keys(real);
    if (keys.length !== Object.keys(traced).length || keys.some((k) => !(k in traced))) return real;
    const out: Obj = {};
    for (const k of keys)
      Object.defineProperty(out, k, { value: merge(real[k], traced[k], values), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return real;
}

/** Collects the paths of the scalar fields where `same(real, others)` holds, walking the three jobs while their shapes agree. */
function followers(real: unknown, others: unknown[], same: (r: unknown, o: unknown[]) => boolean, path: string, into: string[]): void {
  if (Array.isArray(real)) {
    if (!others.every((o) => Array.isArray(o) && o.length === real.length)) return;
    real.forEach((x, i) =>
      followers(
        x,
        others.map((o) => (o as unknown[])[i]),
        same,
        path ? `${path}.${i}` : String(i),
        into,
      ),
    );
    return;
  }
  if (isObj(real)) {
    if (!others.every(isObj)) return;
    for (const k of Object.keys(real))
      followers(
        real[k],
        others.map((o) => (o as Obj)[k]),
        same,
        path ? `${path}.${k.replace(/\./g, "\\.")}` : k.replace(/\./g, "\\."),
        into,
      );
    return;
  }
  if (same(real, others)) into.push(path);
}

function collectMarkers(v: unknown, into: Set<string>): void {
  if (typeof v === "string") for (const m of v.match(markerPattern()) ?? []) into.add(m);
  else if (Array.isArray(v)) for (const x of v) collectMarkers(x, into);
  else if (isObj(v)) for (const x of Object.values(v)) collectMarkers(x, into);
}

/** The result of tracing: the job with markers where variables are used, the variables used, and the values they had. */
export interface TracedJob {
  /** The job, with markers in the strings that come from variables. */
  readonly job: Obj;
  /** The variables the job's strings use, in declaration order. */
  readonly variables: ImportVariable[];
  /** The value each used variable had in this import (default, NOMAD_VAR_*, -var-file or -var). */
  readonly values: Readonly<Record<string, string>>;
  /** Declared variables whose uses could not be kept (not strings, or used through functions), by name. */
  readonly inlined: string[];
}

/**
 * Finds where the string variables of an HCL job file are used in `real`
 * (the job parsed with `options`, whose variable values are `values`).
 */
export function traceVariables(
  source: string,
  options: ParseJobHclOptions,
  real: Obj,
  values: Readonly<Record<string, unknown>>,
): TracedJob {
  const file = options.file ?? "job.nomad.hcl";
  const decls = declared(source, file);
  const candidates = decls.filter((d) => d.kind === "string" && typeof values[d.name] === "string");
  const markerOf = new Map(candidates.map((d) => [d.name, newMarker()]));
  const parseWith = (names: string[]): Obj | undefined => {
    const extra = names.map((n) => `${n}=${markerOf.get(n)}`);
    const r = parseJobHcl(source, { ...options, argVars: [...argList(options.argVars), ...extra] });
    return r.job as Obj | undefined;
  };
  let names = candidates.map((d) => d.name);
  let traced = names.length ? parseWith(names) : undefined;
  if (names.length && !traced) {
    // One variable's marker broke the file (a validation rule, a function that needs a number): trace the others.
    names = names.filter((n) => parseWith([n]) !== undefined);
    traced = names.length ? parseWith(names) : undefined;
  }
  const byMarker = new Map(names.map((n) => [markerOf.get(n)!, String(values[n])]));
  const job = traced ? (merge(real, traced, byMarker) as Obj) : real;
  const used = new Set<string>();
  collectMarkers(job, used);
  const variables: ImportVariable[] = [];
  const usedValues: Record<string, string> = {};
  for (const d of candidates) {
    const marker = markerOf.get(d.name)!;
    if (!used.has(marker)) continue;
    variables.push({ name: d.name, type: "string", marker, default: d.default, description: d.description });
    usedValues[d.name] = String(values[d.name]);
  }
  // Numbers and bools: the fields that follow the variable when it changes (by +1 and +2, or negated) hold its value.
  for (const d of decls) {
    const v = values[d.name];
    if (!((d.kind === "number" && typeof v === "number" && Number.isFinite(v)) || (d.kind === "bool" && typeof v === "boolean"))) continue;
    const parseWithValue = (x: number | boolean): Obj | undefined =>
      parseJobHcl(source, { ...options, argVars: [...argList(options.argVars), `${d.name}=${String(x)}`] }).job as Obj | undefined;
    const paths: string[] = [];
    if (typeof v === "number") {
      const once = parseWithValue(v + 1);
      const twice = parseWithValue(v + 2);
      if (once && twice) followers(real, [once, twice], (r, t) => r === v && t[0] === v + 1 && t[1] === v + 2, "", paths);
    } else {
      const flipped = parseWithValue(!v);
      if (flipped) followers(real, [flipped], (r, t) => r === v && t[0] === !v, "", paths);
    }
    if (paths.length === 0) continue;
    variables.push({
      name: d.name,
      type: d.kind as "number" | "bool",
      marker: newMarker(),
      default: d.default,
      description: d.description,
      paths,
    });
    usedValues[d.name] = String(v);
  }
  const order = new Map(decls.map((d, i) => [d.name, i]));
  variables.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  const inlined = decls.filter((d) => !variables.some((x) => x.name === d.name)).map((d) => d.name);
  return { job, variables, values: usedValues, inlined };
}
