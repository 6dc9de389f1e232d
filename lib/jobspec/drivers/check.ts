/**
 * The check of a task's driver config against its driver's schema
 * (registry.ts): unknown keys with a did-you-mean, wrong types, required
 * keys. Its declarations do not mention zod.
 */
import type { z } from "zod";
import { describeValue } from "../schema/primitives";
import { closestName } from "../keys";
import type { JobProblem } from "../problem";
import { formatPath } from "../problem";
import { DRIVER_CONFIG_SCHEMAS } from "./registry";

/** The names of the drivers whose config drover checks. */
export function checkedDrivers(): string[] {
  return Object.keys(DRIVER_CONFIG_SCHEMAS);
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  out?: z.ZodType;
  in?: z.ZodType;
  schema?: z.ZodType;
  checks?: unknown[];
}

function defOf(s: z.ZodType): ZodDefLike {
  return s._zod.def as ZodDefLike;
}

/** The keys an object schema at `path` (within `schema`) accepts, following objects, lists, optionals and the block wrappers. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  let i = 0;
  for (let guard = 0; s && guard < 100; guard++) {
    const d = defOf(s);
    if (d.type === "optional" || d.type === "nullable" || d.type === "default") s = d.innerType;
    else if (d.type === "pipe") s = d.out;
    else if (d.type === "union")
      s = d.options?.find((o) => defOf(o).type === "array" || defOf(o).type === "object" || defOf(o).type === "record");
    else if (i >= path.length) return d.type === "object" && d.shape ? Object.keys(d.shape) : [];
    else if (d.type === "object") s = d.shape?.[String(path[i++])];
    else if (d.type === "array") {
      if (typeof path[i] === "number") i++;
      s = d.element;
    } else if (d.type === "record") {
      i++;
      s = undefined;
    } else return [];
  }
  return [];
}

/** How a top-level key is checked on the fast path: a plain value, a list of plain values, or only by zod. */
type FastKind = "primitive" | "primitiveList" | "slow";

/** Per driver: each top-level key's fast kind and the required keys, derived from the zod schema. */
const FAST = new Map<string, { keys: Map<string, FastKind>; required: string[] } | null>();

function unwrapOptional(s: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner = s;
  let optional = false;
  for (let d = defOf(inner); d.type === "optional" && d.innerType; d = defOf(inner)) {
    optional = true;
    inner = d.innerType;
  }
  return { inner, optional };
}

function isPrimitiveUnion(s: z.ZodType): boolean {
  const d = defOf(s);
  return (
    d.type === "union" &&
    !!d.options?.every((o) => defOf(o).type === "string" || defOf(o).type === "number" || defOf(o).type === "boolean") &&
    !!d.options.some((o) => defOf(o).type === "string")
  );
}

/** The fast-path table of a driver's schema, or null when it is not a plain object schema. */
function fastTable(driver: string, schema: z.ZodType): { keys: Map<string, FastKind>; required: string[] } | null {
  if (FAST.has(driver)) return FAST.get(driver)!;
  const d = defOf(schema);
  let table: { keys: Map<string, FastKind>; required: string[] } | null = null;
  // Schemas with checks of their own (java's "class or jar_path") always go through zod.
  if (d.type === "object" && d.shape && !d.checks?.length) {
    const keys = new Map<string, FastKind>();
    const required: string[] = [];
    for (const [k, v] of Object.entries(d.shape)) {
      const { inner, optional } = unwrapOptional(v);
      if (!optional) required.push(k);
      const id = defOf(inner);
      keys.set(
        k,
        isPrimitiveUnion(inner) && id.options!.length === 3
          ? "primitive"
          : id.type === "array" && id.element && isPrimitiveUnion(id.element)
            ? "primitiveList"
            : "slow",
      );
    }
    table = { keys, required };
  }
  FAST.set(driver, table);
  return table;
}

const isPlain = (v: unknown): boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/**
 * True when the config certainly passes its schema without running zod: every
 * key known, every value a plain string, number or boolean (or a list of
 * them) where the schema accepts any of those, every required key present.
 * Most configs (image, command, args, ports) take this path.
 */
function passesFast(driver: string, schema: z.ZodType, config: unknown): boolean {
  const table = fastTable(driver, schema);
  if (!table || config === null || typeof config !== "object" || Array.isArray(config)) return false;
  const c = config as Record<string, unknown>;
  for (const key in c) {
    const kind = table.keys.get(key);
    const v = c[key];
    if (kind === "primitive" ? !isPlain(v) : kind === "primitiveList" ? !(Array.isArray(v) && v.every(isPlain)) : true) return false;
  }
  for (const key of table.required) if (c[key] === undefined) return false;
  return true;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

/**
 * Checks one task's driver config against the driver's schema: unknown keys
 * (with a did-you-mean), values of the wrong type, required keys. `at` is
 * the path of the `Config` map (`["Job", "TaskGroups", 0, "Tasks", 0, "Config"]`).
 * Unknown drivers give no problems. A task without a `Config` (absent or
 * null) is checked as an empty one, as Nomad's client decodes it at task
 * start (a null body has no attributes, so a docker task without a config
 * fails there for want of `image`).
 */
export function checkDriverConfig(driver: string, config: unknown, at: readonly (string | number)[]): JobProblem[] {
  const schema = DRIVER_CONFIG_SCHEMAS[driver];
  if (!schema) return [];
  if (config === undefined || config === null) config = {};
  if (passesFast(driver, schema, config)) return [];
  const r = schema.safeParse(config);
  if (r.success) return [];
  const out: JobProblem[] = [];
  for (const issue of r.error.issues) {
    const rel = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    if (issue.code === "unrecognized_keys") {
      const known = keysAt(schema, issue.path);
      for (const key of issue.keys) {
        const near = closestName(key, known);
        const segments = [...at, ...rel, key];
        out.push({
          path: formatPath(segments),
          segments,
          message: `unknown ${driver} config key ${JSON.stringify(key)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; Nomad refuses it when the task starts`,
          rule: "driver.config.unknown",
        });
      }
      continue;
    }
    const segments = [...at, ...rel];
    const value = valueAt(config, issue.path);
    const parent = valueAt(config, issue.path.slice(0, -1));
    const missing =
      value === undefined &&
      issue.path.length > 0 &&
      parent !== null &&
      typeof parent === "object" &&
      !Object.prototype.hasOwnProperty.call(parent, issue.path[issue.path.length - 1]);
    if (missing && issue.code !== "custom") {
      out.push({
        path: formatPath(segments),
        segments,
        message: `the ${driver} driver requires ${JSON.stringify(String(rel[rel.length - 1]))} in its config`,
        rule: "driver.config.required",
      });
      continue;
    }
    const why = issue.message.startsWith("must ") || issue.message.startsWith("one of") ? issue.message : `invalid value: ${issue.message}`;
    const required = issue.code === "custom" && why.includes("required");
    out.push({
      path: formatPath(segments),
      segments,
      message: value === undefined ? `${why}` : `${why} (got ${describeValue(value)})`,
      rule: required ? "driver.config.required" : "driver.config.type",
    });
  }
  return out;
}

/** Checks the driver config of every task of a job (a bare job object, as validated); paths start at `Job`. */
export function checkJobDriverConfigs(job: unknown): JobProblem[] {
  const out: JobProblem[] = [];
  const groups = (job as { TaskGroups?: unknown })?.TaskGroups;
  if (!Array.isArray(groups)) return out;
  groups.forEach((g, gi) => {
    const tasks = (g as { Tasks?: unknown })?.Tasks;
    if (!Array.isArray(tasks)) return;
    tasks.forEach((t, ti) => {
      const task = t as { Driver?: unknown; Config?: unknown };
      if (typeof task?.Driver === "string")
        out.push(...checkDriverConfig(task.Driver, task.Config, ["Job", "TaskGroups", gi, "Tasks", ti, "Config"]));
    });
  });
  return out;
}
