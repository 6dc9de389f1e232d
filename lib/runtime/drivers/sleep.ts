/** The drivers' timed waits. */

/** Resolves after `ms` milliseconds, without keeping the process alive for it. */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((r) => setTimeout(r, ms).unref?.());
}
