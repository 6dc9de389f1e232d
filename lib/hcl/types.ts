/**
 * Variable type constraints (`type = list(string)`, hashicorp/hcl's
 * `ext/typeexpr`) and the conversion of values to them (go-cty's
 * `convert`, for the types job files use).
 */
import type { Expression } from "./ast";
import type { ObjectValue, Value } from "./values";
import { fail } from "./diagnostics";
import { hasKey, isObject, numberToString, setKey, typeName } from "./values";

/** A type constraint. */
export type HclType =
  | { kind: "any" }
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "bool" }
  | { kind: "list" | "set" | "map"; element: HclType }
  | { kind: "object"; attributes: Record<string, HclType> }
  | { kind: "tuple"; elements: HclType[] };

/** Reads a type constraint expression such as `map(list(string))`. Throws a DiagnosticError at the offending part. */
export function typeFromExpression(e: Expression): HclType {
  if (e.type === "traversal" && e.steps.length === 0) {
    if (e.root === "any" || e.root === "string" || e.root === "number" || e.root === "bool") return { kind: e.root };
    if (e.root === "list" || e.root === "set" || e.root === "map")
      fail(e.range, "Invalid type specification", `The ${e.root} type constructor requires one argument specifying the element type.`);
    fail(e.range, "Invalid type specification", `The keyword ${JSON.stringify(e.root)} is not a valid type specification.`);
  }
  if (e.type === "call") {
    const one = () => {
      if (e.args.length !== 1) fail(e.range, "Invalid type specification", `The ${e.name} type constructor requires one argument.`);
      return e.args[0];
    };
    switch (e.name) {
      case "list":
      case "set":
      case "map":
        return { kind: e.name, element: typeFromExpression(one()) };
      case "object": {
        const arg = one();
        if (arg.type !== "object")
          fail(
            arg.range,
            "Invalid type specification",
            "The object type constructor requires one argument specifying the attribute types as a map.",
          );
        const attributes: Record<string, HclType> = {};
        for (const item of arg.items) {
          const k =
            item.key.type === "literal" && typeof item.key.value === "string"
              ? item.key.value
              : item.key.type === "template" && item.key.parts.length === 1 && item.key.parts[0].kind === "literal"
                ? item.key.parts[0].value
                : undefined;
          if (k === undefined)
            fail(item.key.range, "Invalid type specification", "Object type attribute names must be plain identifiers or strings.");
          attributes[k] = typeFromExpression(item.value);
        }
        return { kind: "object", attributes };
      }
      case "tuple": {
        const arg = one();
        if (arg.type !== "tuple")
          fail(
            arg.range,
            "Invalid type specification",
            "The tuple type constructor requires one argument specifying the element types as a list.",
          );
        return { kind: "tuple", elements: arg.items.map(typeFromExpression) };
      }
      default:
        fail(e.nameRange, "Invalid type specification", `Keyword ${JSON.stringify(e.name)} is not a valid type constructor.`);
    }
  }
  return fail(
    e.range,
    "Invalid type specification",
    "A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).",
  );
}

/** The type's name as HCL writes it. */
export function typeString(t: HclType): string {
  switch (t.kind) {
    case "list":
    case "set":
    case "map":
      return `${t.kind}(${typeString(t.element)})`;
    case "object":
      return `object({${Object.entries(t.attributes)
        .map(([k, v]) => `${k}=${typeString(v)}`)
        .join(",")}})`;
    case "tuple":
      return `tuple([${t.elements.map(typeString).join(",")}])`;
    default:
      return t.kind;
  }
}

/** True for string, number and bool (and no constraint), whose -var values are taken as raw strings. */
export function isPrimitiveType(t: HclType | undefined): boolean {
  return !t || t.kind === "string" || t.kind === "number" || t.kind === "bool" || t.kind === "any";
}

/** Converts `v` to type `t`, or returns an error message (as go-cty's convert does). */
export function convertValue(v: Value, t: HclType, path = ""): { value: Value } | { error: string } {
  const at = path ? `${path}: ` : "";
  if (v === null || t.kind === "any") return { value: v };
  switch (t.kind) {
    case "string":
      if (typeof v === "string") return { value: v };
      if (typeof v === "number") return { value: numberToString(v) };
      if (typeof v === "boolean") return { value: v ? "true" : "false" };
      return { error: `${at}string required` };
    case "number":
      if (typeof v === "number") return { value: v };
      if (typeof v === "string" && /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return { value: Number(v) };
      return { error: `${at}a number is required` };
    case "bool":
      if (typeof v === "boolean") return { value: v };
      if (v === "true" || v === "false") return { value: v === "true" };
      return { error: `${at}a bool is required` };
    case "list":
    case "set": {
      if (!Array.isArray(v)) return { error: `${at}${t.kind} of ${typeString(t.element)} required` };
      const out: Value[] = [];
      for (let i = 0; i < v.length; i++) {
        const r = convertValue(v[i], t.element, `${path}[${i}]`);
        if ("error" in r) return r;
        if (t.kind === "set" && out.some((x) => JSON.stringify(x) === JSON.stringify(r.value))) continue;
        out.push(r.value);
      }
      return { value: out };
    }
    case "map": {
      if (!isObject(v)) return { error: `${at}map of ${typeString(t.element)} required` };
      const out: ObjectValue = {};
      for (const [k, x] of Object.entries(v)) {
        const r = convertValue(x, t.element, `${path}[${JSON.stringify(k)}]`);
        if ("error" in r) return r;
        setKey(out, k, r.value);
      }
      return { value: out };
    }
    case "object": {
      if (!isObject(v)) return { error: `${at}object required` };
      const out: ObjectValue = {};
      for (const [k, at2] of Object.entries(t.attributes)) {
        if (!hasKey(v, k)) return { error: `${at}attribute ${JSON.stringify(k)} is required` };
        const r = convertValue(v[k], at2, path ? `${path}.${k}` : k);
        if ("error" in r) return r;
        setKey(out, k, r.value);
      }
      return { value: out };
    }
    case "tuple": {
      if (!Array.isArray(v)) return { error: `${at}tuple required` };
      if (v.length !== t.elements.length) return { error: `${at}tuple required with ${t.elements.length} elements, got ${v.length}` };
      const out: Value[] = [];
      for (let i = 0; i < v.length; i++) {
        const r = convertValue(v[i], t.elements[i], `${path}[${i}]`);
        if ("error" in r) return r;
        out.push(r.value);
      }
      return { value: out };
    }
  }
  return { error: `${at}unsupported value of type ${typeName(v)}` };
}
