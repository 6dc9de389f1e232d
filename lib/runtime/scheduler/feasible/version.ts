/**
 * Version constraints: hashicorp/go-version semantics for the `version`
 * operator and strict Semantic Versioning 2.0 for `semver` (Nomad's
 * `helper/constraints/semver`).
 */

/** A parsed version. */
export interface ParsedVersion {
  /** Numeric segments, padded to at least three. */
  segments: number[];
  /** How many segments were written (go-version's `si`). */
  specified: number;
  /** Pre-release identifiers ("" for none). */
  prerelease: string;
}

/** Identifiers of a pre-release or build part, as go-version matches them (letters, digits, "-", "~"). */
const IDENT = "[0-9A-Za-z\\-~]+";
/**
 * go-version's `VersionRegexpRaw`: "v", numeric segments (any number of them,
 * "1" and "1.2" included), a pre-release that may omit its dash when it starts
 * with a letter ("1.0beta1"), and build metadata.
 */
const GO_VERSION = new RegExp(
  `^v?([0-9]+(?:\\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\\-~]*(?:\\.${IDENT})*)|-?([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(?:\\.${IDENT})*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?$`,
);
/**
 * go-version's `SemverRegexpRaw` (used by `NewSemver` and Nomad's
 * helper/constraints/semver): as GO_VERSION, but a pre-release always needs its
 * dash. Short versions ("1.2", "10") are accepted and padded to three segments.
 */
const SEMVER = new RegExp(
  `^v?([0-9]+(?:\\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\\-~]*(?:\\.${IDENT})*)|-([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(?:\\.${IDENT})*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?$`,
);

const INT64_MAX = BigInt("9223372036854775807");

/**
 * Parses a version as go-version does: `NewVersion` (default) or, with
 * `strict`, `NewSemver` (pre-releases need a dash). Segments are padded to
 * three; a segment beyond int64 makes the version malformed. Undefined when
 * malformed.
 */
export function parseVersion(s: string, strict = false): ParsedVersion | undefined {
  const m = (strict ? SEMVER : GO_VERSION).exec(s.trim());
  if (!m) return undefined;
  const parts = m[1].split(".");
  if (parts.some((p) => BigInt(p) > INT64_MAX)) return undefined;
  const segments = parts.map(Number);
  const specified = segments.length;
  while (segments.length < 3) segments.push(0);
  return { segments, specified, prerelease: m[2] ?? m[3] ?? "" };
}

/** go-version's `comparePart`: numeric parts order numerically and before alphanumeric ones; a missing part sorts before a numeric one and after an alphanumeric one. */
function comparePrereleasePart(a: string, b: string): number {
  if (a === b) return 0;
  const an = /^[+-]?[0-9]+$/.test(a);
  const bn = /^[+-]?[0-9]+$/.test(b);
  if (a === "") return bn ? -1 : 1;
  if (b === "") return an ? 1 : -1;
  if (an && !bn) return -1;
  if (!an && bn) return 1;
  if (!an && !bn) return a > b ? 1 : -1;
  return Number(a) > Number(b) ? 1 : -1;
}

/** Compares two versions: −1, 0 or 1 (go-version's `Compare`). A version without pre-release is greater than the same one with. Build metadata is ignored. */
function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] ?? 0) - (b.segments[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === "") return 1;
  if (b.prerelease === "") return -1;
  const ap = a.prerelease.split(".");
  const bp = b.prerelease.split(".");
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const c = comparePrereleasePart(ap[i] ?? "", bp[i] ?? "");
    if (c !== 0) return c;
  }
  return 0;
}

function sameSegments(a: ParsedVersion, b: ParsedVersion): boolean {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) if ((a.segments[i] ?? 0) !== (b.segments[i] ?? 0)) return false;
  return true;
}

/** go-version's pre-release rule: a pre-release version only satisfies a constraint that names a pre-release of the same base version. */
function prereleaseCheck(v: ParsedVersion, c: ParsedVersion): boolean {
  const vPre = v.prerelease !== "";
  const cPre = c.prerelease !== "";
  if (cPre && vPre) return sameSegments(v, c);
  if (!cPre && vPre) return false;
  return true;
}

/** One parsed constraint term such as ">= 1.2". */
interface Term {
  op: string;
  version: ParsedVersion;
}

/** A parsed constraint: every term must hold. */
export interface VersionConstraint {
  terms: Term[];
  /** Semver mode: no "~>" and no pre-release gating. */
  strict: boolean;
}

const TERM = /^(=|!=|>=|<=|>|<|~>)?\s*(\S+)$/;

/** Parses "≥ 1.2, < 2.0" style constraints; throws with the bad term when malformed. */
export function parseVersionConstraint(s: string, strict = false): VersionConstraint {
  const terms: Term[] = [];
  for (const raw of s.split(",")) {
    const m = TERM.exec(raw.trim());
    if (!m) throw new Error(`malformed version constraint ${JSON.stringify(raw.trim())}`);
    const op = m[1] ?? "=";
    if (strict && op === "~>") throw new Error(`semver constraints do not support "~>": ${JSON.stringify(raw.trim())}`);
    const version = parseVersion(m[2], strict);
    if (!version) throw new Error(`malformed version ${JSON.stringify(m[2])} in constraint ${JSON.stringify(s)}`);
    terms.push({ op, version });
  }
  return { terms, strict };
}

function pessimistic(v: ParsedVersion, c: ParsedVersion): boolean {
  if (!prereleaseCheck(v, c) || (c.prerelease !== "" && v.prerelease === "")) return false;
  if (compareVersions(v, c) < 0) return false;
  // go-version compares the padded segment lists here (so "1" satisfies "~> 1.0"): a version with fewer segments cannot satisfy it.
  const cs = c.segments.length;
  if (cs > v.segments.length) return false;
  for (let i = 0; i < c.specified - 1; i++) if (v.segments[i] !== c.segments[i]) return false;
  return c.segments[cs - 1] <= v.segments[cs - 1];
}

function termHolds(v: ParsedVersion, t: Term, strict: boolean): boolean {
  const c = t.version;
  const gate = strict ? true : prereleaseCheck(v, c);
  const cmp = compareVersions(v, c);
  switch (t.op) {
    case "=":
      return cmp === 0;
    case "!=":
      return cmp !== 0;
    case ">":
      return gate && cmp > 0;
    case "<":
      return gate && cmp < 0;
    case ">=":
      return gate && cmp >= 0;
    case "<=":
      return gate && cmp <= 0;
    case "~>":
      return pessimistic(v, c);
    default:
      return false;
  }
}

/** True when the version satisfies every term of the constraint. */
export function versionSatisfies(version: ParsedVersion, constraint: VersionConstraint): boolean {
  for (const t of constraint.terms) if (!termHolds(version, t, constraint.strict)) return false;
  return true;
}
