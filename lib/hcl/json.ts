/**
 * HCL's JSON syntax, the parts that do not need a schema: a JSON reader that
 * keeps positions, and JSON values as expressions (strings are templates, so
 * `"${var.x}"` interpolates, as in hashicorp/hcl's `json` package). Which
 * properties are blocks is the caller's business (it knows the schema).
 */
import type { Expression } from "./ast";
import type { Diagnostic, Range } from "./diagnostics";
import { DiagnosticError, fail } from "./diagnostics";
import { Lexer } from "./lexer";
import { parseTemplateText } from "./parser";

/** A JSON value with where it is. */
export type JsonNode =
  | { kind: "object"; props: { key: string; keyRange: Range; value: JsonNode }[]; range: Range }
  | { kind: "array"; items: JsonNode[]; range: Range }
  | { kind: "string"; value: string; range: Range }
  | { kind: "number"; value: number; range: Range }
  | { kind: "bool"; value: boolean; range: Range }
  | { kind: "null"; range: Range };

/** Reads JSON text, keeping the position of every value and key. Never throws: errors are diagnostics. */
export function parseJsonNodes(src: string, file: string): { node?: JsonNode; diagnostics: Diagnostic[] } {
  const lex = new Lexer(src, file);
  let i = 0;
  const ws = () => {
    while (i < src.length && " \t\r\n\uFEFF".includes(src[i])) i++;
  };
  const at = (n = 1) => lex.range(i, Math.min(i + n, src.length));
  const str = (): { value: string; range: Range } => {
    const start = i;
    i++;
    let out = "";
    while (i < src.length && src[i] !== '"') {
      const c = src[i];
      if (c === "\n") fail(at(), "Invalid JSON string", "A JSON string must end on the line it starts.");
      if (c === "\\") {
        const e = src[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        if (e === undefined || simple[e] === undefined) fail(at(2), "Invalid JSON escape", `The escape \\${e ?? ""} is not valid in JSON.`);
        out += simple[e];
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    if (i >= src.length) fail(lex.range(start, start + 1), "Unterminated JSON string", "There is no closing quote for this string.");
    i++;
    return { value: out, range: lex.range(start, i) };
  };
  const value = (depth: number): JsonNode => {
    if (depth > 2000) fail(at(), "Nesting too deep", "The JSON nests too deeply.");
    ws();
    const start = i;
    const c = src[i];
    if (c === "{") {
      i++;
      const props: { key: string; keyRange: Range; value: JsonNode }[] = [];
      ws();
      if (src[i] === "}") {
        i++;
        return { kind: "object", props, range: lex.range(start, i) };
      }
      for (;;) {
        ws();
        if (src[i] !== '"') fail(at(), "Invalid JSON object", "Expected a property name in double quotes.");
        const k = str();
        ws();
        if (src[i] !== ":") fail(at(), "Invalid JSON object", 'Expected ":" after a property name.');
        i++;
        props.push({ key: k.value, keyRange: k.range, value: value(depth + 1) });
        ws();
        if (src[i] === ",") {
          i++;
          continue;
        }
        if (src[i] === "}") {
          i++;
          return { kind: "object", props, range: lex.range(start, i) };
        }
        fail(at(), "Invalid JSON object", 'Expected "," or "}" after a property value.');
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (src[i] === "]") {
        i++;
        return { kind: "array", items, range: lex.range(start, i) };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (src[i] === ",") {
          i++;
          continue;
        }
        if (src[i] === "]") {
          i++;
          return { kind: "array", items, range: lex.range(start, i) };
        }
        fail(at(), "Invalid JSON array", 'Expected "," or "]" after an element.');
      }
    }
    if (c === '"') {
      const s = str();
      return { kind: "string", value: s.value, range: s.range };
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
    if (m && m[0] !== "-") {
      i += m[0].length;
      return { kind: "number", value: Number(m[0]), range: lex.range(start, i) };
    }
    for (const [lit, node] of [
      ["true", { kind: "bool", value: true }],
      ["false", { kind: "bool", value: false }],
      ["null", { kind: "null" }],
    ] as const)
      if (src.startsWith(lit, i)) {
        i += lit.length;
        return { ...node, range: lex.range(start, i) } as JsonNode;
      }
    return fail(
      at(),
      "Invalid JSON value",
      i >= src.length ? "The text ends where a value was expected." : "Expected an object, array, string, number, true, false or null.",
    );
  };
  try {
    const node = value(0);
    ws();
    if (i < src.length) fail(at(), "Extra characters after JSON value", "Only one JSON value may be given.");
    return { node, diagnostics: [] };
  } catch (err) {
    if (err instanceof DiagnosticError) return { diagnostics: [err.diagnostic] };
    throw err;
  }
}

/** Gives every range inside `value` (a syntax tree from another source) the range `to`. */
function relocate<T>(value: T, to: Range): T {
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (!v || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x && typeof x === "object" && "file" in x && "start" in x && "end" in x) (v as Record<string, unknown>)[k] = to;
      else visit(x);
    }
  };
  visit(value);
  return value;
}

/**
 * A JSON value as an HCL expression: strings are templates (diagnostics in
 * them point at the string), arrays tuples, objects objects.
 */
export function jsonExpression(node: JsonNode): Expression {
  switch (node.kind) {
    case "string": {
      const r = parseTemplateText(node.value, node.range.file);
      if (!r.expr) throw new DiagnosticError({ ...r.diagnostics[0], range: node.range });
      return relocate(r.expr, node.range);
    }
    case "number":
    case "bool":
      return { type: "literal", value: node.value, range: node.range };
    case "null":
      return { type: "literal", value: null, range: node.range };
    case "array":
      return { type: "tuple", items: node.items.map(jsonExpression), range: node.range };
    case "object":
      return {
        type: "object",
        items: node.props.map((p) => ({ key: { type: "literal", value: p.key, range: p.keyRange }, value: jsonExpression(p.value) })),
        range: node.range,
      };
  }
}
