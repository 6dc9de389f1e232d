import { formatGoDuration, NS_PER, parseGoDuration } from "../jobspec/duration";

/**
 * A length of time, as Nomad's jobspec uses them (timeouts, intervals,
 * deadlines). Nomad's JSON carries durations as integer nanoseconds; a
 * `Duration` converts from the units people think in.
 *
 * @example
 * Duration.seconds(30);
 * Duration.parse("1h30m");
 */
export class Duration {
  /** A duration of `n` nanoseconds (a whole, non-negative number). */
  public static nanos(n: number): Duration {
    return Duration.of(n, 1, "nanos");
  }

  /** A duration of `n` milliseconds. */
  public static millis(n: number): Duration {
    return Duration.of(n, NS_PER.ms, "millis");
  }

  /** A duration of `n` seconds. Fractions are allowed down to the nanosecond (`Duration.seconds(1.5)`). */
  public static seconds(n: number): Duration {
    return Duration.of(n, NS_PER.s, "seconds");
  }

  /** A duration of `n` minutes. */
  public static minutes(n: number): Duration {
    return Duration.of(n, NS_PER.m, "minutes");
  }

  /** A duration of `n` hours. */
  public static hours(n: number): Duration {
    return Duration.of(n, NS_PER.h, "hours");
  }

  /** A duration of `n` days of 24 hours (Go's syntax has no day unit; this is `n * 24h`). */
  public static days(n: number): Duration {
    return Duration.of(n, 24 * NS_PER.h, "days");
  }

  /**
   * Parses Go's duration syntax, as HCL jobspecs write durations: a sequence
   * of numbers with units `ns`, `us`, `ms`, `s`, `m`, `h` ("30s", "1h30m",
   * "1.5s", "250ms"). Throws an Error naming the value when it is not a
   * duration, is negative, or is longer than about 104 days (the longest
   * nanosecond count a JSON number holds exactly).
   */
  public static parse(text: string): Duration {
    if (typeof text !== "string") throw new Error(`Duration.parse(${String(text)}): expected a string such as "30s" or "1h30m"`);
    let ns: number;
    try {
      ns = parseGoDuration(text.trim());
    } catch (err) {
      throw new Error(`Duration.parse(${JSON.stringify(text)}): ${(err as Error).message}`);
    }
    if (ns < 0) throw new Error(`Duration.parse(${JSON.stringify(text)}): a duration cannot be negative`);
    return new Duration(ns);
  }

  /** Converts a prop value (`"30s"` or a `Duration`) to a `Duration`, throwing on a bad string. */
  public static from(value: DurationInput): Duration {
    return value instanceof Duration ? value : Duration.parse(value);
  }

  private static of(n: number, per: number, unit: string): Duration {
    const ns = n * per;
    if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`Duration.${unit}(${String(n)}): expected a finite number`);
    if (n < 0) throw new Error(`Duration.${unit}(${n}): a duration cannot be negative`);
    if (!Number.isSafeInteger(Math.round(ns)))
      throw new Error(`Duration.${unit}(${n}): longer than about 104 days, the longest nanosecond count a JSON number holds exactly`);
    const rounded = Math.round(ns);
    if (Math.abs(rounded - ns) > 1e-3 + Math.abs(ns) * 1e-12) throw new Error(`Duration.${unit}(${n}): not a whole number of nanoseconds`);
    return new Duration(rounded);
  }

  private constructor(private readonly ns: number) {}

  /** The duration in nanoseconds, as Nomad's JSON carries it. */
  public toNanos(): number {
    return this.ns;
  }

  /** The duration in (possibly fractional) seconds. */
  public toSeconds(): number {
    return this.ns / NS_PER.s;
  }

  /** The duration in milliseconds. */
  public toMillis(): number {
    return this.ns / NS_PER.ms;
  }

  /** The duration in Go's syntax, as Nomad prints it ("1h30m0s", "30s", "250ms"). */
  public toString(): string {
    return formatGoDuration(this.ns);
  }
}

/** The units of Go's duration syntax: nanoseconds, microseconds (`us` or `µs`), milliseconds, seconds, minutes, hours. */
export type DurationUnit = "ns" | "us" | "µs" | "ms" | "s" | "m" | "h";

/**
 * A duration written in Go's syntax, in a shape the type checker can see:
 * one to three number-unit pairs (`"30s"`, `"1.5s"`, `"1h30m"`, `"1h2m3s"`), or `"0"`.
 * `"3"` (no unit) and `"5 minutes"` are type errors in the editor; longer
 * compounds can be written with `Duration.parse("1h2m3s4ms")`. The value is
 * still parsed at synthesis, which also rejects what the type cannot
 * (a negative number, a space before the unit).
 */
export type DurationString =
  | "0"
  | `${number}${DurationUnit}`
  | `${number}${DurationUnit}${number}${DurationUnit}`
  | `${number}${DurationUnit}${number}${DurationUnit}${number}${DurationUnit}`;

/** A duration prop: Go's syntax as a string (`"30s"`, `"1h30m"`, see {@link DurationString}) or a {@link Duration}. */
export type DurationInput = DurationString | Duration;
