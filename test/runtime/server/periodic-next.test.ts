/** Launch times of periodic jobs: cron field layouts as cronexpr reads them, several specs, time zones and daylight saving. */
import { cronNext, periodicNext } from "../../../lib/runtime/server/periodic-next";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("periodicNext", () => {
  it("reads 5 fields as minute..day-of-week and is strictly after the given time", () => {
    expect(iso(cronNext("*/15 * * * *", at("2026-01-01T00:07:00Z")))).toBe("2026-01-01T00:15:00.000Z");
    expect(iso(cronNext("*/15 * * * *", at("2026-01-01T00:15:00Z")))).toBe("2026-01-01T00:30:00.000Z");
  });

  it("reads 6 fields with a year last (so `*/1 * * * * *` is every minute) and 7 fields with seconds first", () => {
    expect(iso(cronNext("*/1 * * * * *", at("2026-01-01T00:00:00.500Z")))).toBe("2026-01-01T00:01:00.000Z");
    expect(iso(cronNext("0 0 1 1 * 2028", at("2026-06-01T00:00:00Z")))).toBe("2028-01-01T00:00:00.000Z");
    expect(cronNext("0 0 1 1 * 2020", at("2026-06-01T00:00:00Z"))).toBeNull();
    expect(iso(cronNext("*/10 * * * * * *", at("2026-01-01T00:00:03Z")))).toBe("2026-01-01T00:00:10.000Z");
  });

  it("accepts cronexpr's descriptors", () => {
    expect(iso(cronNext("@hourly", at("2026-01-01T10:20:00Z")))).toBe("2026-01-01T11:00:00.000Z");
    expect(iso(cronNext("@weekly", at("2026-01-01T00:00:00Z")))).toBe("2026-01-04T00:00:00.000Z");
    expect(() => cronNext("@sometimes", 0)).toThrow("unknown descriptor");
  });

  it("takes the earliest of several specs", () => {
    expect(iso(periodicNext({ Specs: ["0 10 * * *", "30 8 * * *"] }, at("2026-01-01T00:00:00Z")))).toBe("2026-01-01T08:30:00.000Z");
    expect(iso(periodicNext({ Specs: ["0 10 * * *", "30 8 * * *"] }, at("2026-01-01T09:00:00Z")))).toBe("2026-01-01T10:00:00.000Z");
  });

  it("evaluates the spec in the job's time zone", () => {
    // 09:00 in Tokyo (UTC+9, no daylight saving) is midnight UTC.
    expect(iso(periodicNext({ Spec: "0 9 * * *", TimeZone: "Asia/Tokyo" }, at("2026-01-01T00:00:00Z")))).toBe("2026-01-02T00:00:00.000Z");
    // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
    expect(iso(periodicNext({ Spec: "0 9 * * *", TimeZone: "America/New_York" }, at("2026-01-10T00:00:00Z")))).toBe(
      "2026-01-10T14:00:00.000Z",
    );
    expect(iso(periodicNext({ Spec: "0 9 * * *", TimeZone: "America/New_York" }, at("2026-07-10T00:00:00Z")))).toBe(
      "2026-07-10T13:00:00.000Z",
    );
    expect(iso(periodicNext({ Spec: "0 9 * * *", TimeZone: "UTC" }, at("2026-07-10T00:00:00Z")))).toBe("2026-07-10T09:00:00.000Z");
  });

  it("runs a time that daylight saving skips at the hour after, and a repeated time once", () => {
    // 2026-03-08 02:00 does not exist in New York: the launch is at 03:00 EDT (07:00 UTC), then 02:00 EST days resume.
    expect(iso(periodicNext({ Spec: "0 2 * * *", TimeZone: "America/New_York" }, at("2026-03-08T05:00:00Z")))).toBe(
      "2026-03-08T07:00:00.000Z",
    );
    expect(iso(periodicNext({ Spec: "0 2 * * *", TimeZone: "America/New_York" }, at("2026-03-08T07:00:00Z")))).toBe(
      "2026-03-09T06:00:00.000Z",
    );
    // 2026-11-01 01:30 happens twice in New York: one launch, at the first.
    const first = periodicNext({ Spec: "30 1 * * *", TimeZone: "America/New_York" }, at("2026-11-01T04:00:00Z"));
    expect(iso(first)).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(periodicNext({ Spec: "30 1 * * *", TimeZone: "America/New_York" }, first as number))).toBe("2026-11-02T06:30:00.000Z");
  });

  it("names a spec that does not parse", () => {
    expect(() => periodicNext({ Spec: "61 * * * *" }, 0)).toThrow("failed parsing cron expression: 61 * * * *");
    expect(() => periodicNext({ Spec: "* * *" }, 0)).toThrow("expected 5, 6 or 7 fields, got 3");
  });
});
