/**
 * `drover job …` and `drover apply` through canaries, end to end against the
 * included runtime: a canary waits unpromoted, `drover job promote` rolls the
 * rest; `drover apply --promote`; `drover job fail` with auto-revert;
 * `drover job revert`; `drover job scale` within and outside the scaling policy.
 */
import { api, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { canaryJob, drover, latestDeployment, liveAllocations, tempDir } from "./job-helpers";

type Obj = Record<string, any>;

describe("drover job (against the included runtime)", () => {
  let t: TestAgent;
  let files: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
    files = tempDir();
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });

  const run = (...argv: string[]) => drover(t.address, files.dir, argv);
  const apply = async (job: Obj, ...flags: string[]) => {
    files.write(`${job.ID}.json`, job);
    return run("apply", "--yes", "--timeout", "30s", ...flags, `${job.ID}.json`);
  };
  const job = async (id: string) => (await api(t.address, "GET", `/v1/job/${id}`)).body as Obj;

  it("apply stops at healthy canaries; drover job promote promotes and the rest roll", async () => {
    const first = await apply(canaryJob("web", { canary: 1 }));
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Deployment [0-9a-f]{8}: successful \(web: 3\/3 healthy, 3 placed\)/);

    const second = await apply(canaryJob("web", { canary: 1, runFor: "2h" }));
    expect(second.err).toBe("");
    expect(second.code).toBe(0);
    expect(second.out).toMatch(
      /==> Deployment [0-9a-f]{8}: 1 canary healthy \(web 1\/1\); promote with `drover job promote web`\n==> Job "web": awaiting-promotion\n/,
    );
    expect(second.out).toContain("Canaries await promotion: drover job promote web");
    // The old version still runs beside the one canary; nothing was promoted.
    expect(await liveAllocations(t.address, "web")).toEqual(["0:running", "0:running", "0:running", "1:running"]);
    const waiting = await latestDeployment(t.address, "web");
    expect(waiting).toMatchObject({ Status: "running", JobVersion: 1, TaskGroups: { web: { Promoted: false, DesiredCanaries: 1 } } });

    const promoted = await run("job", "promote", "web", "-timeout", "30s");
    expect(promoted.err).toBe("");
    expect(promoted.code).toBe(0);
    expect(promoted.out).toContain(`==> Deployment ${waiting!.ID.slice(0, 8)} of job "web": promoted web\n`);
    expect(promoted.out).toMatch(/Deployment [0-9a-f]{8}: successful \(web: 3\/3 healthy, 3 placed, canaries 1\/1 promoted\)/);
    expect(promoted.out).toContain('==> Job "web": deployed');
    expect(await liveAllocations(t.address, "web")).toEqual(["1:running", "1:running", "1:running"]);
    expect((await latestDeployment(t.address, "web"))!.Status).toBe("successful");

    // Nothing left to promote: the latest deployment is done.
    const again = await run("job", "promote", "web");
    expect(again.code).toBe(1);
    expect(again.err).toContain(
      `drover job promote: the latest deployment of job "web" (${waiting!.ID.slice(0, 8)}) is successful: nothing to promote`,
    );
  });

  it("apply --promote promotes the healthy canaries and follows the rollout to the end", async () => {
    expect((await apply(canaryJob("api", { canary: 2, count: 2 }))).code).toBe(0);
    const res = await apply(canaryJob("api", { canary: 2, count: 2, runFor: "2h" }), "--promote");
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/==> Deployment [0-9a-f]{8}: canaries healthy \(web 2\/2\); promoting web\n/);
    expect(res.out).toMatch(/Deployment [0-9a-f]{8}: successful \(web: 2\/2 healthy, 2 placed, canaries 2\/2 promoted\)/);
    expect(res.out).not.toContain("Canaries await promotion");
    expect(await liveAllocations(t.address, "api")).toEqual(["1:running", "1:running"]);
  });

  it("job promote -group promotes one group; the other still waits", async () => {
    const twoGroups = (runFor: string) => {
      const j = canaryJob("duo", { canary: 1, count: 2, runFor });
      j.TaskGroups.push({ ...structuredClone(j.TaskGroups[0]), Name: "api" });
      return j;
    };
    expect((await apply(twoGroups("1h"))).code).toBe(0);
    const waiting = await apply(twoGroups("2h"));
    expect(waiting.out).toContain("==> Deployment");
    expect(waiting.out).toContain("2 canaries healthy (api 1/1, web 1/1); promote with `drover job promote duo`");
    const one = await run("job", "promote", "duo", "-group", "web", "-timeout", "30s");
    expect(one.err).toBe("");
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/==> Deployment [0-9a-f]{8} of job "duo": promoted web\n/);
    expect(one.out).toMatch(
      /==> Deployment [0-9a-f]{8}: 1 canary healthy \(api 1\/1\); promote with `drover job promote duo`\n==> Job "duo": awaiting-promotion\n$/,
    );
    const d = (await latestDeployment(t.address, "duo"))!;
    expect(d.TaskGroups.web.Promoted).toBe(true);
    expect(d.TaskGroups.api.Promoted).toBe(false);
    const bad = await run("job", "promote", "duo", "--group", "db");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('has no group "db" (groups: api, web)');
    const rest = await run("job", "promote", "duo", "-timeout", "30s");
    expect(rest.code).toBe(0);
    expect(rest.out).toMatch(/Deployment [0-9a-f]{8}: successful/);
  });

  it("job fail fails the waiting deployment and auto-revert rolls back to the stable version", async () => {
    expect((await apply(canaryJob("rev", { canary: 1, count: 2, autoRevert: true }))).code).toBe(0);
    const waiting = await apply(canaryJob("rev", { canary: 1, count: 2, autoRevert: true, runFor: "2h" }));
    expect(waiting.out).toContain("awaiting-promotion");
    const failed = await run("job", "fail", "rev", "--timeout", "30s");
    expect(failed.err).toBe("");
    expect(failed.code).toBe(0);
    expect(failed.out).toMatch(/==> Deployment [0-9a-f]{8} of job "rev" failed; auto-reverted to job version 0\n/);
    expect(failed.out).toContain('==> Job "rev" version 2 (the spec of version 0) is rolling out\n');
    expect(failed.out).toMatch(/Deployment [0-9a-f]{8}: successful \(web: 2\/2 healthy/);
    const j = await job("rev");
    expect(j.Version).toBe(2);
    expect(j.TaskGroups[0].Tasks[0].Config.run_for).toBe("1h");
    await waitFor(
      "only version 2 allocations",
      async () => (await liveAllocations(t.address, "rev")).join() === "2:running,2:running",
      20_000,
    );
    const failedDeployment = (await api(t.address, "GET", "/v1/job/rev/deployments")).body.find((d: Obj) => d.JobVersion === 1);
    expect(failedDeployment.StatusDescription).toBe("Deployment marked as failed - rolling back to job version 0");
  });

  it("job revert registers an older version again and follows its rollout", async () => {
    expect((await apply(canaryJob("old", { count: 2 }))).code).toBe(0);
    expect((await apply(canaryJob("old", { count: 2, runFor: "2h" }))).code).toBe(0);
    const refused = await run("job", "revert", "old", "0", "-enforce-prior-version", "5");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      'drover job revert: Error reverting job "old" to version 0: current job has version 1; enforcing version 5',
    );
    const res = await run("job", "revert", "-enforce-prior-version=1", "old", "0", "-timeout", "30s");
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/==> Job "old" reverted to version 0 \(was version 1; modify index \d+, evaluation [0-9a-f]{8}\)\n/);
    expect(res.out).toMatch(/Deployment [0-9a-f]{8}: successful \(web: 2\/2 healthy/);
    const j = await job("old");
    expect(j.Version).toBe(2);
    expect(j.TaskGroups[0].Tasks[0].Config.run_for).toBe("1h");
    expect(await liveAllocations(t.address, "old")).toEqual(["2:running", "2:running"]);
  });

  it("job scale moves within the scaling policy and is refused outside it, naming the limit", async () => {
    expect((await apply(canaryJob("workers", { count: 2, scaling: { Min: 1, Max: 4 } }))).code).toBe(0);
    const tooMany = await run("job", "scale", "workers", "5");
    expect(tooMany.code).toBe(1);
    expect(tooMany.err).toContain(
      'drover job scale: Error scaling group "web" of job "workers" to 5: group count was greater than scaling policy maximum: 5 > 4 (HTTP 400)',
    );
    const tooFew = await run("job", "scale", "workers", "web", "0");
    expect(tooFew.code).toBe(1);
    expect(tooFew.err).toContain("group count was less than scaling policy minimum: 0 < 1");

    const up = await run("job", "scale", "workers", "web", "4", "-timeout", "30s");
    expect(up.err).toBe("");
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/==> Job "workers" group "web" scaled from 2 to 4 \(modify index \d+, evaluation [0-9a-f]{8}\)\n/);
    expect(
      await waitFor(
        "4 running allocations",
        async () => ((await liveAllocations(t.address, "workers")).filter((a) => a.endsWith(":running")).length === 4 ? true : null),
        20_000,
      ),
    ).toBe(true);

    const down = await run("job", "scale", "workers", "1", "-timeout", "30s");
    expect(down.err).toBe("");
    expect(down.code).toBe(0);
    expect(down.out).toContain('group "web" scaled from 4 to 1');
    await waitFor("1 allocation left", async () => ((await liveAllocations(t.address, "workers")).length === 1 ? true : null), 20_000);
    const events = (await api(t.address, "GET", "/v1/job/workers/scale")).body.TaskGroups.web.Events as Obj[];
    expect(events.map((e) => [e.PreviousCount, e.Count, e.Message])).toEqual(
      expect.arrayContaining([
        [2, 4, "submitted using the drover CLI"],
        [4, 1, "submitted using the drover CLI"],
      ]),
    );
  });

  it("job scale follows the allocations of a group without deployments (max_parallel 0)", async () => {
    const plain = canaryJob("plain", { count: 2 });
    plain.TaskGroups[0].Update = { MaxParallel: 0 };
    expect((await apply(plain)).code).toBe(0);
    const up = await run("job", "scale", "plain", "4", "-timeout", "30s");
    expect(up.err).toBe("");
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/ {4}Allocations \(4 wanted\): 4 running, 0 pending\n==> Job "plain": running\n$/);
    expect(up.out).not.toContain("Deployment");
    const down = await run("job", "scale", "plain", "1", "-timeout", "30s");
    expect(down.code).toBe(0);
    expect(down.out).toMatch(/ {4}Allocations \(1 wanted\): 1 running, 0 pending\n==> Job "plain": running\n$/);
    await waitFor("one allocation left", async () => ((await liveAllocations(t.address, "plain")).length === 1 ? true : null), 20_000);
  });

  it("job status is drover status", async () => {
    expect((await apply(canaryJob("st", { count: 1 }))).code).toBe(0);
    const viaJob = await run("job", "status", "st");
    const direct = await run("status", "st");
    expect(viaJob.code).toBe(0);
    expect(viaJob.out).toContain("Latest Deployment");
    // Relative times may tick between the two calls; the rest is the same text.
    const strip = (s: string) => s.replace(/\d+[hms]\d*[ms]?\d*s? ago/g, "ago");
    expect(strip(viaJob.out)).toBe(strip(direct.out));
  });

  it("job scale -detach prints the evaluation and returns; errors name the job and group", async () => {
    expect((await apply(canaryJob("pair", { count: 1 }))).code).toBe(0);
    const res = await run("job", "scale", "-detach", "pair", "2");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/\nEvaluation ID: [0-9a-f]{8}\n$/);
    const missing = await run("job", "scale", "pair", "db", "2");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('drover job scale: group "db" not found in job "pair" (groups: web)');
    const noJob = await run("job", "promote", "nope");
    expect(noJob.code).toBe(1);
    expect(noJob.err).toContain('drover job promote: No job(s) with prefix or ID "nope" found in namespace "default"');
    // A unique prefix names the job, as with nomad (once the scale-up's deployment is over: Nomad refuses to scale during one).
    await waitFor("the scale-up deployment", async () => (await latestDeployment(t.address, "pair"))?.Status === "successful", 20_000);
    const byPrefix = await run("job", "scale", "-detach", "pai", "1");
    expect(byPrefix.err).toBe("");
    expect(byPrefix.out).toContain('==> Job "pair" group "web" scaled from 2 to 1');
  });
});

describe("drover job: usage", () => {
  const files = tempDir();
  afterAll(() => files.cleanup());
  const run = (...argv: string[]) => drover("http://127.0.0.1:1", files.dir, argv);

  it("lists the subcommands, and shows a subcommand's own usage with --help", async () => {
    const overview = await run("job", "--help");
    expect(overview.code).toBe(0);
    for (const sub of ["promote", "fail", "revert", "scale", "dispatch", "periodic-force", "status"])
      expect(overview.out).toMatch(new RegExp(`\\n  ${sub} +\\S`));
    const promote = await run("job", "promote", "--help");
    expect(promote.code).toBe(0);
    expect(promote.out).toContain("Usage: drover job promote [options] JOB");
    expect(promote.out).toContain("  -group G ");
    expect(promote.out).toContain("Exit codes: 0 success, 1 failure");
    const force = await run("job", "periodic", "force", "-h");
    expect(force.out).toContain("Usage: drover job periodic-force [options] JOB");
  });

  it("exits 2 on usage errors, with the subcommand's usage", async () => {
    const none = await run("job");
    expect(none.code).toBe(2);
    expect(none.err).toContain(
      "drover job: expected a subcommand: status, inspect, history, versions, validate, allocs, deployments, stop, promote, fail, revert, scale, dispatch, periodic-force",
    );
    const unknown = await run("job", "restart", "web");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown subcommand "restart"');
    const scale = await run("job", "scale", "web");
    expect(scale.code).toBe(2);
    expect(scale.err).toContain(
      "drover job: expected JOB [GROUP] COUNT, got 1 argument\n\nUsage: drover job scale [options] JOB [GROUP] COUNT",
    );
    expect((await run("job", "scale", "web", "many")).err).toContain('COUNT must be a non-negative integer, got "many"');
    expect((await run("job", "promote", "-bogus", "web")).code).toBe(2);
    expect((await run("job", "dispatch", "batch", "-meta", "novalue")).err).toContain('-meta "novalue" must be KEY=VALUE');
    expect((await run("job", "revert", "web")).err).toContain("expected a job ID and a version (or tag), got 1 argument");
  });

  it("exits 1 when Nomad cannot be reached", async () => {
    const res = await run("job", "promote", "-detach", "web");
    expect(res.code).toBe(1);
    expect(res.err).toContain("cannot reach the Nomad agent at http://127.0.0.1:1");
  });
});
