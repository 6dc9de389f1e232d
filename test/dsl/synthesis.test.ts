/**
 * App.synth(): validation through lib/jobspec with every problem located by
 * construct path and camelCase prop, nothing written on failure, and
 * byte-for-byte deterministic files.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Construct } from "constructs";
import { App, Driver, formatProblem, Job, OUTDIR_ENV, SynthesisError, Testing } from "../../lib/dsl";
import { validateJob } from "../../lib/jobspec";

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "drover-dsl-"));
}

/** A valid job in `app`. */
function webJob(app: App, id = "web"): Job {
  const job = new Job(app, id, { datacenters: ["dc1"] });
  const g = job.addGroup("api", { count: 2 });
  const http = g.network.addDynamicPort("http", { to: 8080 });
  g.addService("api", { port: http, checks: [{ type: "http", path: "/health", interval: "10s", timeout: "2s" }] });
  g.addTask("server", {
    driver: Driver.docker({ image: "nginx:1.27", ports: [http] }),
    resources: { cpu: 200, memoryMB: 128 },
    env: { B: "2", A: "1" },
  });
  return job;
}

/** A problem line from lib/jobspec: the location (our job) exactly, the wording (jobspec's) only by a telling word. */
function at(location: string, word: string): string {
  const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return expect.stringMatching(new RegExp(`^${esc(location)}: .*${esc(word)}`));
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SynthesisError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error("expected a SynthesisError");
}

describe("App.synth", () => {
  test("writes <outdir>/<job-id>.json per job and returns the paths", () => {
    const outdir = tmpdir();
    const app = new App({ outdir });
    webJob(app, "web");
    webJob(app, "web-2");
    const files = app.synth();
    expect(files).toEqual([path.join(outdir, "web.json"), path.join(outdir, "web-2.json")]);
    const text = fs.readFileSync(files[0], "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "Job": {\n    "ID": "web",');
    const parsed = JSON.parse(text);
    expect(validateJob(parsed).valid).toBe(true);
    // Map keys are sorted; block keys follow Nomad's struct order (Name before Driver before Config).
    expect(Object.keys(parsed.Job.TaskGroups[0].Tasks[0].Env)).toEqual(["A", "B"]);
    expect(Object.keys(parsed.Job.TaskGroups[0].Tasks[0]).slice(0, 3)).toEqual(["Name", "Driver", "Config"]);
  });

  test("synthJobs returns the jobs without writing", () => {
    const outdir = path.join(tmpdir(), "never");
    const app = new App({ outdir });
    webJob(app);
    const [job] = app.synthJobs();
    expect(job.id).toBe("web");
    expect(job.constructPath).toBe("web");
    expect(job.json.Job.ID).toBe("web");
    expect(job.text).toBe(JSON.stringify(job.json, null, 2) + "\n");
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("is deterministic: two apps built the same way give the same bytes", () => {
    const a = new App({ outdir: tmpdir() });
    const b = new App({ outdir: tmpdir() });
    webJob(a);
    webJob(b);
    const [fa] = a.synth();
    const [fb] = b.synth();
    expect(fs.readFileSync(fa)).toEqual(fs.readFileSync(fb));
    expect(a.synthJobs()[0].text).toBe(fs.readFileSync(fa, "utf8"));
  });

  test("the outdir defaults to DROVER_OUTDIR, else dist", () => {
    const saved = process.env[OUTDIR_ENV];
    try {
      process.env[OUTDIR_ENV] = "/tmp/from-env";
      expect(new App().outdir).toBe("/tmp/from-env");
      expect(new App({ outdir: "explicit" }).outdir).toBe("explicit");
      delete process.env[OUTDIR_ENV];
      expect(new App().outdir).toBe("dist");
    } finally {
      if (saved === undefined) delete process.env[OUTDIR_ENV];
      else process.env[OUTDIR_ENV] = saved;
    }
  });

  test("reports every problem of every job at once, by construct path and prop, and writes nothing", () => {
    const outdir = path.join(tmpdir(), "out");
    const app = new App({ outdir });
    webJob(app, "good"); // a valid job is not written either
    const job = new Job(app, "my-app", { priority: 200 });
    // @ts-expect-error "30x" is not a duration's shape: a type error in the editor, and a problem at synthesis for JavaScript users
    const web = job.addGroup("web", { count: -1, update: { minHealthyTime: "30x" } });
    web.addTask("server", { driver: Driver.docker({ image: "x" }), resources: { cpu: 100, memoryMB: 5 } });
    const other = new Job(app, "other");
    other.addGroup("g").addTask("t", { driver: Driver.mock(), logs: { maxFiles: 0 } });

    const problems = problemsOf(() => app.synth());
    expect(problems).toEqual(
      expect.arrayContaining([
        at("my-app: priority", "200"),
        at("my-app/web: count", "-1"),
        'my-app/web: update.minHealthyTime: invalid duration "30x": unknown unit "x" (use ns, us, ms, s, m or h)',
        at("my-app/web/server: resources.memoryMB", "10"),
        at("other/g/t: logs.maxFiles", "1"),
      ]),
    );
    expect(problems).toHaveLength(5);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("the error message lists each problem on its own line", () => {
    const app = new App({ outdir: tmpdir() });
    const job = new Job(app, "j");
    job.addGroup("g").addTask("t", { driver: Driver.mock(), resources: { memoryMB: 1 } });
    expect(() => app.synth()).toThrow(/^synthesis failed with 1 problem:\n {2}- j\/g\/t: resources\.memoryMB: [^\n]*10[^\n]*$/);
  });

  test("problems carry the JSON path they came from", () => {
    const app = new App({ outdir: tmpdir() });
    const job = new Job(app, "j");
    job.addGroup("g").addTask("t", { driver: Driver.mock(), resources: { memoryMB: 1 } });
    try {
      app.synthJobs();
      throw new Error("expected a SynthesisError");
    } catch (err) {
      expect((err as SynthesisError).problems[0]).toMatchObject({
        constructPath: "j/g/t",
        prop: "resources.memoryMB",
        jsonPath: "Job.TaskGroups[0].Tasks[0].Resources.MemoryMB",
      });
    }
  });

  test("a job without groups and a group without tasks are reported", () => {
    const app = new App({ outdir: tmpdir() });
    new Job(app, "empty");
    new Job(app, "hollow").addGroup("g");
    const problems = problemsOf(() => app.synthJobs());
    expect(problems).toEqual([at("empty: groups", "group"), at("hollow/g: tasks", "task")]);
  });

  test("two jobs with the same ID are reported (they would overwrite one file)", () => {
    const app = new App({ outdir: tmpdir() });
    webJob(app, "a");
    const b = new Job(app, "b", { id: "a" });
    b.addGroup("g").addTask("t", { driver: Driver.mock() });
    expect(problemsOf(() => app.synth())).toEqual(['b: id: "a" is also the ID of a; each job needs its own ID (and file)']);
  });

  test("construct validations added with node.addValidation are reported with their path", () => {
    const app = new App({ outdir: tmpdir() });
    const job = webJob(app);
    job.groups[0].node.addValidation({ validate: () => ["team policy: at least 3 copies"] });
    expect(problemsOf(() => app.synth())).toEqual(["web/api: team policy: at least 3 copies"]);
  });

  test("validations of constructs outside any job are reported too", () => {
    const app = new App({ outdir: tmpdir() });
    webJob(app);
    const shared = new Construct(app, "shared");
    shared.node.addValidation({ validate: () => ["missing team tag"] });
    expect(problemsOf(() => app.synth())).toEqual(["shared: missing team tag"]);
  });

  test("validation problems in nested blocks map back to camelCase props", () => {
    const app = new App({ outdir: tmpdir() });
    const job = new Job(app, "j");
    const g = job.addGroup("g");
    const http = g.addPort("http");
    g.addTask("t", { driver: Driver.mock() });
    g.addService("s", { port: http, checks: [{ type: "http", interval: "10s", timeout: "1s" }] });
    expect(problemsOf(() => app.synth())).toEqual([at("j/g/s: checks[0].path", "Path")]);
  });
});

test("warnings (fields Nomad ignores) are located like problems and do not stop synthesis", () => {
  const app = new App({ outdir: tmpdir() });
  const job = new Job(app, "j");
  job.addGroup("g").addTask("t", { driver: Driver.mock() }).addOverride("Resources.DiskMB", 100);
  const [synthesized] = app.synthJobs();
  expect(synthesized.warnings.map(formatProblem)).toEqual([at("j/g/t: resources.diskMB", "DiskMB")]);
  const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    expect(app.synth()).toHaveLength(1);
    expect(write).toHaveBeenCalledWith(`warning: ${synthesized.warnings.map(formatProblem)[0]}\n`);
  } finally {
    write.mockRestore();
  }
});

test("Job.toJson() has the file's key order without validating", () => {
  const app = new App({ outdir: tmpdir() });
  const job = webJob(app);
  expect(JSON.stringify(job.toJson(), null, 2) + "\n").toBe(app.synthJobs()[0].text);
  job.addGroup("empty");
  expect(job.toJson().Job.TaskGroups).toHaveLength(2); // invalid (no tasks), still rendered
});

describe("Testing", () => {
  test("Testing.app() writes into a fresh temporary directory", () => {
    const app = Testing.app();
    expect(app.outdir.startsWith(os.tmpdir())).toBe(true);
    webJob(app);
    expect(fs.existsSync(app.synth()[0])).toBe(true);
  });

  test("Testing.synth(job) returns the validated JSON, Testing.synthText its file", () => {
    const job = webJob(Testing.app());
    expect(Testing.synth(job).Job.TaskGroups?.[0].Name).toBe("api");
    expect(Testing.synthText(job)).toBe(JSON.stringify(Testing.synth(job), null, 2) + "\n");
    expect(Testing.problems(job)).toEqual([]);
  });

  test("Testing.synth throws a SynthesisError; Testing.problems lists them", () => {
    const job = new Job(Testing.app(), "j");
    job.addGroup("g").addTask("t", { driver: Driver.mock(), resources: { cpu: 0 } });
    expect(() => Testing.synth(job)).toThrow(SynthesisError);
    expect(Testing.problems(job)).toEqual([at("j/g/t: resources.cpu", "1")]);
  });
});
