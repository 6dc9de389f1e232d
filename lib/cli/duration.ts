/** Go-style durations on the command line (`-timeout 90s`, `--timeout 1h30m`). */
import { UsageError } from "./command";

/** Parses a Go-style duration ("90s", "10m", "1h30m") into milliseconds; throws a UsageError naming the bad value. */
export function parseTimeout(value: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  }
  if (!value || consumed !== value.length || total <= 0) throw new UsageError(`${flag} "${value}" is not a duration like 90s, 10m or 1h`);
  return total;
}
