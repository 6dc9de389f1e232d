/**
 * The structural job diff Nomad returns from `/v1/job/:id/plan` (with
 * `Diff: true`) and `/v1/job/:id/versions?diffs=true` (`nomad/structs/diff.go`,
 * `api/jobs.go`).
 */

/** What happened to a field or object. */
export type DiffType = "Added" | "Deleted" | "Edited" | "None";

/** A changed primitive field. Old and New are strings: ints in decimal, durations in ns, bools "true"/"false", "" when absent. */
export interface FieldDiff {
  /** Added, Deleted, Edited or None. */
  Type: DiffType;
  /** Flattened field name, e.g. `Count`, `Meta[key]`, `args[0]`. */
  Name: string;
  /** Previous value as a string. */
  Old: string;
  /** New value as a string. */
  New: string;
  /** Scheduler annotations, e.g. "forces create", "forces destroy". */
  Annotations: string[] | null;
}

/** A changed nested object, e.g. `Constraint`, `Update`, `Resources`, `Config`. */
export interface ObjectDiff {
  /** Added, Deleted, Edited or None. */
  Type: DiffType;
  /** Object name, e.g. `RestartPolicy`. */
  Name: string;
  /** Changed fields of the object. */
  Fields: FieldDiff[] | null;
  /** Changed sub-objects. */
  Objects: ObjectDiff[] | null;
}

/** A changed task. */
export interface TaskDiff {
  /** Added, Deleted, Edited or None. */
  Type: DiffType;
  /** Task name. */
  Name: string;
  /** Changed fields. */
  Fields: FieldDiff[] | null;
  /** Changed objects. */
  Objects: ObjectDiff[] | null;
  /** Scheduler annotations: "forces create", "forces destroy", "forces in-place update", "forces create/destroy update". */
  Annotations: string[] | null;
}

/** A changed task group. */
export interface TaskGroupDiff {
  /** Added, Deleted, Edited or None. */
  Type: DiffType;
  /** Group name. */
  Name: string;
  /** Changed fields. */
  Fields: FieldDiff[] | null;
  /** Changed objects. */
  Objects: ObjectDiff[] | null;
  /** Changed tasks. */
  Tasks: TaskDiff[] | null;
  /** What the scheduler will do, by kind ("create", "destroy", "in-place update", "create/destroy update", "canary", "migrate", "ignore") → count. */
  Updates: Record<string, number> | null;
}

/** The diff of a whole job. `Type` "None" means no change. */
export interface JobDiff {
  /** Added (new job), Deleted, Edited or None. */
  Type: DiffType;
  /** Job ID. */
  ID: string;
  /** Changed job fields. */
  Fields: FieldDiff[] | null;
  /** Changed job objects. */
  Objects: ObjectDiff[] | null;
  /** Changed groups. */
  TaskGroups: TaskGroupDiff[] | null;
}
