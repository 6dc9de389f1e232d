import { App, Driver, Duration, Job } from "../../lib/dsl";

describe("Duration", () => {
  test.each([
    [Duration.nanos(1500), 1500],
    [Duration.millis(250), 250_000_000],
    [Duration.seconds(30), 30_000_000_000],
    [Duration.seconds(1.5), 1_500_000_000],
    [Duration.minutes(5), 300_000_000_000],
    [Duration.hours(1), 3_600_000_000_000],
    [Duration.days(1), 86_400_000_000_000],
  ])("%s is %d ns", (d, ns) => {
    expect(d.toNanos()).toBe(ns);
  });

  test.each([
    ["30s", 30_000_000_000],
    ["1h30m", 5_400_000_000_000],
    ["1.5s", 1_500_000_000],
    ["250ms", 250_000_000],
    ["2us", 2_000],
    ["0", 0],
    [" 10s ", 10_000_000_000],
  ])("parses %j", (text, ns) => {
    expect(Duration.parse(text).toNanos()).toBe(ns);
  });

  test("prints Go's syntax", () => {
    expect(Duration.parse("90m").toString()).toBe("1h30m0s");
    expect(Duration.seconds(30).toString()).toBe("30s");
    expect(Duration.millis(250).toSeconds()).toBe(0.25);
    expect(Duration.seconds(2).toMillis()).toBe(2000);
  });

  test.each([
    ["30x", /Duration.parse\("30x"\).*unknown unit "x"/],
    ["30", /Duration.parse\("30"\).*missing unit/],
    ["", /Duration.parse\(""\)/],
    ["-5m", /cannot be negative/],
    ["3000h", /104 days/],
  ])("rejects %j with a message naming it", (text, message) => {
    expect(() => Duration.parse(text)).toThrow(message);
  });

  test("factories reject negative, non-finite and fractional-nanosecond values", () => {
    expect(() => Duration.seconds(-1)).toThrow("Duration.seconds(-1): a duration cannot be negative");
    expect(() => Duration.minutes(Number.NaN)).toThrow("Duration.minutes(NaN): expected a finite number");
    expect(() => Duration.nanos(1.5)).toThrow("Duration.nanos(1.5): not a whole number of nanoseconds");
    expect(() => Duration.days(200)).toThrow(/104 days/);
  });

  test("string and Duration props render the same nanoseconds", () => {
    const app = new App({ outdir: "unused" });
    const a = new Job(app, "a");
    a.addGroup("g", { shutdownDelay: "1m30s" }).addTask("t", { driver: Driver.mock(), killTimeout: Duration.seconds(45) });
    const json = a.toJson().Job as any;
    expect(json.TaskGroups[0].ShutdownDelay).toBe(90_000_000_000);
    expect(json.TaskGroups[0].Tasks[0].KillTimeout).toBe(45_000_000_000);
  });
});
