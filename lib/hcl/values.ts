/**
 * HCL values as plain JavaScript: null, booleans, numbers, strings, arrays
 * (HCL lists, tuples and sets) and objects (HCL maps and objects), with the
 * conversions HCL applies between them (go-cty's `convert` in spirit).
 */

/** A value of the HCL language. */
export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** A plain object whose keys are HCL map keys. */
export type ObjectValue = { [key: string]: Value };

/** True for HCL objects and maps. */
export function isObject(v: Value | undefined): v is ObjectValue {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Sets a key on an object safely (also `__proto__` and friends). */
export function setKey(o: ObjectValue, key: string, value: Value): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Has `o` its own `key`? */
export function hasKey(o: ObjectValue, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** The HCL name of a value's type, for messages. */
export function typeName(v: Value | undefined): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "tuple";
  if (typeof v === "object") return "object";
  return typeof v === "boolean" ? "bool" : typeof v;
}

/** A number as HCL prints it: integers without exponent, others as shortest decimal. */
export function numberToString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

/** Thrown by conversions; the evaluator adds the position. */
export class ConversionError extends Error {}

/** Converts to a string (numbers and bools are printed as HCL prints them). */
export function toStringValue(v: Value, what = "value"): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) throw new ConversionError(`${what} is null; a string is required`);
  throw new ConversionError(`${what} is a ${typeName(v)}; a string is required`);
}

/** Converts to a number (numeric strings are accepted, as HCL does). */
export function toNumberValue(v: Value, what = "value"): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  if (v === null) throw new ConversionError(`${what} is null; a number is required`);
  throw new ConversionError(
    `${what} is ${typeof v === "string" ? `the string ${JSON.stringify(v)}` : `a ${typeName(v)}`}; a number is required`,
  );
}

/** Converts to a bool ("true" and "false" strings are accepted, as HCL does). */
export function toBoolValue(v: Value, what = "value"): boolean {
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  if (v === null) throw new ConversionError(`${what} is null; a bool is required`);
  throw new ConversionError(`${what} is a ${typeName(v)}; a bool is required`);
}

/** Converts to a list (sets, tuples); objects are not lists. */
export function toListValue(v: Value, what = "value"): Value[] {
  if (Array.isArray(v)) return v;
  if (v === null) throw new ConversionError(`${what} is null; a list is required`);
  throw new ConversionError(`${what} is a ${typeName(v)}; a list is required`);
}

/** Converts to an object/map. */
export function toObjectValue(v: Value, what = "value"): ObjectValue {
  if (isObject(v)) return v;
  if (v === null) throw new ConversionError(`${what} is null; a map is required`);
  throw new ConversionError(`${what} is a ${typeName(v)}; a map is required`);
}

/** Deep equality of two values, as HCL's `==`. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => hasKey(b, k) && valuesEqual(a[k], b[k]));
  }
  return false;
}

/** An object with its keys sorted, as HCL maps and objects iterate (lexically). */
export function sortedEntries(o: ObjectValue): [string, Value][] {
  return Object.keys(o)
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    .map((k) => [k, o[k]]);
}

/** Converts a JSON value (from JSON.parse) to an HCL value; objects are copied safely. */
export function fromJson(v: unknown): Value {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === "object") {
    const o: ObjectValue = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) setKey(o, k, fromJson(x));
    return o;
  }
  return null;
}
