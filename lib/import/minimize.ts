/**
 * Leaves out of a job what Nomad would fill in anyway: a field is dropped
 * when the job's canonical form (`canonicalize`, Nomad's defaults) is the
 * same without it. Whole blocks are tried before their fields, so that a
 * restart policy equal to the default disappears in one step.
 */
import { canonicalJob, canonicalText } from "./canonical";
import { isObject as isObj } from "../util/object";
import { OPAQUE_KEYS } from "./opaque-keys";

type Obj = Record<string, unknown>;

/** Drops nulls and empty lists, which `canonicalize` drops anyway (Nomad: unset). */
function dropUnset(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropUnset);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    if (Array.isArray(x) && x.length === 0) continue;
    Object.defineProperty(out, k, { value: OPAQUE_KEYS.has(k) ? x : dropUnset(x), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Gives unnamed services the name Nomad gives them (`<job>-<group>-<task>`
 * for task services), since a DSL service always has a name.
 */
function nameServices(job: Obj, canonical: Obj): void {
  const list = (v: unknown): Obj[] => (Array.isArray(v) ? v : []);
  const name = (services: unknown, canon: unknown): void => {
    list(services).forEach((s, i) => {
      const c = list(canon)[i];
      if (isObj(s) && s.Name === undefined && isObj(c) && typeof c.Name === "string") s.Name = c.Name;
    });
  };
  list(job.TaskGroups).forEach((g, i) => {
    const cg = list(canonical.TaskGroups)[i];
    if (!isObj(g) || !isObj(cg)) return;
    name(g.Services, cg.Services);
    list(g.Tasks).forEach((t, j) => {
      const ct = list(cg.Tasks)[j];
      if (isObj(t) && isObj(ct)) name(t.Services, ct.Services);
    });
  });
}

/** Lists and maps whose items are identified by their `Name`. */
const NAMED = new Set(["TaskGroups", "Tasks", "Services", "Volumes", "Regions", "Identities", "Actions", "Secrets", "Devices"]);

/**
 * The job without the fields whose absence Nomad fills with the same value.
 * The result's canonical form is exactly the input's.
 */
export function minimizeJob(job: Obj, keep: ReadonlySet<string> = new Set()): Obj {
  const out = dropUnset(structuredClone(job)) as Obj;
  // Fields an HCL variable sets stay, so that the program keeps the variable (and the blocks around them).
  const kept = new Set<string>();
  for (const k of keep) {
    const parts = k.split(/(?<!\\)\./);
    for (let i = 1; i <= parts.length; i++) kept.add(parts.slice(0, i).join("."));
  }
  const target = canonicalText(out);
  const same = (): boolean => canonicalText(out) === target;
  const visit = (o: Obj, depth: number, parent: string, at: string): void => {
    for (const key of Object.keys(o)) {
      const here = (at ? `${at}.` : "") + key.replace(/\./g, "\\.");
      // The job's ID and the names of groups, tasks, services and volumes identify them; they are never dropped.
      if ((key === "ID" && depth === 0) || (key === "Name" && NAMED.has(parent))) continue;
      const value = o[key];
      if (!kept.has(here)) {
        delete o[key];
        if (same()) continue;
      }
      o[key] = value;
      if (OPAQUE_KEYS.has(key)) continue;
      if (isObj(value)) {
        if (key === "Volumes") {
          for (const [name, v] of Object.entries(value)) if (isObj(v)) visit(v, depth + 2, key, `${here}.${name.replace(/\./g, "\\.")}`);
        } else visit(value, depth + 1, key, here);
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isObj(item)) visit(item, depth + 1, key, `${here}.${i}`);
        });
      }
    }
  };
  visit(out, 0, "", "");
  nameServices(out, canonicalJob(out));
  return out;
}
