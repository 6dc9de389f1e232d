/** `drover eval list|status` end to end against the included runtime (one simulated node). */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

type Obj = Record<string, any>;

describe("drover eval (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);
  let placed: Obj;
  let blocked: Obj;

  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1, client: false });
    const fits = (await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("fits", { count: 1 }) })).body as Obj;
    const huge = (await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("too-big", { count: 2, memoryMB: 10_000_000 }) })).body as Obj;
    const done = (id: string) =>
      waitFor(`evaluation ${id} processed`, async () => {
        const e = (await api(t.address, "GET", `/v1/evaluation/${id}`)).body as Obj;
        return e.Status === "complete" ? e : null;
      });
    placed = await done(fits.EvalID);
    blocked = await done(huge.EvalID);
    await waitFor(
      "the allocation of fits",
      async () => ((await api(t.address, "GET", "/v1/job/fits/allocations")).body as Obj[]).length === 1,
    );
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });

  it("list shows the evaluations; -job and -status filter; -json prints them; -verbose full IDs", async () => {
    const r = await run("eval", "list");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+Priority\s+Triggered By\s+Job ID\s+Namespace\s+Node ID\s+Status\s+Placement Failures$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${placed.ID.slice(0, 8)}\\s+50\\s+job-register\\s+fits\\s+default\\s+<none>\\s+complete\\s+false$`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${blocked.ID.slice(0, 8)}\\s+50\\s+job-register\\s+too-big\\s+default\\s+<none>\\s+complete\\s+true$`),
      ),
    );
    const onlyFits = await run("eval", "list", "-job", "fits", "-json");
    const fitsEvals = JSON.parse(onlyFits.out) as Obj[];
    expect(fitsEvals.map((e) => e.ID)).toContain(placed.ID);
    expect(fitsEvals.every((e) => e.JobID === "fits")).toBe(true);
    const blockedOnes = await run("eval", "list", "-status", "blocked", "-verbose");
    expect(blockedOnes.out).toContain(blocked.BlockedEval);
    expect(blockedOnes.out).toMatch(/N\/A - In Progress/);
    const none = await run("eval", "list", "-job", "nothing");
    expect(none.out).toBe("No evals found\n");
    const bad = await run("eval", "list", "-status", "sleeping");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("Invalid status value");
    expect((await run("eval", "list", "extra")).code).toBe(2);
  });

  it("status shows one evaluation by prefix: its facts and placed allocations", async () => {
    const r = await run("eval", "status", placed.ID.slice(0, 6));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^ID {17}= ${placed.ID.slice(0, 8)}\\n`));
    expect(r.out).toContain("Status             = complete\n");
    expect(r.out).toContain("TriggeredBy        = job-register\n");
    expect(r.out).toContain("Job ID             = fits\n");
    expect(r.out).toContain("Placement Failures = false\n");
    expect(r.out).toMatch(
      /\nPlaced Allocations\nID\s+Node ID\s+Task Group\s+Version\s+Desired\s+Status\s+Created\s+Modified\n[0-9a-f]{8}\s+[0-9a-f]{8}\s+web\s+0\s+run\s+/,
    );
    // -monitor follows it (already complete) and the deployment it belongs to, to its end.
    const monitored = await run("eval", "status", "-monitor", placed.ID);
    expect(monitored.err).toBe("");
    expect(monitored.code).toBe(0);
    expect(monitored.out).toMatch(/^==> \S+: Monitoring evaluation "[0-9a-f]{8}"\n {4}\S+: Evaluation triggered by job "fits"\n/);
    expect(monitored.out).toMatch(/Allocation "[0-9a-f]{8}" created: node "[0-9a-f]{8}", group "web"\n/);
    expect(monitored.out).toMatch(
      /Deployment "[0-9a-f]{8}" successful: Deployment completed successfully\n\nID\s+= [0-9a-f]{8}\nJob ID\s+= fits\n/,
    );
    const json = await run("eval", "status", "-json", placed.ID);
    expect(JSON.parse(json.out)).toMatchObject({ ID: placed.ID, JobID: "fits", Status: "complete" });
  });

  it("status explains failed placements and names the blocked evaluation", async () => {
    const r = await run("eval", "status", blocked.ID);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Placement Failures = true\n");
    expect(r.out).toContain('\nFailed Placements\nTask Group "web" (failed to place 2 allocations):\n  * Resources exhausted on 1 nodes\n');
    expect(r.out).toContain('  * Dimension "memory" exhausted on 1 nodes\n');
    expect(r.out).toContain(`\nEvaluation "${blocked.BlockedEval.slice(0, 8)}" waiting for additional capacity to place remainder\n`);
  });

  it("refuses a one-character ID and names a prefix that matches nothing", async () => {
    const short = await run("eval", "status", "a");
    expect(short.code).toBe(1);
    expect(short.err).toContain("Identifier must contain at least two characters.");
    const none = await run("eval", "status", "zz");
    expect(none.code).toBe(1);
    expect(none.err).toContain('No evaluation(s) with prefix or id "zz" found');
    expect((await run("eval", "status")).code).toBe(2);
    expect((await run("eval", "--help")).out).toContain("Usage: drover eval <subcommand>");
  });
});
