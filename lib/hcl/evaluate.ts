/**
 * The expression evaluator: computes the value of an expression in an
 * evaluation context (variables and functions), as hashicorp/hcl's
 * `Expression.Value(ctx)` does. Errors are diagnostics with positions.
 */
import type { Expression, TemplatePart } from "./ast";
import type { Diagnostic, Range } from "./diagnostics";
import { DiagnosticError, fail } from "./diagnostics";
import type { ObjectValue, Value } from "./values";
import { convertValue, typeFromExpression } from "./types";
import {
  ConversionError,
  hasKey,
  isObject,
  setKey,
  sortedEntries,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  valuesEqual,
} from "./values";

/** Thrown by a function to report a problem; `arg` is the index of the argument at fault. */
export class FunctionError extends Error {
  constructor(
    message: string,
    /** The index of the argument at fault, if one is. */
    readonly arg?: number,
  ) {
    super(message);
    this.name = "FunctionError";
  }
}

/** A function callable from expressions. */
export interface HclFunction {
  /** Minimum number of arguments. */
  minArgs: number;
  /** Maximum number of arguments (Infinity for variadic). */
  maxArgs: number;
  /** Computes the result; throws FunctionError (or ConversionError) on bad arguments. */
  call(args: Value[]): Value;
}

/** What an expression is evaluated against. */
export interface EvalContext {
  /** The root variables (e.g. `var`, `local`). */
  variables: Record<string, Value>;
  /** The functions by name. */
  functions: Record<string, HclFunction>;
  /**
   * Called for a reference to an undefined root variable with the
   * reference's source text; returns a value to use, or undefined to report
   * "Unknown variable". (jobspec2 keeps such references, e.g.
   * `${NOMAD_ALLOC_DIR}`, as literal text for the client to interpolate.)
   */
  undefinedVariable?: (text: string, root: string, range: Range) => Value | undefined;
  /** The source text the expressions were parsed from (for undefinedVariable); without it, the reference is spelled from the tree. */
  source?: string;
}

type Scope = { vars: Map<string, Value>; parent?: Scope };

/** Evaluates an expression. Throws DiagnosticError (see {@link evaluateExpression} for a non-throwing form). */
export function evaluate(expr: Expression, ctx: EvalContext): Value {
  return new Evaluator(ctx).eval(expr, undefined);
}

/** Evaluates an expression; problems come back as diagnostics. */
export function evaluateExpression(expr: Expression, ctx: EvalContext): { value: Value; diagnostics: Diagnostic[] } {
  try {
    return { value: evaluate(expr, ctx), diagnostics: [] };
  } catch (err) {
    if (err instanceof DiagnosticError) return { value: null, diagnostics: [err.diagnostic] };
    if (err instanceof RangeError)
      return { value: null, diagnostics: [{ severity: "error", summary: "Evaluation too deep", detail: err.message, range: expr.range }] };
    throw err;
  }
}

class Evaluator {
  private splatItem: Value[] = [];
  constructor(private readonly ctx: EvalContext) {}

  private convert<T>(range: Range, f: () => T, summary = "Incorrect value type"): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof ConversionError) fail(range, summary, `Invalid value: ${err.message}.`);
      throw err;
    }
  }

  private lookup(name: string, scope: Scope | undefined): { found: boolean; value: Value } {
    for (let s = scope; s; s = s.parent) if (s.vars.has(name)) return { found: true, value: s.vars.get(name) as Value };
    if (hasKey(this.ctx.variables as ObjectValue, name)) return { found: true, value: this.ctx.variables[name] };
    return { found: false, value: null };
  }

  private getAttr(target: Value, name: string, range: Range): Value {
    if (isObject(target)) {
      if (!hasKey(target, name))
        fail(range, "Unsupported attribute", `This object does not have an attribute named ${JSON.stringify(name)}.`);
      return target[name];
    }
    if (target === null) fail(range, "Attempt to get attribute from null value", "This value is null, so it does not have any attributes.");
    return fail(
      range,
      "Unsupported attribute",
      `Can't access attributes on a ${typeName(target)} value; ${JSON.stringify(name)} was requested.`,
    );
  }

  private index(target: Value, key: Value, range: Range): Value {
    if (Array.isArray(target)) {
      const i = this.convert(range, () => toNumberValue(key, "the index"), "Invalid index");
      if (!Number.isInteger(i) || i < 0 || i >= target.length)
        fail(
          range,
          "Invalid index",
          `The given key does not identify an element in this collection value${Number.isInteger(i) && i >= target.length ? ": the collection has " + target.length + " elements" : ""}.`,
        );
      return target[i];
    }
    if (isObject(target)) {
      const k = this.convert(range, () => toStringValue(key, "the key"), "Invalid index");
      if (!hasKey(target, k))
        fail(
          range,
          "Invalid index",
          `The given key does not identify an element in this collection value: ${JSON.stringify(k)} is not set.`,
        );
      return target[k];
    }
    if (target === null) fail(range, "Attempt to index null value", "This value is null, so it does not have any indices.");
    return fail(range, "Invalid index", `This value (a ${typeName(target)}) does not have any indices.`);
  }

  eval(e: Expression, scope: Scope | undefined): Value {
    switch (e.type) {
      case "literal":
        return e.value;
      case "paren":
        return this.eval(e.expr, scope);
      case "template":
        if (!e.heredoc && e.parts.length === 1 && e.parts[0].kind === "interp") return this.eval(e.parts[0].expr, scope);
        return this.template(e.parts, scope);
      case "traversal": {
        const root = this.lookup(e.root, scope);
        if (!root.found) {
          const text =
            this.ctx.source !== undefined
              ? this.ctx.source.slice(e.range.start.offset, e.range.end.offset)
              : e.root +
                e.steps
                  .map((s) => (s.kind === "attr" ? `.${s.name}` : typeof s.key === "number" ? `[${s.key}]` : `[${JSON.stringify(s.key)}]`))
                  .join("");
          const v = this.ctx.undefinedVariable?.(text, e.root, e.range);
          if (v !== undefined) return v;
          fail(e.range, "Unknown variable", `There is no variable named ${JSON.stringify(e.root)}.`);
        }
        let cur = root.value;
        for (const s of e.steps) cur = s.kind === "attr" ? this.getAttr(cur, s.name, s.range) : this.index(cur, s.key, s.range);
        return cur;
      }
      case "getattr":
        return this.getAttr(this.eval(e.target, scope), e.name, e.range);
      case "index":
        return this.index(this.eval(e.target, scope), this.eval(e.key, scope), e.key.range);
      case "splatItem":
        return this.splatItem[this.splatItem.length - 1];
      case "splat": {
        const src = this.eval(e.source, scope);
        if (src === null) return [];
        const items = Array.isArray(src) ? src : [src];
        const out: Value[] = [];
        for (const item of items) {
          this.splatItem.push(item);
          try {
            out.push(this.eval(e.each, scope));
          } finally {
            this.splatItem.pop();
          }
        }
        return out;
      }
      case "call":
        return this.call(e, scope);
      case "tuple":
        return e.items.map((i) => this.eval(i, scope));
      case "object": {
        const o: ObjectValue = {};
        for (const item of e.items) {
          const k = this.eval(item.key, scope);
          const key = this.convert(item.key.range, () => toStringValue(k, "the object key"), "Incorrect key type");
          setKey(o, key, this.eval(item.value, scope));
        }
        return o;
      }
      case "unary": {
        const v = this.eval(e.operand, scope);
        if (e.op === "!") return !this.convert(e.operand.range, () => toBoolValue(v, "the operand"), "Invalid operand");
        return -this.convert(e.operand.range, () => toNumberValue(v, "the operand"), "Invalid operand");
      }
      case "binary":
        return this.binary(e.op, e.left, e.right, scope, e.range);
      case "conditional": {
        const c = this.eval(e.cond, scope);
        const b = this.convert(e.cond.range, () => toBoolValue(c, "the condition"), "Incorrect condition type");
        return b ? this.eval(e.then, scope) : this.eval(e.else, scope);
      }
      case "for":
        return this.forExpr(e, scope);
    }
  }

  private binary(op: string, l: Expression, r: Expression, scope: Scope | undefined, range: Range): Value {
    if (op === "&&" || op === "||") {
      const a = this.convert(l.range, () => toBoolValue(this.eval(l, scope), "the left operand"), "Invalid operand");
      if (op === "&&" && !a) return false;
      if (op === "||" && a) return true;
      return this.convert(r.range, () => toBoolValue(this.eval(r, scope), "the right operand"), "Invalid operand");
    }
    const a = this.eval(l, scope);
    const b = this.eval(r, scope);
    if (op === "==") return valuesEqual(a, b);
    if (op === "!=") return !valuesEqual(a, b);
    const x = this.convert(l.range, () => toNumberValue(a, "the left operand"), "Invalid operand");
    const y = this.convert(r.range, () => toNumberValue(b, "the right operand"), "Invalid operand");
    switch (op) {
      case "+":
        return x + y;
      case "-":
        return x - y;
      case "*":
        return x * y;
      case "/":
        if (y === 0) fail(range, "Zero divisor", "The right operand of a division operator must not be zero.");
        return x / y;
      case "%":
        if (y === 0) fail(range, "Zero divisor", "The right operand of a modulo operator must not be zero.");
        return x % y;
      case "<":
        return x < y;
      case ">":
        return x > y;
      case "<=":
        return x <= y;
      case ">=":
        return x >= y;
    }
    return fail(range, "Invalid operator", `Unknown operator ${op}.`);
  }

  private iterate(coll: Value, range: Range): [Value, Value][] {
    if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
    if (isObject(coll)) return sortedEntries(coll);
    if (coll === null) fail(range, "Iteration over null value", "A null value cannot be used as the collection in a for expression.");
    return fail(
      range,
      "Iteration over non-iterable value",
      `A value of type ${typeName(coll)} cannot be used as the collection in a for expression.`,
    );
  }

  private forExpr(e: Extract<Expression, { type: "for" }>, scope: Scope | undefined): Value {
    const entries = this.iterate(this.eval(e.coll, scope), e.coll.range);
    const list: Value[] = [];
    const obj: ObjectValue = {};
    for (const [k, v] of entries) {
      const vars = new Map<string, Value>();
      if (e.keyVar) vars.set(e.keyVar, k);
      vars.set(e.valueVar, v);
      const inner: Scope = { vars, parent: scope };
      if (e.cond) {
        const c = this.eval(e.cond, inner);
        if (!this.convert(e.cond.range, () => toBoolValue(c, "the condition"), "Invalid for expression condition")) continue;
      }
      if (!e.object) {
        list.push(this.eval(e.valueExpr, inner));
        continue;
      }
      const kv = this.eval(e.keyExpr!, inner);
      const key = this.convert(e.keyExpr!.range, () => toStringValue(kv, "the key"), "Invalid object key");
      const val = this.eval(e.valueExpr, inner);
      if (e.group) {
        if (!hasKey(obj, key)) setKey(obj, key, []);
        (obj[key] as Value[]).push(val);
      } else {
        if (hasKey(obj, key))
          fail(
            e.keyExpr!.range,
            "Duplicate object key",
            `Two different items produced the key ${JSON.stringify(key)} in this for expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`,
          );
        setKey(obj, key, val);
      }
    }
    return e.object ? obj : list;
  }

  private template(parts: TemplatePart[], scope: Scope | undefined): string {
    let out = "";
    for (const p of parts) {
      if (p.kind === "literal") out += p.value;
      else if (p.kind === "interp") {
        const v = this.eval(p.expr, scope);
        out += this.convert(p.expr.range, () => toStringValue(v, "the interpolated value"), "Invalid template interpolation value");
      } else if (p.kind === "if") {
        const c = this.eval(p.cond, scope);
        const b = this.convert(p.cond.range, () => toBoolValue(c, "the condition"), "Invalid template if condition");
        out += this.template(b ? p.then : p.else, scope);
      } else {
        for (const [k, v] of this.iterate(this.eval(p.coll, scope), p.coll.range)) {
          const vars = new Map<string, Value>();
          if (p.keyVar) vars.set(p.keyVar, k);
          vars.set(p.valueVar, v);
          out += this.template(p.body, { vars, parent: scope });
        }
      }
    }
    return out;
  }

  private call(e: Extract<Expression, { type: "call" }>, scope: Scope | undefined): Value {
    if (e.name === "try" || e.name === "can") return this.tryCall(e, scope);
    if (e.name === "convert" && !Object.prototype.hasOwnProperty.call(this.ctx.functions, "convert")) {
      if (e.args.length !== 2)
        fail(
          e.range,
          "Incorrect number of function arguments",
          'Function "convert" expects a value and a type, such as convert(x, list(string)).',
        );
      const type = typeFromExpression(e.args[1]);
      const r = convertValue(this.eval(e.args[0], scope), type);
      if ("error" in r) fail(e.args[0].range, "Invalid function argument", `Call to convert(): ${r.error}.`);
      return r.value;
    }
    const fn = Object.prototype.hasOwnProperty.call(this.ctx.functions, e.name) ? this.ctx.functions[e.name] : undefined;
    if (!fn) fail(e.nameRange, "Call to unknown function", `There is no function named ${JSON.stringify(e.name)}.`);
    let args = e.args.map((a) => this.eval(a, scope));
    const argRanges = e.args.map((a) => a.range);
    if (e.expandFinal && args.length) {
      const last = args[args.length - 1];
      if (!Array.isArray(last))
        fail(
          e.args[e.args.length - 1].range,
          "Invalid expanding argument value",
          "The expanding argument (indicated by ...) must be of a tuple, list, or set type.",
        );
      const lastRange = argRanges[argRanges.length - 1];
      args = [...args.slice(0, -1), ...last];
      while (argRanges.length < args.length) argRanges.push(lastRange);
    }
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const want =
        fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      fail(
        e.range,
        args.length < fn.minArgs ? "Not enough function arguments" : "Too many function arguments",
        `Function ${JSON.stringify(e.name)} expects ${want} argument(s); ${args.length} given.`,
      );
    }
    try {
      return fn.call(args);
    } catch (err) {
      if (err instanceof FunctionError)
        fail(
          err.arg !== undefined && argRanges[err.arg] ? argRanges[err.arg] : e.range,
          "Invalid function argument",
          `Call to ${e.name}(): ${err.message}`,
        );
      if (err instanceof ConversionError) fail(e.range, "Invalid function argument", `Call to ${e.name}(): ${err.message}`);
      if (err instanceof DiagnosticError) throw err;
      return fail(e.range, "Error in function call", `Call to function ${JSON.stringify(e.name)} failed: ${(err as Error).message}.`);
    }
  }

  private tryCall(e: Extract<Expression, { type: "call" }>, scope: Scope | undefined): Value {
    if (e.name === "can") {
      if (e.args.length !== 1) fail(e.range, "Incorrect number of function arguments", 'Function "can" expects exactly one argument.');
      try {
        this.eval(e.args[0], scope);
        return true;
      } catch (err) {
        if (err instanceof DiagnosticError) return false;
        throw err;
      }
    }
    if (e.args.length === 0) fail(e.range, "Not enough function arguments", 'Function "try" expects at least one argument.');
    let last: DiagnosticError | undefined;
    for (const a of e.args) {
      try {
        return this.eval(a, scope);
      } catch (err) {
        if (!(err instanceof DiagnosticError)) throw err;
        last = err;
      }
    }
    return fail(
      e.range,
      "No result for try",
      `None of the expressions produced a result; the last error was: ${last?.diagnostic.detail ?? ""}`,
    );
  }
}
