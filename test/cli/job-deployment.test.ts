/** `drover deployment list|status|promote|fail|pause|resume` end to end against the included runtime. */
import { api, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { canaryJob, drover, latestDeployment, liveAllocations, tempDir } from "./job-helpers";

type Obj = Record<string, any>;

describe("drover deployment (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);
  const apply = async (job: Obj) => {
    files.write(`${job.ID}.json`, job);
    const r = await run("apply", "--yes", "--timeout", "30s", `${job.ID}.json`);
    expect(r.err).toBe("");
    return r;
  };

  it("status shows the canaries waiting for promotion; promote by ID prefix rolls the rest; list shows both deployments", async () => {
    await apply(canaryJob("svc", { canary: 1, count: 2, autoRevert: true }));
    await apply(canaryJob("svc", { canary: 1, count: 2, autoRevert: true, runFor: "2h" }));
    const d = (await latestDeployment(t.address, "svc"))!;
    const prefix = d.ID.slice(0, 6);

    const status = await run("deployment", "status", prefix);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(
      new RegExp(
        `^ID {10}= ${d.ID.slice(0, 8)}\\nJob ID {6}= svc\\nJob Version = 1\\nStatus {6}= running\\nDescription = Deployment is running\\n\\nDeployed\\n`,
      ),
    );
    expect(status.out).toMatch(
      /Task Group {2}Auto Revert {2}Promoted {2}Desired {2}Canaries {2}Placed {2}Healthy {2}Unhealthy {2}Progress Deadline\nweb {9}true {9}false {5}2 {8}1 {9}1 {7}1 {8}0 {10}\d{4}-/,
    );
    expect(status.out).toContain("\n1 canary healthy (web 1/1); promote with `drover job promote svc`\n");

    const promoted = await run("deployment", "promote", prefix, "-timeout", "30s");
    expect(promoted.err).toBe("");
    expect(promoted.code).toBe(0);
    expect(promoted.out).toMatch(/Deployment [0-9a-f]{8}: successful/);
    expect(await liveAllocations(t.address, "svc")).toEqual(["1:running", "1:running"]);

    const list = await run("deployment", "list");
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID {8}Job ID {2}Job Version {2}Status {6}Description$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(1, 4))).toEqual([
      ["svc", "1", "successful"],
      ["svc", "0", "successful"],
    ]);
  });

  it("pause and resume; fail with auto-revert follows the revert's rollout", async () => {
    await apply(canaryJob("svc", { canary: 1, count: 2, autoRevert: true, runFor: "3h" }));
    const d = (await latestDeployment(t.address, "svc"))!;
    const paused = await run("deployment", "pause", d.ID);
    expect(paused.out).toBe(`==> Deployment ${d.ID.slice(0, 8)} of job "svc" paused\n`);
    expect((await latestDeployment(t.address, "svc"))!.Status).toBe("paused");
    expect((await run("deployment", "resume", d.ID)).code).toBe(0);
    expect((await latestDeployment(t.address, "svc"))!.Status).toBe("running");

    const failed = await run("deployment", "fail", d.ID.slice(0, 8), "-timeout", "30s");
    expect(failed.err).toBe("");
    expect(failed.code).toBe(0);
    expect(failed.out).toContain(`==> Deployment ${d.ID.slice(0, 8)} of job "svc" failed; auto-reverted to job version 1\n`);
    await waitFor(
      "the reverted version's allocations",
      async () => (await liveAllocations(t.address, "svc")).join() === "3:running,3:running",
      20_000,
    );
    expect((await api(t.address, "GET", "/v1/job/svc")).body.TaskGroups[0].Tasks[0].Config.run_for).toBe("2h");
  });

  it("names unknown deployments and usage errors", async () => {
    const missing = await run("deployment", "status", "ffffffff");
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('drover deployment status: No deployment(s) with prefix or ID "ffffffff" found in namespace "default"\n');
    expect((await run("deployment", "status")).code).toBe(2);
    const unknown = await run("deployment", "restart", "x");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown subcommand "restart"; expected one of list, status, promote, fail, pause, resume, unblock');
    const help = await run("deployment", "promote", "--help");
    expect(help.out).toContain("Usage: drover deployment promote [options] DEPLOYMENT");
  });
});
