/** `drover validate`: checks JSON job files against Nomad's job model and rules. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import type { Job, JobProblem } from "../../jobspec";
import { formatJobJson, hclRangeAt, isHclJobFile, JsonPositions, parseJobHcl, validateJob } from "../../jobspec";
import type { Range } from "../../hcl";
import { HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs, normalizeVarFlags, type HclVarInputs } from "../hcl-vars";

const USAGE = `Usage: drover validate [options] FILE...

Validates JSON job files and HCL job files (.hcl, .nomad, .nomad.hcl) (a register request {"Job": {...}} or a bare job, in
Nomad's HTTP API shape) against Nomad's job model and validation rules, and
reports every problem with its path and where it is in the file:

  FILE:LINE:COL: PATH: message            an error (stderr)
  FILE:LINE:COL: PATH: warning: message   a warning: Nomad accepts but ignores it (stderr)
  FILE: ok                                a valid file (stdout; stderr with --canonical)

The built-in drivers' config blocks (docker, exec, raw_exec, java, qemu,
mock_driver) are checked against their documented keys and types too.
YAML files are refused: use JSON or HCL.

Options:
  --canonical   Print the job(s) with Nomad's defaults applied (canonical,
                key-ordered JSON) to stdout, and nothing else: one file gives
                the job, several give a JSON array of them in order; nothing
                when any file is invalid. Status lines go to stderr, so
                \`drover validate --canonical job.hcl > job.json\` works.
  --json        Print the results as JSON to stdout instead:
                [{"file", "valid", "problems", "warnings"}], each problem with
                "file", "line", "column", "endLine", "endColumn" and "range"
                (Nomad's "23,7-18") where the position is known.
${HCL_VAR_USAGE}

Exit codes: 0 every file is valid, 1 a file is invalid (an HCL file that does
not parse, reported as FILE:LINE:COLUMN: message, is invalid), 2 usage error
or a file that cannot be read or is not JSON.`;

/** A problem with where it is in its file. */
interface LocatedProblem extends JobProblem {
  /** The file, as given on the command line (for HCL, the file named by the diagnostic). */
  file: string;
  /** 1-based line of the attribute, block or JSON key the problem concerns (or of the closest enclosing one); absent when the file could not be read. */
  line?: number;
  /** 1-based column of that line. */
  column?: number;
  /** 1-based line where the range ends. */
  endLine?: number;
  /** 1-based column where the range ends (one past the last character). */
  endColumn?: number;
  /** The range as Nomad writes it: `23,7-18`, or `23,7-25,3` across lines. */
  range?: string;
}

/** The result for one file, as --json prints it. */
interface FileResult {
  /** The file as given on the command line. */
  file: string;
  /** True when the file holds a valid job. */
  valid: boolean;
  /** Errors (empty when valid), each with its file and position. For unreadable files, one problem with path "" says why; HCL parse errors have rule "hcl". */
  problems: LocatedProblem[];
  /** Warnings, with positions like problems. */
  warnings: LocatedProblem[];
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

/** Nomad's way of writing a range: `23,7-18` on one line, `23,7-25,3` across lines. */
function formatRange(r: Range): string {
  return r.start.line === r.end.line
    ? `${r.start.line},${r.start.column}-${r.end.column}`
    : `${r.start.line},${r.start.column}-${r.end.line},${r.end.column}`;
}

/** A problem's position fields for --json, from a range. */
function positionOf(
  file: string,
  r: Range | undefined,
): Pick<LocatedProblem, "file" | "line" | "column" | "endLine" | "endColumn" | "range"> {
  return r
    ? { file, line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column, range: formatRange(r) }
    : { file };
}

/** What a file holds, read: the job (with a way to find where each path is), or why it could not be read. */
type Loaded =
  | { ok: true; value: unknown; rangeAt: (segments: readonly (string | number)[]) => Range | undefined }
  | { ok: false; exit: 1 | 2; problems: LocatedProblem[] };

function load(file: string, cwd: string, hcl: HclVarInputs): Loaded {
  const fail = (message: string, rule = "input"): Loaded => ({
    ok: false,
    exit: 2,
    problems: [{ path: "", segments: [], message, rule, file }],
  });
  if (/\.ya?ml$/i.test(file)) return fail("YAML job files are not supported; use JSON or HCL");
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), "utf8");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "is a directory" : e.message;
    return fail(`cannot read: ${why}`);
  }
  if (isHclJobFile(file)) {
    const r = parseJobHcl(text, { file, baseDir: path.dirname(path.resolve(cwd, file)), allowFs: true, ...hcl });
    if (r.job) {
      const job = r.job;
      return { ok: true, value: job, rangeAt: (segments) => hclRangeAt(job, segments) };
    }
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    return {
      ok: false,
      exit: 1,
      problems: errors.map((d) => ({
        path: "",
        segments: [],
        message: `${d.summary}${d.detail ? `; ${d.detail}` : ""}`,
        rule: "hcl",
        ...positionOf(d.range.file, d.range),
      })),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (/^\s*(#[^\n]*\n\s*)*(---\s*\n\s*)?[A-Za-z_][\w-]*\s*:(\s|$)/.test(text))
      return fail("YAML job files are not supported; use JSON or HCL");
    const where = locateJsonError(text);
    const at = where ? lineColumn(text, where.offset) : undefined;
    return {
      ok: false,
      exit: 2,
      problems: [
        {
          path: "",
          segments: [],
          message: `not valid JSON: ${describeJsonError(text, err as Error)}`,
          rule: "input",
          file,
          ...(at ? { line: at.line, column: at.column } : {}),
        },
      ],
    };
  }
  const positions = new JsonPositions(text, file);
  return { ok: true, value, rangeAt: (segments) => positions.rangeAt(segments) };
}

/** One line of text output: `FILE:LINE:COL: PATH: message`, or `FILE: PATH: message` without a position. */
function problemLine(p: LocatedProblem, warning: boolean): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}: ${p.path ? `${p.path}: ` : ""}${warning ? "warning: " : ""}${p.message}\n`;
}

/** The `drover validate` command. */
export const command: Command = {
  name: "validate",
  summary: "Validate JSON and HCL job files against Nomad's job model",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(normalizeVarFlags(argv), {
      canonical: { type: "boolean" },
      json: { type: "boolean" },
      ...HCL_VAR_OPTIONS,
    });
    const hcl = hclInputsFromArgs(args, io);
    if (args.positionals.length === 0) throw new UsageError("expected at least one job file");
    const canonical = !!args.values.canonical;
    const asJson = !!args.values.json;
    let exit = 0;
    const results: FileResult[] = [];
    const canonicalJobs: unknown[] = [];
    for (const file of args.positionals) {
      const loaded = load(file, io.cwd, hcl);
      if (!loaded.ok) {
        exit = Math.max(exit, loaded.exit);
        results.push({ file, valid: false, problems: loaded.problems, warnings: [] });
        if (!asJson) for (const p of loaded.problems) io.err.write(problemLine(p, false));
        continue;
      }
      const r = validateJob(loaded.value);
      const locate = (p: JobProblem): LocatedProblem => ({ ...p, ...positionOf(file, loaded.rangeAt(p.segments)) });
      const result: FileResult = {
        file,
        valid: r.valid,
        problems: r.valid ? [] : r.problems.map(locate),
        warnings: r.warnings.map(locate),
      };
      if (!r.valid && exit === 0) exit = 1;
      if (r.valid && canonical) {
        if (asJson) result.canonical = r.canonical;
        canonicalJobs.push(r.canonical);
      }
      results.push(result);
      if (asJson) continue;
      for (const p of result.problems) io.err.write(problemLine(p, false));
      for (const w of result.warnings) io.err.write(problemLine(w, true));
      // Status lines go to stderr with --canonical, so that stdout holds only JSON.
      if (r.valid) (canonical ? io.err : io.out).write(`${file}: ok\n`);
    }
    if (asJson) io.out.write(JSON.stringify(results, null, 2) + "\n");
    else if (canonical && exit === 0) {
      // One file: the job itself; several: a JSON array of them, in the order given. Nothing when any file is invalid.
      if (canonicalJobs.length === 1) io.out.write(formatJobJson(canonicalJobs[0] as Job));
      else
        io.out.write(
          `[\n${canonicalJobs
            .map((j) =>
              formatJobJson(j as Job)
                .trimEnd()
                .replace(/^/gm, "  "),
            )
            .join(",\n")}\n]\n`,
        );
    }
    return exit;
  },
};
