/**
 * Input variables and locals of a job file, as jobspec2 decodes them
 * (`jobspec2/types.variables.go`, `types.config.go`): `variable` blocks
 * with type, default and validation, a `variables` block, values from
 * NOMAD_VAR_* environment variables, var files (`-var-file`, the HTTP
 * API's `Variables`) and `-var` flags (later sources win), and `locals`
 * evaluated in dependency order.
 */
import * as fs from "node:fs";
import type { Attribute, Block, Body, Diagnostic, EvalContext, Expression, HclType, ObjectValue, Range, Value } from "../../hcl";
import {
  convertValue,
  DiagnosticError,
  errorAt,
  evaluate,
  evaluateExpression,
  fromJson,
  isPrimitiveType,
  parseHcl,
  parseHclExpression,
  setKey,
  toBoolValue,
  traversalsOf,
  typeFromExpression,
} from "../../hcl";

/** The prefix of environment variables that set job variables. */
export const VAR_ENV_PREFIX = "NOMAD_VAR_";

interface Validation {
  condition: Expression;
  errorMessage: string;
  range: Range;
}

/** A declared input variable and the values assigned to it, in order (the last wins). */
export interface InputVariable {
  /** The variable name. */
  name: string;
  /** The type constraint, if any. */
  type?: HclType;
  /** The description, if any. */
  description?: string;
  /** Assigned values in order: default, env, varfile, cmd. */
  values: { from: "default" | "env" | "varfile" | "cmd"; value: Value; range?: Range }[];
  /** Validation rules. */
  validations: Validation[];
  /** Where it was declared. */
  range: Range;
}

/** Where variable values come from besides the job file. */
export interface VariableInputs {
  /** `-var name=value` flags, as "name=value" strings or a map. */
  argVars?: string[] | Record<string, string>;
  /** Paths of var files (`-var-file`). */
  varFiles?: string[];
  /** Var file content given inline (the HTTP API's `Variables`). */
  varContent?: string;
  /** The environment; NOMAD_VAR_<name> sets variable <name>. */
  env?: Record<string, string | undefined>;
  /** An undefined variable in a var file or -var flag is an error (default true), else a warning. */
  strict?: boolean;
}

function toArgMap(argVars: VariableInputs["argVars"]): [string, string][] {
  if (!argVars) return [];
  if (Array.isArray(argVars))
    return argVars.map((s) => {
      const i = s.indexOf("=");
      return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + 1)];
    });
  return Object.entries(argVars);
}

/** Collects diagnostics; a DiagnosticError from a callback is recorded, not thrown. */
export class Diags {
  /** All diagnostics so far. */
  readonly list: Diagnostic[] = [];
  /** Records one. */
  add(d: Diagnostic): void {
    this.list.push(d);
  }
  /** True when an error was recorded. */
  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === "error");
  }
  /** Runs `f`, recording a DiagnosticError it throws; returns undefined then. */
  guard<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (err) {
      if (err instanceof DiagnosticError) {
        this.add(err.diagnostic);
        return undefined;
      }
      throw err;
    }
  }
}

function attrMap(body: Body, diags: Diags, what: string): Map<string, Attribute> {
  const m = new Map<string, Attribute>();
  for (const b of body.blocks) diags.add(errorAt(b.typeRange, "Unexpected block", `Blocks are not allowed in ${what}.`));
  for (const a of body.attributes) m.set(a.name, a);
  return m;
}

function literalString(e: Expression, ctx: EvalContext | undefined, diags: Diags): string | undefined {
  return diags.guard(() => {
    const v = evaluate(e, ctx ?? { variables: {}, functions: {} });
    if (typeof v !== "string") throw new DiagnosticError(errorAt(e.range, "Incorrect attribute value type", "A string is required."));
    return v;
  });
}

/** Declares the variables of `variable "x" {}` blocks and `variables {}` blocks. */
export function declareVariables(blocks: Block[], ctx: EvalContext, diags: Diags): Map<string, InputVariable> {
  const vars = new Map<string, InputVariable>();
  for (const b of blocks) {
    if (b.type === "variables") {
      for (const a of attrMap(b.body, diags, "a variables block").values()) {
        if (vars.has(a.name)) {
          diags.add(errorAt(a.nameRange, "Duplicate variable", `Duplicate ${a.name} variable definition found.`));
          continue;
        }
        const value = diags.guard(() => evaluate(a.expr, ctx));
        if (value === undefined) continue;
        vars.set(a.name, { name: a.name, values: [{ from: "default", value, range: a.expr.range }], validations: [], range: a.range });
      }
      continue;
    }
    if (b.type !== "variable") continue;
    if (b.labels.length !== 1) {
      diags.add(
        errorAt(
          b.defRange,
          b.labels.length ? "Extraneous label for variable" : "Missing name for variable",
          "All variable blocks must have 1 label (name).",
        ),
      );
      continue;
    }
    const name = b.labels[0];
    if (vars.has(name)) {
      diags.add(errorAt(b.defRange, "Duplicate variable", `Duplicate ${name} variable definition found.`));
      continue;
    }
    if (!/^[\p{L}_][\p{L}\p{N}_-]*$/u.test(name))
      diags.add(
        errorAt(
          b.labelRanges[0],
          "Invalid variable name",
          "A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.",
        ),
      );
    const v: InputVariable = { name, values: [], validations: [], range: b.defRange };
    for (const a of b.body.attributes) {
      if (a.name === "description") v.description = literalString(a.expr, undefined, diags);
      else if (a.name === "type") v.type = diags.guard(() => typeFromExpression(a.expr));
      else if (a.name !== "default")
        diags.add(errorAt(a.nameRange, "Unsupported argument", `An argument named ${JSON.stringify(a.name)} is not expected here.`));
    }
    const def = b.body.attributes.find((a) => a.name === "default");
    if (def) {
      let value = diags.guard(() => evaluate(def.expr, ctx));
      if (value !== undefined) {
        if (v.type) {
          const r = convertValue(value, v.type);
          if ("error" in r) {
            diags.add(
              errorAt(
                def.expr.range,
                "Invalid default value for variable",
                `This default value is not compatible with the variable's type constraint: ${r.error}.`,
              ),
            );
            value = undefined;
          } else value = r.value;
        }
        if (value !== undefined) v.values.push({ from: "default", value, range: def.expr.range });
      }
    }
    for (const vb of b.body.blocks) {
      if (vb.type !== "validation") {
        diags.add(errorAt(vb.typeRange, "Unsupported block type", `Blocks of type ${JSON.stringify(vb.type)} are not expected here.`));
        continue;
      }
      const attrs = attrMap(vb.body, diags, "a validation block");
      const cond = attrs.get("condition");
      const msg = attrs.get("error_message");
      if (!cond || !msg) {
        diags.add(
          errorAt(
            vb.defRange,
            "Missing required argument",
            `The argument ${JSON.stringify(cond ? "error_message" : "condition")} is required, but no definition was found.`,
          ),
        );
        continue;
      }
      let goodRefs = 0;
      for (const t of traversalsOf(cond.expr)) {
        const first = t.steps[0];
        if (t.root === "var" && first && first.kind === "attr" && first.name === name) goodRefs++;
        else
          diags.add(
            errorAt(
              t.range,
              "Invalid reference in variable validation",
              `The condition for variable ${JSON.stringify(name)} can only refer to the variable itself, using var.${name}.`,
            ),
          );
      }
      if (goodRefs === 0)
        diags.add(
          errorAt(
            cond.expr.range,
            "Invalid variable validation condition",
            `The condition for variable ${JSON.stringify(name)} must refer to var.${name} in order to test incoming values.`,
          ),
        );
      const errorMessage = literalString(msg.expr, undefined, diags);
      if (errorMessage !== undefined && errorMessage.trim() === "")
        diags.add(
          errorAt(msg.expr.range, "Invalid validation error message", "An empty or blank string is not a valid nor useful error message."),
        );
      v.validations.push({ condition: cond.expr, errorMessage: errorMessage ?? "", range: vb.defRange });
    }
    vars.set(name, v);
  }
  return vars;
}

function valueFromString(name: string, raw: string, v: InputVariable, source: string, diags: Diags): Value | undefined {
  if (isPrimitiveType(v.type)) return raw;
  const file = `<value for var.${name} from ${source}>`;
  const parsed = parseHclExpression(raw, file);
  if (!parsed.expr) {
    parsed.diagnostics.forEach((d) => diags.add(d));
    return undefined;
  }
  return diags.guard(() => evaluate(parsed.expr!, { variables: {}, functions: {} }));
}

function assign(
  v: InputVariable,
  value: Value,
  from: InputVariable["values"][number]["from"],
  range: Range,
  diags: Diags,
  summary: string,
): void {
  let val = value;
  if (v.type) {
    const r = convertValue(value, v.type);
    if ("error" in r) {
      diags.add(errorAt(range, summary, `The value for ${v.name} is not compatible with the variable's type constraint: ${r.error}.`));
      return;
    }
    val = r.value;
  }
  v.values.push({ from, value: val, range });
}

function syntheticRange(file: string): Range {
  return { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
}

/** Applies values from the environment, var files and -var flags, in that order. */
export function assignInputs(vars: Map<string, InputVariable>, inputs: VariableInputs, diags: Diags): void {
  const undefSev = inputs.strict === false ? "warning" : "error";
  for (const [k, raw] of Object.entries(inputs.env ?? {})) {
    if (!k.startsWith(VAR_ENV_PREFIX) || raw === undefined) continue;
    const name = k.slice(VAR_ENV_PREFIX.length);
    const v = vars.get(name);
    if (!v || !name) continue;
    const value = valueFromString(name, raw, v, "env", diags);
    if (value !== undefined)
      assign(v, value, "env", syntheticRange(`<value for var.${name} from env>`), diags, "Invalid value for variable");
  }
  const files: { file: string; text: string }[] = [];
  for (const f of inputs.varFiles ?? []) {
    try {
      files.push({ file: f, text: fs.readFileSync(f, "utf8") });
    } catch (err) {
      diags.add(errorAt(syntheticRange(f), "Failed to read file", `failed to read ${JSON.stringify(f)}: ${(err as Error).message}`));
    }
  }
  if (inputs.varContent) files.push({ file: "input.hcl", text: inputs.varContent });
  for (const { file, text } of files) {
    let entries: { name: string; value: Value; range: Range }[] = [];
    if (text.trimStart().startsWith("{")) {
      try {
        const obj = fromJson(JSON.parse(text));
        entries = Object.entries(obj as ObjectValue).map(([name, value]) => ({ name, value, range: syntheticRange(file) }));
      } catch (err) {
        diags.add(errorAt(syntheticRange(file), "Invalid JSON var file", (err as Error).message));
        continue;
      }
    } else {
      const parsed = parseHcl(text, file);
      if (parsed.diagnostics.length) {
        parsed.diagnostics.forEach((d) => diags.add(d));
        continue;
      }
      for (const b of parsed.body.blocks) {
        if (b.type === "variable")
          diags.add(
            errorAt(
              b.typeRange,
              "Variable declaration in a .var file",
              `A .var file is used to assign values to variables that have already been declared in job files, not to declare new variables. To declare variable ${JSON.stringify(b.labels[0] ?? "")}, place this block in one of your job files.`,
            ),
          );
        else diags.add(errorAt(b.typeRange, "Unexpected block", "A var file holds only variable assignments (name = value)."));
      }
      for (const a of parsed.body.attributes) {
        const value = diags.guard(() => evaluate(a.expr, { variables: {}, functions: {} }));
        if (value !== undefined) entries.push({ name: a.name, value, range: a.expr.range });
      }
    }
    for (const e of entries) {
      const v = vars.get(e.name);
      if (!v) {
        diags.add({
          severity: undefSev,
          summary: "Undefined variable",
          detail: `A ${JSON.stringify(e.name)} variable was set but was not found in known variables. To declare variable ${JSON.stringify(e.name)}, place this block in your job files`,
          range: e.range,
        });
        continue;
      }
      assign(v, e.value, "varfile", e.range, diags, "Invalid value for variable");
    }
  }
  for (const [name, raw] of toArgMap(inputs.argVars)) {
    const v = vars.get(name);
    const range = syntheticRange(`<value for var.${name} from arguments>`);
    if (!v) {
      diags.add({
        severity: undefSev,
        summary: "Undefined -var variable",
        detail: `A ${JSON.stringify(name)} variable was passed in the command line but was not found in known variables. To declare variable ${JSON.stringify(name)}, place this block in your job file`,
        range,
      });
      continue;
    }
    const value = valueFromString(name, raw, v, "arguments", diags);
    if (value !== undefined) assign(v, value, "cmd", range, diags, "Invalid argument value for -var variable");
  }
}

/** The final value of each variable (the last assigned), checking unset variables and validation rules. */
export function variableValues(vars: Map<string, InputVariable>, ctx: EvalContext, diags: Diags): ObjectValue {
  const out: ObjectValue = {};
  for (const v of vars.values()) {
    const last = v.values[v.values.length - 1];
    if (!last) {
      diags.add(
        errorAt(
          v.range,
          `Unset variable ${JSON.stringify(v.name)}`,
          "A used variable must be set or have a default value; see https://developer.hashicorp.com/nomad/docs/reference/hcl2/variables for details.",
        ),
      );
      continue;
    }
    setKey(out, v.name, last.value);
    for (const rule of v.validations) {
      const varObj: ObjectValue = {};
      setKey(varObj, v.name, last.value);
      const r = evaluateExpression(rule.condition, { variables: { var: varObj }, functions: ctx.functions });
      if (r.diagnostics.length) {
        r.diagnostics.forEach((d) => diags.add(d));
        continue;
      }
      let ok: boolean;
      try {
        ok = toBoolValue(r.value);
      } catch {
        diags.add(
          errorAt(
            rule.condition.range,
            "Invalid variable validation result",
            "Validation condition expression must return either true or false.",
          ),
        );
        continue;
      }
      if (!ok)
        diags.add(
          errorAt(
            last.range ?? rule.range,
            `Invalid value for ${last.from} variable`,
            `${rule.errorMessage}\n\nThis was checked by the validation rule at ${rule.range.file}:${rule.range.start.line},${rule.range.start.column}.`,
          ),
        );
    }
  }
  return out;
}

/** Evaluates `locals` blocks, retrying those that refer to locals not yet known. */
export function evaluateLocals(blocks: Block[], ctx: EvalContext, locals: ObjectValue, diags: Diags): void {
  let pending: Attribute[] = [];
  const seen = new Set<string>();
  for (const b of blocks) {
    if (b.type !== "locals") continue;
    for (const a of attrMap(b.body, diags, "a locals block").values()) {
      if (seen.has(a.name)) {
        diags.add(errorAt(a.nameRange, "Duplicate value in locals", `Duplicate ${a.name} definition found.`));
        continue;
      }
      seen.add(a.name);
      pending.push(a);
    }
  }
  while (pending.length) {
    const failed: { a: Attribute; d: Diagnostic[] }[] = [];
    for (const a of pending) {
      const r = evaluateExpression(a.expr, ctx);
      if (r.diagnostics.length) failed.push({ a, d: r.diagnostics });
      else setKey(locals, a.name, r.value);
    }
    if (failed.length === pending.length) {
      failed.forEach((f) => f.d.forEach((d) => diags.add(d)));
      return;
    }
    pending = failed.map((f) => f.a);
  }
}
