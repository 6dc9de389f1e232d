/**
 * The job model as a plain tree, derived once from the zod schemas: for each
 * block, its keys in declared order (the field order of Nomad's api structs)
 * and what each key holds. Validation (unknown keys, case duplicates),
 * canonicalization (copying) and formatting (key order) walk this tree
 * instead of re-reading zod internals on every call.
 */
import type { z } from "zod";
import { JobSchema } from "./schema/job";
import { DURATION_SCHEMAS } from "./schema/primitives";

/** A scalar's type, as the schema declares it. */
export type ScalarSpec =
  /** A string. */
  | { type: "string" }
  /** A boolean. */
  | { type: "boolean" }
  /** A safe integer, optionally with a minimum. */
  | { type: "int"; min?: number }
  /** A duration: integer nanoseconds, not negative. */
  | { type: "duration" }
  /** Any finite number (read-only timestamps). */
  | { type: "number" }
  /** One of a set of strings. */
  | { type: "enum"; values: readonly string[] };

/** What a field of a block holds. */
export type FieldKind =
  /** A string, number or boolean. */
  | { kind: "scalar"; scalar: ScalarSpec }
  /** A nested block. */
  | { kind: "block"; block: BlockModel }
  /** An array of blocks. */
  | { kind: "list"; block: BlockModel }
  /** A map of blocks (e.g. TaskGroup.Volumes). */
  | { kind: "map"; block: BlockModel }
  /** An array of scalars (strings). */
  | { kind: "scalarList"; scalar: ScalarSpec }
  /** A map of strings (Meta, Env), or of string lists (check Header) when `valueList`. */
  | { kind: "scalarMap"; scalar: ScalarSpec; valueList: boolean }
  /** An open JSON object (driver Config, scaling Policy, Connect gateway). */
  | { kind: "opaque" }
  /** An array of open JSON objects. */
  | { kind: "opaqueList" };

/** One block of the job model. */
export interface BlockModel {
  /** The block's name, from its schema description (e.g. "TaskGroup"). */
  readonly name: string;
  /** Keys in declared order. */
  readonly keys: readonly string[];
  /** What each key holds. */
  readonly fields: ReadonlyMap<string, FieldKind>;
  /** Each key by its lower-case spelling (Nomad's decoder matches keys case-insensitively). */
  readonly byLowerCase: ReadonlyMap<string, string>;
}

interface ZodDefLike {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  format?: string;
  entries?: Record<string, string>;
  checks?: { _zod: { def: { check: string; value?: unknown; inclusive?: boolean } } }[];
}

function defOf(s: z.ZodType): ZodDefLike {
  return s._zod.def as ZodDefLike;
}

/** Strips optional/nullable/default wrappers. */
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (;;) {
    const d = defOf(cur);
    if ((d.type === "optional" || d.type === "nullable" || d.type === "default" || d.type === "readonly") && d.innerType) cur = d.innerType;
    else return cur;
  }
}

const cache = new Map<z.ZodType, BlockModel>();

/** The model of one object schema (memoized). */
export function blockModelOf(schema: z.ZodType): BlockModel {
  const s = unwrap(schema);
  const hit = cache.get(s);
  if (hit) return hit;
  const d = defOf(s);
  if (d.type !== "object" || !d.shape) throw new Error(`blockModelOf: not an object schema (${d.type})`);
  const desc = s.description ?? "";
  const fields = new Map<string, FieldKind>();
  const byLowerCase = new Map<string, string>();
  const model: BlockModel = { name: /^(\w+)/.exec(desc)?.[1] ?? "object", keys: Object.keys(d.shape), fields, byLowerCase };
  cache.set(s, model);
  for (const [key, fieldSchema] of Object.entries(d.shape)) {
    fields.set(key, kindOf(fieldSchema));
    byLowerCase.set(key.toLowerCase(), key);
  }
  return model;
}

function isObjectSchema(s: z.ZodType): boolean {
  return defOf(unwrap(s)).type === "object";
}

/** The scalar type of a (unwrapped) scalar schema. */
function scalarOf(schema: z.ZodType): ScalarSpec {
  const s = unwrap(schema);
  const d = defOf(s);
  if (d.type === "string") return { type: "string" };
  if (d.type === "boolean") return { type: "boolean" };
  if (d.type === "enum" && d.entries) return { type: "enum", values: Object.values(d.entries) };
  if (d.type === "number") {
    if (DURATION_SCHEMAS.has(s)) return { type: "duration" };
    if (d.format === "safeint") {
      const min = d.checks?.map((c) => c._zod.def).find((c) => c.check === "greater_than" && c.inclusive === true);
      return min && typeof min.value === "number" ? { type: "int", min: min.value } : { type: "int" };
    }
    return { type: "number" };
  }
  throw new Error(`jobspec model: unsupported scalar schema type ${d.type}`);
}

function kindOf(schema: z.ZodType): FieldKind {
  const s = unwrap(schema);
  const d = defOf(s);
  if (d.type === "object") return { kind: "block", block: blockModelOf(s) };
  if (d.type === "array" && d.element) {
    if (isObjectSchema(d.element)) return { kind: "list", block: blockModelOf(d.element) };
    if (defOf(unwrap(d.element)).type === "record") return { kind: "opaqueList" };
    return { kind: "scalarList", scalar: scalarOf(d.element) };
  }
  if (d.type === "record" && d.valueType) {
    const v = defOf(unwrap(d.valueType));
    if (v.type === "object") return { kind: "map", block: blockModelOf(d.valueType) };
    if (v.type === "unknown" || v.type === "any") return { kind: "opaque" };
    if (v.type === "array" && v.element) return { kind: "scalarMap", scalar: scalarOf(v.element), valueList: true };
    return { kind: "scalarMap", scalar: scalarOf(d.valueType), valueList: false };
  }
  if (d.type === "unknown" || d.type === "any") return { kind: "opaque" };
  return { kind: "scalar", scalar: scalarOf(s) };
}

/** The model of Job, the root of the tree. */
export const JOB_MODEL: BlockModel = blockModelOf(JobSchema);

/** Finds a block's model by name (e.g. "TaskGroup"), searching the tree from Job. */
export function findBlockModel(name: string): BlockModel | undefined {
  const seen = new Set<BlockModel>();
  const visit = (b: BlockModel): BlockModel | undefined => {
    if (seen.has(b)) return undefined;
    seen.add(b);
    if (b.name === name) return b;
    for (const f of b.fields.values()) {
      if (f.kind === "block" || f.kind === "list" || f.kind === "map") {
        const r = visit(f.block);
        if (r) return r;
      }
    }
    return undefined;
  };
  return visit(JOB_MODEL);
}
