/** Plain-data helpers every layer of drover uses (lib/util depends on nothing of drover). */

/** True for a JSON object: an object that is neither null nor an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
