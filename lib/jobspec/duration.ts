/**
 * Go durations. Nomad's JSON carries every `time.Duration` as an integer
 * count of nanoseconds; HCL and the drover DSL write them as Go duration
 * strings ("30s", "1h30m"). These helpers convert between the two exactly as
 * Go's `time.ParseDuration` and `time.Duration.String` do.
 */

/** Nanoseconds per unit of Go's duration syntax. */
export const NS_PER = {
  /** One nanosecond. */
  ns: 1,
  /** One microsecond (Go also accepts "µs" and "μs"). */
  us: 1_000,
  /** One millisecond. */
  ms: 1_000_000,
  /** One second. */
  s: 1_000_000_000,
  /** One minute. */
  m: 60_000_000_000,
  /** One hour. */
  h: 3_600_000_000_000,
} as const;

/** Unit suffixes Go's time.ParseDuration accepts, longest first so "ms" wins over "m". */
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["ns", NS_PER.ns],
  ["us", NS_PER.us],
  ["µs", NS_PER.us], // U+00B5 micro sign
  ["μs", NS_PER.us], // U+03BC Greek mu
  ["ms", NS_PER.ms],
  ["s", NS_PER.s],
  ["m", NS_PER.m],
  ["h", NS_PER.h],
];

/**
 * The largest duration a JavaScript number holds exactly: 2^53-1 ns, about
 * 104 days. Longer durations are rejected rather than silently rounded.
 */
export const MAX_EXACT_DURATION_NS = Number.MAX_SAFE_INTEGER;

/**
 * Parses a Go duration string ("30s", "1h30m", "1.5s", "300ms", "2us", "-5m",
 * "0") into integer nanoseconds, with the syntax of Go's `time.ParseDuration`.
 * Throws an Error naming the bad value when the string is not a duration or
 * when the result is beyond ±2^53-1 ns (about 104 days), which a JavaScript
 * number cannot hold exactly.
 */
export function parseGoDuration(s: string): number {
  const fail = (why: string): never => {
    throw new Error(`invalid duration ${JSON.stringify(s)}: ${why}`);
  };
  if (typeof s !== "string") fail("not a string");
  let rest = s;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest[0] === "-") sign = -1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") fail('expected a number and a unit such as "30s" or "1h30m"');
  // Go accumulates in integer nanoseconds; BigInt keeps that exact.
  let total = 0n;
  while (rest.length > 0) {
    const num = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const intPart = num?.[1] ?? "";
    const fracPart = num?.[2] ?? "";
    if (!num || (intPart === "" && fracPart === "")) fail(`expected a number at ${JSON.stringify(rest)}`);
    rest = rest.slice(num![0].length);
    const unit = UNITS.find(([u]) => rest.startsWith(u));
    if (!unit) {
      const m = /^[^\d.]*/.exec(rest)?.[0] ?? "";
      fail(
        m === ""
          ? `missing unit after ${JSON.stringify(num![0])} (use ns, us, ms, s, m or h)`
          : `unknown unit ${JSON.stringify(m)} (use ns, us, ms, s, m or h)`,
      );
    }
    rest = rest.slice(unit![0].length);
    const per = BigInt(unit![1]);
    let value = BigInt(intPart === "" ? "0" : intPart) * per;
    if (fracPart !== "") {
      // Go truncates the fractional part toward zero at nanosecond precision.
      const scale = 10n ** BigInt(fracPart.length);
      value += (BigInt(fracPart) * per) / scale;
    }
    total += value;
  }
  const ns = sign * Number(total);
  if (!Number.isSafeInteger(ns))
    fail(`${s} is longer than ${MAX_EXACT_DURATION_NS} ns (about 104 days), the longest duration a JSON number holds exactly`);
  return ns === 0 ? 0 : ns; // no negative zero
}

/**
 * Formats integer nanoseconds the way Go's `time.Duration.String` does:
 * "1h30m0s", "1m30s", "1.5s", "300ms", "2µs", "0s". Throws on a value that is
 * not a safe integer.
 */
export function formatGoDuration(ns: number): string {
  if (!Number.isSafeInteger(ns))
    throw new Error(`invalid duration ${String(ns)}: must be an integer number of nanoseconds within ±${MAX_EXACT_DURATION_NS}`);
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let u = BigInt(Math.abs(ns));
  const sign = neg ? "-" : "";
  if (u < 1_000_000_000n) {
    // Sub-second: the largest unit among ns, µs, ms with a fraction.
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) return `${sign}${fraction(u, 1_000n)}µs`;
    return `${sign}${fraction(u, 1_000_000n)}ms`;
  }
  const h = u / 3_600_000_000_000n;
  u -= h * 3_600_000_000_000n;
  const m = u / 60_000_000_000n;
  u -= m * 60_000_000_000n;
  const secs = fraction(u, 1_000_000_000n);
  let out = "";
  if (h > 0n) out += `${h}h`;
  if (h > 0n || m > 0n) out += `${m}m`;
  return `${sign}${out}${secs}s`;
}

/** `v / per` in decimal with trailing zeros (and a bare point) removed, as Go prints it. */
function fraction(v: bigint, per: bigint): string {
  const whole = v / per;
  const rem = v % per;
  if (rem === 0n) return whole.toString();
  const digits = per.toString().length - 1;
  return `${whole}.${rem.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}
