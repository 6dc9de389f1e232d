/**
 * The vocabulary of a local job diff: one `JobChange` per changed field or
 * block, with its path and what Nomad will have to do about it.
 */

/** A path segment: an object key, or the name (Name/Label/…) of an element of a named array, or an index. */
export type PathSegment = string | number | { name: string };

/** What kind of change a field has. */
export type ChangeKind = "add" | "remove" | "update";

/**
 * What the change makes Nomad do (`scheduler/util.go tasksUpdated`).
 * This is drover's reading of the rules, for display; the authoritative counts
 * come from the server's plan (`DesiredTGUpdates`).
 * - `replace`: a new job is needed (ID, Namespace, Region, Type, periodic/parameterized).
 * - `destructive`: allocations are replaced (stop + place).
 * - `in-place`: running allocations are updated without restart.
 * - `scale`: a group's Count changes (placements or stops, not an update).
 * - `create` / `destroy`: a whole group appears or disappears.
 */
export type ChangeEffect = "replace" | "destructive" | "in-place" | "scale" | "create" | "destroy";

/** One changed field or block between the desired and the live job. */
export interface JobChange {
  /** Printable path, e.g. `TaskGroups[cache].Tasks[redis].Resources.MemoryMB`. */
  path: string;
  /** The path as segments. */
  segments: PathSegment[];
  /** add (only desired has it), remove (only live has it), update (both, different). */
  kind: ChangeKind;
  /** The live value (undefined for add). */
  old?: unknown;
  /** The desired value (undefined for remove). */
  new?: unknown;
  /** True when the change can only be made by deregistering and registering a new job. */
  forcesReplacement: boolean;
  /** What the change makes Nomad do. */
  effect: ChangeEffect;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Formats segments as a path: keys as `.Key` (or `["odd key"]`), named elements as `[name]`, indexes as `[0]`. */
export function formatPath(segments: PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (typeof s === "object") out += `[${s.name}]`;
    else if (IDENT.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
