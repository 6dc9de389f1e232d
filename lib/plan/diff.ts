/**
 * `diffJobs`: a field-level diff of two normalized jobs. Objects are compared
 * key by key; arrays of named things (groups, tasks, services, checks, ports…)
 * are matched by name, not by position; an absent value equals its zero value
 * (null, false, "", 0, [], {}), as a Go struct's unset field does, so that
 * read-back noise never shows as a change.
 */
import { fieldAtPath, hasUserKeys } from "../jobspec";
import { formatPath, JobChange, PathSegment } from "./change";
import { classifyChange, JobLike, REPLACEMENT_FIELDS } from "./rules";
import { isObject } from "../util/object";

/**
 * Job-level blocks that Nomad does not store as such (`api/jobs.go`
 * `TaskGroup.Canonicalize` merges them into each group):
 * `Update` is merged into each group (only Stagger/MaxParallel stay, and
 * `Job.Diff` ignores it, `nomad/structs/diff.go`), `Reschedule` and `Migrate`
 * are merged into the groups, `ConsulNamespace` into the groups' Consul blocks.
 * Their effect shows in the groups, so the job-level copies are not compared.
 */
export const UNCOMPARED_JOB_FIELDS = new Set(["Update", "Reschedule", "Migrate", "ConsulNamespace"]);

/** The field that names elements of an array, by the array's key. */
const NAME_FIELDS: Record<string, string> = {
  TaskGroups: "Name",
  Tasks: "Name",
  Services: "Name",
  Checks: "Name",
  ReservedPorts: "Label",
  DynamicPorts: "Label",
  Links: "Label",
  Templates: "DestPath",
  VolumeMounts: "Destination",
  Artifacts: "GetterSource",
  Identities: "Name",
  Secrets: "Name",
  Actions: "Name",
  Regions: "Name",
  Devices: "Name",
  ScalingPolicies: "Type",
};

/** True for values a Go struct field holds when unset. */
export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "" || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.values(v as object).every(isZero);
  return false;
}

/** Deep equality with absent ≡ zero. */
export function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equalValues(x, b[i]));
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) if (!equalValues(a[k], b[k])) return false;
    for (const k of Object.keys(b)) if (!(k in a) && !isZero(b[k])) return false;
    return true;
  }
  return false;
}

/** The name field shared by all elements of both arrays, when every element has a distinct one. */
function nameFieldOf(key: string | undefined, a: unknown[], b: unknown[]): string | undefined {
  const candidates = [key ? NAME_FIELDS[key] : undefined, "Name", "Label"].filter((c): c is string => !!c);
  for (const field of candidates) {
    const names = (arr: unknown[]) =>
      arr.map((e) => (isObject(e) && typeof e[field] === "string" && e[field] !== "" ? (e[field] as string) : undefined));
    const na = names(a);
    const nb = names(b);
    if (na.includes(undefined) || nb.includes(undefined)) continue;
    if (new Set(na).size !== na.length || new Set(nb).size !== nb.length) continue;
    return field;
  }
  return undefined;
}

class Differ {
  readonly changes: JobChange[] = [];

  emit(segments: PathSegment[], kind: JobChange["kind"], oldV: unknown, newV: unknown): void {
    const top = segments[0];
    const forcesReplacement =
      segments.length === 1 &&
      typeof top === "string" &&
      (REPLACEMENT_FIELDS.has(top) || ((top === "Periodic" || top === "ParameterizedJob") && kind !== "update"));
    const change: JobChange = { path: formatPath(segments), segments, kind, forcesReplacement, effect: classifyChange(segments, kind) };
    if (kind !== "add") change.old = oldV;
    if (kind !== "remove") change.new = newV;
    this.changes.push(change);
  }

  value(segments: PathSegment[], desired: unknown, live: unknown, key: string | undefined): void {
    if (equalValues(desired, live)) return;
    if (isObject(desired) && isObject(live)) return this.object(segments, desired, live);
    // A map or an open object (lib/jobspec's model says which) is shown key by key even when the other side has none.
    if (key && (isObject(desired) || isObject(live)) && (isZero(desired) || isZero(live)) && hasUserKeys(fieldAtPath(segments))) {
      return this.object(segments, isObject(desired) ? desired : {}, isObject(live) ? live : {});
    }
    if (Array.isArray(desired) && Array.isArray(live) && desired.length && live.length) return this.array(segments, desired, live, key);
    if (isZero(live)) return this.emit(segments, "add", undefined, desired);
    if (isZero(desired)) return this.emit(segments, "remove", live, undefined);
    this.emit(segments, "update", live, desired);
  }

  object(segments: PathSegment[], desired: Record<string, unknown>, live: Record<string, unknown>): void {
    const keys = [...Object.keys(desired), ...Object.keys(live).filter((k) => !(k in desired))];
    for (const k of keys) this.value([...segments, k], desired[k], live[k], k);
  }

  array(segments: PathSegment[], desired: unknown[], live: unknown[], key: string | undefined): void {
    const primitives = [...desired, ...live].every((e) => !isObject(e) && !Array.isArray(e));
    if (primitives) return this.emit(segments, "update", live, desired);
    const nameField = nameFieldOf(key, desired, live);
    if (nameField) {
      const liveByName = new Map(live.map((e) => [(e as Record<string, unknown>)[nameField] as string, e]));
      const desiredNames = new Set<string>();
      for (const d of desired) {
        const name = (d as Record<string, unknown>)[nameField] as string;
        desiredNames.add(name);
        this.value([...segments, { name }], d, liveByName.get(name), undefined);
      }
      for (const [name, l] of liveByName) if (!desiredNames.has(name)) this.value([...segments, { name }], undefined, l, undefined);
      return;
    }
    if (desired.length === live.length) {
      desired.forEach((d, i) => this.value([...segments, i], d, live[i], undefined));
      return;
    }
    // Unnamed elements (constraints, affinities, spreads…) of different counts: a set difference.
    const unmatchedLive = live.slice();
    desired.forEach((d, i) => {
      const j = unmatchedLive.findIndex((l) => equalValues(d, l));
      if (j >= 0) unmatchedLive.splice(j, 1);
      else this.emit([...segments, i], "add", undefined, d);
    });
    for (const l of unmatchedLive) this.emit([...segments, live.indexOf(l)], "remove", l, undefined);
  }
}

/**
 * The field-level changes that turn `live` into `desired` (both normalized:
 * see `normalizeDesired`/`normalizeLive`). Empty when they are the same job.
 */
export function diffJobs(desired: JobLike, live: JobLike): JobChange[] {
  const d = new Differ();
  const keys = [...Object.keys(desired), ...Object.keys(live).filter((k) => !(k in desired))];
  for (const k of keys) {
    if (UNCOMPARED_JOB_FIELDS.has(k)) continue;
    d.value([k], desired[k], live[k], k);
  }
  // Changes that force a new job come first; the rest keep the job's key order.
  return [...d.changes.filter((c) => c.forcesReplacement), ...d.changes.filter((c) => !c.forcesReplacement)];
}
