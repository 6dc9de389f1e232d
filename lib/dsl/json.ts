/**
 * The JSON values the DSL renders. The shape of a job is described once, by
 * lib/jobspec's schemas; the DSL builds plain JSON and has it validated there.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object: one rendered Nomad block, with Nomad's PascalCase keys. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * Builds a JSON object from entries, leaving out every key whose value is
 * `undefined` (unset props are not emitted: Nomad fills its own defaults).
 * Returns `undefined` when nothing is left, so that an empty block is not emitted.
 */
export function block(entries: Record<string, JsonValue | undefined>): JsonObject | undefined {
  const out: JsonObject = {};
  let any = false;
  for (const key in entries) {
    const value = entries[key];
    if (value === undefined) continue;
    out[key] = value;
    any = true;
  }
  return any ? out : undefined;
}

/** Copies a string map (env, meta, labels), or returns `undefined` when it is unset. */
export function stringMap(map: Readonly<Record<string, string>> | undefined): JsonObject | undefined {
  if (map === undefined) return undefined;
  const out: JsonObject = {};
  for (const key of Object.keys(map)) out[key] = map[key];
  return out;
}

/** A deep copy of a JSON-compatible value given by the user (driver config, scaling policy), dropping `undefined`. */
export function jsonCopy(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.map((v) => jsonCopy(v) ?? null);
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const key of Object.keys(value as object)) {
      const v = jsonCopy((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return String(value);
}
