/**
 * Where each part of a job decoded from HCL was written: the decoder
 * records the range of every attribute and block against the JSON object
 * and key it produced, so that a problem found later by path (a schema or
 * rule problem such as `Job.TaskGroups[0].RestartPolicy.Mode`) can be shown
 * at its line and column. Kept in weak maps: nothing is added to the job.
 */
import type { Range } from "../../hcl";

/** Ranges of the keys of a decoded object: the attribute or block that set each. */
const KEY_RANGES = new WeakMap<object, Map<string, Range>>();
/** Ranges of decoded blocks: the block's type and labels. */
const BLOCK_RANGES = new WeakMap<object, Range>();

/** Records that `key` of `obj` was set by the attribute or block at `range`. */
export function markKey(obj: object, key: string, range: Range): void {
  let m = KEY_RANGES.get(obj);
  if (!m) KEY_RANGES.set(obj, (m = new Map()));
  if (!m.has(key)) m.set(key, range);
}

/** Records that `obj` was decoded from the block at `range`. */
export function markBlock(obj: object, range: Range): void {
  if (!BLOCK_RANGES.has(obj)) BLOCK_RANGES.set(obj, range);
}

/**
 * The range of the attribute or block closest to `segments` (a problem's
 * path, with or without the leading `Job`) in a job decoded from HCL: the
 * attribute itself when it was written, else the innermost enclosing block.
 * Undefined when nothing on the path was decoded from HCL.
 */
export function hclRangeAt(job: unknown, segments: readonly (string | number)[]): Range | undefined {
  const segs = segments[0] === "Job" ? segments.slice(1) : segments;
  let best = job !== null && typeof job === "object" ? BLOCK_RANGES.get(job) : undefined;
  let cur: unknown = job;
  for (const seg of segs) {
    if (cur === null || typeof cur !== "object") break;
    const own = KEY_RANGES.get(cur)?.get(String(seg));
    if (own) best = own;
    cur = (cur as Record<string, unknown>)[seg as string];
    const block = cur !== null && typeof cur === "object" ? BLOCK_RANGES.get(cur) : undefined;
    if (block) best = block;
  }
  return best;
}
