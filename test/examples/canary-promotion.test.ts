/**
 * examples/canary-promotion against the included runtime: the canary of the
 * demo job's second version is promoted after its stable window and the
 * rollout finishes; a broken canary ends in a failed deployment and
 * auto-revert; no running deployment is reported as such.
 */
import { NomadClient } from "../../lib/api";
import { demoJob, main, monitorCanaryAndPromote, registerDemo } from "../../examples/canary-promotion/main";
import { api, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";

type Obj = Record<string, any>;

describe("examples/canary-promotion", () => {
  let t: TestAgent;
  let client: NomadClient;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
    client = new NomadClient({ address: t.address, retry: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
  });

  const liveVersions = async (id: string) =>
    ((await api(t.address, "GET", `/v1/job/${id}/allocations`)).body as Obj[])
      .filter((a) => a.DesiredStatus === "run")
      .map((a) => a.JobVersion)
      .sort();

  it("promotes the canary once it has been healthy for the stable window, and the rollout finishes", async () => {
    const lines: string[] = [];
    await registerDemo(client, "good", { timeoutMs: 20_000, log: (l) => lines.push(l) });
    const started = Date.now();
    const result = await monitorCanaryAndPromote(client, {
      jobId: "good",
      stableForMs: 400,
      timeoutMs: 20_000,
      findTimeoutMs: 5_000,
      log: (l) => lines.push(l),
    });
    expect(result).toMatchObject({ success: true, action: "promoted" });
    // Promoted no sooner than the stable window after the canary was first seen healthy.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(lines).toContain("web: 1/1 canaries healthy");
    expect(lines.some((l) => /^promoted deployment [0-9a-f]{8} after \d+s of healthy canaries$/.test(l))).toBe(true);
    const d = (await api(t.address, "GET", `/v1/deployment/${result.deploymentId}`)).body;
    expect(d.TaskGroups.web.Promoted).toBe(true);
    await waitFor(
      "the rollout to finish",
      async () => (await api(t.address, "GET", `/v1/deployment/${result.deploymentId}`)).body.Status === "successful",
      20_000,
    );
    expect(await liveVersions("good")).toEqual([1, 1, 1]);
  });

  it("does not promote a broken canary: the deployment fails and auto-revert brings back the stable version", async () => {
    const jobVersion = await registerDemo(client, "bad", { broken: true, timeoutMs: 20_000 });
    expect(jobVersion).toBe(1);
    const result = await monitorCanaryAndPromote(client, {
      jobId: "bad",
      jobVersion,
      stableForMs: 400,
      timeoutMs: 20_000,
      findTimeoutMs: 5_000,
    });
    expect(result.success).toBe(false);
    expect(result.action).not.toBe("promoted");
    // Either this program failed it on seeing the unhealthy canary, or Nomad's deployment watcher did first.
    expect(result.action === "failed" ? result.revertedJobVersion : result.status).toBe(result.action === "failed" ? 0 : "failed");
    const job = await waitFor("the revert", async () => {
      const j = (await api(t.address, "GET", "/v1/job/bad")).body;
      return j.Version === 2 ? j : null;
    });
    expect(job.TaskGroups[0].Tasks[0].Config.start_error).toBeUndefined();
    expect(job.TaskGroups[0].Tasks[0].Env.RELEASE).toBe("v1");
  });

  it("says so when the job has no running deployment", async () => {
    await client.jobs.register(demoJob("idle", 1) as never);
    await waitFor(
      "the first deployment to finish",
      async () => (await api(t.address, "GET", "/v1/job/idle/deployment")).body?.Status === "successful",
      20_000,
    );
    expect(await monitorCanaryAndPromote(client, { jobId: "idle", findTimeoutMs: 300 })).toEqual({
      success: false,
      reason: "No active deployment found",
    });
  });

  it("runs as a program: --register, then exit 0 once promoted", async () => {
    const out: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((l: string) => void out.push(l));
    try {
      const code = await main(["--register", "--stable", "300ms", "--timeout", "20s", "cli"], new NomadClient({ address: t.address }));
      expect(code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out[out.length - 1]).toMatch(/^\{"success":true,"deploymentId":"[0-9a-f-]{36}","action":"promoted"\}$/);
  });
});
