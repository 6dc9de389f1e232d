/** Deployments over HTTP: rolling updates complete, canaries wait for promotion, fail with auto-revert, pause. */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

function withUpdate(job: Obj, update: Obj): Obj {
  job.TaskGroups[0].Update = { ...job.TaskGroups[0].Update, ...update };
  return job;
}

describe("deployments", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
  });
  afterAll(async () => {
    await t.stop();
  });

  const latest = async (id: string) => (await api(t.address, "GET", `/v1/job/${id}/deployment`)).body;
  const status = (id: string, want: string) =>
    waitFor(`deployment of ${id} ${want}`, async () => ((await latest(id))?.Status === want ? latest(id) : null), 20_000);

  it("a rolling update with max_parallel 1 replaces one allocation at a time (from the allocation history)", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("roll", { count: 5 }), { MaxParallel: 1 }) });
    const first = await status("roll", "successful");
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("roll", { count: 5, runFor: "2h" }), { MaxParallel: 1 }) });
    const d = await waitFor("the rolling update to finish", async () => {
      const dep = await latest("roll");
      return dep && dep.ID !== first.ID && dep.Status === "successful" ? dep : null;
    });
    const stubs = (await api(t.address, "GET", "/v1/job/roll/allocations")).body as Obj[];
    const all = await Promise.all(stubs.map(async (a) => (await api(t.address, "GET", `/v1/allocation/${a.ID}`)).body as Obj));
    const fresh = all.filter((a) => a.Job.Version === 1).sort((a, b) => a.CreateIndex - b.CreateIndex);
    const old = all.filter((a) => a.Job.Version === 0);
    expect(fresh).toHaveLength(5);
    expect(old).toHaveLength(5);
    expect(old.every((a) => a.DesiredStatus === "stop")).toBe(true);
    // Each replacement was placed only after the one before it had been judged healthy: one at a time.
    for (let i = 1; i < fresh.length; i++) expect(fresh[i].CreateIndex).toBeGreaterThan(fresh[i - 1].DeploymentStatus.ModifyIndex);
    // Each placement stopped exactly one old allocation, in the same plan (the same index).
    const placedAt = fresh.map((a) => a.CreateIndex);
    const stoppedAt = old.map((a) => a.AllocModifyIndex).sort((x, y) => x - y);
    expect(stoppedAt).toEqual(placedAt);
    expect(d.TaskGroups.web).toMatchObject({ DesiredTotal: 5, PlacedAllocs: 5, HealthyAllocs: 5 });
  });

  it("canaries wait for promotion, then the rollout finishes", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("canary", { count: 2 }), { AutoRevert: true }) });
    await status("canary", "successful");
    expect((await api(t.address, "GET", "/v1/job/canary")).body.Stable).toBe(true);
    await api(t.address, "PUT", "/v1/jobs", {
      Job: withUpdate(mockJob("canary", { count: 2, runFor: "2h" }), { Canary: 1, AutoRevert: true }),
    });
    const d = await waitFor("a healthy canary", async () => {
      const dep = await latest("canary");
      const placed = dep?.TaskGroups?.web?.PlacedCanaries ?? [];
      if (dep?.JobVersion !== 1 || placed.length !== 1) return null;
      const a = (await api(t.address, "GET", `/v1/allocation/${placed[0]}`)).body;
      return a.DeploymentStatus?.Healthy === true ? dep : null;
    });
    expect(d.Status).toBe("running");
    expect(d.TaskGroups.web.Promoted).toBe(false);
    const promote = await api(t.address, "POST", `/v1/deployment/promote/${d.ID}`, { DeploymentID: d.ID, All: true });
    expect(promote.status).toBe(200);
    expect(promote.body.EvalID).not.toBe("");
    await status("canary", "successful");
    const live = ((await api(t.address, "GET", "/v1/job/canary/allocations")).body as Obj[]).filter((a) => a.DesiredStatus === "run");
    expect(live.map((a) => a.JobVersion)).toEqual([1, 1]);
  });

  it("failing a deployment with auto_revert registers the last stable version again", async () => {
    await api(t.address, "PUT", "/v1/jobs", {
      Job: withUpdate(mockJob("canary", { count: 2, runFor: "3h" }), { Canary: 1, AutoRevert: true }),
    });
    const d = await waitFor("the version 2 deployment", async () => {
      const dep = await latest("canary");
      return dep?.JobVersion === 2 ? dep : null;
    });
    const fail = await api(t.address, "POST", `/v1/deployment/fail/${d.ID}`, { DeploymentID: d.ID });
    expect(fail.status).toBe(200);
    expect(fail.body.RevertedJobVersion).toBe(1);
    const failed = (await api(t.address, "GET", `/v1/deployment/${d.ID}`)).body;
    expect(failed.Status).toBe("failed");
    expect(failed.StatusDescription).toBe("Deployment marked as failed - rolling back to job version 1");
    const job = (await api(t.address, "GET", "/v1/job/canary")).body;
    expect(job.Version).toBe(3);
    expect(job.TaskGroups[0].Tasks[0].Config.run_for).toBe("2h");
    // Nomad's ErrDeploymentTerminalNoFail, an uncoded RPC error: 500.
    expect(await api(t.address, "POST", `/v1/deployment/fail/${d.ID}`, {})).toMatchObject({
      status: 500,
      text: "can't fail terminal deployment",
    });
  });

  it("pauses and resumes a deployment", async () => {
    await api(t.address, "PUT", "/v1/jobs", {
      Job: withUpdate(mockJob("slow", { count: 1 }), {
        MinHealthyTime: 60_000_000_000,
        HealthyDeadline: 120_000_000_000,
        ProgressDeadline: 180_000_000_000,
      }),
    });
    const d = await status("slow", "running");
    const paused = await api(t.address, "POST", `/v1/deployment/pause/${d.ID}`, { DeploymentID: d.ID, Pause: true });
    expect(paused.status).toBe(200);
    expect((await latest("slow")).Status).toBe("paused");
    await api(t.address, "POST", `/v1/deployment/pause/${d.ID}`, { DeploymentID: d.ID, Pause: false });
    expect((await latest("slow")).Status).toBe("running");
    expect((await api(t.address, "POST", `/v1/deployment/pause/${d.ID}`, { Pause: "yes" })).status).toBe(400);
  });

  it("fails a deployment that makes no progress by its deadline", async () => {
    const job = withUpdate(mockJob("stuck", { count: 1 }), {
      HealthCheck: "manual",
      MinHealthyTime: 10_000_000,
      HealthyDeadline: 100_000_000,
      ProgressDeadline: 300_000_000,
    });
    job.TaskGroups[0].Tasks[0].KillTimeout = 50_000_000; // must stay below the progress deadline
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: job });
    expect(reg.status).toBe(200);
    const d = await status("stuck", "failed");
    expect(d.StatusDescription).toBe("Failed due to progress deadline");
    expect(d.TaskGroups.web.RequireProgressBy).not.toBe("0001-01-01T00:00:00Z");
  });

  it("sets allocation health by hand for manual health checks", async () => {
    await api(t.address, "PUT", "/v1/jobs", {
      Job: withUpdate(mockJob("manual", { count: 1 }), { HealthCheck: "manual", ProgressDeadline: 0 }),
    });
    const d = await status("manual", "running");
    const allocs = await waitFor("an allocation", async () =>
      ((await api(t.address, "GET", "/v1/job/manual/allocations")).body as Obj[]).find(
        (a) => a.DeploymentStatus === null || a.DeploymentStatus?.Healthy == null,
      ),
    );
    expect(await api(t.address, "POST", `/v1/deployment/allocation-health/${d.ID}`, { HealthyAllocationIDs: ["nope"] })).toMatchObject({
      status: 500,
      text: 'unknown alloc "nope"',
    });
    const r = await api(t.address, "POST", `/v1/deployment/allocation-health/${d.ID}`, {
      DeploymentID: d.ID,
      HealthyAllocationIDs: [allocs.ID],
    });
    expect(r.status).toBe(200);
    await status("manual", "successful");
  });
  it("a scale-up finishes its deployment: the new allocation and the in-place updated ones are healthy", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("grow", { count: 2 }), {}) });
    const first = await status("grow", "successful");
    const scale = await api(t.address, "POST", "/v1/job/grow/scale", { Count: 3, Target: { Group: "web" }, Message: "grow" });
    expect(scale.status).toBe(200);
    const d = await waitFor("the scale-up deployment to succeed", async () => {
      const dep = await latest("grow");
      return dep && dep.ID !== first.ID && dep.Status === "successful" ? dep : null;
    });
    expect(d.TaskGroups.web).toMatchObject({ DesiredTotal: 3, PlacedAllocs: 3, HealthyAllocs: 3, UnhealthyAllocs: 0 });
    const live = ((await api(t.address, "GET", "/v1/job/grow/allocations")).body as Obj[]).filter((a) => a.DesiredStatus === "run");
    expect(live).toHaveLength(3);
    expect(live.every((a) => a.JobVersion === 1 && a.DeploymentStatus?.Healthy === true)).toBe(true);
    const inDeployment = (await api(t.address, "GET", `/v1/deployment/allocations/${d.ID}`)).body as Obj[];
    expect(inDeployment.map((a) => a.ID).sort()).toEqual(live.map((a) => a.ID).sort());
    expect((await api(t.address, "GET", "/v1/job/grow")).body).toMatchObject({ Version: 1, Stable: true });
  });

  it("the registration's evaluation names the deployment it created", async () => {
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("named", { count: 1 }), {}) });
    const d = await status("named", "successful");
    const ev = (await api(t.address, "GET", `/v1/evaluation/${reg.body.EvalID}`)).body;
    expect(ev).toMatchObject({ Status: "complete", DeploymentID: d.ID });
  });

  it("an in-place update (a new priority) keeps the allocations and finishes its deployment", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("inplace", { count: 2 }), {}) });
    const first = await status("inplace", "successful");
    const before = ((await api(t.address, "GET", "/v1/job/inplace/allocations")).body as Obj[]).map((a) => a.ID).sort();
    const job = withUpdate(mockJob("inplace", { count: 2 }), {});
    job.Priority = 70;
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const d = await waitFor("the in-place deployment to succeed", async () => {
      const dep = await latest("inplace");
      return dep && dep.ID !== first.ID && dep.Status === "successful" ? dep : null;
    });
    expect(d.JobVersion).toBe(1);
    expect(d.TaskGroups.web).toMatchObject({ DesiredTotal: 2, PlacedAllocs: 2, HealthyAllocs: 2 });
    const after = (await api(t.address, "GET", "/v1/job/inplace/allocations")).body as Obj[];
    expect(after.map((a) => a.ID).sort()).toEqual(before);
    expect(after.every((a) => a.JobVersion === 1 && a.DeploymentStatus?.Healthy === true)).toBe(true);
    const inDeployment = (await api(t.address, "GET", `/v1/deployment/allocations/${d.ID}`)).body as Obj[];
    expect(inDeployment.map((a) => a.ID).sort()).toEqual(before);
  });
  it("auto_promote promotes healthy canaries without a call, then the rollout finishes", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("auto", { count: 2 }), {}) });
    const first = await status("auto", "successful");
    await api(t.address, "PUT", "/v1/jobs", {
      Job: withUpdate(mockJob("auto", { count: 2, runFor: "2h" }), { Canary: 1, AutoPromote: true }),
    });
    const d = await waitFor("the canary deployment to succeed", async () => {
      const dep = await latest("auto");
      return dep && dep.ID !== first.ID && dep.Status === "successful" ? dep : null;
    });
    expect(d.TaskGroups.web).toMatchObject({ Promoted: true, DesiredCanaries: 1, HealthyAllocs: 2 });
    expect(d.TaskGroups.web.PlacedCanaries).toHaveLength(1);
    const live = ((await api(t.address, "GET", "/v1/job/auto/allocations")).body as Obj[]).filter((a) => a.DesiredStatus === "run");
    expect(live.map((a) => a.JobVersion)).toEqual([1, 1]);
  });
});
