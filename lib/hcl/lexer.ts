/**
 * The HCL2 native-syntax scanner: turns source text into tokens on demand.
 * Templates (quoted strings and heredocs) are scanned piecewise by the
 * parser through {@link Lexer.scanLiteral}, because their interpolations
 * hold ordinary tokens again.
 */
import type { Pos, Range } from "./diagnostics";
import { fail } from "./diagnostics";

/** The kinds of token. */
export type TokenKind = "ident" | "number" | "quote" | "heredoc" | "punct" | "newline" | "eof";

/** One token. */
export interface Token {
  /** What it is. */
  kind: TokenKind;
  /** The text: the identifier, the number's source, the punctuation, or a heredoc's marker. */
  text: string;
  /** Where it is. */
  range: Range;
  /** For heredocs: whether it is the flush form `<<-`. */
  flush?: boolean;
}

const PUNCT3 = ["..."];
const PUNCT2 = ["==", "!=", "<=", ">=", "&&", "||", "=>"];
const PUNCT1 = "{}[]()=,.:?!+-*/%<>~";

const ID_START = /[\p{L}_]/u;
const ID_PART = /[\p{L}\p{N}_\-\p{Mn}\p{Mc}]/u;

function isIdentStart(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 128) return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95;
  return ID_START.test(c);
}

function isIdentPart(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 128) return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k === 45;
  return ID_PART.test(c);
}

/** Where a heredoc's content is, found when its opening token is scanned. */
export interface HeredocSpan {
  /** First character of the content (after the opening line). */
  contentStart: number;
  /** One past the content's last character (the start of the closing marker's line). */
  contentEnd: number;
  /** After the closing marker. */
  after: number;
}

/** The scanner. Offsets are character offsets into `src`. */
export class Lexer {
  /** The next character to scan. */
  offset = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    /** The source text. */
    readonly src: string,
    /** The file name used in ranges. */
    readonly file: string,
  ) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The line and column of an offset. */
  pos(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1, offset };
  }

  /** The range between two offsets. */
  range(start: number, end: number): Range {
    return { file: this.file, start: this.pos(start), end: this.pos(end) };
  }

  /** Skips spaces, tabs, carriage returns and comments (not newlines: line comments stop before theirs). */
  skipSpace(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.offset];
      if (c === " " || c === "\t" || c === "\r" || c === "\uFEFF") {
        this.offset++;
      } else if (c === "#" || (c === "/" && s[this.offset + 1] === "/")) {
        while (this.offset < s.length && s[this.offset] !== "\n") this.offset++;
      } else if (c === "/" && s[this.offset + 1] === "*") {
        const end = s.indexOf("*/", this.offset + 2);
        if (end < 0) fail(this.range(this.offset, this.offset + 2), "Unterminated comment", "There is no closing */ for this comment.");
        this.offset = end + 2;
      } else return;
    }
  }

  /** Scans the next token in expression/structure mode. */
  next(): Token {
    this.skipSpace();
    const s = this.src;
    const start = this.offset;
    if (start >= s.length) return { kind: "eof", text: "", range: this.range(start, start) };
    const c = s[start];
    if (c === "\n") {
      this.offset++;
      return { kind: "newline", text: "\n", range: this.range(start, start + 1) };
    }
    if (c === '"') {
      this.offset++;
      return { kind: "quote", text: '"', range: this.range(start, start + 1) };
    }
    if (c >= "0" && c <= "9") {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(start, start + 400));
      const text = m ? m[0] : c;
      this.offset += text.length;
      return { kind: "number", text, range: this.range(start, this.offset) };
    }
    if (isIdentStart(c)) {
      let i = start + 1;
      while (i < s.length && isIdentPart(s[i])) i++;
      this.offset = i;
      return { kind: "ident", text: s.slice(start, i), range: this.range(start, i) };
    }
    if (c === "<" && s[start + 1] === "<") {
      const m = /^<<(-?)([\p{L}_][\p{L}\p{N}_-]*)[ \t]*\r?\n/u.exec(s.slice(start, start + 300));
      if (m) {
        this.offset = start + 2 + m[1].length + m[2].length;
        return { kind: "heredoc", text: m[2], flush: m[1] === "-", range: this.range(start, this.offset) };
      }
    }
    for (const p of PUNCT3)
      if (s.startsWith(p, start)) {
        this.offset += p.length;
        return { kind: "punct", text: p, range: this.range(start, this.offset) };
      }
    for (const p of PUNCT2)
      if (s.startsWith(p, start)) {
        this.offset += p.length;
        return { kind: "punct", text: p, range: this.range(start, this.offset) };
      }
    if (PUNCT1.includes(c)) {
      this.offset++;
      return { kind: "punct", text: c, range: this.range(start, this.offset) };
    }
    return fail(this.range(start, start + 1), "Invalid character", `This character is not used within the language: ${JSON.stringify(c)}.`);
  }

  /**
   * Finds a heredoc's content and closing marker. `this.offset` is just
   * after the marker name of the opening `<<EOF`.
   */
  heredocSpan(token: Token): HeredocSpan {
    const s = this.src;
    const nl = s.indexOf("\n", this.offset);
    const contentStart = nl + 1;
    let lineStart = contentStart;
    while (lineStart <= s.length) {
      let lineEnd = s.indexOf("\n", lineStart);
      if (lineEnd < 0) lineEnd = s.length;
      const line = s.slice(lineStart, lineEnd).replace(/\r$/, "");
      // The closing marker stands alone on its line; spaces before it are allowed, as hclsyntax allows them.
      if (line.trim() === token.text) {
        const after = lineStart + s.slice(lineStart, lineEnd).indexOf(token.text) + token.text.length;
        return { contentStart, contentEnd: lineStart, after };
      }
      if (lineEnd >= s.length) break;
      lineStart = lineEnd + 1;
    }
    return fail(token.range, "Unterminated template string", `No closing marker was found for the heredoc ${JSON.stringify(token.text)}.`);
  }

  /**
   * Scans template literal text from `this.offset`, stopping before `${`,
   * `%{`, at `limit` (heredocs) or before the closing `"` (quoted, where
   * escapes are decoded and a newline is an error).
   */
  scanLiteral(quoted: boolean, limit: number): { value: string; start: number; end: number } {
    const s = this.src;
    const start = this.offset;
    let out = "";
    let i = start;
    while (i < limit) {
      const c = s[i];
      if (quoted && c === '"') break;
      if (quoted && c === "\n")
        fail(
          this.range(i, i + 1),
          "Unterminated template string",
          "A quoted string must end on the line it starts; use a heredoc (<<EOF) for text of several lines.",
        );
      if ((c === "$" || c === "%") && s[i + 1] === "{") break;
      if ((c === "$" || c === "%") && s[i + 1] === c && s[i + 2] === "{") {
        out += c + "{";
        i += 3;
        continue;
      }
      if (quoted && c === "\\") {
        const e = s[i + 1];
        const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
          continue;
        }
        if (e === "u" || e === "U") {
          const n = e === "u" ? 4 : 8;
          const hex = s.slice(i + 2, i + 2 + n);
          if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex))
            fail(this.range(i, i + 2), "Invalid escape sequence", `The \\${e} escape needs ${n} hexadecimal digits.`);
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) fail(this.range(i, i + 2 + n), "Invalid escape sequence", "The code point is beyond Unicode's range.");
          out += String.fromCodePoint(cp);
          i += 2 + n;
          continue;
        }
        fail(
          this.range(i, i + 2),
          "Invalid escape sequence",
          `The symbol ${JSON.stringify(e ?? "")} is not a valid escape sequence selector.`,
        );
      }
      out += c;
      i++;
    }
    this.offset = i;
    return { value: out, start, end: i };
  }
}
