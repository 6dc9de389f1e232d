/**
 * The shape pass of validateJob, compiled from the zod schemas: one walk
 * over the job that checks every value's type against the model derived
 * from the schemas (model.ts) with the schemas' own messages, and every key
 * (unknown, duplicated in another case, ignored by Nomad).
 *
 * It exists for speed: it reports exactly what `JobSchema.safeParse` reports
 * (the test suite checks this on thousands of mutated jobs), at a fraction
 * of the cost, and without copying the job.
 */
import { IGNORED_KEYS, suggestKey } from "./keys";
import type { BlockModel, FieldKind, ScalarSpec } from "./model";
import { JOB_MODEL } from "./model";
import type { RuleContext } from "./rules/context";
import { isObj, q } from "./rules/context";
import {
  booleanMessage,
  describeValue,
  durationMessage,
  enumMessage,
  intMessage,
  listError,
  mapValueMessage,
  negativeDurationMessage,
  objectError,
  stringMessage,
} from "./schema/primitives";

const MAX_DEPTH = 64;

/** Why `v` does not fit `spec`, or undefined when it does. */
function scalarProblem(v: unknown, spec: ScalarSpec): string | undefined {
  switch (spec.type) {
    case "string":
      return typeof v === "string" ? undefined : stringMessage(v);
    case "boolean":
      return typeof v === "boolean" ? undefined : booleanMessage(v);
    case "int":
      if (!Number.isSafeInteger(v)) return intMessage({ input: v });
      return spec.min !== undefined && (v as number) < spec.min ? `must not be negative (got ${String(v)})` : undefined;
    case "duration":
      if (!Number.isSafeInteger(v)) return durationMessage({ input: v });
      return (v as number) < 0 ? negativeDurationMessage(v as number) : undefined;
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? undefined : `must be a number (got ${describeValue(v)})`;
    case "enum":
      return typeof v === "string" && spec.values.includes(v) ? undefined : enumMessage(spec.values, v);
  }
}

function isSet(v: unknown): boolean {
  if (v === null || v === undefined || v === "" || v === 0 || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

/** Checks a field's (non-null) value; `path` is a stack ending at the field. */
function checkField(ctx: RuleContext, v: unknown, kind: FieldKind, path: (string | number)[], depth: number): void {
  switch (kind.kind) {
    case "scalar": {
      const p = scalarProblem(v, kind.scalar);
      if (p) ctx.error(path.slice(), "schema.type", p);
      return;
    }
    case "block":
      checkBlock(ctx, v, kind.block, path, depth + 1);
      return;
    case "list":
    case "scalarList":
    case "opaqueList": {
      if (!Array.isArray(v)) {
        ctx.error(path.slice(), "schema.type", listError({ input: v }));
        return;
      }
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const x = v[i];
        if (kind.kind === "list") checkBlock(ctx, x, kind.block, path, depth + 1);
        else if (kind.kind === "opaqueList") {
          if (!isObj(x)) ctx.error(path.slice(), "schema.type", objectError({ input: x }));
        } else {
          const p = scalarProblem(x, kind.scalar);
          if (p) ctx.error(path.slice(), "schema.type", p);
        }
        path.pop();
      }
      return;
    }
    case "map":
    case "scalarMap": {
      if (!isObj(v)) {
        ctx.error(path.slice(), "schema.type", objectError({ input: v }));
        return;
      }
      for (const k of Object.keys(v)) {
        path.push(k);
        const x = v[k];
        if (kind.kind === "map") checkBlock(ctx, x, kind.block, path, depth + 1);
        else if (kind.valueList) checkField(ctx, x, { kind: "scalarList", scalar: kind.scalar }, path, depth + 1);
        else if (typeof x !== "string")
          ctx.error(path.slice(), "schema.type", kind.scalar.type === "string" ? mapValueMessage(x) : stringMessage(x));
        path.pop();
      }
      return;
    }
    case "opaque":
      if (!isObj(v)) ctx.error(path.slice(), "schema.type", objectError({ input: v }));
      return;
  }
}

/** Checks a block: it must be an object; each known field is checked, each unknown key reported. */
function checkBlock(ctx: RuleContext, value: unknown, model: BlockModel, path: (string | number)[], depth: number): void {
  if (!isObj(value)) {
    ctx.error(path.slice(), "schema.type", objectError({ input: value }));
    return;
  }
  if (depth > MAX_DEPTH) return;
  const keys = model.keys;
  const ignored = IGNORED_KEYS[model.name];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const v = value[key];
    if (v === null || v === undefined) continue;
    path.push(key);
    if (ignored !== undefined && ignored[key] !== undefined && isSet(v)) ctx.warn(path.slice(), "key.ignored", ignored[key]);
    checkField(ctx, v, model.fields.get(key)!, path, depth);
    path.pop();
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key) || model.fields.has(key)) continue;
    const known = model.byLowerCase.get(key.toLowerCase());
    if (known !== undefined && Object.prototype.hasOwnProperty.call(value, known)) {
      ctx.error(
        [...path, key],
        "key.case-duplicate",
        `key ${q(key)} duplicates ${q(known)} in a different case; Nomad matches keys case-insensitively and would use only one of them`,
      );
    } else {
      const hint = suggestKey(key, model);
      const why =
        known !== undefined
          ? "; Nomad's decoder would accept it case-insensitively, but drover requires the exact key"
          : "; Nomad would silently ignore it";
      ctx.error([...path, key], "key.unknown", `unknown key ${q(key)}${hint ? ` (did you mean ${q(hint)}?)` : ""} in ${model.name}${why}`);
    }
  }
}

/**
 * Checks the shape and keys of a job (an object), recording type errors,
 * unknown and case-duplicated keys in `ctx.problems` and ignored keys in
 * `ctx.warnings`, with paths relative to the job.
 */
export function checkShape(ctx: RuleContext, job: Record<string, unknown>): void {
  checkBlock(ctx, job, JOB_MODEL, [], 0);
}
