/**
 * The building blocks every block schema uses: Nomad's JSON scalar types with
 * drover's error messages. Every field of every block is optional and
 * nullable: in Nomad's JSON a missing key and `null` both mean "not set, use
 * the default" (api pointers), and Go's decoder also leaves non-pointer
 * fields at their zero value for `null`.
 */
import { z } from "zod";
import { MAX_EXACT_DURATION_NS, formatGoDuration, parseGoDuration } from "../duration";

/** Describes a JSON value for messages: `a string`, `an array`, `null`. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  switch (typeof v) {
    case "string":
      return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v)}`;
    case "number":
      return Number.isFinite(v) ? `the number ${v}` : "a non-finite number";
    case "boolean":
      return `the boolean ${v}`;
    case "object":
      return "an object";
    default:
      return typeof v;
  }
}

type IssueLike = { code?: string; input?: unknown; minimum?: unknown; maximum?: unknown; values?: unknown[] };

/**
 * The duration schemas (the inner integer schema of each durationNs()), so
 * that the model can tell a duration from a plain integer.
 */
export const DURATION_SCHEMAS = new WeakSet<object>();

/** The message for an integer field (Go `int`, `int64`, `uint64`): integers within ±2^53-1. */
export function intMessage(iss: IssueLike): string {
  const v = iss.input;
  if (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)) return `must be an integer (got ${v})`;
  if (typeof v === "number" && Number.isInteger(v))
    return `must be an integer within ±${Number.MAX_SAFE_INTEGER} (got ${v}, which JSON numbers cannot hold exactly)`;
  return `must be an integer (got ${describeValue(v)})`;
}

/** The message for a duration field: integer nanoseconds, with the conversion of a Go duration string. */
export function durationMessage(iss: IssueLike): string {
  const v = iss.input;
  if (typeof v === "string") {
    try {
      const ns = parseGoDuration(v);
      return `must be an integer number of nanoseconds (got the string ${JSON.stringify(v)}; ${v} is ${ns})`;
    } catch (err) {
      return `must be an integer number of nanoseconds (got the string ${JSON.stringify(v)}, which is not a duration either: ${(err as Error).message})`;
    }
  }
  if (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)) return `must be an integer number of nanoseconds (got ${v})`;
  if (typeof v === "number" && Number.isInteger(v))
    return `must be at most ${MAX_EXACT_DURATION_NS} ns (about 104 days; got ${v}): longer durations cannot be represented exactly in a JSON number`;
  return `must be an integer number of nanoseconds (got ${describeValue(v)})`;
}

/** A Go `string`. */
export const str = () => z.string({ error: (iss) => stringMessage(iss.input) }).nullish();

/** A Go `bool`. */
export const bool = () => z.boolean({ error: (iss) => booleanMessage(iss.input) }).nullish();

/** A Go integer (`int`, `int64`, `uint64`, ...), limited to the integers a JSON number holds exactly. */
export const intNum = () => z.int({ error: intMessage }).nullish();

/** A Go unsigned integer: an integer that must not be negative. */
export const uintNum = () =>
  z
    .int({ error: intMessage })
    .min(0, { error: (iss) => `must not be negative (got ${String(iss.input)})` })
    .nullish();

/**
 * A Go `time.Duration`: integer nanoseconds (30s is 30000000000), never
 * negative in a job, at most 2^53-1 ns (about 104 days), the largest value a
 * JSON number holds exactly. A Go duration string such as "30s" is rejected
 * with its value in nanoseconds in the message.
 */
export const durationNs = () => {
  const inner = z.int({ error: durationMessage }).min(0, { error: (iss) => negativeDurationMessage(Number(iss.input)) });
  DURATION_SCHEMAS.add(inner);
  return inner.nullish();
};

/** The message for a negative duration. */
export function negativeDurationMessage(ns: number): string {
  return `must not be negative (got ${ns} ns, ${formatGoDuration(ns)})`;
}

/** The message for a value that must be a string. */
export function stringMessage(v: unknown): string {
  return `must be a string (got ${describeValue(v)})`;
}

/** The message for a value that must be a boolean. */
export function booleanMessage(v: unknown): string {
  return `must be a boolean (got ${describeValue(v)})`;
}

/** The message for a value outside an enumeration (`values` may include "" for "use the default"). */
export function enumMessage(values: readonly string[], v: unknown): string {
  return typeof v === "string"
    ? `must be one of ${values
        .filter((x) => x !== "")
        .map((x) => JSON.stringify(x))
        .join(", ")} (got ${JSON.stringify(v)})`
    : `must be a string (got ${describeValue(v)})`;
}

/** A JSON number that need not be an integer or exact (read-only timestamps such as SubmitTime). */
export const anyNumber = () => z.number({ error: (iss) => `must be a number (got ${describeValue(iss.input)})` }).nullish();

/** A Go `[]string`. */
export const strList = () => z.array(z.string({ error: (iss) => stringMessage(iss.input) }), { error: listError }).nullish();

/** A Go `map[string]string` (Meta, Env, ...). */
export const strMap = () =>
  z.record(z.string(), z.string({ error: (iss) => mapValueMessage(iss.input) }), { error: objectError }).nullish();

/** The message for a map value that must be a string. */
export function mapValueMessage(v: unknown): string {
  return `must be a string (got ${describeValue(v)}); Nomad maps hold only strings`;
}

/** A Go `map[string]any` (driver Config, GetterOptions values, scaling Policy): any JSON object. */
export const anyMap = () => z.record(z.string(), z.unknown(), { error: objectError }).nullish();

/** The error for a value that should be a JSON object. */
export function objectError(iss: IssueLike): string {
  return `must be an object (got ${describeValue(iss.input)})`;
}

/** The error for a value that should be a JSON array. */
export function listError(iss: IssueLike): string {
  return `must be an array (got ${describeValue(iss.input)})`;
}

/** One of a fixed set of strings; `""` is listed in `values` where Nomad treats it as "use the default". */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (iss) => enumMessage(values, iss.input) }).nullish();

/** A block: a JSON object with exactly the given keys (unknown keys are errors), which may be null. */
export const block = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown key(s) ${(iss.keys as string[]).map((k) => JSON.stringify(k)).join(", ")}`
        : objectError(iss),
  });

/** An array of blocks; `null` is an empty list. */
export const listOf = <T extends z.ZodType>(item: T) => z.array(item, { error: listError }).nullish();

/** A map of blocks (e.g. TaskGroup.Volumes); `null` is an empty map. */
export const mapOf = <T extends z.ZodType>(item: T) => z.record(z.string(), item, { error: objectError }).nullish();
