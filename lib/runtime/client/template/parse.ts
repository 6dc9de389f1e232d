/**
 * The lexer and parser of Go's text/template language, as consul-template
 * (and so Nomad's `template` block) uses it: text and `{{ actions }}` with
 * custom delimiters, `{{-`/`-}}` trim markers, comments, pipelines,
 * variables (`$x :=`, `$x =`), and `if`/`else if`/`else`, `range`
 * (with `$i, $e :=`, `else`, `break`, `continue`), `with` and `end`.
 * `define`, `template` and `block` are refused with a parse error.
 */

/** One argument or command operand. */
export type Operand =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "nil" }
  | { kind: "dot" }
  | { kind: "field"; receiver: Operand | null; names: string[] }
  | { kind: "variable"; name: string; names: string[] }
  | { kind: "ident"; name: string }
  | { kind: "pipe"; pipe: Pipeline; names: string[] };

/** A command of a pipeline: an operand followed by its arguments. */
export interface Command {
  /** The operands; the first is the function or value. */
  args: Operand[];
}

/** A pipeline, with its variable declarations (`$x :=` or `$x =`). */
export interface Pipeline {
  /** Declared or assigned variables (range takes two). */
  decl: string[];
  /** True for `=` (assignment to existing variables). */
  assign: boolean;
  /** The commands joined by `|`. */
  cmds: Command[];
  /** Where it is, for errors ("line N"). */
  line: number;
}

/** A node of the parsed template. */
export type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pipe: Pipeline }
  | { kind: "if" | "with"; pipe: Pipeline; list: Node[]; elseList: Node[] | null }
  | { kind: "range"; pipe: Pipeline; list: Node[]; elseList: Node[] | null }
  | { kind: "break" | "continue"; line: number };

/** A template parse error, with the template name and line as Go reports them. */
class TemplateParseError extends Error {
  constructor(name: string, line: number, message: string) {
    super(`template: ${name}:${line}: ${message}`);
    this.name = "TemplateParseError";
  }
}

type Token =
  | { t: "text"; v: string; line: number }
  | { t: "open"; line: number }
  | { t: "close"; line: number }
  | {
      t:
        | "string"
        | "number"
        | "ident"
        | "field"
        | "variable"
        | "bool"
        | "nil"
        | "dot"
        | "pipe"
        | "lparen"
        | "rparen"
        | "declare"
        | "assign"
        | "comma"
        | "chain";
      v: string;
      line: number;
    };

/** Splits a template into text and action tokens. */
function lex(name: string, src: string, left: string, right: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let line = 1;
  const countLines = (s: string) => {
    for (const ch of s) if (ch === "\n") line++;
  };
  let trimNextText = false;
  while (pos < src.length) {
    const at = src.indexOf(left, pos);
    let text = at < 0 ? src.slice(pos) : src.slice(pos, at);
    const trimLeft = at >= 0 && src.startsWith("-", at + left.length) && /[\s]/.test(src[at + left.length + 1] ?? "");
    if (trimNextText) text = text.replace(/^\s+/, "");
    if (trimLeft) text = text.replace(/\s+$/, "");
    trimNextText = false;
    if (text) out.push({ t: "text", v: text, line });
    countLines(at < 0 ? src.slice(pos) : src.slice(pos, at));
    if (at < 0) break;
    pos = at + left.length + (trimLeft ? 1 : 0);
    // A comment: {{/* ... */}}
    const afterSpace = src.slice(pos).match(/^\s*/)?.[0] ?? "";
    if (src.startsWith("/*", pos + afterSpace.length)) {
      const end = src.indexOf("*/", pos);
      if (end < 0) throw new TemplateParseError(name, line, "unclosed comment");
      let p = end + 2;
      const ws = src.slice(p).match(/^\s*/)?.[0] ?? "";
      let trimRight = false;
      if (src.startsWith("-" + right, p + ws.length) && ws.length > 0) {
        trimRight = true;
        p += ws.length + 1;
      } else if (src.startsWith(right, p)) {
        /* closed */
      } else if (src.startsWith(right, p + ws.length)) p += ws.length;
      else throw new TemplateParseError(name, line, "comment ends before closing delimiter");
      countLines(src.slice(pos, p));
      pos = p + right.length;
      trimNextText = trimRight;
      continue;
    }
    out.push({ t: "open", line });
    // Action body
    for (;;) {
      const ws = /^[ \t\r\n]*/.exec(src.slice(pos))![0];
      if (src.startsWith("-" + right, pos + ws.length) && ws.length > 0) {
        countLines(ws);
        pos += ws.length + 1 + right.length;
        trimNextText = true;
        out.push({ t: "close", line });
        break;
      }
      countLines(ws);
      pos += ws.length;
      if (pos >= src.length) throw new TemplateParseError(name, line, "unclosed action");
      if (src.startsWith(right, pos)) {
        pos += right.length;
        out.push({ t: "close", line });
        break;
      }
      const rest = src.slice(pos);
      let m: RegExpExecArray | null;
      if (rest[0] === '"') {
        m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest);
        if (!m) throw new TemplateParseError(name, line, "unterminated quoted string");
        out.push({ t: "string", v: unquote(name, line, m[0]), line });
      } else if (rest[0] === "`") {
        const end = rest.indexOf("`", 1);
        if (end < 0) throw new TemplateParseError(name, line, "unterminated raw quoted string");
        m = [rest.slice(0, end + 1)] as unknown as RegExpExecArray;
        out.push({ t: "string", v: rest.slice(1, end), line });
        countLines(rest.slice(0, end + 1));
      } else if (rest[0] === "'") {
        m = /^'(?:[^'\\]|\\.)'/.exec(rest);
        if (!m) throw new TemplateParseError(name, line, "bad character constant");
        out.push({ t: "number", v: String(unquote(name, line, `"${m[0].slice(1, -1)}"`).codePointAt(0)), line });
      } else if ((m = /^:=/.exec(rest))) out.push({ t: "declare", v: ":=", line });
      else if ((m = /^=/.exec(rest))) out.push({ t: "assign", v: "=", line });
      else if ((m = /^\|/.exec(rest))) out.push({ t: "pipe", v: "|", line });
      else if ((m = /^\(/.exec(rest))) out.push({ t: "lparen", v: "(", line });
      else if ((m = /^\)/.exec(rest))) out.push({ t: "rparen", v: ")", line });
      else if ((m = /^,/.exec(rest))) out.push({ t: "comma", v: ",", line });
      else if (
        (m = /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)/.exec(rest)) &&
        !/^[-+]?\.[a-zA-Z_]/.test(rest)
      ) {
        out.push({ t: "number", v: m[0], line });
      } else if ((m = /^\$[a-zA-Z0-9_]*/.exec(rest))) out.push({ t: "variable", v: m[0], line });
      else if ((m = /^\.[a-zA-Z_][a-zA-Z0-9_]*/.exec(rest))) {
        const prev = out[out.length - 1];
        // `.Field` right after a closing paren or a variable chains onto it.
        const chained =
          prev &&
          (prev.t === "rparen" || prev.t === "variable" || prev.t === "field" || prev.t === "chain") &&
          !/^\s/.test(src[pos - 1] ?? " ");
        out.push({ t: chained ? "chain" : "field", v: m[0].slice(1), line });
      } else if ((m = /^\./.exec(rest))) out.push({ t: "dot", v: ".", line });
      else if ((m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(rest))) {
        const w = m[0];
        out.push(
          w === "true" || w === "false" ? { t: "bool", v: w, line } : w === "nil" ? { t: "nil", v: w, line } : { t: "ident", v: w, line },
        );
      } else throw new TemplateParseError(name, line, `unexpected ${JSON.stringify(rest[0])} in command`);
      pos += m[0].length;
    }
  }
  return out;
}

/** Decodes a Go double-quoted string literal. */
function unquote(name: string, line: number, lit: string): string {
  try {
    // Go's escapes are a superset of JSON's except \a \b \f \v \x \' and octal; map the common extra ones.
    const body = lit
      .slice(1, -1)
      .replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => `\\u00${h}`)
      .replace(/\\a/g, "\\u0007")
      .replace(/\\v/g, "\\u000b")
      .replace(/\\'/g, "'")
      .replace(/\\U([0-9a-fA-F]{8})/g, (_m, h: string) => {
        const cp = parseInt(h, 16);
        return JSON.stringify(String.fromCodePoint(cp)).slice(1, -1);
      });
    return JSON.parse(`"${body}"`) as string;
  } catch {
    throw new TemplateParseError(name, line, `bad string ${lit}`);
  }
}

/** Parses a template into its node list. */
export function parseTemplate(name: string, src: string, left = "{{", right = "}}"): Node[] {
  const toks = lex(name, src, left, right);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const fail = (line: number, msg: string): never => {
    throw new TemplateParseError(name, line, msg);
  };
  const expect = (t: Token["t"], what: string) => {
    const tok = next();
    if (!tok || tok.t !== t) fail(tok?.line ?? 0, `unexpected ${tok ? describe(tok) : "EOF"} in ${what}`);
    return tok;
  };

  const operand = (): Operand | null => {
    const tok = peek();
    if (!tok) return null;
    let op: Operand;
    switch (tok.t) {
      case "string":
        next();
        op = { kind: "string", value: tok.v };
        break;
      case "number": {
        next();
        const n = Number(tok.v.replace(/_/g, ""));
        if (Number.isNaN(n)) fail(tok.line, `bad number syntax: ${JSON.stringify(tok.v)}`);
        op = { kind: "number", value: n };
        break;
      }
      case "bool":
        next();
        op = { kind: "bool", value: tok.v === "true" };
        break;
      case "nil":
        next();
        op = { kind: "nil" };
        break;
      case "dot":
        next();
        op = { kind: "dot" };
        break;
      case "field": {
        next();
        const names = [tok.v];
        while (peek()?.t === "chain") names.push((next() as { v: string }).v);
        op = { kind: "field", receiver: null, names };
        break;
      }
      case "variable": {
        next();
        const names: string[] = [];
        while (peek()?.t === "chain") names.push((next() as { v: string }).v);
        op = { kind: "variable", name: tok.v, names };
        break;
      }
      case "ident":
        next();
        op = { kind: "ident", name: tok.v };
        break;
      case "lparen": {
        next();
        const p = pipeline("parenthesized pipeline", false);
        expect("rparen", "parenthesized pipeline");
        const names: string[] = [];
        while (peek()?.t === "chain") names.push((next() as { v: string }).v);
        op = { kind: "pipe", pipe: p, names };
        break;
      }
      default:
        return null;
    }
    return op;
  };

  const pipeline = (context: string, allowDecl: boolean, maxDecl = 1): Pipeline => {
    const line = peek()?.line ?? 0;
    const decl: string[] = [];
    let assign = false;
    if (allowDecl && peek()?.t === "variable") {
      // Look ahead for `$x :=`, `$x =` or `$i, $e :=`.
      const save = i;
      const names = [(next() as { v: string }).v];
      if (peek()?.t === "comma" && maxDecl > 1) {
        next();
        const second = next();
        if (second?.t !== "variable") fail(line, `range can only initialize variables`);
        names.push((second as { v: string }).v);
      }
      const op = peek();
      if (op?.t === "declare" || op?.t === "assign") {
        next();
        assign = op.t === "assign";
        decl.push(...names);
      } else i = save;
    }
    const cmds: Command[] = [];
    for (;;) {
      const args: Operand[] = [];
      for (;;) {
        const o = operand();
        if (!o) break;
        args.push(o);
      }
      if (args.length === 0) fail(line, `missing value for ${context}`);
      cmds.push({ args });
      if (peek()?.t === "pipe") {
        next();
        continue;
      }
      break;
    }
    return { decl, assign, cmds, line };
  };

  type Stop = "end" | "else" | "eof";
  const list = (inside: string | null): { nodes: Node[]; stop: Stop; elseIf?: boolean } => {
    const nodes: Node[] = [];
    for (;;) {
      const tok = peek();
      if (!tok) {
        if (inside) fail(toks[toks.length - 1]?.line ?? 0, `unexpected EOF`);
        return { nodes, stop: "eof" };
      }
      if (tok.t === "text") {
        next();
        nodes.push({ kind: "text", text: tok.v });
        continue;
      }
      if (tok.t !== "open") fail(tok.line, `unexpected ${describe(tok)}`);
      next();
      const head = peek();
      if (head?.t === "close") fail(head.line, "missing value for command");
      if (head?.t === "ident") {
        switch (head.v) {
          case "end":
            next();
            expect("close", "end");
            if (!inside) fail(head.line, "unexpected {{end}}");
            return { nodes, stop: "end" };
          case "else": {
            next();
            if (!inside) fail(head.line, "unexpected {{else}}");
            if (peek()?.t === "ident" && (peek() as { v: string }).v === "if") {
              // `else if`: parsed as an else branch holding one nested if that shares the end.
              return { nodes, stop: "else", elseIf: true };
            }
            expect("close", "else");
            return { nodes, stop: "else" };
          }
          case "if":
          case "with":
          case "range": {
            next();
            nodes.push(control(head.v, head.line));
            continue;
          }
          case "break":
          case "continue":
            next();
            expect("close", head.v);
            nodes.push({ kind: head.v, line: head.line });
            continue;
          case "define":
          case "template":
          case "block":
            fail(head.line, `{{${head.v}}} is not supported by drover's template renderer`);
        }
      }
      const p = pipeline("command", true);
      expect("close", "command");
      nodes.push({ kind: "action", pipe: p });
    }
  };

  const control = (kind: "if" | "with" | "range", line: number): Node => {
    const p = pipeline(kind, kind !== "if", kind === "range" ? 2 : 1);
    expect("close", kind);
    const body = list(kind);
    let elseList: Node[] | null = null;
    if (body.stop === "else") {
      if (body.elseIf) {
        next(); // "if"
        elseList = [control("if", line)];
      } else {
        const e = list(kind);
        if (e.stop !== "end") fail(line, `expected end; found else`);
        elseList = e.nodes;
      }
    }
    if (kind === "range") return { kind: "range", pipe: p, list: body.nodes, elseList };
    return { kind, pipe: p, list: body.nodes, elseList };
  };

  return list(null).nodes;
}

function describe(tok: Token): string {
  if (tok.t === "text") return "text";
  if (tok.t === "open") return "left delimiter";
  if (tok.t === "close") return "right delimiter";
  return `<${tok.v}>`;
}
