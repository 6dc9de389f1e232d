/**
 * Periodic jobs end to end: an agent whose server clock the test steps
 * forward (ShiftClock), so that minutes pass without sleeping. The launcher
 * fires inside `jump`, so whether a launch happened is known when it returns.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { ShiftClock } from "../../helpers/shift-clock";

const jobPath = (id: string, suffix = "") => `/v1/job/${encodeURIComponent(id)}${suffix}`;

/** Heartbeat TTLs far longer than any jump, so that stepping the clock never marks the node down. */
const LONG_HEARTBEATS = { minTTLMs: 2 * 86_400_000, graceMs: 86_400_000 };

function periodicJob(id: string, periodic: Record<string, unknown>, runFor = "1h"): Record<string, unknown> {
  return { ...mockJob(id, { type: "batch", runFor }), Periodic: { Spec: "* * * * *", ...periodic } };
}

async function children(t: TestAgent, parent: string): Promise<{ ID: string; ParentID: string; Status: string }[]> {
  const r = await api(t.address, "GET", `/v1/jobs?prefix=${encodeURIComponent(parent + "/periodic-")}`);
  return r.body
    .filter((j: { ParentID: string }) => j.ParentID === parent)
    .sort((a: { ID: string }, b: { ID: string }) => (a.ID < b.ID ? -1 : 1));
}

async function register(t: TestAgent, job: Record<string, unknown>): Promise<{ EvalID: string }> {
  const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
  expect(r.status).toBe(200);
  return r.body;
}

async function waitAllocStatus(t: TestAgent, jobID: string, status: string): Promise<void> {
  await waitFor(`an allocation of ${jobID} ${status}`, async () => {
    const r = await api(t.address, "GET", jobPath(jobID, "/allocations"));
    return r.body.length > 0 && r.body.every((a: { ClientStatus: string }) => a.ClientStatus === status);
  });
}

describe("periodic jobs", () => {
  let t: TestAgent;
  let clock: ShiftClock;

  beforeAll(async () => {
    // Start 10 s after a minute boundary, so that no launch is due while the test sets up.
    const now = Date.now();
    clock = new ShiftClock(Math.floor(now / 60_000) * 60_000 + 10_000);
    t = await startTestAgent({ clock, heartbeat: LONG_HEARTBEATS });
  });

  afterAll(async () => {
    await t.stop();
  });

  it("launches a child at each scheduled time; the parent never runs itself and counts its children", async () => {
    const r = await register(t, periodicJob("every-minute", {}));
    expect(r.EvalID).toBe("");
    expect(await children(t, "every-minute")).toEqual([]);

    const first = clock.jumpToNextMinute();
    let kids = await children(t, "every-minute");
    expect(kids.map((k) => k.ID)).toEqual([`every-minute/periodic-${first / 1000}`]);
    const childID = kids[0].ID;
    const child = (await api(t.address, "GET", jobPath(childID))).body;
    expect(child).toMatchObject({ ParentID: "every-minute", Name: childID, Periodic: null, Type: "batch", Version: 0 });
    const evals = (await api(t.address, "GET", jobPath(childID, "/evaluations"))).body;
    expect(evals.map((e: { TriggeredBy: string }) => e.TriggeredBy)).toEqual(["periodic-job"]);
    await waitAllocStatus(t, childID, "running");

    // Overlap is allowed by default: the next minute launches a second child beside the running one.
    const second = clock.jumpToNextMinute();
    kids = await children(t, "every-minute");
    expect(kids.map((k) => k.ID)).toEqual([`every-minute/periodic-${first / 1000}`, `every-minute/periodic-${second / 1000}`]);
    const summary = await waitFor("two running children", async () => {
      const s = (await api(t.address, "GET", jobPath("every-minute", "/summary"))).body;
      return s.Children.Running === 2 ? s : null;
    });
    expect(summary.Children).toEqual({ Pending: 0, Running: 2, Dead: 0 });

    const parent = (await api(t.address, "GET", jobPath("every-minute"))).body;
    expect(parent.Status).toBe("running");
    expect((await api(t.address, "GET", jobPath("every-minute", "/allocations"))).body).toEqual([]);
    expect((await api(t.address, "GET", jobPath("every-minute", "/evaluations"))).body).toEqual([]);
    const stub = (await api(t.address, "GET", "/v1/jobs?prefix=every-minute")).body.find((j: { ID: string }) => j.ID === "every-minute");
    expect(stub).toMatchObject({ Periodic: true, ParentID: "" });
    const ev = await api(t.address, "PUT", jobPath("every-minute", "/evaluate"), {});
    expect(ev.status).toBe(400);
    expect(ev.text).toBe("can't evaluate periodic job");

    // Stopping the parent stops the launches.
    await api(t.address, "DELETE", jobPath("every-minute"));
    clock.jumpToNextMinute();
    expect(await children(t, "every-minute")).toHaveLength(2);
  });

  it("skips a launch while a previous child still runs when the job prohibits overlap, and launches again once it is done", async () => {
    await register(t, periodicJob("no-overlap", { ProhibitOverlap: true }));
    const first = clock.jumpToNextMinute();
    const firstID = `no-overlap/periodic-${first / 1000}`;
    expect((await children(t, "no-overlap")).map((k) => k.ID)).toEqual([firstID]);
    await waitAllocStatus(t, firstID, "running");

    clock.jumpToNextMinute();
    expect((await children(t, "no-overlap")).map((k) => k.ID)).toEqual([firstID]);

    // Stop the running child; once its allocation is done, the next time launches.
    await api(t.address, "DELETE", jobPath(firstID));
    await waitAllocStatus(t, firstID, "complete");
    await waitFor("the stopped child's evaluations to finish", async () => {
      const evals = (await api(t.address, "GET", jobPath(firstID, "/evaluations"))).body;
      return evals.every((e: { Status: string }) => e.Status === "complete");
    });
    const third = clock.jumpToNextMinute();
    expect((await children(t, "no-overlap")).map((k) => k.ID)).toEqual([firstID, `no-overlap/periodic-${third / 1000}`]);
    await api(t.address, "DELETE", jobPath("no-overlap"));
  });

  it("launches at the spec's time in the job's time zone, and reports it as the plan's NextPeriodicLaunch", async () => {
    // 09:00 Tokyo is 00:00 UTC; find the next one from the agent's clock.
    const now = clock.nowMs();
    const nextMidnightUTC = Math.floor(now / 86_400_000) * 86_400_000 + 86_400_000;
    const job = periodicJob("tokyo", { Spec: "0 9 * * *", TimeZone: "Asia/Tokyo" });
    const plan = await api(t.address, "PUT", jobPath("tokyo", "/plan"), { Job: job });
    expect(plan.status).toBe(200);
    expect(plan.body.NextPeriodicLaunch).toBe(new Date(nextMidnightUTC).toISOString());
    await register(t, job);

    clock.jump(nextMidnightUTC - 1000 - clock.nowMs());
    expect(await children(t, "tokyo")).toEqual([]);
    clock.jump(1500);
    expect((await children(t, "tokyo")).map((k) => k.ID)).toEqual([`tokyo/periodic-${nextMidnightUTC / 1000}`]);
    await api(t.address, "DELETE", jobPath("tokyo"));
  });

  it("honours several specs and skips a disabled job", async () => {
    const base = Math.floor(clock.nowMs() / 60_000) * 60_000 + 60_000; // the next whole minute; both specs fall within the next 20 minutes
    const m = (ms: number) => new Date(ms).getUTCMinutes();
    await register(
      t,
      periodicJob("two-specs", { Spec: "", Specs: [`${m(base + 20 * 60_000)} * * * *`, `${m(base + 5 * 60_000)} * * * *`] }),
    );
    await register(t, periodicJob("disabled", { Enabled: false }));
    clock.jump(base + 5 * 60_000 + 500 - clock.nowMs());
    expect((await children(t, "two-specs")).map((k) => k.ID)).toEqual([`two-specs/periodic-${(base + 5 * 60_000) / 1000}`]);
    clock.jump(15 * 60_000);
    expect((await children(t, "two-specs")).map((k) => k.ID)).toEqual([
      `two-specs/periodic-${(base + 5 * 60_000) / 1000}`,
      `two-specs/periodic-${(base + 20 * 60_000) / 1000}`,
    ]);
    expect(await children(t, "disabled")).toEqual([]);
    expect((await api(t.address, "GET", jobPath("disabled"))).body.Status).toBe("running");
    const forced = await api(t.address, "PUT", jobPath("disabled", "/periodic/force"));
    expect(forced.status).toBe(400);
    expect(forced.text).toBe('force launch for job "disabled" failed: can\'t force run non-tracked job "disabled" (default)');
    await api(t.address, "DELETE", jobPath("two-specs"));
  });

  it("runs a periodic parameterized job only through its dispatched children, each launched on the schedule", async () => {
    await register(t, { ...periodicJob("report", {}, "50ms"), ParameterizedJob: { MetaRequired: ["team"] } });
    clock.jumpToNextMinute();
    expect(await children(t, "report")).toEqual([]);
    const d = await api(t.address, "PUT", jobPath("report", "/dispatch"), { Meta: { team: "data" } });
    expect(d.status).toBe(200);
    expect(d.body.EvalID).toBe("");
    const childID: string = d.body.DispatchedJobID;
    const child = (await api(t.address, "GET", jobPath(childID))).body;
    expect(child).toMatchObject({ ParentID: "report", Dispatched: true, Status: "running", Meta: { team: "data" } });
    const launched = clock.jumpToNextMinute();
    expect((await children(t, childID)).map((k) => k.ID)).toEqual([`${childID}/periodic-${launched / 1000}`]);
    await api(t.address, "DELETE", jobPath(childID));
    await api(t.address, "DELETE", jobPath("report"));
  });

  it("force-launches a child now, which runs to completion and is counted dead", async () => {
    await register(t, periodicJob("forced", { Spec: "0 0 1 1 *" }, "50ms"));
    const r = await api(t.address, "PUT", jobPath("forced", "/periodic/force"));
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(["EvalCreateIndex", "EvalID", "Index"]);
    expect(r.body.Index).toBe(r.body.EvalCreateIndex);
    const kids = await children(t, "forced");
    expect(kids).toHaveLength(1);
    expect(kids[0].ID).toMatch(/^forced\/periodic-\d+$/);
    const evals = (await api(t.address, "GET", jobPath(kids[0].ID, "/evaluations"))).body;
    expect(evals[0]).toMatchObject({ ID: r.body.EvalID, TriggeredBy: "periodic-job" });
    await waitFor("the forced child to finish", async () => (await api(t.address, "GET", jobPath(kids[0].ID))).body.Status === "dead");
    await waitAllocStatus(t, kids[0].ID, "complete");
    await waitFor(
      "the parent to count a dead child",
      async () => (await api(t.address, "GET", jobPath("forced", "/summary"))).body.Children.Dead === 1,
    );

    const plain = await register(t, mockJob("not-periodic", { type: "batch", runFor: "50ms" }));
    expect(plain.EvalID).not.toBe("");
    const bad = await api(t.address, "PUT", jobPath("not-periodic", "/periodic/force"));
    expect(bad.status).toBe(400);
    expect(bad.text).toBe("can't force launch non-periodic job");
    const missing = await api(t.address, "PUT", jobPath("missing", "/periodic/force"));
    expect(missing.status).toBe(404);
    expect((await api(t.address, "GET", jobPath("forced", "/periodic/force"))).status).toBe(405);
  });
});

describe("periodic jobs and later changes", () => {
  let t: TestAgent;

  beforeAll(async () => {
    t = await startTestAgent();
  });

  afterAll(async () => {
    await t.stop();
  });

  it("runs on the real clock: a 7-field spec launches every second, each second once; `*/1 * * * * *` means every minute", async () => {
    const minutely = periodicJob("minutely", { Spec: "*/1 * * * * *" });
    const plan = await api(t.address, "PUT", jobPath("minutely", "/plan"), { Job: minutely });
    expect(plan.status).toBe(200);
    expect(new Date(plan.body.NextPeriodicLaunch).getUTCSeconds()).toBe(0);

    await register(t, periodicJob("per-second", { Spec: "* * * * * * *" }, "10ms"));
    const kids = await waitFor(
      "two launches",
      async () => {
        const k = await children(t, "per-second");
        return k.length >= 2 ? k : null;
      },
      10_000,
    );
    await api(t.address, "DELETE", jobPath("per-second"));
    const seconds = kids.map((k) => Number(k.ID.slice("per-second/periodic-".length)));
    expect(seconds[1] - seconds[0]).toBe(1);
  });

  it("launches children of the scaled job after a scale of the parent", async () => {
    await register(t, periodicJob("scaled", { Spec: "0 0 1 1 *" }));
    const s = await api(t.address, "PUT", jobPath("scaled", "/scale"), { Count: 2, Target: { Group: "web" } });
    expect(s.status).toBe(200);
    expect(s.body.EvalID).toBe("");
    expect((await api(t.address, "PUT", jobPath("scaled", "/periodic/force"))).status).toBe(200);
    const [child] = await children(t, "scaled");
    expect((await api(t.address, "GET", jobPath(child.ID))).body.TaskGroups[0].Count).toBe(2);
    await waitFor(
      "two allocations of the child",
      async () => (await api(t.address, "GET", jobPath(child.ID, "/allocations"))).body.length === 2,
    );
  });
});

describe("periodic jobs across restarts with a data dir", () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-periodic-"));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("neither repeats a launch after a restart nor loses one missed while down (launches it once)", async () => {
    const start = Math.floor(Date.now() / 60_000) * 60_000 + 10_000;
    let clock = new ShiftClock(start);
    let t = await startTestAgent({ clock, heartbeat: LONG_HEARTBEATS, dataDir: dir });
    await register(t, periodicJob("nightly", {}, "50ms"));
    const first = clock.jumpToNextMinute();
    const firstID = `nightly/periodic-${first / 1000}`;
    expect((await children(t, "nightly")).map((k) => k.ID)).toEqual([firstID]);
    await waitFor("the first child to finish", async () => (await api(t.address, "GET", jobPath(firstID))).body.Status === "dead");
    await t.stop();

    // Back a few seconds later, within the same minute: nothing is due, nothing is launched again.
    clock = new ShiftClock(first + 5_000);
    t = await startTestAgent({ clock, heartbeat: LONG_HEARTBEATS, dataDir: dir });
    expect((await children(t, "nightly")).map((k) => k.ID)).toEqual([firstID]);
    const second = clock.jumpToNextMinute();
    expect((await children(t, "nightly")).map((k) => k.ID)).toEqual([firstID, `nightly/periodic-${second / 1000}`]);
    await t.stop();

    // Down for three and a half minutes: the missed launches become one launch at start.
    const back = second + 3 * 60_000 + 30_000;
    clock = new ShiftClock(back);
    t = await startTestAgent({ clock, heartbeat: LONG_HEARTBEATS, dataDir: dir });
    const kids = (await children(t, "nightly")).map((k) => k.ID);
    expect(kids).toHaveLength(3);
    expect(kids.slice(0, 2)).toEqual([firstID, `nightly/periodic-${second / 1000}`]);
    const caughtUp = Number(kids[2].slice("nightly/periodic-".length)) * 1000;
    expect(caughtUp).toBeGreaterThanOrEqual(back);
    expect(caughtUp).toBeLessThan(back + 60_000);
    // The parent's summary still counts every child, the two from before the restarts included.
    const counts = (await api(t.address, "GET", jobPath("nightly", "/summary"))).body.Children;
    expect(counts.Pending + counts.Running + counts.Dead).toBe(3);
    // And the schedule goes on from there.
    const next = clock.jumpToNextMinute();
    expect((await children(t, "nightly")).map((k) => k.ID)).toEqual([...kids, `nightly/periodic-${next / 1000}`]);
    await t.stop();
  });
});
