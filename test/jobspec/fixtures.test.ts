import { canonicalize, validateJob } from "../../lib/jobspec";
import { fixture, lines, problemsOf } from "./helpers";

describe("Nomad's own JSON jobs", () => {
  test.each([
    "command-testdata-example-short.json",
    "json-jobs__syntax__example-job.json",
    "jobs__create-job__sample-payload.json",
    "jobs__read-job__sample-response.json",
  ])("%s validates", (name) => {
    const r = validateJob(fixture(name));
    expect(r.valid ? [] : lines(r.problems)).toEqual([]);
    expect(r.valid).toBe(true);
  });

  test("both read-back jobs of the versions response validate", () => {
    const { Versions } = fixture("jobs__list-job-versions__sample-response.json") as { Versions: unknown[] };
    expect(Versions).toHaveLength(2);
    for (const v of Versions) {
      const r = validateJob(v);
      expect(r.valid ? [] : lines(r.problems)).toEqual([]);
    }
  });

  test("the read-back shape of a batch job warns about its job-level Update stub and loses it on canonicalize", () => {
    const r = validateJob(fixture("jobs__read-job__sample-response.json"));
    if (!r.valid) throw new Error("expected valid");
    const paths = r.warnings.map((w) => w.path);
    expect(paths).toContain("Job.Update");
    expect(paths).toContain("Job.TaskGroups[0].Tasks[1].Resources.Networks[0].MBits");
    const c = canonicalize(r.job);
    expect(c.Update).toBeUndefined();
    expect(c.TaskGroups?.[0].Update).toBeUndefined();
  });

  test("example-short-bad.json reports the ID with a space and the stale Disconnect key, with their paths", () => {
    const ps = problemsOf(validateJob(fixture("command-testdata-example-short-bad.json")));
    expect(lines(ps)).toEqual([
      'Job.TaskGroups[0].Disconnect.StopAfterClient: unknown key "StopAfterClient" in DisconnectStrategy; Nomad would silently ignore it',
      'Job.ID: job ID "bad example" contains a space',
    ]);
    expect(ps.map((p) => p.rule)).toEqual(["key.unknown", "job.id.space"]);
    expect(ps[0].segments).toEqual(["Job", "TaskGroups", 0, "Disconnect", "StopAfterClient"]);
  });

  test("the parse-job docs sample lost its groups: Nomad's own rule applies", () => {
    expect(lines(problemsOf(validateJob(fixture("jobs__parse-job__sample-response.json"))))).toEqual([
      "Job.TaskGroups: a job needs at least one task group",
    ]);
  });

  test("jobs embedded in old allocation samples report what current Nomad rejects", () => {
    const alloc = fixture("allocations__read-allocation__sample-response.json") as { Job: unknown };
    expect(lines(problemsOf(validateJob(alloc.Job)))).toEqual([
      'Job.TaskGroups[0].Tasks[0].Spreads: unknown key "Spreads" in Task; Nomad would silently ignore it',
    ]);
    const [first] = fixture("nodes__list-node-allocations__sample-response.json") as { Job: unknown }[];
    expect(problemsOf(validateJob(first.Job)).map((p) => p.rule)).toEqual([
      "update.healthy-deadline.positive",
      "update.min-healthy-time.deadline",
      "update.stagger.positive",
    ]);
  });
});
