/**
 * Positions, ranges and diagnostics of the HCL parser and evaluator. Every
 * problem carries the file, line and column where it was found, as
 * hashicorp/hcl's diagnostics do.
 */

/** A position in a source file: 1-based line and column, 0-based byte offset. */
export interface Pos {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in characters. */
  column: number;
  /** 0-based character offset in the source. */
  offset: number;
}

/** A range of source text, from `start` (inclusive) to `end` (exclusive). */
export interface Range {
  /** The file name the source came from (as given to the parser). */
  file: string;
  /** First character. */
  start: Pos;
  /** One past the last character. */
  end: Pos;
}

/** One problem found while parsing, evaluating or decoding. */
export interface Diagnostic {
  /** "error" stops the result from being used; "warning" does not. */
  severity: "error" | "warning";
  /** A short summary, e.g. "Unsupported argument". */
  summary: string;
  /** The longer explanation. */
  detail: string;
  /** Where the problem is. */
  range: Range;
}

/** Formats a diagnostic as `file:line:column: summary; detail`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.range.file}:${d.range.start.line}:${d.range.start.column}`;
  const prefix = d.severity === "warning" ? "warning: " : "";
  return `${where}: ${prefix}${d.summary}${d.detail ? `; ${d.detail}` : ""}`;
}

/** An error that carries one or more diagnostics (thrown by the convenience entry points). */
export class HclError extends Error {
  constructor(
    /** The diagnostics, errors first. */
    readonly diagnostics: Diagnostic[],
  ) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "HclError";
  }
}

/** A diagnostic error raised inside the parser or evaluator and caught at its entry points. */
export class DiagnosticError extends Error {
  constructor(
    /** The problem. */
    readonly diagnostic: Diagnostic,
  ) {
    super(formatDiagnostic(diagnostic));
    this.name = "DiagnosticError";
  }
}

/** Builds an error diagnostic. */
export function errorAt(range: Range, summary: string, detail = ""): Diagnostic {
  return { severity: "error", summary, detail, range };
}

/** Throws an error diagnostic at `range`. */
export function fail(range: Range, summary: string, detail = ""): never {
  throw new DiagnosticError(errorAt(range, summary, detail));
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}
