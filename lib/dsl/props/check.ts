/**
 * Run-time checks of DSL props against the specs derived from their
 * TypeScript declarations (specs.generated.ts): unknown props with a
 * did-you-mean, values of the wrong type, and missing required props. They
 * protect JavaScript programs, `as any` casts and values computed at run
 * time, which the type checker cannot see.
 */
import { closestName } from "../../jobspec/keys";
import { joinProp } from "../render-context";
import { PROP_SPECS } from "./specs.generated";
import type { PropSpec, PropType } from "./types";

/** One problem of a prop: where (camelCase path within the construct) and what. */
export interface PropProblem {
  /** The prop path, e.g. `resources.memoryMb` or `checks[0].interval`. */
  readonly prop: string;
  /** What is wrong. */
  readonly message: string;
}

/** The spec of an interface by name; throws for a name that has none (a bug in drover). */
function propSpec(name: string): PropSpec {
  const spec = PROP_SPECS[name];
  if (!spec) throw new Error(`no prop spec for ${name}`);
  return spec;
}

/** Describes a value for messages: `the string "512"`, `an array`, `a Port`. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  switch (typeof v) {
    case "string":
      return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v)}`;
    case "number":
    case "boolean":
      return `the ${typeof v} ${String(v)}`;
    case "object": {
      const name = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
      return name && name !== "Object" ? `a ${name}` : "an object";
    }
    default:
      return `a ${typeof v}`;
  }
}

/** What a type expects, for messages: `a number`, `one of "delay", "fail"`. */
function expected(t: PropType): string {
  switch (t.k) {
    case "string":
    case "number":
    case "boolean":
    case "function":
      return `a ${t.k}`;
    case "any":
      return "a value";
    case "duration":
      return 'a duration ("30s", "1h30m" or a Duration)';
    case "literal":
      return `one of ${t.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "array":
      return "an array";
    case "record":
    case "ref":
    case "object":
      return "an object";
    case "instance":
      return `a ${t.name}`;
    case "union":
      return t.of.map(expected).join(" or ");
  }
}

function isInstanceOf(v: unknown, name: string): boolean {
  for (let p = v === null || typeof v !== "object" ? null : Object.getPrototypeOf(v); p; p = Object.getPrototypeOf(p))
    if ((p as { constructor?: { name?: string } }).constructor?.name === name) return true;
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

type Report = (prop: string, message: string) => void;

function checkValue(t: PropType, v: unknown, at: string, report: Report, depth: number): void {
  if (depth > 50) return;
  switch (t.k) {
    case "any":
      return;
    case "string":
    case "number":
    case "boolean":
    case "function":
      if (typeof v !== t.k || (t.k === "number" && !Number.isFinite(v))) report(at, `expected ${expected(t)} (got ${describe(v)})`);
      return;
    case "duration":
      if (typeof v !== "string" && !isInstanceOf(v, "Duration")) report(at, `expected ${expected(t)} (got ${describe(v)})`);
      return;
    case "literal":
      if (!t.values.includes(v as string | number)) report(at, `must be ${expected(t)} (got ${describe(v)})`);
      return;
    case "instance":
      if (!isInstanceOf(v, t.name)) report(at, `expected ${expected(t)} (got ${describe(v)})`);
      return;
    case "array":
      if (!Array.isArray(v)) report(at, `expected an array (got ${describe(v)})`);
      else v.forEach((x, i) => checkValue(t.of, x, joinProp(at, i), report, depth + 1));
      return;
    case "record":
      if (!isPlainObject(v)) report(at, `expected an object (got ${describe(v)})`);
      else for (const [k, x] of Object.entries(v)) if (x !== undefined) checkValue(t.of, x, joinProp(at, k), report, depth + 1);
      return;
    case "ref":
      checkObject(propSpec(t.name), v, at, report, depth + 1);
      return;
    case "object":
      checkObject(t, v, at, report, depth + 1);
      return;
    case "union": {
      let structured: PropType | undefined;
      for (const member of t.of) {
        let failed = false;
        checkValue(member, v, at, () => (failed = true), depth + 1);
        if (!failed) return;
        if ((member.k === "ref" || member.k === "object") && isPlainObject(v)) structured = member;
      }
      if (structured) checkValue(structured, v, at, report, depth + 1);
      else report(at, `expected ${expected(t)} (got ${describe(v)})`);
      return;
    }
  }
}

function checkObject(spec: PropSpec, v: unknown, at: string, report: Report, depth: number): void {
  if (!isPlainObject(v)) {
    report(at, `expected an object (got ${describe(v)})`);
    return;
  }
  const known = Object.keys(spec.props);
  for (const [key, value] of Object.entries(v)) {
    const t = spec.props[key];
    if (t === undefined) {
      const near = closestName(key, known);
      report(
        joinProp(at, key),
        near ? `unknown prop (did you mean ${JSON.stringify(near)}?)` : `unknown prop; expected one of: ${known.join(", ")}`,
      );
      continue;
    }
    if (value !== undefined) checkValue(t, value, joinProp(at, key), report, depth);
  }
  for (const key of spec.required) if (v[key] === undefined) report(joinProp(at, key), `is required`);
}

/**
 * Checks `value` against the props of the interface `specName` (e.g.
 * `"TaskProps"`), prop paths starting at `at` (empty for the construct's own
 * props). Returns every problem; none for good props.
 */
export function checkProps(specName: string, value: unknown, at = ""): PropProblem[] {
  const out: PropProblem[] = [];
  checkObject(propSpec(specName), value, at, (prop, message) => out.push({ prop, message }), 0);
  return out;
}
