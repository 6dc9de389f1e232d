/**
 * `drover plan`/`apply` against the included runtime for the jobs whose
 * lifecycle is more than "register the spec": counts an autoscaler set
 * (`--preserve-counts`), and run-once batch jobs (`--rerun`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { testIO } from "../plan/cli-io";

describe("plan and apply: preserved counts and run-once batch jobs", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1, gc: { intervalMs: 0 } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-apply-lc-"));
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ NOMAD_ADDR: t.address });
  const write = (file: string, job: Record<string, unknown>) => fs.writeFileSync(path.join(dir, file), JSON.stringify({ Job: job }));

  it("--preserve-counts keeps a count set by a scale, shows it as kept, and still applies the other changes", async () => {
    const job = mockJob("workers", { count: 1 }) as Record<string, any>;
    job.TaskGroups[0].Update.MinHealthyTime = 10_000_000;
    write("workers.json", job);
    expect(await main(["apply", "--yes", "workers.json"], testIO(dir, env()))).toBe(0);
    // The autoscaler scales to 3.
    const scaled = await api(t.address, "POST", "/v1/job/workers/scale", { Count: 3, Target: { Group: "web" }, Message: "queue is deep" });
    expect(scaled.status).toBe(200);
    await waitFor("3 running", async () => (await api(t.address, "GET", "/v1/job/workers/summary")).body.Summary.web.Running === 3);
    await waitFor(
      "the scale's deployment done",
      async () => (await api(t.address, "GET", "/v1/job/workers/deployment")).body.Status === "successful",
    );

    const plain = testIO(dir, env());
    expect(await main(["plan", "workers.json"], plain)).toBe(0);
    expect(plain.stdout()).toContain("~ TaskGroups[web].Count: 3 → 1 (forces destroy)");

    const kept = testIO(dir, env());
    expect(await main(["plan", "--detailed-exitcode", "--preserve-counts", "workers.json"], kept)).toBe(0);
    expect(kept.stdout()).toContain('  Job: "workers" (no changes)');
    expect(kept.stdout()).toContain("  = TaskGroups[web].Count: 3 (kept: --preserve-counts; the job says 1)");

    job.Meta = { release: "2" };
    write("workers.json", job);
    const apply = testIO(dir, env());
    expect(await main(["apply", "--yes", "--preserve-counts", "workers.json"], apply)).toBe(0);
    expect(apply.stdout()).toContain('+ Meta.release: "2"');
    expect(apply.stdout()).toContain("  = TaskGroups[web].Count: 3 (kept: --preserve-counts; the job says 1)");
    expect(apply.stdout()).not.toContain("Count: 3 → 1");
    const live = (await api(t.address, "GET", "/v1/job/workers")).body;
    expect(live).toMatchObject({ Version: 2, Meta: { release: "2" } });
    expect(live.TaskGroups[0].Count).toBe(3);
  });

  it("a batch job that finished is not run again by the next apply unless --rerun", async () => {
    write("once.json", mockJob("once", { type: "batch", runFor: "20ms" }));
    const first = testIO(dir, env());
    expect(await main(["apply", "--yes", "once.json"], first)).toBe(0);
    expect(first.stdout()).toContain('==> Job "once": complete');
    await waitFor("the batch job dead", async () => (await api(t.address, "GET", "/v1/job/once")).body.Status === "dead");

    const plan = testIO(dir, env());
    expect(await main(["plan", "--detailed-exitcode", "once.json"], plan)).toBe(0);
    expect(plan.stdout()).toContain('  Job: "once" (no changes; the batch job has finished and is not run again: --rerun runs it again)');
    const again = testIO(dir, env());
    expect(await main(["apply", "--yes", "once.json"], again)).toBe(0);
    expect(again.stdout()).toContain("No changes.");
    const firstRun = (await api(t.address, "GET", "/v1/job/once/allocations")).body as { ID: string }[];
    expect(firstRun).toHaveLength(1);

    const rerunPlan = testIO(dir, env());
    expect(await main(["plan", "--rerun", "once.json"], rerunPlan)).toBe(0);
    expect(rerunPlan.stdout()).toContain('-/+ Job: "once" (replace)');
    expect(rerunPlan.stdout()).toContain("! the batch job has finished: it is run again (purged and registered anew), as asked");
    const rerun = testIO(dir, env());
    expect(await main(["apply", "--yes", "--rerun", "once.json"], rerun)).toBe(0);
    expect(rerun.stdout()).toContain('==> Job "once": complete');
    // The current incarnation's one allocation is a new one, complete.
    const allocs = (await api(t.address, "GET", "/v1/job/once/allocations")).body as { ID: string; ClientStatus: string }[];
    expect(allocs.map((a) => a.ClientStatus)).toEqual(["complete"]);
    expect(allocs[0].ID).not.toBe(firstRun[0].ID);
  });
});
