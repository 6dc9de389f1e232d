import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import type { FakeNomad } from "../api/fake-nomad";
import { fixture } from "./fixtures";
import { testIO } from "./cli-io";
import { desiredExample, fakeCluster } from "./scenario";

type Obj = Record<string, any>;

describe("drover plan / apply / destroy", () => {
  let dir: string;
  let fake: FakeNomad;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-cli-"));
  });
  afterEach(async () => {
    await fake?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function writeJob(name: string, job: Obj): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({ Job: job }, null, 2));
    return name;
  }

  it("plan: shows no changes and exits 0, also with --detailed-exitcode", async () => {
    fake = await fakeCluster();
    writeJob("example.json", desiredExample());
    const io = testIO(dir, { NOMAD_ADDR: fake.address });
    expect(await main(["plan", "example.json"], io)).toBe(0);
    expect(io.stdout()).toContain('  Job: "example" (no changes)');
    expect(io.stdout()).toContain("No changes. The cluster matches the jobs.");
    expect(await main(["plan", "--detailed-exitcode", "example.json"], testIO(dir, { NOMAD_ADDR: fake.address }))).toBe(0);
  });

  it("plan: a directory of .json files; exit 2 with --detailed-exitcode when something changes", async () => {
    fake = await fakeCluster({ plan: fixture("server/plan-inplace.json") });
    const d = desiredExample();
    d.TaskGroups[0].Tasks[0].KillTimeout = 10e9;
    fs.mkdirSync(path.join(dir, "dist"));
    writeJob("dist/example.json", d);
    const io = testIO(dir, {}, false);
    expect(await main(["plan", "--detailed-exitcode", "--address", fake.address, "dist"], io)).toBe(2);
    expect(io.stdout()).toContain("~ TaskGroups[cache].Tasks[redis].KillTimeout: 5s → 10s");
    expect(io.stdout()).toContain("Plan: 0 to create, 1 to update, 0 to replace, 0 unchanged.");
  });

  it("plan: exit 2 for unreadable input and for usage errors, 1 when Nomad is unreachable", async () => {
    const io = testIO(dir, {});
    expect(await main(["plan", "missing.json"], io)).toBe(2);
    expect(io.stderr()).toContain("missing.json: no such file or directory");
    fs.writeFileSync(path.join(dir, "job.yaml"), "job:\n  id: web\n");
    const yaml = testIO(dir, {});
    expect(await main(["plan", "job.yaml"], yaml)).toBe(2);
    expect(yaml.stderr()).toContain("job.yaml: YAML job files are not supported; use JSON or HCL");
    expect(await main(["plan"], testIO(dir, {}))).toBe(2);
    expect(await main(["plan", "--bogus", "x.json"], testIO(dir, {}))).toBe(2);
    writeJob("example.json", desiredExample());
    const io2 = testIO(dir, { NOMAD_ADDR: "http://127.0.0.1:1" });
    expect(await main(["plan", "example.json"], io2)).toBe(1);
    expect(io2.stderr()).toContain("cannot reach the Nomad agent at http://127.0.0.1:1");
  });

  it("plan: synthesizes a drover program (PROGRAM.ts) first, as drover synth does", async () => {
    const { FakeNomad } = await import("../api/fake-nomad");
    fake = await new FakeNomad()
      .on("GET", "/v1/job/redis", { status: 404, body: "job not found" })
      .on("PUT", "/v1/job/redis/plan", { body: fixture("server/plan-create.json") })
      .start();
    const repo = path.join(__dirname, "..", "..");
    const io = testIO(repo, { ...process.env, NOMAD_ADDR: fake.address });
    expect(await main(["plan", "examples/redis/main.ts"], io)).toBe(0);
    expect(io.stdout()).toContain('+ Job: "redis"');
    expect(JSON.parse(fake.to("/v1/job/redis/plan")[0].body).Job.ID).toBe("redis");
  });

  it("apply: never waits on a prompt without a terminal", async () => {
    fake = await fakeCluster({ plan: fixture("server/plan-inplace.json") });
    const d = desiredExample();
    d.TaskGroups[0].Tasks[0].KillTimeout = 10e9;
    writeJob("example.json", d);
    const io = testIO(dir, { NOMAD_ADDR: fake.address }, false);
    expect(await main(["apply", "example.json"], io)).toBe(1);
    expect(io.stderr()).toContain("no terminal to ask for confirmation on; pass --yes");
    expect(fake.to("/v1/jobs")).toHaveLength(0);
  });

  it("apply: a terminal answer other than yes cancels", async () => {
    fake = await fakeCluster({ plan: fixture("server/plan-inplace.json") });
    const d = desiredExample();
    d.TaskGroups[0].Tasks[0].KillTimeout = 10e9;
    writeJob("example.json", d);
    const io = testIO(dir, { NOMAD_ADDR: fake.address }, true);
    io.in.end("no\n");
    expect(await main(["apply", "example.json"], io)).toBe(1);
    expect(io.stdout()).toContain("Apply 1 job? Only 'yes' will be accepted:");
    expect(fake.to("/v1/jobs")).toHaveLength(0);
  });

  it("apply --yes --detach: registers and prints plain progress lines when not on a terminal", async () => {
    fake = await fakeCluster({ plan: fixture("server/plan-inplace.json") });
    const d = desiredExample();
    d.TaskGroups[0].Tasks[0].KillTimeout = 10e9;
    writeJob("example.json", d);
    fake.on("PUT", "/v1/jobs", {
      body: { EvalID: "2deb5f06-a100-f01a-3316-5e501a4965e7", EvalCreateIndex: 30, JobModifyIndex: 30, Warnings: "" },
    });
    fake.on("GET", "/v1/evaluation/2deb5f06-a100-f01a-3316-5e501a4965e7", {
      body: {
        ID: "2deb5f06-a100-f01a-3316-5e501a4965e7",
        Status: "complete",
        StatusDescription: "",
        FailedTGAllocs: null,
        CreateIndex: 30,
        ModifyIndex: 31,
      },
    });
    const io = testIO(dir, { NOMAD_ADDR: fake.address }, false);
    expect(await main(["apply", "--yes", "--detach", "example.json"], io)).toBe(0);
    expect(io.stdout()).toContain(
      '==> Job "example" registered (modify index 30, evaluation 2deb5f06)\n    Evaluation 2deb5f06: complete\n==> Job "example": detached\n',
    );
    expect(io.stdout()).toContain("Applied 1 job.");
    expect(io.stdout()).not.toContain("\x1b[");
  });

  it("apply: reports a concurrent modification and exits 1", async () => {
    fake = await fakeCluster({ plan: fixture("server/plan-inplace.json") });
    const d = desiredExample();
    d.TaskGroups[0].Tasks[0].KillTimeout = 10e9;
    writeJob("example.json", d);
    fake.on("PUT", "/v1/jobs", { status: 500, body: "Enforcing job modify index 16: job exists with conflicting job modify index: 21" });
    const io = testIO(dir, { NOMAD_ADDR: fake.address });
    expect(await main(["apply", "-y", "example.json"], io)).toBe(1);
    expect(io.stderr()).toContain(
      'drover apply: job "example" was changed by someone else since the plan (modify index 16 → 21): plan again',
    );
  });

  it("apply: rejects a bad --timeout as a usage error", async () => {
    expect(await main(["apply", "--timeout", "soon", "x.json"], testIO(dir, {}))).toBe(2);
  });

  it("destroy: asks unless --yes, and purges with --purge", async () => {
    fake = await fakeCluster();
    fake.on("DELETE", "/v1/job/example", { body: { EvalID: "", EvalCreateIndex: 0, JobModifyIndex: 40 } });
    fake.on("GET", "/v1/job/example/allocations", { body: [] });
    fake.on("GET", "/v1/jobs", { body: [] });
    const noTTY = testIO(dir, { NOMAD_ADDR: fake.address });
    expect(await main(["destroy", "example"], noTTY)).toBe(1);
    expect(noTTY.stderr()).toContain("pass --yes");
    const io = testIO(dir, { NOMAD_ADDR: fake.address });
    expect(await main(["destroy", "--purge", "--yes", "example"], io)).toBe(0);
    expect(io.stdout()).toContain('==> Job "example" purged');
    expect(fake.requests.filter((r) => r.method === "DELETE").map((r) => r.query.get("purge"))).toEqual(["true"]);
    expect(await main(["destroy"], testIO(dir, {}))).toBe(2);
  });
});
