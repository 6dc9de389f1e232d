/**
 * The executor of Go's text/template language over JavaScript values:
 * objects stand for Go maps and structs (`.Key` reads a property), arrays
 * for slices, and values print as Go's `fmt` prints them with `%v`
 * (`<no value>` for a missing map key, `map[k:v]`, `[a b]`).
 */
import { parseTemplate, type Command, type Node, type Operand, type Pipeline } from "./parse";

/** A template function: takes the evaluated arguments, returns a value or throws. */
export type TemplateFunc = (...args: unknown[]) => unknown;

/** How a template runs. */
export interface ExecOptions {
  /** The functions by name (the builtins are added unless overridden). */
  funcs?: Record<string, TemplateFunc>;
  /** Fail on a missing map key instead of printing `<no value>` (`error_on_missing_key`). Default false. */
  errorOnMissingKey?: boolean;
  /** Left and right delimiters (default `{{` and `}}`). */
  left?: string;
  right?: string;
  /** The template's name in errors. Default "out". */
  name?: string;
  /** Largest output in bytes (default 16 MiB): a runaway loop fails instead of filling memory. */
  maxOutputBytes?: number;
}

/** An error while executing a template, worded as Go's. */
class TemplateExecError extends Error {
  constructor(name: string, line: number, message: string) {
    super(`template: ${name}:${line}: executing "${name}" at line ${line}: ${message}`);
    this.name = "TemplateExecError";
  }
}

class BreakSignal {}
class ContinueSignal {}

/** Go's notion of truth: false, 0, nil and empty strings, slices and maps are false. */
function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** A value as Go's fmt prints it with %v. */
export function printValue(v: unknown): string {
  if (v === undefined) return "<no value>";
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(printValue).join(" ")}]`;
  if (typeof v === "object") {
    const s = (v as { toString?: () => string }).toString;
    if (s && s !== Object.prototype.toString) return s.call(v);
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${printValue((v as Record<string, unknown>)[k])}`)
      .join(" ")}]`;
  }
  return String(v);
}

interface Scope {
  vars: { name: string; value: unknown }[];
}

/** Renders `src` with `data` as dot. Throws `TemplateParseError` or `TemplateExecError`. */
export function executeTemplate(src: string, data: unknown, opts: ExecOptions = {}): string {
  const name = opts.name ?? "out";
  const nodes = parseTemplate(name, src, opts.left ?? "{{", opts.right ?? "}}");
  const funcs: Record<string, TemplateFunc> = { ...builtins(), ...(opts.funcs ?? {}) };
  const max = opts.maxOutputBytes ?? 16 * 1024 * 1024;
  let out = "";
  const scope: Scope = { vars: [{ name: "$", value: data }] };
  const fail = (line: number, msg: string): never => {
    throw new TemplateExecError(name, line, msg);
  };
  const emit = (s: string, line: number) => {
    out += s;
    if (out.length > max) fail(line, `output is larger than ${max} bytes`);
  };

  const lookupVar = (v: string, line: number): unknown => {
    for (let k = scope.vars.length - 1; k >= 0; k--) if (scope.vars[k].name === v) return scope.vars[k].value;
    return fail(line, `undefined variable: ${v}`);
  };

  const field = (recv: unknown, key: string, line: number): unknown => {
    if (recv === undefined || recv === null) return fail(line, `nil pointer evaluating interface {}.${key}`);
    if (typeof recv !== "object" || Array.isArray(recv)) return fail(line, `can't evaluate field ${key} in type ${goType(recv)}`);
    if (Object.prototype.hasOwnProperty.call(recv, key)) {
      const got = (recv as Record<string, unknown>)[key];
      return typeof got === "function" ? (got as () => unknown).call(recv) : got;
    }
    if (opts.errorOnMissingKey) return fail(line, `map has no entry for key "${key}"`);
    return undefined;
  };

  const evalOperand = (o: Operand, dot: unknown, line: number): unknown => {
    switch (o.kind) {
      case "string":
        return o.value;
      case "number":
        return o.value;
      case "bool":
        return o.value;
      case "nil":
        return null;
      case "dot":
        return dot;
      case "field": {
        let v = dot;
        for (const n of o.names) v = field(v, n, line);
        return v;
      }
      case "variable": {
        let v = lookupVar(o.name, line);
        for (const n of o.names) v = field(v, n, line);
        return v;
      }
      case "pipe": {
        let v = evalPipeline(o.pipe, dot, false);
        for (const n of o.names) v = field(v, n, line);
        return v;
      }
      case "ident": {
        const f = funcs[o.name];
        if (!f) return fail(line, `function "${o.name}" not defined`);
        return callFunc(o.name, f, [], dot, line);
      }
    }
  };

  const callFunc = (fname: string, f: TemplateFunc, args: unknown[], _dot: unknown, line: number): unknown => {
    try {
      return f(...args);
    } catch (err) {
      if (err instanceof TemplateExecError) throw err;
      return fail(line, `error calling ${fname}: ${(err as Error).message}`);
    }
  };

  const evalCommand = (c: Command, dot: unknown, final: { value: unknown } | null, line: number): unknown => {
    const [head, ...rest] = c.args;
    if (head.kind === "ident") {
      const f = funcs[head.name];
      if (!f) return fail(line, `function "${head.name}" not defined`);
      if (head.name === "and" || head.name === "or") {
        // Short-circuit, as Go 1.18+ does: stop at the first false (and) or true (or) operand.
        const ops: (() => unknown)[] = rest.map((a) => () => evalOperand(a, dot, line));
        if (final) ops.push(() => final.value);
        if (ops.length === 0) return fail(line, `wrong number of args for ${head.name}: want at least 1 got 0`);
        let v: unknown;
        for (const op of ops) {
          v = op();
          if (head.name === "and" ? !truth(v) : truth(v)) return v;
        }
        return v;
      }
      const args = rest.map((a) => evalOperand(a, dot, line));
      if (final) args.push(final.value);
      return callFunc(head.name, f, args, dot, line);
    }
    if (rest.length > 0 || final) {
      if (head.kind === "field" || head.kind === "variable")
        return fail(line, `can't give argument to non-function ${describeOperand(head)}`);
      return fail(line, `can't give argument to non-function ${describeOperand(head)}`);
    }
    return evalOperand(head, dot, line);
  };

  const evalPipeline = (p: Pipeline, dot: unknown, declare: boolean): unknown => {
    let value: unknown;
    p.cmds.forEach((c, k) => {
      value = evalCommand(c, dot, k === 0 ? null : { value }, p.line);
    });
    if (declare && p.decl.length === 1) setVar(p.decl[0], value, p.assign, p.line);
    return value;
  };

  const setVar = (v: string, value: unknown, assign: boolean, line: number) => {
    if (!assign) {
      scope.vars.push({ name: v, value });
      return;
    }
    for (let k = scope.vars.length - 1; k >= 0; k--)
      if (scope.vars[k].name === v) {
        scope.vars[k].value = value;
        return;
      }
    fail(line, `undefined variable: ${v}`);
  };

  const inScope = (fn: () => void) => {
    const mark = scope.vars.length;
    try {
      fn();
    } finally {
      scope.vars.length = mark;
    }
  };

  const walk = (list: Node[], dot: unknown, inRange: boolean): void => {
    for (const n of list) {
      switch (n.kind) {
        case "text":
          emit(n.text, 0);
          break;
        case "action": {
          const v = evalPipeline(n.pipe, dot, true);
          if (n.pipe.decl.length === 0) emit(printValue(v), n.pipe.line);
          break;
        }
        case "if":
        case "with": {
          inScope(() => {
            const v = evalPipeline(n.pipe, dot, true);
            if (truth(v)) walk(n.list, n.kind === "with" ? v : dot, inRange);
            else if (n.elseList) walk(n.elseList, dot, inRange);
          });
          break;
        }
        case "range": {
          inScope(() => {
            const v = evalPipeline(n.pipe, dot, false);
            const entries: [unknown, unknown][] = [];
            if (v === undefined || v === null) {
              /* nothing */
            } else if (Array.isArray(v)) v.forEach((e, k) => entries.push([k, e]));
            else if (typeof v === "number" && Number.isInteger(v)) for (let k = 0; k < v; k++) entries.push([k, k]);
            else if (typeof v === "object") for (const k of Object.keys(v).sort()) entries.push([k, (v as Record<string, unknown>)[k]]);
            else fail(n.pipe.line, `range can't iterate over ${printValue(v)}`);
            if (entries.length === 0) {
              if (n.elseList) walk(n.elseList, dot, inRange);
              return;
            }
            for (const [k, e] of entries) {
              const mark = scope.vars.length;
              if (n.pipe.decl.length === 1) scope.vars.push({ name: n.pipe.decl[0], value: e });
              else if (n.pipe.decl.length === 2) scope.vars.push({ name: n.pipe.decl[0], value: k }, { name: n.pipe.decl[1], value: e });
              try {
                walk(n.list, e, true);
              } catch (sig) {
                if (sig instanceof BreakSignal) break;
                if (!(sig instanceof ContinueSignal)) throw sig;
              } finally {
                scope.vars.length = mark;
              }
            }
          });
          break;
        }
        case "break":
          if (!inRange) fail(n.line, "{{break}} outside {{range}}");
          throw new BreakSignal();
        case "continue":
          if (!inRange) fail(n.line, "{{continue}} outside {{range}}");
          throw new ContinueSignal();
      }
    }
  };

  walk(nodes, data, false);
  return out;
}

function describeOperand(o: Operand): string {
  if (o.kind === "field") return `.${o.names.join(".")}`;
  if (o.kind === "variable") return o.name + o.names.map((n) => `.${n}`).join("");
  if (o.kind === "string") return JSON.stringify(o.value);
  if (o.kind === "number" || o.kind === "bool") return String(o.value);
  return o.kind;
}

/** Go's name of a value's type, for error messages. */
function goType(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  if (v === null || v === undefined) return "<nil>";
  return "map[string]interface {}";
}

function basicCompare(a: unknown, b: unknown, op: string): number {
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "number" && tb === "number") || (ta === "string" && tb === "string"))
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (op === "eq" || op === "ne") {
    if (ta !== tb && !(a === null || b === null || a === undefined || b === undefined))
      throw new Error("incompatible types for comparison");
    return a === b ? 0 : 1;
  }
  throw new Error(ta !== tb ? "incompatible types for comparison" : `invalid type for comparison`);
}

/** Go's printf verbs for the common cases: %s %v %d %q %f %x %X %t %%, with width and precision. */
function goSprintf(format: string, args: unknown[]): string {
  let k = 0;
  return (
    format.replace(
      /%([-+# 0]*)(\d+)?(?:\.(\d+))?([svdqfxXtbeEgGc%])/g,
      (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
        if (verb === "%") return "%";
        if (k >= args.length) return `%!${verb}(MISSING)`;
        const a = args[k++];
        let s: string;
        switch (verb) {
          case "d":
            s = typeof a === "number" ? String(Math.trunc(a)) : `%!d(${goType(a)}=${printValue(a)})`;
            break;
          case "f":
          case "e":
          case "E":
          case "g":
          case "G":
            if (typeof a !== "number") s = `%!${verb}(${goType(a)}=${printValue(a)})`;
            else if (verb === "f") s = a.toFixed(prec !== undefined ? Number(prec) : 6);
            else if (verb === "e" || verb === "E")
              s = a.toExponential(prec !== undefined ? Number(prec) : 6).replace(/e([+-])(\d)$/, "e$10$2");
            else s = String(a);
            if (verb === "E") s = s.toUpperCase();
            break;
          case "q":
            s = JSON.stringify(typeof a === "string" ? a : printValue(a));
            break;
          case "x":
          case "X":
            s = typeof a === "number" ? Math.trunc(a).toString(16) : Buffer.from(printValue(a)).toString("hex");
            if (verb === "X") s = s.toUpperCase();
            break;
          case "t":
            s = typeof a === "boolean" ? String(a) : `%!t(${goType(a)}=${printValue(a)})`;
            break;
          case "b":
            s = typeof a === "number" ? Math.trunc(a).toString(2) : printValue(a);
            break;
          case "c":
            s = typeof a === "number" ? String.fromCodePoint(a) : printValue(a);
            break;
          default:
            s = printValue(a);
            if (verb === "s" && prec !== undefined) s = s.slice(0, Number(prec));
        }
        if (width) {
          const w = Number(width);
          if (flags.includes("-")) s = s.padEnd(w);
          else s = s.padStart(w, flags.includes("0") && verb !== "s" ? "0" : " ");
        }
        return s;
      },
    ) +
    (k < args.length
      ? `%!(EXTRA ${args
          .slice(k)
          .map((a) => `${goType(a)}=${printValue(a)}`)
          .join(", ")})`
      : "")
  );
}

/** text/template's builtin functions. */
function builtins(): Record<string, TemplateFunc> {
  const cmp = (op: string) => (a: unknown, b: unknown) => {
    const c = basicCompare(a, b, op);
    return op === "lt" ? c < 0 : op === "le" ? c <= 0 : op === "gt" ? c > 0 : c >= 0;
  };
  return {
    and: () => undefined, // evaluated lazily by the executor
    or: () => undefined,
    not: (a: unknown) => !truth(a),
    eq: (a: unknown, ...bs: unknown[]) => {
      if (bs.length === 0) throw new Error("missing argument for comparison");
      return bs.some((b) => basicCompare(a, b, "eq") === 0);
    },
    ne: (a: unknown, b: unknown) => basicCompare(a, b, "ne") !== 0,
    lt: cmp("lt"),
    le: cmp("le"),
    gt: cmp("gt"),
    ge: cmp("ge"),
    len: (a: unknown) => {
      if (typeof a === "string") return Buffer.byteLength(a);
      if (Array.isArray(a)) return a.length;
      if (a && typeof a === "object") return Object.keys(a).length;
      throw new Error(`len of type ${goType(a)}`);
    },
    index: (a: unknown, ...keys: unknown[]) => {
      let v = a;
      for (const k of keys) {
        if (Array.isArray(v) || typeof v === "string") {
          if (typeof k !== "number" || k < 0 || k >= v.length) throw new Error(`index out of range: ${printValue(k)}`);
          v = typeof v === "string" ? v.charCodeAt(k) : v[k];
        } else if (v && typeof v === "object") v = (v as Record<string, unknown>)[String(k)];
        else if (v === null || v === undefined) return undefined;
        else throw new Error(`can't index item of type ${goType(v)}`);
      }
      return v;
    },
    slice: (a: unknown, ...idx: unknown[]) => {
      if (typeof a !== "string" && !Array.isArray(a)) throw new Error(`can't slice item of type ${goType(a)}`);
      const [i = 0, j = a.length] = idx as number[];
      return a.slice(i, j);
    },
    printf: (format: unknown, ...args: unknown[]) => goSprintf(String(format), args),
    print: (...args: unknown[]) =>
      args.map((a, k) => (k > 0 && typeof a !== "string" && typeof args[k - 1] !== "string" ? " " : "") + printValue(a)).join(""),
    println: (...args: unknown[]) => args.map(printValue).join(" ") + "\n",
    html: (...args: unknown[]) =>
      args
        .map(printValue)
        .join("")
        .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c] as string),
    urlquery: (...args: unknown[]) => encodeURIComponent(args.map(printValue).join("")).replace(/%20/g, "+"),
    js: (...args: unknown[]) => JSON.stringify(args.map(printValue).join("")).slice(1, -1),
  };
}
