/**
 * A small model of TypeScript expressions and the printer that lays them
 * out in the project's two-space style: an object or array stays on one line
 * when it fits the width, and breaks one entry per line otherwise.
 */

/** A TypeScript expression to print. */
export type Expr =
  | { readonly kind: "code"; readonly code: string }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly kind: "array"; readonly items: readonly Expr[] }
  | { readonly kind: "call"; readonly callee: string; readonly args: readonly Expr[] };

/** The line width the printer aims for. */
export const LINE_WIDTH = 120;

/** Code written as is: an identifier, a member access, a literal already printed. */
export function code(text: string): Expr {
  return { kind: "code", code: text };
}

/** An object literal; entries with an `undefined` value are left out. */
export function object(entries: readonly (readonly [string, Expr | undefined])[]): Expr {
  return { kind: "object", entries: entries.filter((e): e is readonly [string, Expr] => e[1] !== undefined) };
}

/** An array literal. */
export function array(items: readonly Expr[]): Expr {
  return { kind: "array", items };
}

/** A call, `callee(args…)`. */
export function call(callee: string, ...args: Expr[]): Expr {
  return { kind: "call", callee, args };
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private protected public static yield any boolean constructor declare get module require number set string symbol type from of undefined app process".split(
    " ",
  ),
);

/** True when `name` can be written as an unquoted property key or identifier. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** A property key as written in an object literal: bare when it is an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return isIdentifier(key) ? key : str(key);
}

/** A string literal in double quotes (JSON escaping, which TypeScript reads the same). */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** Any JSON value as a literal expression, object keys sorted (as synthesized JSON has map keys). */
export function json(value: unknown): Expr {
  if (value === null || value === undefined) return code("null");
  if (typeof value === "string") return code(str(value));
  if (typeof value === "number" || typeof value === "boolean") return code(String(value));
  if (Array.isArray(value)) return array(value.map(json));
  const o = value as Record<string, unknown>;
  return object(
    Object.keys(o)
      .sort()
      .map((k) => [k, json(o[k])] as const),
  );
}

/**
 * Prints an expression that starts at `column` on a line indented by
 * `indent` spaces (continuation lines are indented from `indent`).
 */
export function print(e: Expr, indent = 0, column = indent): string {
  const flat = printFlat(e);
  if (flat !== undefined && column + flat.length <= LINE_WIDTH) return flat;
  return printBroken(e, indent, column);
}

function printFlat(e: Expr): string | undefined {
  switch (e.kind) {
    case "code":
      return e.code.includes("\n") ? undefined : e.code;
    case "object": {
      if (e.entries.length === 0) return "{}";
      const parts: string[] = [];
      for (const [k, v] of e.entries) {
        const f = printFlat(v);
        if (f === undefined) return undefined;
        parts.push(f === k && isIdentifier(k) ? k : `${propertyKey(k)}: ${f}`);
      }
      return `{ ${parts.join(", ")} }`;
    }
    case "array": {
      const parts: string[] = [];
      for (const v of e.items) {
        const f = printFlat(v);
        if (f === undefined) return undefined;
        parts.push(f);
      }
      return `[${parts.join(", ")}]`;
    }
    case "call": {
      const parts: string[] = [];
      for (const v of e.args) {
        const f = printFlat(v);
        if (f === undefined) return undefined;
        parts.push(f);
      }
      return `${e.callee}(${parts.join(", ")})`;
    }
  }
}

function printBroken(e: Expr, indent: number, column: number): string {
  const pad = " ".repeat(indent + 2);
  const end = " ".repeat(indent);
  switch (e.kind) {
    case "code":
      return e.code;
    case "object":
      if (e.entries.length === 0) return "{}";
      return `{\n${e.entries.map(([k, v]) => (v.kind === "code" && v.code === k && isIdentifier(k) ? `${pad}${k},` : `${pad}${propertyKey(k)}: ${print(v, indent + 2, indent + 2 + propertyKey(k).length + 2)},`)).join("\n")}\n${end}}`;
    case "array":
      if (e.items.length === 0) return "[]";
      return `[\n${e.items.map((v) => `${pad}${print(v, indent + 2)},`).join("\n")}\n${end}]`;
    case "call": {
      // A call whose last argument is an object or array hugs it: `f("a", {` … `})`.
      const last = e.args[e.args.length - 1];
      const head = e.args.slice(0, -1).map((a) => printFlat(a));
      if (last && (last.kind === "object" || last.kind === "array") && head.every((h) => h !== undefined)) {
        const prefix = `${e.callee}(${head.map((h) => `${h}, `).join("")}`;
        if (column + prefix.length < LINE_WIDTH) return `${prefix}${printBroken(last, indent, column + prefix.length)})`;
      }
      return `${e.callee}(\n${e.args.map((a) => `${pad}${print(a, indent + 2)},`).join("\n")}\n${end})`;
    }
  }
}

/**
 * Hands out identifiers that are unique in one program and are not
 * TypeScript keywords or names the program already uses.
 */
export class NameScope {
  private readonly taken = new Set<string>(RESERVED);

  /** Marks names as used (the imports). */
  public reserve(...names: string[]): void {
    for (const n of names) this.taken.add(n);
  }

  /** A fresh identifier derived from `hint` (camelCased), with `suffix` or a number added when taken. */
  public fresh(hint: string, suffix = ""): string {
    let base = camelCase(hint);
    if (!base || !/^[A-Za-z_$]/.test(base))
      base = `${suffix ? suffix.toLowerCase() : "v"}${base ? base.charAt(0).toUpperCase() + base.slice(1) : ""}`;
    let name = base;
    if (this.taken.has(name) && suffix) name = base + suffix;
    for (let i = 2; this.taken.has(name); i++) name = `${base}${suffix}${i}`;
    this.taken.add(name);
    return name;
  }
}

/** `my-web_app.v2` → `myWebAppV2`. */
export function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}
