import { NS_PER, formatGoDuration, parseGoDuration } from "../../lib/jobspec";

describe("parseGoDuration (Go's time.ParseDuration)", () => {
  test.each([
    ["30s", 30_000_000_000],
    ["1h30m", 5_400_000_000_000],
    ["1.5s", 1_500_000_000],
    ["300ms", 300_000_000],
    ["2us", 2_000],
    ["2µs", 2_000],
    ["7ns", 7],
    ["-5m", -300_000_000_000],
    ["+5m", 300_000_000_000],
    ["0", 0],
    ["-0", 0],
    [".5s", 500_000_000],
    ["1h0m0.5s", 3_600_500_000_000],
    ["1.0000000001s", 1_000_000_000],
    ["2400h", 2400 * NS_PER.h],
  ])("%s is %d ns", (s, ns) => {
    expect(parseGoDuration(s)).toBe(ns);
  });

  test.each([
    ["", 'invalid duration "": expected a number and a unit such as "30s" or "1h30m"'],
    ["5", 'invalid duration "5": missing unit after "5" (use ns, us, ms, s, m or h)'],
    ["5d", 'invalid duration "5d": unknown unit "d" (use ns, us, ms, s, m or h)'],
    ["h", 'invalid duration "h": expected a number at "h"'],
    [
      "3000h",
      'invalid duration "3000h": 3000h is longer than 9007199254740991 ns (about 104 days), the longest duration a JSON number holds exactly',
    ],
  ])("%j is rejected with a message naming it", (s, message) => {
    expect(() => parseGoDuration(s)).toThrow(message);
  });
});

describe("formatGoDuration (Go's Duration.String)", () => {
  test.each([
    [0, "0s"],
    [1, "1ns"],
    [1_500, "1.5µs"],
    [300_000_000, "300ms"],
    [1_500_000_000, "1.5s"],
    [90 * NS_PER.s, "1m30s"],
    [5_400_000_000_000, "1h30m0s"],
    [-300_000_000_000, "-5m0s"],
    [24 * NS_PER.h, "24h0m0s"],
  ])("%d ns is %s", (ns, s) => {
    expect(formatGoDuration(ns)).toBe(s);
  });

  test("round-trips through parseGoDuration", () => {
    for (const ns of [0, 1, 999, 1_000_001, 59 * NS_PER.s, 3 * NS_PER.h + 7, Number.MAX_SAFE_INTEGER])
      expect(parseGoDuration(formatGoDuration(ns))).toBe(ns);
  });

  test("rejects values that are not safe integers", () => {
    expect(() => formatGoDuration(1.5)).toThrow("invalid duration 1.5");
    expect(() => formatGoDuration(2 ** 60)).toThrow("must be an integer number of nanoseconds");
  });
});
