/**
 * A JSON path of a job walked through the job model: the field the path
 * leads to, and which of its keys the user chose (keys of maps such as Meta
 * or a group's Volumes, keys inside open objects such as a driver's Config)
 * rather than the model. The DSL (locating a problem in the user's props) and
 * lib/plan (the diff, durations in the plan) read a job's shape from here,
 * so that neither keeps its own list of map keys.
 */
import { JOB_MODEL } from "./model";
import type { BlockModel, FieldKind } from "./model";

/** One step of a JSON path in a job: an object key, a list index, or a list element by its name (as lib/plan's diff names them). */
export type ModelPathSegment = string | number | { readonly name: string };

/**
 * True when `field` holds an object whose keys the user chooses: a map
 * (Meta, Env, a check's Header, a group's Volumes) or an open JSON object (a
 * task's driver Config, a scaling Policy). False for undefined.
 */
export function hasUserKeys(field: FieldKind | undefined): boolean {
  return field !== undefined && (field.kind === "map" || field.kind === "scalarMap" || field.kind === "opaque");
}

/** What a walk has reached: a block (with the field that holds it, if any), a field that is no block, the inside of an open object, or nothing the model knows. */
type Position = { at: "block"; block: BlockModel; field?: FieldKind } | { at: "field"; field: FieldKind } | { at: "open" } | { at: "none" };

const NONE: Position = { at: "none" };
const OPEN: Position = { at: "open" };

function isIndex(seg: ModelPathSegment): boolean {
  return typeof seg !== "string" || /^\d+$/.test(seg);
}

/** The position a field of a block leads to. */
function enter(field: FieldKind): Position {
  return field.kind === "block" ? { at: "block", block: field.block, field } : { at: "field", field };
}

/** One step of a walk: where `seg` leads from `pos`, and whether `seg` is a key the user chose. */
function step(pos: Position, seg: ModelPathSegment): { pos: Position; userKey: boolean } {
  if (pos.at === "none") return { pos: NONE, userKey: false };
  if (pos.at === "open") return { pos: OPEN, userKey: typeof seg === "string" };
  if (pos.at === "block") {
    const field = typeof seg === "string" ? pos.block.fields.get(seg) : undefined;
    return { pos: field ? enter(field) : NONE, userKey: false };
  }
  const f = pos.field;
  switch (f.kind) {
    case "list":
      return { pos: isIndex(seg) ? { at: "block", block: f.block } : NONE, userKey: false };
    case "opaqueList":
      return { pos: isIndex(seg) ? OPEN : NONE, userKey: false };
    case "map":
      return typeof seg === "string" ? { pos: { at: "block", block: f.block }, userKey: true } : { pos: NONE, userKey: false };
    case "scalarMap":
      return { pos: NONE, userKey: typeof seg === "string" };
    case "opaque":
      return { pos: OPEN, userKey: typeof seg === "string" };
    default:
      return { pos: NONE, userKey: false };
  }
}

/**
 * For each segment of `path` (a JSON path from the job, without the `Job`
 * wrapper of a register request), true when it is a key the user chose: a
 * key of a map, or any key inside an open object. Keys the model does not
 * know count as the model's.
 */
export function userKeysOf(path: readonly ModelPathSegment[]): boolean[] {
  const out: boolean[] = [];
  let pos: Position = { at: "block", block: JOB_MODEL };
  for (const seg of path) {
    const next = step(pos, seg);
    out.push(next.userKey);
    pos = next.pos;
  }
  return out;
}

/**
 * The field `path` (from the job) leads to: e.g. `["TaskGroups", 0, "Meta"]`
 * is TaskGroup's Meta field. Undefined for the job itself, a list element, a
 * map entry, anything inside an open object and anything the model does not know.
 */
export function fieldAtPath(path: readonly ModelPathSegment[]): FieldKind | undefined {
  let pos: Position = { at: "block", block: JOB_MODEL };
  for (const seg of path) pos = step(pos, seg).pos;
  return pos.at === "field" || pos.at === "block" ? pos.field : undefined;
}
