/** Timed waits (lib/util depends on nothing of drover). */

/**
 * Resolves after `ms` milliseconds, or at once when `signal` aborts (it
 * never rejects). The timer does not keep the process alive.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    timer.unref?.();
    signal?.addEventListener("abort", done, { once: true });
  });
}
