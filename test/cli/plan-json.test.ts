/**
 * `drover plan --json` against the included runtime: one document per run,
 * valid against the schema `drover schema --plan` prints, for a create, an
 * update (raw nanoseconds where the text shows durations), a replacement,
 * a no-op, a finished batch job and a preserved count; and the schema
 * itself refusing what it should.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { planJsonSchema } from "../../lib/plan";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { testIO } from "../plan/cli-io";
import { planSchemaErrors } from "../plan/plan-schema";

type Obj = Record<string, any>;

describe("drover plan --json", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-plan-json-"));
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (file: string, job: Obj) => fs.writeFileSync(path.join(dir, file), JSON.stringify({ Job: job }));
  async function planJson(...argv: string[]): Promise<{ code: number; doc: Obj }> {
    const io = testIO(dir, { NOMAD_ADDR: t.address });
    const code = await main(["plan", "--json", ...argv], io);
    expect(io.stderr()).toBe("");
    const doc = JSON.parse(io.stdout());
    expect(planSchemaErrors(doc)).toEqual([]);
    return { code, doc };
  }

  it("prints one valid document for every kind of plan", async () => {
    const svc = mockJob("svc", { count: 1 }) as Obj;
    svc.TaskGroups[0].Update.MinHealthyTime = 10e9;
    write("svc.json", svc);
    write("once.json", mockJob("once", { type: "batch", runFor: "10ms" }));
    const created = await planJson("svc.json", "once.json");
    expect(created.doc).toMatchObject({
      formatVersion: 1,
      changes: true,
      summary: { create: 2, update: 0, replace: 0, noop: 0, delete: 0 },
    });
    expect(created.doc.jobs[0]).toMatchObject({
      id: "svc",
      namespace: "default",
      action: "create",
      enforceIndex: 0,
      liveVersion: null,
      annotations: { web: { Place: 1 } },
    });

    for (const f of ["svc.json", "once.json"])
      expect(await main(["apply", "--yes", "--detach", f], testIO(dir, { NOMAD_ADDR: t.address }))).toBe(0);
    await waitFor("the batch job dead", async () => (await api(t.address, "GET", "/v1/job/once")).body.Status === "dead");
    const live = (await api(t.address, "GET", "/v1/job/svc")).body;

    svc.TaskGroups[0].Update.MinHealthyTime = 5e9;
    svc.TaskGroups[0].Count = 3;
    write("svc.json", svc);
    const text = testIO(dir, { NOMAD_ADDR: t.address });
    expect(await main(["plan", "svc.json"], text)).toBe(0);
    expect(text.stdout()).toContain("~ TaskGroups[web].Update.MinHealthyTime: 10s → 5s");
    const updated = await planJson("svc.json", "once.json");
    expect(updated.doc.summary).toMatchObject({ update: 1, noop: 1 });
    const [u, n] = updated.doc.jobs;
    expect(u).toMatchObject({ action: "update", enforceIndex: live.JobModifyIndex, liveVersion: 0 });
    expect(u.changes).toContainEqual({
      path: "TaskGroups[web].Update.MinHealthyTime",
      segments: ["TaskGroups", { name: "web" }, "Update", "MinHealthyTime"],
      kind: "update",
      old: 10e9,
      new: 5e9,
      effect: "in-place",
      forcesReplacement: false,
    });
    expect(u.changes).toContainEqual(expect.objectContaining({ path: "TaskGroups[web].Count", old: 1, new: 3, effect: "scale" }));
    expect(u.annotations.web).toMatchObject({ Place: 2 });
    expect(n).toMatchObject({ id: "once", action: "no-op", finished: true, changes: [] });

    const kept = await planJson("--preserve-counts", "svc.json");
    expect(kept.doc.jobs[0].preservedCounts).toEqual([{ group: "web", live: 1, desired: 3 }]);
    expect(kept.doc.jobs[0].changes.map((c: Obj) => c.path)).toEqual(["TaskGroups[web].Update.MinHealthyTime"]);
    const rerun = await planJson("--rerun", "once.json");
    expect(rerun.doc.jobs[0]).toMatchObject({
      action: "replace",
      replacementReasons: ["the batch job has finished: it is run again (purged and registered anew), as asked"],
    });

    write("svc.json", { ...svc, Type: "batch", TaskGroups: [{ ...svc.TaskGroups[0], Update: undefined }] });
    const replaced = await planJson("--detailed-exitcode", "svc.json");
    expect(replaced.code).toBe(2);
    expect(replaced.doc.jobs[0]).toMatchObject({ action: "replace", enforceIndex: 0 });
    expect(replaced.doc.jobs[0].replacementReasons[0]).toMatch(/^Type changes from "service" to "batch"/);
  });

  it("plan --destroy --json lists the jobs destroy would stop as delete entries, and changes nothing", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("doomed") });
    const live = (await api(t.address, "GET", "/v1/job/doomed")).body;
    const { code, doc } = await planJson("--destroy", "--detailed-exitcode", "doomed");
    expect(code).toBe(2);
    expect(doc).toMatchObject({ changes: true, summary: { delete: 1, create: 0 } });
    expect(doc.jobs).toEqual([
      expect.objectContaining({ id: "doomed", action: "delete", enforceIndex: live.JobModifyIndex, liveVersion: 0, changes: [] }),
    ]);
    const text = testIO(dir, { NOMAD_ADDR: t.address });
    expect(await main(["plan", "--destroy", "--purge", "doomed"], text)).toBe(0);
    expect(text.stdout()).toMatch(/- Job: "doomed" \(service, \d allocations? running\): purge\n\nPlan: 1 to purge\.\n/);
    expect((await api(t.address, "GET", "/v1/job/doomed")).body.Stop).toBe(false);
    expect(await main(["plan", "--purge", "doomed"], testIO(dir, {}))).toBe(2);
  });

  it("the schema drover schema --plan prints is the one the documents validate against, and it refuses a wrong document", async () => {
    const io = testIO(dir, {});
    expect(await main(["schema", "--plan"], io)).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual(planJsonSchema());
    const good = { formatVersion: 1, jobs: [], summary: { create: 0, update: 0, replace: 0, noop: 0, delete: 0 }, changes: false };
    expect(planSchemaErrors(good)).toEqual([]);
    expect(planSchemaErrors({ ...good, formatVersion: 2 }).length).toBeGreaterThan(0);
    expect(planSchemaErrors({ ...good, extra: true }).length).toBeGreaterThan(0);
    const job = {
      id: "x",
      namespace: "default",
      region: "global",
      action: "bogus",
      replacementReasons: [],
      changes: [],
      annotations: {},
      placementFailures: {},
      preemptions: [],
      enforceIndex: 0,
      liveVersion: null,
      preservedCounts: [],
      finished: false,
      nextPeriodicLaunch: null,
      warnings: [],
    };
    expect(planSchemaErrors({ ...good, jobs: [job] }).join("\n")).toMatch(/\/jobs\/0\/action/);
    expect(planSchemaErrors({ ...good, jobs: [{ ...job, action: "no-op" }] })).toEqual([]);
  });
});
