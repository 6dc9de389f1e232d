import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import type { CommandIO } from "../../lib/cli/command";
import { main } from "../../lib/cli/main";
import { describeJsonError, lineColumn, locateJsonError } from "../../lib/cli/commands/validate";
import { FIXTURES } from "./helpers";

/** In-memory streams for main(). */
function memoryIO(cwd: string): CommandIO & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, cb) {
        into.push(String(chunk));
        cb();
      },
    });
  return { out: sink(out), err: sink(err), cwd, env: {}, isTTY: false, stdout: () => out.join(""), stderr: () => err.join("") };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-validate-"));
  fs.copyFileSync(path.join(FIXTURES, "json-jobs__syntax__example-job.json"), path.join(dir, "good.json"));
  fs.copyFileSync(path.join(FIXTURES, "command-testdata-example-short-bad.json"), path.join(dir, "bad.json"));
  fs.writeFileSync(path.join(dir, "broken.json"), '{"Job": {"ID": "x",\n  "TaskGroups": [}\n');
  fs.writeFileSync(
    path.join(dir, "warn.json"),
    JSON.stringify({
      Job: {
        ID: "w",
        VaultToken: "s.1",
        TaskGroups: [{ Name: "g", Tasks: [{ Name: "t", Driver: "exec", Config: { command: "/bin/true" } }] }],
      },
    }),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("drover validate", () => {
  test("a valid file: FILE: ok on stdout, exit 0", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate", "good.json"], io)).toBe(0);
    expect(io.stdout()).toBe("good.json: ok\n");
    expect(io.stderr()).toBe("");
  });

  test("an invalid file: every problem as FILE: PATH: message on stderr, exit 1", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate", "good.json", "bad.json"], io)).toBe(1);
    expect(io.stdout()).toBe("good.json: ok\n");
    expect(io.stderr()).toBe(
      'bad.json:93:21: Job.TaskGroups[0].Disconnect.StopAfterClient: unknown key "StopAfterClient" in DisconnectStrategy; Nomad would silently ignore it\n' +
        'bad.json:5:9: Job.ID: job ID "bad example" contains a space\n',
    );
  });

  test("warnings are printed with warning: and do not fail", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate", "warn.json"], io)).toBe(0);
    expect(io.stderr()).toBe(
      "warn.json:1:18: Job.VaultToken: warning: Nomad ignores VaultToken (removed from api.Job); tasks get Vault tokens through workload identities (Task.Vault with a Role)\n",
    );
    expect(io.stdout()).toBe("warn.json: ok\n");
  });

  test("unreadable input: bad JSON with line and column, a missing file; exit 2", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate", "broken.json", "missing.json", "bad.json"], io)).toBe(2);
    expect(io.stderr().split("\n").slice(0, 2)).toEqual([
      'broken.json:2:18: not valid JSON: line 2, column 18: expected a value (object, array, string, number, true, false or null), found "}"',
      "missing.json: cannot read: no such file",
    ]);
  });

  test("--canonical prints only the job with Nomad's defaults to stdout (it pipes), status lines to stderr", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate", "--canonical", "warn.json"], io)).toBe(0);
    expect(io.stderr()).toContain("warn.json: ok\n");
    const printed = JSON.parse(io.stdout());
    expect(printed.Job).toMatchObject({ ID: "w", Name: "w", Namespace: "default", Priority: 50, Datacenters: ["*"], NodePool: "default" });
    expect(printed.Job.TaskGroups[0].Tasks[0].Resources).toEqual({ CPU: 100, Cores: 0, MemoryMB: 300, MemoryMaxMB: 0 });
  });

  test("--json prints machine-readable results", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate", "--json", "good.json", "bad.json", "missing.json"], io)).toBe(2);
    expect(io.stderr()).toBe("");
    const results = JSON.parse(io.stdout());
    expect(results.map((r: { file: string; valid: boolean }) => [r.file, r.valid])).toEqual([
      ["good.json", true],
      ["bad.json", false],
      ["missing.json", false],
    ]);
    expect(results[1].problems[1]).toEqual({
      path: "Job.ID",
      segments: ["Job", "ID"],
      message: 'job ID "bad example" contains a space',
      rule: "job.id.space",
      file: "bad.json",
      line: 5,
      column: 9,
      endLine: 5,
      endColumn: 28,
      range: "5,9-28",
    });
    expect(results[2].problems[0]).toMatchObject({ file: "missing.json", rule: "input" });
    expect(results[2].problems[0].message).toBe("cannot read: no such file");
  });

  test("--canonical with several files prints one JSON array of the jobs; nothing when one is invalid", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate", "--canonical", "good.json", "warn.json"], io)).toBe(0);
    const printed = JSON.parse(io.stdout());
    expect(printed.map((j: { Job: { ID: string } }) => j.Job.ID)).toEqual(["example", "w"]);
    const bad = memoryIO(dir);
    expect(await main(["validate", "--canonical", "good.json", "bad.json"], bad)).toBe(1);
    expect(bad.stdout()).toBe("");
  });

  test("YAML input gets an explicit message (exit 2)", async () => {
    fs.writeFileSync(path.join(dir, "job.yaml"), "job:\n  id: x\n");
    fs.writeFileSync(path.join(dir, "yaml.json"), "# a job\njob:\n  id: x\n");
    const io = memoryIO(dir);
    expect(await main(["validate", "job.yaml", "yaml.json"], io)).toBe(2);
    expect(io.stderr()).toBe(
      "job.yaml: YAML job files are not supported; use JSON or HCL\nyaml.json: YAML job files are not supported; use JSON or HCL\n",
    );
  });

  test("a docker config key Nomad does not know is an error, with a did-you-mean", async () => {
    const job = {
      Job: { ID: "d", TaskGroups: [{ Name: "g", Tasks: [{ Name: "t", Driver: "docker", Config: { image: "redis:7", port: ["db"] } }] }] },
    };
    fs.writeFileSync(path.join(dir, "docker.json"), JSON.stringify(job, null, 2));
    const io = memoryIO(dir);
    expect(await main(["validate", "docker.json"], io)).toBe(1);
    expect(io.stderr()).toBe(
      'docker.json:13:15: Job.TaskGroups[0].Tasks[0].Config.port: unknown docker config key "port" (did you mean "ports"?); Nomad refuses it when the task starts\n',
    );
  });

  test("did-you-mean for subcommands and flags", async () => {
    const io = memoryIO(dir);
    expect(await main(["valdate", "good.json"], io)).toBe(2);
    expect(io.stderr()).toBe('drover: unknown command "valdate" (did you mean "validate"?)\n');
    const flags = memoryIO(dir);
    expect(await main(["validate", "--canonicl", "good.json"], flags)).toBe(2);
    expect(flags.stderr()).toContain('drover validate: unknown option "--canonicl" (did you mean "--canonical"?)');
  });

  test("no file is a usage error (exit 2)", async () => {
    const io = memoryIO(dir);
    expect(await main(["validate"], io)).toBe(2);
    expect(io.stderr()).toContain("drover validate: expected at least one job file");
  });

  test("JSON error locations", () => {
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(locateJsonError('{"a": 1}')).toBeUndefined();
    expect(describeJsonError("[1,2", new Error("x"))).toBe(
      "line 1, column 5: expected ',' or ']' after an array element, found the end of the text",
    );
    expect(describeJsonError('{"a":1,}', new Error("x"))).toBe('line 1, column 8: expected a property name in double quotes, found "}"');
  });
});

describe("drover schema", () => {
  test("prints the JSON Schema, 2-space indented with a trailing newline", async () => {
    const io = memoryIO(dir);
    expect(await main(["schema"], io)).toBe(0);
    const text = io.stdout();
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n')).toBe(true);
    expect(JSON.parse(text).$defs.Job.properties.ID.description).toBe("Job ID; required, no spaces or NUL characters.");
  });

  test("rejects arguments (exit 2)", async () => {
    const io = memoryIO(dir);
    expect(await main(["schema", "extra"], io)).toBe(2);
  });
});
