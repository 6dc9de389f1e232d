import type { JsonObject, JsonValue } from "./json";

/**
 * Splits an override path on dots. A dot that is part of a key is written
 * `\.` (docker labels such as `Config.labels.com\.example\.team`).
 * Throws on an empty path or an empty segment.
 */
export function splitOverridePath(path: string): string[] {
  if (typeof path !== "string" || path === "")
    throw new Error(`override path must be a non-empty string such as "Config.privileged", got ${JSON.stringify(path)}`);
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === "\\" && path[i + 1] === ".") {
      cur += ".";
      i++;
    } else if (c === ".") {
      out.push(cur);
      cur = "";
    } else {
      cur += c;
    }
  }
  out.push(cur);
  if (out.some((s) => s === "")) throw new Error(`override path ${JSON.stringify(path)} has an empty segment`);
  return out;
}

function isIndex(seg: string): boolean {
  return /^(0|[1-9]\d*)$/.test(seg);
}

type Container = JsonObject | JsonValue[];

function child(parent: Container, seg: string): JsonValue | undefined {
  if (Array.isArray(parent)) return isIndex(seg) ? parent[Number(seg)] : undefined;
  return Object.prototype.hasOwnProperty.call(parent, seg) ? parent[seg] : undefined;
}

function setChild(parent: Container, seg: string, value: JsonValue, path: string): void {
  if (Array.isArray(parent)) {
    if (!isIndex(seg) || Number(seg) > parent.length)
      throw new Error(`override path ${JSON.stringify(path)}: "${seg}" is not an index of a list of ${parent.length}`);
    parent[Number(seg)] = value;
  } else {
    parent[seg] = value;
  }
}

/**
 * Sets `value` at a dot path inside `target`, creating objects (or lists,
 * when the next segment is a number) on the way. Numeric segments index
 * lists (`TaskGroups.0.Tasks.1.Config.privileged`). Mutates `target`.
 */
export function applyOverride(target: JsonObject, path: string, value: JsonValue): void {
  const segs = splitOverridePath(path);
  let cur: Container = target;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = child(cur, segs[i]);
    if (next !== null && typeof next === "object") {
      cur = next;
      continue;
    }
    if (next !== undefined && next !== null)
      throw new Error(
        `override path ${JSON.stringify(path)}: "${segs.slice(0, i + 1).join(".")}" is ${JSON.stringify(next)}, not an object or list`,
      );
    const created: Container = isIndex(segs[i + 1]) ? [] : {};
    setChild(cur, segs[i], created, path);
    cur = created;
  }
  setChild(cur, segs[segs.length - 1], value, path);
}

/**
 * Removes the value at a dot path inside `target` (a list element is spliced
 * out). A path that does not exist is ignored. Mutates `target`.
 */
export function applyDeletion(target: JsonObject, path: string): void {
  const segs = splitOverridePath(path);
  let cur: Container = target;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = child(cur, segs[i]);
    if (next === null || typeof next !== "object") return;
    cur = next;
  }
  const last = segs[segs.length - 1];
  if (Array.isArray(cur)) {
    if (isIndex(last) && Number(last) < cur.length) cur.splice(Number(last), 1);
  } else {
    delete cur[last];
  }
}
