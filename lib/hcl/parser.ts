/**
 * The HCL2 native-syntax parser (hashicorp/hcl `hclsyntax/spec.md`): a
 * recursive-descent parser from tokens to the syntax tree of ast.ts.
 * Errors are diagnostics with file, line and column.
 */
import type { Attribute, Block, Body, Expression, ObjectItem, TemplatePart, TraversalStep } from "./ast";
import type { Diagnostic, Range } from "./diagnostics";
import { DiagnosticError, fail } from "./diagnostics";
import { Lexer, type Token } from "./lexer";

/** The result of parsing a file: the body, or the diagnostics that stopped it. */
export interface ParseResult {
  /** The file's body (empty when there were errors). */
  body: Body;
  /** Problems found; parsing stops at the first error. */
  diagnostics: Diagnostic[];
}

const BINARY_LEVELS: string[][] = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];

function describe(t: Token): string {
  if (t.kind === "eof") return "end of file";
  if (t.kind === "newline") return "newline";
  if (t.kind === "quote") return "quoted string";
  if (t.kind === "heredoc") return "heredoc";
  return JSON.stringify(t.text);
}

class Parser {
  private buf: Token | null = null;
  /** A `~}` asked to strip the whitespace at the start of the next literal. */
  private stripNext = false;
  private readonly nlStack: boolean[] = [false];
  readonly lex: Lexer;

  constructor(src: string, file: string) {
    this.lex = new Lexer(src, file);
  }

  private get ignoreNl(): boolean {
    return this.nlStack[this.nlStack.length - 1];
  }

  peek(): Token {
    while (!this.buf || (this.buf.kind === "newline" && this.ignoreNl)) this.buf = this.lex.next();
    return this.buf;
  }

  advance(): Token {
    const t = this.peek();
    this.buf = null;
    return t;
  }

  isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === p;
  }

  expectPunct(p: string, what: string): Token {
    const t = this.peek();
    if (t.kind !== "punct" || t.text !== p) fail(t.range, `Missing ${what}`, `Expected ${JSON.stringify(p)}, but found ${describe(t)}.`);
    return this.advance();
  }

  join(a: Range, b: Range): Range {
    return { file: a.file, start: a.start, end: b.end };
  }

  skipNewlines(): void {
    while (this.peek().kind === "newline") this.advance();
  }

  // ---- structure ----

  parseBody(inBlock: boolean, open?: Token): Body {
    this.nlStack.push(false);
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    const seen = new Map<string, Attribute>();
    const startTok = this.peek();
    let end: Range = startTok.range;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === "eof") {
        if (inBlock)
          fail(
            open ? open.range : t.range,
            "Unclosed configuration block",
            "There is no closing brace for this block before the end of the file.",
          );
        end = t.range;
        break;
      }
      if (inBlock && t.kind === "punct" && t.text === "}") {
        end = t.range;
        break;
      }
      if (t.kind !== "ident")
        fail(t.range, "Argument or block definition required", `An argument or block definition is required here; found ${describe(t)}.`);
      this.advance();
      const n = this.peek();
      if (n.kind === "punct" && n.text === "=") {
        this.advance();
        const expr = this.parseExpression();
        const attr: Attribute = { name: t.text, expr, nameRange: t.range, range: this.join(t.range, expr.range) };
        const prev = seen.get(t.text);
        if (prev)
          fail(
            t.range,
            "Attribute redefined",
            `The argument ${JSON.stringify(t.text)} was already set at ${prev.nameRange.file}:${prev.nameRange.start.line}:${prev.nameRange.start.column}. Each argument may be set only once.`,
          );
        seen.set(t.text, attr);
        attributes.push(attr);
      } else {
        blocks.push(this.parseBlock(t));
      }
      const after = this.peek();
      if (after.kind === "newline" || after.kind === "eof") continue;
      if (inBlock && after.kind === "punct" && after.text === "}") continue;
      fail(after.range, "Missing newline after argument", `An argument definition must end with a newline; found ${describe(after)}.`);
    }
    this.nlStack.pop();
    return { attributes, blocks, range: this.join(startTok.range, end) };
  }

  parseBlock(typeTok: Token): Block {
    const labels: string[] = [];
    const labelRanges: Range[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "ident") {
        this.advance();
        labels.push(t.text);
        labelRanges.push(t.range);
        continue;
      }
      if (t.kind === "quote") {
        this.advance();
        const tmpl = this.parseQuotedTemplate(t);
        if (tmpl.type !== "template" || tmpl.parts.some((p) => p.kind !== "literal"))
          fail(tmpl.range, "Invalid block label", "Block labels must be plain strings, without interpolations.");
        labels.push(tmpl.parts.map((p) => (p.kind === "literal" ? p.value : "")).join(""));
        labelRanges.push(tmpl.range);
        continue;
      }
      if (t.kind === "punct" && t.text === "{") break;
      if (t.kind === "punct" && t.text === "=") break;
      fail(
        t.range,
        "Invalid block definition",
        `Either a quoted string block label or an opening brace ("{") is expected here; found ${describe(t)}.`,
      );
    }
    const open = this.expectPunct("{", "block opening brace");
    const body = this.parseBody(true, open);
    const close = this.expectPunct("}", "block closing brace");
    const defEnd = labelRanges.length ? labelRanges[labelRanges.length - 1] : typeTok.range;
    return {
      type: typeTok.text,
      labels,
      labelRanges,
      body,
      typeRange: typeTok.range,
      defRange: this.join(typeTok.range, defEnd),
      range: this.join(typeTok.range, close.range),
    };
  }

  // ---- expressions ----

  parseExpression(): Expression {
    const cond = this.parseBinary(0);
    if (!this.isPunct("?")) return cond;
    this.advance();
    this.nlStack.push(true);
    const then = this.parseExpression();
    this.expectPunct(":", "false expression");
    this.nlStack.pop();
    const otherwise = this.parseExpression();
    return { type: "conditional", cond, then, else: otherwise, range: this.join(cond.range, otherwise.range) };
  }

  parseBinary(level: number): Expression {
    if (level >= BINARY_LEVELS.length) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== "punct" || !BINARY_LEVELS[level].includes(t.text)) return left;
      this.advance();
      this.skipNewlines();
      const right = this.parseBinary(level + 1);
      left = { type: "binary", op: t.text, left, right, range: this.join(left.range, right.range) };
    }
  }

  parseUnary(): Expression {
    const t = this.peek();
    if (t.kind === "punct" && (t.text === "!" || t.text === "-")) {
      this.advance();
      const operand = this.parseUnary();
      return { type: "unary", op: t.text, operand, range: this.join(t.range, operand.range) };
    }
    return this.parsePostfix(this.parsePrimary(), false);
  }

  /** Applies `.name`, `[key]`, `.*` and `[*]` to `target`. */
  parsePostfix(target: Expression, inSplat: boolean): Expression {
    let cur = target;
    for (;;) {
      const t = this.peek();
      if (t.kind === "punct" && t.text === ".") {
        this.advance();
        const n = this.peek();
        if (n.kind === "ident") {
          this.advance();
          cur = this.step(cur, { kind: "attr", name: n.text, range: n.range });
        } else if (n.kind === "number" && /^\d+(\.\d+)?$/.test(n.text)) {
          // Legacy index steps: `a.0`, and `a.0.1`, which the scanner reads as the number 0.1.
          this.advance();
          for (const part of n.text.split(".")) cur = this.step(cur, { kind: "index", key: Number(part), range: n.range });
        } else if (n.kind === "punct" && n.text === "*") {
          if (inSplat) return cur;
          this.advance();
          const item: Expression = { type: "splatItem", range: n.range };
          const each = this.parsePostfixAttrsOnly(item);
          cur = { type: "splat", source: cur, each, range: this.join(cur.range, each.range) };
        } else fail(n.range, "Invalid attribute name", `An attribute name is required after a dot; found ${describe(n)}.`);
        continue;
      }
      if (t.kind === "punct" && t.text === "[") {
        this.advance();
        this.nlStack.push(true);
        if (this.isPunct("*")) {
          const star = this.advance();
          const close = this.expectPunct("]", "close bracket");
          this.nlStack.pop();
          if (inSplat)
            fail(star.range, "Nested splat", "A splat expression may not be nested inside another one here; use a for expression.");
          const item: Expression = { type: "splatItem", range: this.join(star.range, close.range) };
          const each = this.parsePostfix(item, true);
          cur = { type: "splat", source: cur, each, range: this.join(cur.range, each.range) };
          continue;
        }
        const key = this.parseExpression();
        const close = this.expectPunct("]", "close bracket");
        this.nlStack.pop();
        if (key.type === "literal" && (typeof key.value === "number" || typeof key.value === "string") && cur.type === "traversal") {
          cur = this.step(cur, { kind: "index", key: key.value, range: this.join(key.range, close.range) });
        } else if (key.type === "template" && key.parts.length === 1 && key.parts[0].kind === "literal" && cur.type === "traversal") {
          cur = this.step(cur, { kind: "index", key: key.parts[0].value, range: this.join(key.range, close.range) });
        } else cur = { type: "index", target: cur, key, range: this.join(cur.range, close.range) };
        continue;
      }
      return cur;
    }
  }

  private parsePostfixAttrsOnly(target: Expression): Expression {
    let cur = target;
    while (this.isPunct(".")) {
      this.advance();
      const n = this.peek();
      if (n.kind !== "ident") fail(n.range, "Invalid attribute name", `An attribute name is required after a dot; found ${describe(n)}.`);
      this.advance();
      cur = { type: "getattr", target: cur, name: n.text, range: this.join(cur.range, n.range) };
    }
    return cur;
  }

  private step(cur: Expression, s: TraversalStep): Expression {
    if (cur.type === "traversal")
      return { type: "traversal", root: cur.root, steps: [...cur.steps, s], range: this.join(cur.range, s.range) };
    if (s.kind === "attr") return { type: "getattr", target: cur, name: s.name, range: this.join(cur.range, s.range) };
    return { type: "index", target: cur, key: { type: "literal", value: s.key, range: s.range }, range: this.join(cur.range, s.range) };
  }

  parsePrimary(): Expression {
    const t = this.peek();
    switch (t.kind) {
      case "number": {
        this.advance();
        return { type: "literal", value: Number(t.text), range: t.range };
      }
      case "ident": {
        this.advance();
        if (t.text === "true" || t.text === "false") return { type: "literal", value: t.text === "true", range: t.range };
        if (t.text === "null") return { type: "literal", value: null, range: t.range };
        if (this.isPunct("(")) return this.parseCall(t);
        return { type: "traversal", root: t.text, steps: [], range: t.range };
      }
      case "quote":
        this.advance();
        return this.parseQuotedTemplate(t);
      case "heredoc":
        this.advance();
        return this.parseHeredoc(t);
      case "punct":
        if (t.text === "(") {
          this.advance();
          this.nlStack.push(true);
          const expr = this.parseExpression();
          const close = this.expectPunct(")", "close parenthesis");
          this.nlStack.pop();
          return { type: "paren", expr, range: this.join(t.range, close.range) };
        }
        if (t.text === "[") return this.parseTuple();
        if (t.text === "{") return this.parseObject();
        break;
      default:
        break;
    }
    return fail(t.range, "Invalid expression", `Expected the start of an expression, but found ${describe(t)}.`);
  }

  parseCall(name: Token): Expression {
    this.advance(); // (
    this.nlStack.push(true);
    const args: Expression[] = [];
    let expandFinal = false;
    while (!this.isPunct(")")) {
      args.push(this.parseExpression());
      if (this.isPunct("...")) {
        this.advance();
        expandFinal = true;
        if (!this.isPunct(")"))
          fail(this.peek().range, "Missing close parenthesis", "An expanded argument (...) must be the last argument.");
        break;
      }
      if (this.isPunct(",")) {
        this.advance();
        continue;
      }
      if (!this.isPunct(")"))
        fail(
          this.peek().range,
          "Missing argument separator",
          `A comma is required to separate each function argument from the next; found ${describe(this.peek())}.`,
        );
    }
    const close = this.advance();
    this.nlStack.pop();
    return { type: "call", name: name.text, args, expandFinal, range: this.join(name.range, close.range), nameRange: name.range };
  }

  parseTuple(): Expression {
    const open = this.advance();
    this.nlStack.push(true);
    const first = this.peek();
    if (first.kind === "ident" && first.text === "for") {
      const e = this.parseFor(open, false);
      this.nlStack.pop();
      return e;
    }
    const items: Expression[] = [];
    while (!this.isPunct("]")) {
      items.push(this.parseExpression());
      if (this.isPunct(",")) {
        this.advance();
        continue;
      }
      if (!this.isPunct("]"))
        fail(
          this.peek().range,
          "Missing item separator",
          `Expected a comma to mark the beginning of the next item; found ${describe(this.peek())}.`,
        );
    }
    const close = this.advance();
    this.nlStack.pop();
    return { type: "tuple", items, range: this.join(open.range, close.range) };
  }

  parseObject(): Expression {
    const open = this.advance();
    this.nlStack.push(true);
    const first = this.peek();
    if (first.kind === "ident" && first.text === "for") {
      const e = this.parseFor(open, true);
      this.nlStack.pop();
      return e;
    }
    this.nlStack.pop();
    this.nlStack.push(false);
    const items: ObjectItem[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isPunct("}")) break;
      let key = this.parseExpression();
      if (key.type === "traversal" && key.steps.length === 0) key = { type: "literal", value: key.root, range: key.range };
      const eq = this.peek();
      if (eq.kind !== "punct" || (eq.text !== "=" && eq.text !== ":"))
        fail(
          eq.range,
          "Missing key/value separator",
          `Expected an equals sign ("=") to mark the beginning of the attribute value; found ${describe(eq)}.`,
        );
      this.advance();
      const value = this.parseExpression();
      items.push({ key, value });
      const sep = this.peek();
      if (sep.kind === "punct" && sep.text === ",") {
        this.advance();
        continue;
      }
      if (sep.kind === "newline" || (sep.kind === "punct" && sep.text === "}")) continue;
      fail(
        sep.range,
        "Missing attribute separator",
        `Expected a newline or comma to mark the beginning of the next attribute; found ${describe(sep)}.`,
      );
    }
    const close = this.advance();
    this.nlStack.pop();
    return { type: "object", items, range: this.join(open.range, close.range) };
  }

  parseFor(open: Token, object: boolean): Expression {
    this.advance(); // for
    const v1 = this.peek();
    if (v1.kind !== "ident") fail(v1.range, "Invalid for expression", 'Expected an iterator variable name after "for".');
    this.advance();
    let keyVar: string | undefined;
    let valueVar = v1.text;
    if (this.isPunct(",")) {
      this.advance();
      const v2 = this.peek();
      if (v2.kind !== "ident") fail(v2.range, "Invalid for expression", "Expected a value variable name after the comma.");
      this.advance();
      keyVar = v1.text;
      valueVar = v2.text;
    }
    const kw = this.peek();
    if (kw.kind !== "ident" || kw.text !== "in")
      fail(kw.range, "Invalid for expression", `Expected "in" after the iterator variables; found ${describe(kw)}.`);
    this.advance();
    const coll = this.parseExpression();
    this.expectPunct(":", "colon in for expression");
    let keyExpr: Expression | undefined;
    let valueExpr = this.parseExpression();
    let group = false;
    if (object) {
      this.expectPunct("=>", '"=>" in object for expression');
      keyExpr = valueExpr;
      valueExpr = this.parseExpression();
      if (this.isPunct("...")) {
        this.advance();
        group = true;
      }
    }
    let cond: Expression | undefined;
    const t = this.peek();
    if (t.kind === "ident" && t.text === "if") {
      this.advance();
      cond = this.parseExpression();
    }
    const close = this.expectPunct(
      object ? "}" : "]",
      object ? "closing brace of the for expression" : "closing bracket of the for expression",
    );
    return { type: "for", keyVar, valueVar, coll, keyExpr, valueExpr, cond, group, object, range: this.join(open.range, close.range) };
  }

  // ---- templates ----

  parseQuotedTemplate(open: Token): Expression {
    const parts = this.parseTemplateParts(true, this.lex.src.length, [], open).parts;
    const endOff = this.lex.offset;
    if (this.lex.src[endOff] !== '"') fail(open.range, "Unterminated template string", "No closing quote was found for this string.");
    this.lex.offset = endOff + 1;
    return { type: "template", parts, heredoc: false, range: this.join(open.range, this.lex.range(endOff, endOff + 1)) };
  }

  parseHeredoc(open: Token): Expression {
    const span = this.lex.heredocSpan(open);
    this.lex.offset = span.contentStart;
    const { parts, end } = this.parseTemplateParts(false, span.contentEnd, [], open);
    if (end !== "limit") fail(open.range, "Unterminated template string", "The heredoc ends inside a template directive.");
    if (open.flush) this.unindent(parts, span.contentStart, span.contentEnd);
    this.lex.offset = span.after;
    return {
      type: "template",
      parts,
      heredoc: true,
      range: this.join(open.range, this.lex.range(span.after - open.text.length, span.after)),
    };
  }

  /** Removes the common leading indentation of a `<<-` heredoc's lines. */
  private unindent(parts: TemplatePart[], start: number, end: number): void {
    const lines = this.lex.src.slice(start, end).split("\n");
    let min = Infinity;
    for (const line of lines) {
      if (line.trim() === "") continue;
      min = Math.min(min, /^[ \t]*/.exec(line)![0].length);
    }
    if (!isFinite(min) || min === 0) return;
    const strip = (s: string, atLineStart: boolean): string =>
      s
        .split("\n")
        .map((seg, i) => (i > 0 || atLineStart ? seg.replace(new RegExp(`^[ \\t]{0,${min}}`), "") : seg))
        .join("\n");
    const visit = (ps: TemplatePart[]) => {
      for (const p of ps) {
        if (p.kind === "literal") {
          const off = p.range.start.offset;
          p.value = strip(p.value, off === start || this.lex.src[off - 1] === "\n");
        } else if (p.kind === "if") {
          visit(p.then);
          visit(p.else);
        } else if (p.kind === "for") visit(p.body);
      }
    };
    visit(parts);
  }

  /**
   * Parses template parts until the end (closing quote or `limit`) or one of
   * the `stops` directives (`else`, `endif`, `endfor`), which is consumed.
   */
  parseTemplateParts(quoted: boolean, limit: number, stops: string[], open: Token): { parts: TemplatePart[]; end: string } {
    const parts: TemplatePart[] = [];
    if (stops.length === 0) this.stripNext = false;
    const src = this.lex.src;
    for (;;) {
      const lit = this.lex.scanLiteral(quoted, limit);
      let value = lit.value;
      if (this.stripNext) value = value.replace(/^\s+/, "");
      this.stripNext = false;
      if (value !== "") parts.push({ kind: "literal", value, range: this.lex.range(lit.start, lit.end) });
      const off = this.lex.offset;
      if (off >= limit || (quoted && off >= src.length)) {
        if (quoted) fail(open.range, "Unterminated template string", "No closing quote was found for this string.");
        if (stops.length)
          fail(
            open.range,
            "Unterminated template directive",
            `Expected a %{ ${stops[stops.length - 1]} } directive before the end of the template.`,
          );
        return { parts, end: "limit" };
      }
      if (quoted && src[off] === '"') {
        if (stops.length)
          fail(
            this.lex.range(off, off + 1),
            "Unterminated template directive",
            `Expected a %{ ${stops[stops.length - 1]} } directive before the end of the string.`,
          );
        return { parts, end: "quote" };
      }
      const isDirective = src[off] === "%";
      this.lex.offset = off + 2;
      this.buf = null;
      this.nlStack.push(true);
      if (this.isPunct("~")) {
        this.advance();
        const last = parts[parts.length - 1];
        if (last && last.kind === "literal") {
          last.value = last.value.replace(/\s+$/, "");
          if (last.value === "") parts.pop();
        }
      }
      const startRange = this.lex.range(off, off + 2);
      const close = (): void => {
        if (this.isPunct("~")) {
          this.advance();
          this.stripNext = true;
        }
        const t = this.peek();
        if (t.kind !== "punct" || t.text !== "}")
          fail(
            t.range,
            "Extra characters after interpolation expression",
            `Expected a closing brace to end the ${isDirective ? "directive" : "interpolation"}; found ${describe(t)}.`,
          );
        this.buf = null;
        this.nlStack.pop();
      };
      if (!isDirective) {
        const expr = this.parseExpression();
        close();
        parts.push({ kind: "interp", expr, range: this.join(startRange, expr.range) });
        continue;
      }
      const kw = this.advance();
      if (kw.kind !== "ident")
        fail(kw.range, "Invalid template directive", `Expected if, else, endif, for or endfor after %{; found ${describe(kw)}.`);
      if (kw.text === "if") {
        const cond = this.parseExpression();
        close();
        const then = this.parseTemplateParts(quoted, limit, ["else", "endif"], open);
        let otherwise: TemplatePart[] = [];
        if (then.end === "else") otherwise = this.parseTemplateParts(quoted, limit, ["endif"], open).parts;
        parts.push({ kind: "if", cond, then: then.parts, else: otherwise, range: this.join(startRange, cond.range) });
        continue;
      }
      if (kw.text === "for") {
        const v1 = this.advance();
        if (v1.kind !== "ident") fail(v1.range, "Invalid template directive", 'Expected an iterator variable name after "for".');
        let keyVar: string | undefined;
        let valueVar = v1.text;
        if (this.isPunct(",")) {
          this.advance();
          const v2 = this.advance();
          if (v2.kind !== "ident") fail(v2.range, "Invalid template directive", "Expected a value variable name after the comma.");
          keyVar = v1.text;
          valueVar = v2.text;
        }
        const inKw = this.advance();
        if (inKw.kind !== "ident" || inKw.text !== "in")
          fail(inKw.range, "Invalid template directive", `Expected "in" after the iterator variables; found ${describe(inKw)}.`);
        const coll = this.parseExpression();
        close();
        const body = this.parseTemplateParts(quoted, limit, ["endfor"], open);
        parts.push({ kind: "for", keyVar, valueVar, coll, body: body.parts, range: this.join(startRange, coll.range) });
        continue;
      }
      if (kw.text === "else" || kw.text === "endif" || kw.text === "endfor") {
        close();
        if (stops.includes(kw.text)) return { parts, end: kw.text };
        fail(kw.range, "Unexpected template directive", `There is no open directive for this %{ ${kw.text} }.`);
      }
      fail(
        kw.range,
        "Invalid template directive",
        `Unknown template directive ${JSON.stringify(kw.text)}; expected if, else, endif, for or endfor.`,
      );
    }
  }
}

/**
 * Parses HCL2 native syntax. Never throws: a syntax error comes back as a
 * diagnostic with its file, line and column.
 */
export function parseHcl(src: string, file = "<input>"): ParseResult {
  const p = new Parser(src, file);
  try {
    return { body: p.parseBody(false), diagnostics: [] };
  } catch (err) {
    if (err instanceof DiagnosticError)
      return { body: { attributes: [], blocks: [], range: p.lex.range(0, 0) }, diagnostics: [err.diagnostic] };
    if (err instanceof RangeError)
      return {
        body: { attributes: [], blocks: [], range: p.lex.range(0, 0) },
        diagnostics: [
          { severity: "error", summary: "Nesting too deep", detail: err.message, range: p.lex.range(p.lex.offset, p.lex.offset) },
        ],
      };
    throw err;
  }
}

/** Parses a single expression (as `-var` values and variable types are given). */
export function parseHclExpression(src: string, file = "<input>"): { expr?: Expression; diagnostics: Diagnostic[] } {
  const p = new Parser(src, file);
  try {
    const expr = p.parseExpression();
    p.skipNewlines();
    const t = p.peek();
    if (t.kind !== "eof") fail(t.range, "Extra characters after expression", `Expected the end of the expression; found ${describe(t)}.`);
    return { expr, diagnostics: [] };
  } catch (err) {
    if (err instanceof DiagnosticError) return { diagnostics: [err.diagnostic] };
    if (err instanceof RangeError)
      return {
        diagnostics: [
          { severity: "error", summary: "Nesting too deep", detail: err.message, range: p.lex.range(p.lex.offset, p.lex.offset) },
        ],
      };
    throw err;
  }
}

/**
 * Parses text as a template with no quotes around it (as HCL's JSON syntax
 * reads its strings): `${...}` and `%{...}` work, backslashes are literal.
 */
export function parseTemplateText(text: string, file = "<input>"): { expr?: Expression; diagnostics: Diagnostic[] } {
  const p = new Parser(text, file);
  try {
    const open: Token = { kind: "quote", text: "", range: p.lex.range(0, 0) };
    const { parts } = p.parseTemplateParts(false, text.length, [], open);
    return { expr: { type: "template", parts, heredoc: false, range: p.lex.range(0, text.length) }, diagnostics: [] };
  } catch (err) {
    if (err instanceof DiagnosticError) return { diagnostics: [err.diagnostic] };
    if (err instanceof RangeError)
      return { diagnostics: [{ severity: "error", summary: "Nesting too deep", detail: err.message, range: p.lex.range(0, 0) }] };
    throw err;
  }
}
