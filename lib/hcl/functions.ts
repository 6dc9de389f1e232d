/**
 * The function library of jobspec2's evaluation context (go-cty's stdlib
 * and HCL's file functions, as `jobspec2/functions.go` lists them): string,
 * numeric, collection, encoding, hashing, type conversion and file
 * functions. Functions that read files resolve paths against a base
 * directory and can be turned off.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { HclFunction } from "./evaluate";
import { FunctionError } from "./evaluate";
import { extraFunctions } from "./functions-extra";
import { parseYaml } from "./yaml";
import type { ObjectValue, Value } from "./values";
import {
  fromJson,
  hasKey,
  isObject,
  numberToString,
  setKey,
  sortedEntries,
  toBoolValue,
  toListValue,
  toNumberValue,
  toObjectValue,
  toStringValue,
  typeName,
  valuesEqual,
} from "./values";

/** Options of {@link standardFunctions}. */
export interface FunctionOptions {
  /** The directory relative file paths are resolved against (the job file's directory). */
  baseDir?: string;
  /** Allow the file functions (file, fileexists, fileset, filebase64); default true. */
  allowFs?: boolean;
}

type Impl = (args: Value[]) => Value;

function fn(minArgs: number, maxArgs: number, call: Impl): HclFunction {
  return { minArgs, maxArgs, call };
}

const str = (v: Value, i: number): string => {
  try {
    return toStringValue(v, `argument ${i + 1}`);
  } catch (e) {
    throw new FunctionError((e as Error).message, i);
  }
};
const num = (v: Value, i: number): number => {
  try {
    return toNumberValue(v, `argument ${i + 1}`);
  } catch (e) {
    throw new FunctionError((e as Error).message, i);
  }
};
const int = (v: Value, i: number): number => {
  const n = num(v, i);
  if (!Number.isInteger(n)) throw new FunctionError(`argument ${i + 1} must be a whole number, not ${n}`, i);
  return n;
};
const list = (v: Value, i: number): Value[] => {
  try {
    return toListValue(v, `argument ${i + 1}`);
  } catch (e) {
    throw new FunctionError((e as Error).message, i);
  }
};
const obj = (v: Value, i: number): ObjectValue => {
  try {
    return toObjectValue(v, `argument ${i + 1}`);
  } catch (e) {
    throw new FunctionError((e as Error).message, i);
  }
};

/** Distinct values in first-seen order (HCL sets, kept as arrays). */
function distinct(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of items) if (!out.some((o) => valuesEqual(o, v))) out.push(v);
  return out;
}

/** Go's fmt verbs as HCL's `format` supports them: %s %d %f %e %g %q %v %t %x %o %b %%. */
export function formatString(spec: string, args: Value[]): string {
  let next = 0;
  return spec.replace(
    /%([-+# 0]*)(\d+|\*)?(?:\.(\d+))?(?:\[(\d+)\])?([a-zA-Z%])/g,
    (whole, flags: string, width: string | undefined, prec: string | undefined, pos: string | undefined, verb: string) => {
      if (verb === "%") return "%";
      if (pos !== undefined) next = Number(pos) - 1;
      if (next >= args.length) throw new FunctionError(`not enough arguments for ${whole} in the format string`, 0);
      const argIndex = next + 1;
      const v = args[next++];
      let out: string;
      switch (verb) {
        case "s":
          out = str(v, argIndex);
          break;
        case "q":
          out = JSON.stringify(str(v, argIndex));
          break;
        case "d": {
          const n = num(v, argIndex);
          if (!Number.isInteger(n))
            throw new FunctionError(`unsupported value for "%d" at ${next}: number has a fractional part`, argIndex);
          out = numberToString(n);
          if (flags.includes("+") && n >= 0) out = "+" + out;
          break;
        }
        case "f":
          out = num(v, argIndex).toFixed(prec !== undefined ? Number(prec) : 6);
          break;
        case "e":
          out = num(v, argIndex)
            .toExponential(prec !== undefined ? Number(prec) : 6)
            .replace(/e([+-])(\d)$/, "e$10$2");
          break;
        case "g":
          out = prec !== undefined ? String(Number(num(v, argIndex).toPrecision(Number(prec)))) : String(num(v, argIndex));
          break;
        case "x":
        case "X":
        case "o":
        case "b": {
          const radix = verb === "o" ? 8 : verb === "b" ? 2 : 16;
          out =
            typeof v === "string" && (verb === "x" || verb === "X")
              ? Buffer.from(v).toString("hex")
              : Math.trunc(num(v, argIndex)).toString(radix);
          if (verb === "X") out = out.toUpperCase();
          break;
        }
        case "t":
          try {
            out = toBoolValue(v) ? "true" : "false";
          } catch (e) {
            throw new FunctionError((e as Error).message, argIndex);
          }
          break;
        case "v":
          out =
            typeof v === "string" || typeof v === "number" || typeof v === "boolean"
              ? str(v, argIndex)
              : v === null
                ? "null"
                : JSON.stringify(v);
          break;
        default:
          throw new FunctionError(`unsupported format verb %${verb}`, 0);
      }
      if (width !== undefined && width !== "*") {
        const w = Number(width);
        if (out.length < w)
          out = flags.includes("-") ? out.padEnd(w) : flags.includes("0") && /[dfeg]/.test(verb) ? out.padStart(w, "0") : out.padStart(w);
      }
      return out;
    },
  );
}

/** Converts a Go regular expression (RE2 syntax) to a JavaScript one, for the common subset. */
function goRegexp(pattern: string, argIndex: number, flags = ""): RegExp {
  let src = pattern;
  let f = flags;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const c of m[1]) if (c !== "U" && !f.includes(c)) f += c;
  }
  src = src
    .replace(/\(\?P</g, "(?<")
    .replace(/\\z/g, "$")
    .replace(/\\A/g, "^");
  try {
    return new RegExp(src, f + "u");
  } catch (e) {
    throw new FunctionError(`invalid regular expression: ${(e as Error).message}`, argIndex);
  }
}

/** Go's `${1}`/`$name` replacement syntax to JavaScript's. */
function goReplacement(repl: string): string {
  return repl.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = a ?? b!;
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}

function flattenDeep(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of items) {
    if (Array.isArray(v)) out.push(...flattenDeep(v));
    else out.push(v);
  }
  return out;
}

function sizeOf(v: Value): number {
  if (typeof v === "string") return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  throw new FunctionError(`argument must be a string, a collection type, or a structural type; got ${typeName(v)}`, 0);
}

function yamlEncode(v: Value, indent: string): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object") return str(v, 0);
  if (Array.isArray(v))
    return v.length ? v.map((x) => `\n${indent}- ${yamlEncode(x, indent + "  ").replace(/^\n\s*/, "")}`).join("") : "[]";
  const entries = sortedEntries(v);
  return entries.length
    ? entries.map(([k, x]) => `\n${indent}${JSON.stringify(k)}: ${yamlEncode(x, indent + "  ")}`.replace(/: \n/, ":\n")).join("")
    : "{}";
}

function csvDecode(text: string): Value {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  if (!rows.length) throw new FunctionError("missing header line", 0);
  const [header, ...data] = rows;
  return data.map((r, n) => {
    if (r.length !== header.length) throw new FunctionError(`line ${n + 2}: wrong number of fields`, 0);
    const o: ObjectValue = {};
    header.forEach((h, i) => setKey(o, h, r[i]));
    return o;
  });
}

/**
 * The functions available to job files, as jobspec2 provides them. File
 * functions read relative to `baseDir` and fail when `allowFs` is false, as
 * Nomad's do when the agent parses a job (`/v1/jobs/parse`).
 */
export function standardFunctions(options: FunctionOptions = {}): Record<string, HclFunction> {
  const baseDir = options.baseDir ?? process.cwd();
  const allowFs = options.allowFs ?? true;
  const resolve = (p: string): string => (path.isAbsolute(p) ? p : path.join(baseDir, p));
  const fsOnly =
    (impl: Impl): Impl =>
    (args) => {
      if (!allowFs) throw new FunctionError("filesystem function disabled", 0);
      return impl(args);
    };
  const readFile = (p: string): Buffer => {
    try {
      return fs.readFileSync(resolve(p));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new FunctionError(code === "ENOENT" ? `no file exists at ${p}` : `failed to read ${p}: ${(e as Error).message}`, 0);
    }
  };

  const f: Record<string, HclFunction> = {
    // numbers
    abs: fn(1, 1, ([a]) => Math.abs(num(a, 0))),
    ceil: fn(1, 1, ([a]) => Math.ceil(num(a, 0))),
    floor: fn(1, 1, ([a]) => Math.floor(num(a, 0))),
    log: fn(2, 2, ([a, b]) => Math.log(num(a, 0)) / Math.log(num(b, 1))),
    pow: fn(2, 2, ([a, b]) => Math.pow(num(a, 0), num(b, 1))),
    signum: fn(1, 1, ([a]) => Math.sign(num(a, 0))),
    max: fn(1, Infinity, (args) => Math.max(...args.map(num))),
    min: fn(1, Infinity, (args) => Math.min(...args.map(num))),
    parseint: fn(2, 2, ([a, b]) => {
      const base = int(b, 1);
      if (base < 2 || base > 62) throw new FunctionError("base must be between 2 and 62", 1);
      const s = str(a, 0);
      const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
      const m = /^([+-]?)(.+)$/.exec(s);
      if (!m) throw new FunctionError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`, 0);
      let n = 0;
      for (const c of m[2]) {
        const d = base <= 36 ? digits.indexOf(c.toLowerCase()) : digits.indexOf(c);
        if (d < 0 || d >= base) throw new FunctionError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`, 0);
        n = n * base + d;
      }
      return m[1] === "-" ? -n : n;
    }),
    // strings
    chomp: fn(1, 1, ([a]) => str(a, 0).replace(/(\r?\n)+$/, "")),
    format: fn(1, Infinity, ([spec, ...rest]) => formatString(str(spec, 0), rest)),
    formatlist: fn(1, Infinity, ([spec, ...rest]) => {
      const s = str(spec, 0);
      let n = -1;
      rest.forEach((v, i) => {
        if (Array.isArray(v)) {
          if (n >= 0 && v.length !== n) throw new FunctionError("all list arguments must have the same length", i + 1);
          n = v.length;
        }
      });
      if (n < 0) return [formatString(s, rest)];
      return Array.from({ length: n }, (_, i) =>
        formatString(
          s,
          rest.map((v) => (Array.isArray(v) ? v[i] : v)),
        ),
      );
    }),
    indent: fn(2, 2, ([n, s]) => str(s, 1).replace(/\n/g, "\n" + " ".repeat(int(n, 0)))),
    join: fn(2, Infinity, ([sep, ...lists]) => lists.flatMap((l, i) => list(l, i + 1).map((v) => str(v, i + 1))).join(str(sep, 0))),
    lower: fn(1, 1, ([a]) => str(a, 0).toLowerCase()),
    upper: fn(1, 1, ([a]) => str(a, 0).toUpperCase()),
    title: fn(1, 1, ([a]) => str(a, 0).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase())),
    replace: fn(3, 3, ([s, sub, repl]) => {
      const text = str(s, 0);
      const pattern = str(sub, 1);
      const r = str(repl, 2);
      if (pattern.length >= 2 && pattern.startsWith("/") && pattern.endsWith("/"))
        return text.replace(goRegexp(pattern.slice(1, -1), 1, "g"), goReplacement(r));
      return text.split(pattern).join(r);
    }),
    regex_replace: fn(3, 3, ([s, pat, repl]) => str(s, 0).replace(goRegexp(str(pat, 1), 1, "g"), goReplacement(str(repl, 2)))),
    split: fn(2, 2, ([sep, s]) => str(s, 1).split(str(sep, 0))),
    strlen: fn(1, 1, ([a]) => [...str(a, 0)].length),
    strrev: fn(1, 1, ([a]) => [...str(a, 0)].reverse().join("")),
    substr: fn(3, 3, ([s, o, l]) => {
      const chars = [...str(s, 0)];
      let off = int(o, 1);
      let len = int(l, 2);
      if (off < 0) off = chars.length + off;
      if (off < 0 || off > chars.length) throw new FunctionError("offset out of range", 1);
      if (len < 0) len = chars.length - off;
      return chars.slice(off, off + len).join("");
    }),
    trim: fn(2, 2, ([s, cut]) => {
      const set = new Set([...str(cut, 1)]);
      const chars = [...str(s, 0)];
      let a = 0;
      let b = chars.length;
      while (a < b && set.has(chars[a])) a++;
      while (b > a && set.has(chars[b - 1])) b--;
      return chars.slice(a, b).join("");
    }),
    trimprefix: fn(2, 2, ([s, p]) => {
      const text = str(s, 0);
      const pre = str(p, 1);
      return text.startsWith(pre) ? text.slice(pre.length) : text;
    }),
    trimsuffix: fn(2, 2, ([s, p]) => {
      const text = str(s, 0);
      const suf = str(p, 1);
      return suf && text.endsWith(suf) ? text.slice(0, -suf.length) : text;
    }),
    trimspace: fn(1, 1, ([a]) => str(a, 0).trim()),
    // collections
    chunklist: fn(2, 2, ([l, n]) => {
      const items = list(l, 0);
      const size = int(n, 1);
      if (size < 0) throw new FunctionError("the size argument must be positive", 1);
      if (size === 0) return [items];
      const out: Value[] = [];
      for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
      return out;
    }),
    coalesce: fn(1, Infinity, (args) => {
      for (const a of args) if (a !== null && a !== "") return a;
      throw new FunctionError("no non-null, non-empty-string arguments", 0);
    }),
    coalescelist: fn(1, Infinity, (args) => {
      for (let i = 0; i < args.length; i++) if (list(args[i], i).length) return args[i];
      return [];
    }),
    compact: fn(1, 1, ([l]) => list(l, 0).filter((v) => v !== null && v !== "")),
    concat: fn(1, Infinity, (args) => args.flatMap((a, i) => list(a, i))),
    contains: fn(2, 2, ([l, v]) => list(l, 0).some((x) => valuesEqual(x, v))),
    distinct: fn(1, 1, ([l]) => distinct(list(l, 0))),
    element: fn(2, 2, ([l, i]) => {
      const items = list(l, 0);
      if (!items.length) throw new FunctionError("cannot use element function with an empty list", 0);
      const n = int(i, 1);
      if (n < 0) throw new FunctionError("cannot use element function with a negative index", 1);
      return items[n % items.length];
    }),
    flatten: fn(1, 1, ([l]) => flattenDeep(list(l, 0))),
    index: fn(2, 2, ([l, v]) => {
      const i = list(l, 0).findIndex((x) => valuesEqual(x, v));
      if (i < 0) throw new FunctionError("item not found", 1);
      return i;
    }),
    keys: fn(1, 1, ([o]) => sortedEntries(obj(o, 0)).map(([k]) => k)),
    values: fn(1, 1, ([o]) => sortedEntries(obj(o, 0)).map(([, v]) => v)),
    length: fn(1, 1, ([a]) => sizeOf(a)),
    lookup: fn(2, 3, ([o, k, d]) => {
      const m = obj(o, 0);
      const key = str(k, 1);
      if (hasKey(m, key)) return m[key];
      if (d !== undefined) return d;
      throw new FunctionError(`the given key ${JSON.stringify(key)} is not in the map and no default was given`, 1);
    }),
    merge: fn(0, Infinity, (args) => {
      const out: ObjectValue = {};
      args.forEach((a, i) => {
        if (a === null) return;
        for (const [k, v] of Object.entries(obj(a, i))) setKey(out, k, v);
      });
      return out;
    }),
    range: fn(1, 3, (args) => {
      let start = 0;
      let end: number;
      let step = 1;
      if (args.length === 1) end = num(args[0], 0);
      else {
        start = num(args[0], 0);
        end = num(args[1], 1);
        if (args.length === 3) step = num(args[2], 2);
        else if (end < start) step = -1;
      }
      if (step === 0) throw new FunctionError("step must not be zero", 2);
      if ((step > 0 && start > end) || (step < 0 && start < end))
        throw new FunctionError("the step is in the wrong direction for the given start and end", 2);
      const out: Value[] = [];
      for (let v = start; step > 0 ? v < end : v > end; v += step) {
        out.push(v);
        if (out.length > 1024) throw new FunctionError("more than 1024 values were generated", 0);
      }
      return out;
    }),
    reverse: fn(1, 1, ([l]) => [...list(l, 0)].reverse()),
    setintersection: fn(1, Infinity, (args) =>
      distinct(list(args[0], 0)).filter((v) => args.every((a, i) => list(a, i).some((x) => valuesEqual(x, v)))),
    ),
    setunion: fn(1, Infinity, (args) => distinct(args.flatMap((a, i) => list(a, i)))),
    setproduct: fn(1, Infinity, (args) =>
      args.map((a, i) => list(a, i)).reduce<Value[][]>((acc, items) => acc.flatMap((p) => items.map((v) => [...p, v])), [[]]),
    ),
    slice: fn(3, 3, ([l, a, b]) => {
      const items = list(l, 0);
      const s = int(a, 1);
      const e = int(b, 2);
      if (s < 0 || s > items.length) throw new FunctionError("start index out of range", 1);
      if (e < s || e > items.length) throw new FunctionError("end index out of range", 2);
      return items.slice(s, e);
    }),
    sort: fn(1, 1, ([l]) =>
      list(l, 0)
        .map((v) => str(v, 0))
        .sort(),
    ),
    zipmap: fn(2, 2, ([k, v]) => {
      const ks = list(k, 0);
      const vs = list(v, 1);
      if (ks.length !== vs.length)
        throw new FunctionError(`number of keys (${ks.length}) does not match number of values (${vs.length})`, 1);
      const out: ObjectValue = {};
      ks.forEach((key, i) => setKey(out, str(key, 0), vs[i]));
      return out;
    }),
    // encoding
    base64encode: fn(1, 1, ([a]) => Buffer.from(str(a, 0), "utf8").toString("base64")),
    base64decode: fn(1, 1, ([a]) => {
      const s = str(a, 0);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new FunctionError("failed to decode base64 data", 0);
      return Buffer.from(s, "base64").toString("utf8");
    }),
    csvdecode: fn(1, 1, ([a]) => csvDecode(str(a, 0))),
    jsonencode: fn(1, 1, ([a]) => JSON.stringify(a)),
    jsondecode: fn(1, 1, ([a]) => {
      try {
        return fromJson(JSON.parse(str(a, 0)));
      } catch (e) {
        if (e instanceof FunctionError) throw e;
        throw new FunctionError(`invalid JSON: ${(e as Error).message}`, 0);
      }
    }),
    yamlencode: fn(1, 1, ([a]) => yamlEncode(a, "").replace(/^\n/, "") + "\n"),
    yamldecode: fn(1, 1, ([a]) => {
      try {
        return parseYaml(str(a, 0));
      } catch (e) {
        throw new FunctionError(`invalid YAML: ${(e as Error).message}`, 0);
      }
    }),
    urlencode: fn(1, 1, ([a]) =>
      encodeURIComponent(str(a, 0))
        .replace(/%20/g, "+")
        .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()),
    ),
    // hashing and ids
    sha256: fn(1, 1, ([a]) => crypto.createHash("sha256").update(str(a, 0)).digest("hex")),
    sha512: fn(1, 1, ([a]) => crypto.createHash("sha512").update(str(a, 0)).digest("hex")),
    uuidv4: fn(0, 0, () => crypto.randomUUID()),
    // types
    tostring: fn(1, 1, ([a]) => (a === null ? null : str(a, 0))),
    tonumber: fn(1, 1, ([a]) => (a === null ? null : num(a, 0))),
    tobool: fn(1, 1, ([a]) => {
      if (a === null) return null;
      try {
        return toBoolValue(a);
      } catch (e) {
        throw new FunctionError((e as Error).message, 0);
      }
    }),
    tolist: fn(1, 1, ([a]) => (a === null ? null : list(a, 0))),
    toset: fn(1, 1, ([a]) => (a === null ? null : distinct(list(a, 0)))),
    tomap: fn(1, 1, ([a]) => (a === null ? null : obj(a, 0))),
    // paths and files
    abspath: fn(1, 1, ([a]) => path.resolve(baseDir, str(a, 0))),
    basename: fn(1, 1, ([a]) => path.basename(str(a, 0))),
    dirname: fn(1, 1, ([a]) => path.dirname(str(a, 0))),
    pathexpand: fn(1, 1, ([a]) => {
      const p = str(a, 0);
      return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
    }),
    file: fn(
      1,
      1,
      fsOnly(([a]) => {
        const buf = readFile(str(a, 0));
        const text = buf.toString("utf8");
        if (!Buffer.from(text, "utf8").equals(buf))
          throw new FunctionError(
            `contents of ${str(a, 0)} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead`,
            0,
          );
        return text;
      }),
    ),
    filebase64: fn(
      1,
      1,
      fsOnly(([a]) => readFile(str(a, 0)).toString("base64")),
    ),
    fileexists: fn(
      1,
      1,
      fsOnly(([a]) => {
        try {
          const st = fs.statSync(resolve(str(a, 0)));
          if (!st.isFile()) throw new FunctionError(`${str(a, 0)} is not a regular file`, 0);
          return true;
        } catch (e) {
          if (e instanceof FunctionError) throw e;
          return false;
        }
      }),
    ),
    ...extraFunctions(baseDir, allowFs),
  };
  return f;
}
