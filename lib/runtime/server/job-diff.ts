/**
 * The job diff `/v1/job/:id/plan` returns (Nomad's `structs.JobDiff`,
 * `nomad/structs/diff.go`), and the plan annotations added to it
 * (`scheduler/annotate.go`).
 *
 * Fields are compared as Nomad prints them: values become strings (numbers
 * in decimal, durations in nanoseconds, booleans as "true"/"false", "" when
 * absent); maps of scalars become `Name[key]` fields; lists of scalars and
 * nested blocks become objects named in the singular (`Constraint`,
 * `Service`, `Datacenters`…); lists of blocks are compared as sets, one
 * object per added or deleted element. Task groups and tasks are matched by
 * name. Unchanged fields are left out, except that every task group is
 * listed so that its plan annotations have a home.
 */
import type { DesiredUpdates, PlanAnnotations, StoredJob } from "../structs";
import { SERVER_OWNED_JOB_FIELDS, canonicalJson } from "./job-spec";

// The diff's wire shapes are Nomad's API types, shared with drover's client.
import type { DiffType, FieldDiff, JobDiff, ObjectDiff, TaskDiff, TaskGroupDiff } from "../../api/types/diff";
export type { DiffType, FieldDiff, JobDiff, ObjectDiff, TaskDiff, TaskGroupDiff };

type Obj = Record<string, unknown>;

/** Nomad's singular object names for list-valued blocks. */
const SINGULAR: Record<string, string> = {
  Constraints: "Constraint",
  Affinities: "Affinity",
  Spreads: "Spread",
  Services: "Service",
  Checks: "Check",
  Networks: "Network",
  Templates: "Template",
  Artifacts: "Artifact",
  VolumeMounts: "VolumeMount",
  ReservedPorts: "Static Port",
  DynamicPorts: "Dynamic Port",
  SpreadTarget: "SpreadTarget",
  Identities: "Identity",
  Devices: "Device",
};

/** Job fields Nomad's `Job.Diff` ignores. */
const JOB_IGNORED = new Set<string>([...SERVER_OWNED_JOB_FIELDS, "ID", "Update", "TaskGroups"]);

/** Task fields whose change Nomad's annotator does not count as destructive. */
const IN_PLACE_TASK_OBJECTS = new Set(["Service", "Constraint", "Affinity", "Spread", "LogConfig"]);

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function str(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (isScalar(v)) return String(v);
  return canonicalJson(v);
}

function isPlainObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOf(oldV: unknown, newV: unknown): DiffType {
  const o = oldV !== undefined && oldV !== null;
  const n = newV !== undefined && newV !== null;
  if (!o && n) return "Added";
  if (o && !n) return "Deleted";
  return canonicalJson(oldV) === canonicalJson(newV) ? "None" : "Edited";
}

function field(name: string, oldV: unknown, newV: unknown): FieldDiff | null {
  const o = str(oldV);
  const n = str(newV);
  if (o === n) return null;
  return { Type: o === "" ? "Added" : n === "" ? "Deleted" : "Edited", Name: name, Old: o, New: n, Annotations: null };
}

function nonEmpty<T>(list: T[]): T[] | null {
  return list.length ? list : null;
}

/** Flattens a value into `prefix`-named scalar fields (`args[0]`, `Meta[k]`, `port_map[0][http]`). */
function flatten(prefix: string, v: unknown, out: Map<string, string>): void {
  if (v === undefined || v === null) return;
  if (isScalar(v)) out.set(prefix, String(v));
  else if (Array.isArray(v)) v.forEach((x, i) => flatten(`${prefix}[${i}]`, x, out));
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}[${k}]` : k, x, out);
}

function flatFields(oldV: unknown, newV: unknown): FieldDiff[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten("", oldV, a);
  flatten("", newV, b);
  const out: FieldDiff[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const f = field(k, a.get(k), b.get(k));
    if (f) out.push(f);
  }
  return out;
}

/** Diffs the fields and nested blocks of two objects (either may be missing). */
function diffBody(oldO: Obj | undefined, newO: Obj | undefined, skip: Set<string>): { fields: FieldDiff[]; objects: ObjectDiff[] } {
  const fields: FieldDiff[] = [];
  const objects: ObjectDiff[] = [];
  const keys = [...new Set([...Object.keys(oldO ?? {}), ...Object.keys(newO ?? {})])].sort();
  for (const k of keys) {
    if (skip.has(k)) continue;
    const a = oldO?.[k];
    const b = newO?.[k];
    if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) continue;
    const sample = b ?? a;
    if (isScalar(sample) || sample === null || sample === undefined) {
      const f = field(k, a, b);
      if (f) fields.push(f);
    } else if (k === "Config" || k === "Options") {
      objects.push({ Type: typeOf(a, b), Name: k, Fields: nonEmpty(flatFields(a, b)), Objects: null });
    } else if (isPlainObject(sample) && Object.values(sample).every((x) => isScalar(x) || x === null) && (k === "Meta" || k === "Env")) {
      const a2 = new Map<string, string>();
      const b2 = new Map<string, string>();
      for (const [mk, mv] of Object.entries((a as Obj) ?? {})) a2.set(`${k}[${mk}]`, str(mv));
      for (const [mk, mv] of Object.entries((b as Obj) ?? {})) b2.set(`${k}[${mk}]`, str(mv));
      for (const name of [...new Set([...a2.keys(), ...b2.keys()])].sort()) {
        const f = field(name, a2.get(name), b2.get(name));
        if (f) fields.push(f);
      }
    } else if (Array.isArray(sample) && sample.every((x) => isScalar(x))) {
      const as = new Set(((a as unknown[]) ?? []).map(str));
      const bs = new Set(((b as unknown[]) ?? []).map(str));
      const fs: FieldDiff[] = [];
      for (const x of bs) if (!as.has(x)) fs.push({ Type: "Added", Name: k, Old: "", New: x, Annotations: null });
      for (const x of as) if (!bs.has(x)) fs.push({ Type: "Deleted", Name: k, Old: x, New: "", Annotations: null });
      if (fs.length) objects.push({ Type: typeOf(a, b), Name: k, Fields: fs, Objects: null });
    } else if (Array.isArray(sample)) {
      const name = SINGULAR[k] ?? k;
      const as = new Map(((a as unknown[]) ?? []).map((x) => [canonicalJson(x), x]));
      const bs = new Map(((b as unknown[]) ?? []).map((x) => [canonicalJson(x), x]));
      for (const [key, x] of bs) if (!as.has(key)) objects.push(objectDiff(name, undefined, x as Obj));
      for (const [key, x] of as) if (!bs.has(key)) objects.push(objectDiff(name, x as Obj, undefined));
    } else if (isPlainObject(sample)) {
      objects.push(objectDiff(k, a as Obj | undefined, b as Obj | undefined));
    }
  }
  return { fields, objects };
}

function objectDiff(name: string, oldO: Obj | undefined, newO: Obj | undefined): ObjectDiff {
  const { fields, objects } = diffBody(oldO, newO, new Set());
  return { Type: typeOf(oldO, newO), Name: name, Fields: nonEmpty(fields), Objects: nonEmpty(objects) };
}

function byName(list: unknown): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const x of (list as Obj[] | null | undefined) ?? []) m.set(String(x.Name), x);
  return m;
}

function taskDiff(name: string, oldT: Obj | undefined, newT: Obj | undefined): TaskDiff {
  const { fields, objects } = diffBody(oldT, newT, new Set(["Name"]));
  const type = !oldT ? "Added" : !newT ? "Deleted" : fields.length || objects.length ? "Edited" : "None";
  return { Type: type, Name: name, Fields: nonEmpty(fields), Objects: nonEmpty(objects), Annotations: null };
}

function groupDiff(name: string, oldG: Obj | undefined, newG: Obj | undefined): TaskGroupDiff {
  const { fields, objects } = diffBody(oldG, newG, new Set(["Name", "Tasks"]));
  const a = byName(oldG?.Tasks);
  const b = byName(newG?.Tasks);
  const tasks: TaskDiff[] = [];
  for (const t of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const d = taskDiff(t, a.get(t), b.get(t));
    if (d.Type !== "None") tasks.push(d);
  }
  const type = !oldG ? "Added" : !newG ? "Deleted" : fields.length || objects.length || tasks.length ? "Edited" : "None";
  return { Type: type, Name: name, Fields: nonEmpty(fields), Objects: nonEmpty(objects), Tasks: nonEmpty(tasks), Updates: null };
}

/** Diffs the stored job (null for a new job) against the proposed one. */
export function jobDiff(oldJob: StoredJob | null, newJob: StoredJob): JobDiff {
  const o: Obj | null = oldJob;
  const n: Obj = newJob;
  const { fields, objects } = diffBody(o ?? undefined, n, JOB_IGNORED);
  const a = byName(o?.TaskGroups);
  const b = byName(n.TaskGroups);
  const groups: TaskGroupDiff[] = [];
  for (const g of [...new Set([...a.keys(), ...b.keys()])].sort()) groups.push(groupDiff(g, a.get(g), b.get(g)));
  const edited = fields.length > 0 || objects.length > 0 || groups.some((g) => g.Type !== "None");
  return {
    Type: !oldJob ? "Added" : edited ? "Edited" : "None",
    ID: newJob.ID,
    Fields: nonEmpty(fields),
    Objects: nonEmpty(objects),
    TaskGroups: nonEmpty(groups),
  };
}

const UPDATE_KEYS: [keyof DesiredUpdates, string][] = [
  ["Ignore", "ignore"],
  ["Place", "create"],
  ["Stop", "destroy"],
  ["Migrate", "migrate"],
  ["Canary", "canary"],
  ["InPlaceUpdate", "in-place update"],
  ["DestructiveUpdate", "create/destroy update"],
];

/** Adds Nomad's plan annotations (`scheduler.Annotate`) to a diff: group update counts, count and task annotations. */
export function annotateJobDiff(diff: JobDiff, annotations: PlanAnnotations | null): void {
  for (const g of diff.TaskGroups ?? []) {
    const desired = annotations?.DesiredTGUpdates?.[g.Name];
    if (desired) {
      const updates: Record<string, number> = {};
      for (const [k, label] of UPDATE_KEYS) if (desired[k]) updates[label] = desired[k];
      g.Updates = Object.keys(updates).length ? updates : null;
    }
    for (const f of g.Fields ?? [])
      if (f.Name === "Count" && f.Type === "Edited") f.Annotations = [Number(f.New) > Number(f.Old) ? "forces create" : "forces destroy"];
    for (const t of g.Tasks ?? []) {
      if (g.Type === "Added" || t.Type === "Added") t.Annotations = ["forces create"];
      else if (g.Type === "Deleted" || t.Type === "Deleted") t.Annotations = ["forces destroy"];
      else if (t.Type === "Edited") {
        const destructive =
          (t.Fields ?? []).some((f) => f.Name !== "KillTimeout") || (t.Objects ?? []).some((o) => !IN_PLACE_TASK_OBJECTS.has(o.Name));
        t.Annotations = [destructive ? "forces create/destroy update" : "forces in-place update"];
      }
    }
  }
}
