/**
 * Every example program synthesizes exactly the JSON committed beside it,
 * and that JSON is a valid job. The programs run in-process, with
 * DROVER_OUTDIR pointing at a temporary directory, as `drover synth` runs them.
 * To refresh the files: drover synth examples/<name>/main.ts --output examples/<name>
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateJob } from "../../lib/jobspec";

const EXAMPLES = path.resolve(__dirname, "..", "..", "examples");
/** Examples owned by this area (others write examples/pulumi and friends). */
const NAMES = ["hello", "python-service", "etl-pipeline", "redis", "grouped-service", "multiregion", "full"];

function synthesize(name: string): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `drover-example-${name}-`));
  const saved = process.env.DROVER_OUTDIR;
  process.env.DROVER_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      require(path.join(EXAMPLES, name, "main.ts"));
    });
  } finally {
    if (saved === undefined) delete process.env.DROVER_OUTDIR;
    else process.env.DROVER_OUTDIR = saved;
  }
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(outdir).sort()) files.set(f, fs.readFileSync(path.join(outdir, f), "utf8"));
  fs.rmSync(outdir, { recursive: true, force: true });
  return files;
}

describe.each(NAMES)("examples/%s", (name) => {
  const synthesized = synthesize(name);

  test("synthesizes at least one job", () => {
    expect(synthesized.size).toBeGreaterThan(0);
  });

  test("the committed JSON files are what the program synthesizes", () => {
    const committed = fs
      .readdirSync(path.join(EXAMPLES, name))
      .filter((f) => f.endsWith(".json"))
      .sort();
    expect(committed).toEqual([...synthesized.keys()]);
    for (const [file, text] of synthesized) expect(fs.readFileSync(path.join(EXAMPLES, name, file), "utf8")).toBe(text);
  });

  test("each job is valid", () => {
    for (const [file, text] of synthesized) {
      const result = validateJob(JSON.parse(text));
      expect({ file, problems: result.valid ? [] : result.problems.map((p) => `${p.path}: ${p.message}`) }).toEqual({ file, problems: [] });
    }
  });
});

describe("the examples reproduce the seeds", () => {
  const job = (name: string, file = `${name}.json`): any => JSON.parse(fs.readFileSync(path.join(EXAMPLES, name, file), "utf8")).Job;
  const S = 1_000_000_000;

  test("python-service: 3 copies, port http to 8000, HTTP check, canary update", () => {
    const g = job("python-service").TaskGroups[0];
    expect(g.Count).toBe(3);
    expect(g.Networks[0].DynamicPorts).toEqual([{ Label: "http", To: 8000 }]);
    expect(g.Services[0]).toMatchObject({
      PortLabel: "http",
      Checks: [{ Type: "http", Path: "/health", Interval: 10 * S, Timeout: 3 * S }],
    });
    expect(g.Tasks[0].Resources).toEqual({ CPU: 500, MemoryMB: 256 });
    expect(g.Update).toEqual({
      MaxParallel: 1,
      MinHealthyTime: 30 * S,
      HealthyDeadline: 300 * S,
      Canary: 1,
      AutoRevert: true,
      AutoPromote: false,
    });
  });

  test("etl-pipeline: parameterized batch with the meta in its args", () => {
    const j = job("etl-pipeline");
    expect(j.Type).toBe("batch");
    expect(j.ParameterizedJob).toEqual({ Payload: "forbidden", MetaRequired: ["date", "source"] });
    expect(j.TaskGroups[0].Tasks[0].Config).toEqual({
      args: ["-m", "etl.run", "--date", "${NOMAD_META_date}", "--source", "${NOMAD_META_source}"],
      command: "python",
      image: "ghcr.io/myorg/etl:latest",
    });
    expect(j.TaskGroups[0].Tasks[0].Resources).toEqual({ CPU: 2000, MemoryMB: 1024 });
  });

  test("redis: tcp check alive, port db to 6379, tags global and cache", () => {
    const t = job("redis").TaskGroups[0].Tasks[0];
    expect(t.Services[0]).toEqual({
      Name: "${TASKGROUP}-redis",
      Tags: ["global", "cache"],
      PortLabel: "db",
      Checks: [{ Name: "alive", Type: "tcp", Interval: 10 * S, Timeout: 2 * S }],
    });
    expect(job("redis").TaskGroups[0].Networks[0].DynamicPorts).toEqual([{ Label: "db", To: 6379 }]);
  });

  test("grouped-service: the slides' descriptor", () => {
    const j = job("grouped-service");
    expect(j).toMatchObject({
      Region: "USA",
      Priority: 50,
      AllAtOnce: false,
      Datacenters: ["my-datacenter"],
      Meta: { jobKey: "job value" },
      Update: { Stagger: 30 * S, MaxParallel: 1 },
    });
    expect(j.TaskGroups[0].RestartPolicy).toEqual({ Interval: 300 * S, Attempts: 10, Delay: 25 * S });
    expect(j.TaskGroups[0].Tasks[0]).toMatchObject({
      KillTimeout: 30 * S,
      Meta: { taskKey: "task value" },
      Resources: { CPU: 500, MemoryMB: 512 },
    });
  });

  test("multiregion: us-east 3 in dc-east, eu-west 2 in dc-west, one at a time, fail_all", () => {
    expect(job("multiregion").Multiregion).toEqual({
      Strategy: { MaxParallel: 1, OnFailure: "fail_all" },
      Regions: [
        { Name: "us-east", Count: 3, Datacenters: ["dc-east"] },
        { Name: "eu-west", Count: 2, Datacenters: ["dc-west"] },
      ],
    });
  });
});
