/** `drover validate`: checks JSON job files against Nomad's job model and rules. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import type { JobProblem } from "../../jobspec";
import { formatJobJson, isHclJobFile, validateJob } from "../../jobspec";
import { HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs, normalizeVarFlags, parseHclJobText, type HclVarInputs } from "../render/shared";

const USAGE = `Usage: drover validate [options] FILE...

Validates JSON job files and HCL job files (.hcl, .nomad, .nomad.hcl) (a register request {"Job": {...}} or a bare job, in
Nomad's HTTP API shape) against Nomad's job model and validation rules, and
reports every problem with its path:

  FILE: PATH: message            an error (stderr)
  FILE: PATH: warning: message   a warning: Nomad accepts but ignores it (stderr)
  FILE: ok                       a valid file (stdout)

Options:
  --canonical   Also print each valid job with Nomad's defaults applied
                (canonical, key-ordered JSON) to stdout.
  --json        Print the results as JSON to stdout instead:
                [{"file", "valid", "problems", "warnings"}].
${HCL_VAR_USAGE}

Exit codes: 0 every file is valid, 1 a file is invalid (an HCL file that does
not parse, reported as FILE:LINE:COLUMN: message, is invalid), 2 usage error
or a file that cannot be read or is not JSON.`;

/** The result for one file, as --json prints it. */
export interface FileResult {
  /** The file as given on the command line. */
  file: string;
  /** True when the file holds a valid job. */
  valid: boolean;
  /** Errors (empty when valid). For unreadable files, one problem with path "" describes why. */
  problems: JobProblem[];
  /** Warnings. */
  warnings: JobProblem[];
  /** The canonical job, with --canonical and --json. */
  canonical?: unknown;
}

/** The 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * Finds where JSON text stops being valid: the character offset of the
 * first error and what was expected there (V8's messages do not always say
 * where). Returns undefined for valid JSON.
 */
export function locateJsonError(text: string): { offset: number; expected: string } | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  class Stop extends Error {
    constructor(readonly expected: string) {
      super(expected);
    }
  }
  const fail = (expected: string): never => {
    throw new Stop(expected);
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail("less nesting");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a property name in double quotes");
        string();
        ws();
        if (text[i] !== ":") fail("':' after a property name");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail("',' or '}' after a property value");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail("',' or ']' after an array element");
      }
    }
    if (c === '"') return string();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== "" && m[0] !== "-") {
      i += m[0].length;
      return;
    }
    for (const lit of ["true", "false", "null"])
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    fail(i >= text.length ? "a value (the text ends early)" : "a value (object, array, string, number, true, false or null)");
  };
  const string = (): void => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) fail("no control characters inside a string (escape them)");
      if (c === 92) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("four hex digits after \\u");
          i += 6;
          continue;
        }
        if (!e || !'"\\/bfnrt'.includes(e)) fail("a valid escape sequence");
        i += 2;
        continue;
      }
      i++;
    }
    fail("a closing double quote");
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail("the end of the text after the top-level value");
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return { offset: i, expected: err.expected };
    return { offset: i, expected: "valid JSON" };
  }
}

/** Describes a JSON.parse failure with its line and column. */
export function describeJsonError(text: string, err: Error): string {
  const where = locateJsonError(text);
  if (!where) return err.message;
  const { line, column } = lineColumn(text, where.offset);
  const found = where.offset >= text.length ? "the end of the text" : JSON.stringify(text[where.offset]);
  return `line ${line}, column ${column}: expected ${where.expected}, found ${found}`;
}

type Loaded = { ok: true; value: unknown } | { ok: false; message: string; hcl?: string[] };

function load(file: string, cwd: string, hcl: HclVarInputs): Loaded {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), "utf8");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "is a directory" : e.message;
    return { ok: false, message: `cannot read: ${why}` };
  }
  if (isHclJobFile(file)) {
    const parsed = parseHclJobText(text, file, path.resolve(cwd, file), hcl);
    return parsed.ok ? { ok: true, value: parsed.job } : { ok: false, message: `cannot parse the HCL job: ${parsed.messages.join("; ")}`, hcl: parsed.messages };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `not valid JSON: ${describeJsonError(text, err as Error)}` };
  }
}

/** The `drover validate` command. */
export const command: Command = {
  name: "validate",
  summary: "Validate JSON job files against Nomad's job model",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(normalizeVarFlags(argv), { canonical: { type: "boolean" }, json: { type: "boolean" }, ...HCL_VAR_OPTIONS });
    const hcl = hclInputsFromArgs(args, io);
    if (args.positionals.length === 0) throw new UsageError("expected at least one job file");
    const canonical = !!args.values.canonical;
    const asJson = !!args.values.json;
    let exit = 0;
    const results: FileResult[] = [];
    for (const file of args.positionals) {
      const loaded = load(file, io.cwd, hcl);
      if (!loaded.ok) {
        if (loaded.hcl) exit = exit === 2 ? 2 : 1;
        else exit = 2;
        results.push({ file, valid: false, problems: (loaded.hcl ?? [loaded.message]).map((message) => ({ path: "", segments: [], message, rule: loaded.hcl ? "hcl" : "input" })), warnings: [] });
        if (!asJson) io.err.write(loaded.hcl ? loaded.hcl.map((m) => `${m}\n`).join("") : `${file}: ${loaded.message}\n`);
        continue;
      }
      const r = validateJob(loaded.value);
      const result: FileResult = { file, valid: r.valid, problems: r.valid ? [] : r.problems, warnings: r.warnings };
      if (!r.valid && exit === 0) exit = 1;
      if (r.valid && canonical && asJson) result.canonical = r.canonical;
      results.push(result);
      if (asJson) continue;
      for (const p of result.problems) io.err.write(`${file}: ${p.path}: ${p.message}\n`);
      for (const w of result.warnings) io.err.write(`${file}: ${w.path}: warning: ${w.message}\n`);
      if (r.valid) {
        io.out.write(`${file}: ok\n`);
        if (canonical) io.out.write(formatJobJson(r.canonical));
      }
    }
    if (asJson) io.out.write(JSON.stringify(results, null, 2) + "\n");
    return exit;
  },
};
