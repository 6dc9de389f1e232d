/**
 * Deterministic UUID-shaped identifiers for tests, benchmarks and replays.
 */

/** Returns a generator of UUID-formatted IDs derived from a counter and a seed: the same seed gives the same sequence. */
export function sequentialIDs(seed = 0): () => string {
  let n = 0;
  const hi = (seed >>> 0).toString(16).padStart(8, "0");
  return () => {
    n++;
    // Mix the counter so that consecutive IDs differ in their last bytes (the shuffle seed reads them).
    const mixed = Math.imul(n, 0x9e3779b1) >>> 0;
    // Seed bits in the last 8 bytes too, so that different seeds shuffle differently.
    const lo = ((Math.imul(seed + 1, 0x85ebca6b) >>> 16) & 0xffff).toString(16).padStart(4, "0") + (n >>> 0).toString(16).padStart(8, "0");
    return `${hi}-${(mixed >>> 16).toString(16).padStart(4, "0")}-4${(mixed & 0xfff).toString(16).padStart(3, "0")}-8${(n & 0xfff).toString(16).padStart(3, "0")}-${lo}`;
  };
}
