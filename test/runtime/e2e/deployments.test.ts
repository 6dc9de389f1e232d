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
  const status = (id: string, want: string) => waitFor(`deployment of ${id} ${want}`, async () => ((await latest(id))?.Status === want ? latest(id) : null), 20_000);

  it("canaries wait for promotion, then the rollout finishes", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("canary", { count: 2 }), { AutoRevert: true }) });
    await status("canary", "successful");
    expect((await api(t.address, "GET", "/v1/job/canary")).body.Stable).toBe(true);
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("canary", { count: 2, runFor: "2h" }), { Canary: 1, AutoRevert: true }) });
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
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("canary", { count: 2, runFor: "3h" }), { Canary: 1, AutoRevert: true }) });
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
    expect((await api(t.address, "POST", `/v1/deployment/fail/${d.ID}`, {})).status).toBe(400);
  });

  it("pauses and resumes a deployment", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: withUpdate(mockJob("slow", { count: 1 }), { MinHealthyTime: 60_000_000_000, HealthyDeadline: 120_000_000_000, ProgressDeadline: 180_000_000_000 }) });
    const d = await status("slow", "running");
    const paused = await api(t.address, "POST", `/v1/deployment/pause/${d.ID}`, { DeploymentID: d.ID, Pause: true });
    expect(paused.status).toBe(200);
    expect((await latest("slow")).Status).toBe("paused");
    await api(t.address, "POST", `/v1/deployment/pause/${d.ID}`, { DeploymentID: d.ID, Pause: false });
    expect((await latest("slow")).Status).toBe("running");
    expect((await api(t.address, "POST", `/v1/deployment/pause/${d.ID}`, { Pause: "yes" })).status).toBe(400);
  });
});
