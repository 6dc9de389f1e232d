/**
 * Nomad's CLI spells long flags with one dash (`-stderr`, `-tail`,
 * `-verbose`); drover's argument parser wants two. The status commands
 * accept both.
 */

/** Rewrites `-name` and `-name=value` of the listed long flags to `--name…`; everything after `--` is left alone. */
export function nomadStyleFlags(argv: readonly string[], longFlags: readonly string[]): string[] {
  const out: string[] = [];
  let rest = false;
  for (const a of argv) {
    if (rest || a === "--") {
      rest = true;
      out.push(a);
      continue;
    }
    const m = /^-([a-z][a-z-]+)(=.*)?$/.exec(a);
    out.push(m && longFlags.includes(m[1]) ? `-${a}` : a);
  }
  return out;
}
