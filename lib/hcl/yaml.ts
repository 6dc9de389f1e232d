/**
 * A YAML reader for `yamldecode()`: one document of block mappings and
 * sequences, flow collections, plain and quoted scalars, literal (`|`) and
 * folded (`>`) block scalars, and comments, resolved with YAML 1.2's core
 * schema (null, bool, int, float, string). Anchors, tags and multiple
 * documents are refused with a message.
 */
import type { ObjectValue, Value } from "./values";
import { setKey } from "./values";

/** Thrown for YAML that this reader does not accept; the message says which line. */
export class YamlError extends Error {}

interface Line {
  indent: number;
  text: string;
  no: number;
}

function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote && !(quote === '"' && s[i - 1] === "\\")) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || s[i - 1] === " " || s[i - 1] === "\t")) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

function resolvePlain(s: string): Value {
  if (s === "" || s === "~" || /^(null|Null|NULL)$/.test(s)) return null;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?\d+$/.test(s)) return Number(s);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s)) throw new YamlError("infinite and NaN numbers are not supported");
  return s;
}

class FlowParser {
  i = 0;
  constructor(
    readonly s: string,
    readonly no: number,
  ) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  value(): Value {
    this.ws();
    const c = this.s[this.i];
    if (c === "[") {
      this.i++;
      const out: Value[] = [];
      for (;;) {
        this.ws();
        if (this.s[this.i] === "]") {
          this.i++;
          return out;
        }
        out.push(this.value());
        this.ws();
        if (this.s[this.i] === ",") this.i++;
        else if (this.s[this.i] !== "]") throw new YamlError(`line ${this.no}: expected "," or "]" in a flow sequence`);
      }
    }
    if (c === "{") {
      this.i++;
      const out: ObjectValue = {};
      for (;;) {
        this.ws();
        if (this.s[this.i] === "}") {
          this.i++;
          return out;
        }
        const k = this.value();
        this.ws();
        if (this.s[this.i] !== ":") throw new YamlError(`line ${this.no}: expected ":" in a flow mapping`);
        this.i++;
        setKey(out, k === null ? "null" : String(k), this.value());
        this.ws();
        if (this.s[this.i] === ",") this.i++;
        else if (this.s[this.i] !== "}") throw new YamlError(`line ${this.no}: expected "," or "}" in a flow mapping`);
      }
    }
    if (c === '"' || c === "'") {
      const { value, end } = quoted(this.s, this.i, this.no);
      this.i = end;
      return value;
    }
    const start = this.i;
    while (
      this.i < this.s.length &&
      !",]}".includes(this.s[this.i]) &&
      !(this.s[this.i] === ":" && /[\s,\]}]/.test(this.s[this.i + 1] ?? " "))
    )
      this.i++;
    return resolvePlain(this.s.slice(start, this.i).trim());
  }
}

function quoted(s: string, start: number, no: number): { value: string; end: number } {
  const q = s[start];
  let out = "";
  let i = start + 1;
  while (i < s.length) {
    const c = s[i];
    if (q === "'" && c === "'" && s[i + 1] === "'") {
      out += "'";
      i += 2;
      continue;
    }
    if (c === q) return { value: out, end: i + 1 };
    if (q === '"' && c === "\\") {
      const e = s[i + 1];
      const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", "/": "/", "0": "\0", " ": " " };
      if (e === "u" || e === "x" || e === "U") {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 2 + n), 16));
        i += 2 + n;
        continue;
      }
      if (map[e] === undefined) throw new YamlError(`line ${no}: unknown escape \\${e}`);
      out += map[e];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw new YamlError(`line ${no}: unterminated quoted string`);
}

function scalar(text: string, no: number): Value {
  const t = text.trim();
  if (t.startsWith("[") || t.startsWith("{")) {
    const p = new FlowParser(t, no);
    const v = p.value();
    p.ws();
    if (p.i !== t.length) throw new YamlError(`line ${no}: unexpected text after a flow collection`);
    return v;
  }
  if (t.startsWith('"') || t.startsWith("'")) {
    const { value, end } = quoted(t, 0, no);
    if (t.slice(end).trim() !== "") throw new YamlError(`line ${no}: unexpected text after a quoted string`);
    return value;
  }
  if (/^[&*!]/.test(t)) throw new YamlError(`line ${no}: anchors, aliases and tags are not supported`);
  return resolvePlain(t);
}

/** Splits `key: value` (the colon followed by a space or the end), or undefined. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if ((c === '"' || c === "'") && i === 0) quote = c;
    else if (c === ":" && (i + 1 === text.length || text[i + 1] === " "))
      return { key: text.slice(0, i).trim(), rest: text.slice(i + 1).trim() };
    else if (c === "[" || c === "{") return undefined;
  }
  return undefined;
}

class BlockParser {
  pos = 0;
  constructor(
    readonly lines: Line[],
    readonly raw: string[],
  ) {}

  parse(indent: number): Value {
    const line = this.lines[this.pos];
    if (!line || line.indent < indent) return null;
    if (line.text === "-" || line.text.startsWith("- ")) return this.sequence(line.indent);
    if (splitKey(line.text)) return this.mapping(line.indent);
    this.pos++;
    return scalar(line.text, line.no);
  }

  blockScalar(header: string, parentIndent: number, no: number): string {
    const folded = header.startsWith(">");
    const chomp = header.includes("-") ? "strip" : header.includes("+") ? "keep" : "clip";
    const body: string[] = [];
    let blockIndent = -1;
    let r = no;
    while (r < this.raw.length) {
      const text = this.raw[r];
      const ind = text.length - text.trimStart().length;
      if (text.trim() !== "" && ind <= parentIndent) break;
      if (text.trim() !== "" && blockIndent < 0) blockIndent = ind;
      body.push(text.trim() === "" ? "" : text.slice(Math.max(blockIndent, 0)));
      r++;
    }
    while (this.pos < this.lines.length && this.lines[this.pos].no <= r) this.pos++;
    let content = folded
      ? body.reduce((acc, l, k) => (k === 0 ? l : l === "" || body[k - 1] === "" ? `${acc}\n${l}` : `${acc} ${l}`), "")
      : body.join("\n");
    if (chomp === "strip") content = content.replace(/\n+$/, "");
    else if (chomp === "clip") content = content.replace(/\n+$/, "") + "\n";
    else content += "\n";
    return content;
  }

  value(rest: string, indent: number, no: number): Value {
    if (rest === "") return this.parse(indent + 1);
    if (/^[|>][-+]?$/.test(rest)) return this.blockScalar(rest, indent, no);
    return scalar(rest, no);
  }

  mapping(indent: number): Value {
    const out: ObjectValue = {};
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (line.indent < indent) break;
      if (line.indent > indent) throw new YamlError(`line ${line.no}: unexpected indentation`);
      const kv = splitKey(line.text);
      if (!kv) throw new YamlError(`line ${line.no}: expected "key: value"`);
      this.pos++;
      const key = scalar(kv.key, line.no);
      const k = key === null ? "null" : String(key);
      const next = this.lines[this.pos];
      // A sequence may sit at the same indentation as its key.
      if (kv.rest === "" && next && next.indent === indent && (next.text === "-" || next.text.startsWith("- ")))
        setKey(out, k, this.sequence(indent));
      else setKey(out, k, this.value(kv.rest, indent, line.no));
    }
    return out;
  }

  sequence(indent: number): Value {
    const out: Value[] = [];
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (line.indent !== indent || !(line.text === "-" || line.text.startsWith("- "))) {
        if (line.indent > indent) throw new YamlError(`line ${line.no}: unexpected indentation`);
        break;
      }
      const rest = line.text.slice(1).trimStart();
      if (rest === "") {
        this.pos++;
        out.push(this.parse(indent + 1));
        continue;
      }
      // "- key: value" opens a mapping indented past the dash.
      const inner = indent + (line.text.length - rest.length);
      if (rest === "-" || rest.startsWith("- ")) {
        this.lines[this.pos] = { indent: inner, text: rest, no: line.no };
        out.push(this.sequence(inner));
        continue;
      }
      if (splitKey(rest) && !/^[|>]/.test(rest)) {
        this.lines[this.pos] = { indent: inner, text: rest, no: line.no };
        out.push(this.mapping(inner));
        continue;
      }
      this.pos++;
      out.push(this.value(rest, indent, line.no));
    }
    return out;
  }
}

/** Parses one YAML document into an HCL value. */
export function parseYaml(text: string): Value {
  const raw = text.replace(/\r\n/g, "\n").split("\n");
  const lines: Line[] = [];
  let started = false;
  for (let n = 0; n < raw.length; n++) {
    const r = raw[n];
    if (/^\t/.test(r)) throw new YamlError(`line ${n + 1}: tabs are not allowed for indentation`);
    if (r === "---" || r.startsWith("--- ")) {
      if (started) throw new YamlError(`line ${n + 1}: only one document is supported`);
      started = true;
      const rest = stripComment(r.slice(3)).trim();
      if (rest !== "") lines.push({ indent: 0, text: rest, no: n + 1 });
      continue;
    }
    if (r.startsWith("...")) break;
    if (r.startsWith("%")) continue;
    const t = stripComment(r);
    if (t.trim() === "") continue;
    started = true;
    lines.push({ indent: t.length - t.trimStart().length, text: t.trim(), no: n + 1 });
  }
  if (!lines.length) return null;
  const p = new BlockParser(lines, raw);
  const v = p.parse(lines[0].indent);
  if (p.pos < lines.length) throw new YamlError(`line ${lines[p.pos].no}: unexpected content`);
  return v;
}
