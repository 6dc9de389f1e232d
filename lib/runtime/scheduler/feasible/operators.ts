/**
 * Constraint operators with Nomad's semantics (`checkConstraint` in
 * `scheduler/feasible/feasible.go`). Affinities use the same function.
 */
import { parseVersion, parseVersionConstraint, versionSatisfies, type VersionConstraint } from "./version";

/** Per-evaluation caches of compiled regular expressions and version constraints (Nomad caches these on the EvalContext). */
export class OperatorCache {
  /** Compiled patterns by source; null marks an invalid pattern. */
  readonly regexps = new Map<string, RegExp | null>();
  /** Parsed `version` constraints; null marks an invalid one. */
  readonly versions = new Map<string, VersionConstraint | null>();
  /** Parsed `semver` constraints; null marks an invalid one. */
  readonly semvers = new Map<string, VersionConstraint | null>();

  /** The compiled pattern, or null when it does not compile. */
  regexp(source: string): RegExp | null {
    let r = this.regexps.get(source);
    if (r === undefined) {
      try {
        r = new RegExp(source);
      } catch {
        r = null;
      }
      this.regexps.set(source, r);
    }
    return r;
  }

  /** The parsed constraint, or null when malformed. */
  versionConstraint(source: string, strict: boolean): VersionConstraint | null {
    const map = strict ? this.semvers : this.versions;
    let c = map.get(source);
    if (c === undefined) {
      try {
        c = parseVersionConstraint(source, strict);
      } catch {
        c = null;
      }
      map.set(source, c);
    }
    return c;
  }
}

const INT = /^[+-]?[0-9]+$/;

/** Orders two values as Nomad's `checkOrder` does: as integers when both parse, else as floats, else lexically. */
function checkOrder(op: string, l: string, r: string): boolean {
  let cmp: number;
  if (INT.test(l.trim()) && INT.test(r.trim())) {
    cmp = Math.sign(Number(l) - Number(r));
  } else {
    const lf = l.trim() === "" ? NaN : Number(l);
    const rf = r.trim() === "" ? NaN : Number(r);
    if (!Number.isNaN(lf) && !Number.isNaN(rf)) cmp = Math.sign(lf - rf);
    else cmp = l < r ? -1 : l > r ? 1 : 0;
  }
  switch (op) {
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
    default:
      return false;
  }
}

function splitSet(s: string): string[] {
  return s.split(",").map((x) => x.trim());
}

/** Every comma-separated item of r is in the comma-separated l. */
function setContainsAll(l: string, r: string): boolean {
  const have = new Set(splitSet(l));
  return splitSet(r).every((x) => have.has(x));
}

/** At least one comma-separated item of r is in l. */
function setContainsAny(l: string, r: string): boolean {
  const have = new Set(splitSet(l));
  return splitSet(r).some((x) => have.has(x));
}

/**
 * Applies one operator to resolved targets. `lFound`/`rFound` say whether
 * the interpolations resolved. Unknown operators never hold. distinct_hosts
 * and distinct_property pass here: their own iterators enforce them.
 */
export function checkConstraint(cache: OperatorCache, operand: string, l: string, r: string, lFound: boolean, rFound: boolean): boolean {
  switch (operand) {
    case "distinct_hosts":
    case "distinct_property":
      return true;
    case "=":
    case "==":
    case "is":
      return lFound && rFound && l === r;
    case "!=":
    case "not":
      return !(lFound === rFound && l === r);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return lFound && rFound && checkOrder(operand, l, r);
    case "version":
    case "semver": {
      if (!lFound || !rFound) return false;
      const strict = operand === "semver";
      const c = cache.versionConstraint(r, strict);
      // checkVersionMatch: the node's value is parsed with go-version's NewVersion for both operands.
      const v = parseVersion(l);
      return c !== null && v !== undefined && versionSatisfies(v, c);
    }
    case "regexp": {
      if (!lFound || !rFound) return false;
      const re = cache.regexp(r);
      return re !== null && re.test(l);
    }
    case "set_contains":
    case "set_contains_all":
      return lFound && rFound && setContainsAll(l, r);
    case "set_contains_any":
      return lFound && rFound && setContainsAny(l, r);
    case "is_set":
      return lFound;
    case "is_not_set":
      return !lFound;
    default:
      return false;
  }
}
