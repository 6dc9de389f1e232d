/**
 * lib/plan through canaries: `canaryStatus` phases; `applyJob` against the
 * included runtime stops at healthy canaries, promotes with `promote`, and
 * fails with the failing canary's task events (and auto-revert), and follows
 * the runtime's auto-promotion; on a scripted agent, auto-promotion is
 * followed without any promote request of its own.
 */
import type { AllocationListStub, Deployment } from "../../lib/api";
import { NomadClient } from "../../lib/api";
import type { Job } from "../../lib/jobspec";
import { ApplyError, applyJob, awaitingPromotionMessage, canaryStatus, planJob } from "../../lib/plan";
import type { ApplyProgressEvent } from "../../lib/plan";
import { FakeNomad } from "../api/fake-nomad";
import { api, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { canaryJob } from "../cli/job-helpers";

type Obj = Record<string, any>;

function deployment(groups: Record<string, Partial<Obj>>, status = "running"): Deployment {
  const TaskGroups: Obj = {};
  for (const [name, g] of Object.entries(groups)) {
    TaskGroups[name] = {
      AutoRevert: false,
      AutoPromote: false,
      Promoted: false,
      PlacedCanaries: [],
      DesiredCanaries: 0,
      DesiredTotal: 3,
      PlacedAllocs: 0,
      HealthyAllocs: 0,
      UnhealthyAllocs: 0,
      ProgressDeadline: 600e9,
      RequireProgressBy: null,
      ...g,
    };
  }
  return {
    ID: "d1",
    Namespace: "default",
    JobID: "web",
    JobVersion: 1,
    JobModifyIndex: 20,
    JobSpecModifyIndex: 20,
    JobCreateIndex: 1,
    TaskGroups,
    Status: status as Deployment["Status"],
    StatusDescription: "",
    CreateIndex: 21,
    ModifyIndex: 22,
  };
}

describe("canaryStatus", () => {
  it("has no phase without canaries or once every canary group is promoted", () => {
    expect(canaryStatus(deployment({ web: { PlacedAllocs: 3 } })).phase).toBe("none");
    expect(canaryStatus(deployment({ web: { DesiredCanaries: 1, PlacedCanaries: ["a"], HealthyAllocs: 1, Promoted: true } })).phase).toBe(
      "none",
    );
  });

  it("is placing until every unpromoted canary is placed and healthy", () => {
    expect(canaryStatus(deployment({ web: { DesiredCanaries: 2, PlacedCanaries: ["a"], HealthyAllocs: 1 } })).phase).toBe("placing");
    expect(canaryStatus(deployment({ web: { DesiredCanaries: 2, PlacedCanaries: ["a", "b"], HealthyAllocs: 1 } })).phase).toBe("placing");
  });

  it("awaits promotion when one group needs a manual promotion; auto-promotes only when all do", () => {
    const healthy = { DesiredCanaries: 1, PlacedCanaries: ["a"], HealthyAllocs: 1 };
    const mixed = canaryStatus(
      deployment({
        web: { ...healthy, AutoPromote: true },
        api: { ...healthy, DesiredCanaries: 2, PlacedCanaries: ["b", "c"], HealthyAllocs: 2 },
      }),
    );
    expect(mixed.phase).toBe("awaiting-promotion");
    expect(mixed.unpromoted).toEqual(["api", "web"]);
    expect(awaitingPromotionMessage("web", mixed)).toBe("3 canaries healthy (api 2/2, web 1/1); promote with `drover job promote web`");
    expect(canaryStatus(deployment({ web: { ...healthy, AutoPromote: true } })).phase).toBe("auto-promoting");
  });

  it("counts canaries by their allocations' own health when given the deployment's allocations", () => {
    // The counters include two healthy non-canary allocations; the one canary is not healthy yet.
    const d = deployment({ web: { DesiredCanaries: 1, PlacedCanaries: ["c1"], PlacedAllocs: 3, HealthyAllocs: 2 } });
    expect(canaryStatus(d).phase).toBe("awaiting-promotion");
    const allocs = [
      { ID: "a1", DeploymentStatus: { Healthy: true, Canary: false } },
      { ID: "a2", DeploymentStatus: { Healthy: true, Canary: false } },
      { ID: "c1", DeploymentStatus: null },
    ] as unknown as AllocationListStub[];
    expect(canaryStatus(d, allocs)).toMatchObject({ phase: "placing", groups: [{ group: "web", healthy: 0, unhealthy: 0 }] });
    allocs[2].DeploymentStatus = { Healthy: true, Canary: true };
    expect(canaryStatus(d, allocs)).toMatchObject({ phase: "awaiting-promotion", groups: [{ group: "web", healthy: 1 }] });
  });
});

describe("applyJob through canaries (against the included runtime)", () => {
  let t: TestAgent;
  let client: NomadClient;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
    client = new NomadClient({ address: t.address });
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
  });

  async function applied(job: Obj, opts: { promote?: boolean } = {}) {
    const events: ApplyProgressEvent[] = [];
    const plan = await planJob(client, job as Job, { serverPlan: false });
    const result = await applyJob(client, plan, { ...opts, timeoutMs: 30_000, onProgress: (e) => events.push(e) });
    return { result, events };
  }

  it("stops at healthy canaries with the canary state; promote: true promotes and finishes the rollout", async () => {
    await applied(canaryJob("svc", { canary: 1, count: 2 }));
    const waiting = await applied(canaryJob("svc", { canary: 1, count: 2, runFor: "2h" }));
    expect(waiting.result.outcome).toBe("awaiting-promotion");
    expect(waiting.result.canaries).toMatchObject({
      phase: "awaiting-promotion",
      unpromoted: ["web"],
      groups: [{ group: "web", desired: 1, placed: 1, healthy: 1, promoted: false, autoPromote: false }],
    });
    const stop = waiting.events.find((e) => e.type === "canaries");
    expect(stop).toMatchObject({
      phase: "awaiting-promotion",
      message: "1 canary healthy (web 1/1); promote with `drover job promote svc`",
    });
    expect(waiting.events[waiting.events.length - 1]).toEqual({ type: "done", jobId: "svc", outcome: "awaiting-promotion" });

    const promoted = await applied(canaryJob("svc", { canary: 1, count: 2, runFor: "3h" }), { promote: true });
    expect(promoted.result).toMatchObject({ outcome: "deployed", canaries: null });
    expect(promoted.events.filter((e) => e.type === "canaries").map((e) => (e as { phase: string }).phase)).toEqual(["promoting"]);
    const d = (await api(t.address, "GET", `/v1/deployment/${promoted.result.deploymentId}`)).body;
    expect(d).toMatchObject({ Status: "successful", JobVersion: 2, TaskGroups: { web: { Promoted: true } } });
  });

  it("follows auto-promotion by the runtime's deployment watcher to a finished rollout", async () => {
    await applied(canaryJob("autop", { canary: 1, count: 2, autoPromote: true }));
    const rolled = await applied(canaryJob("autop", { canary: 1, count: 2, autoPromote: true, runFor: "2h" }));
    expect(rolled.result).toMatchObject({ outcome: "deployed", canaries: null });
    // apply never promoted by itself (the watcher may promote before apply even sees healthy canaries).
    expect(rolled.events.filter((e) => e.type === "canaries").map((e) => (e as { phase: string }).phase)).not.toContain("promoting");
    const d = (await api(t.address, "GET", `/v1/deployment/${rolled.result.deploymentId}`)).body;
    expect(d).toMatchObject({ Status: "successful", JobVersion: 1, TaskGroups: { web: { Promoted: true, DesiredCanaries: 1 } } });
  });

  it("fails with the unhealthy canary's task events, and auto-revert brings back the stable version", async () => {
    await applied(canaryJob("bad", { canary: 1, count: 2, autoRevert: true }));
    const broken = canaryJob("bad", { canary: 1, count: 2, autoRevert: true });
    broken.TaskGroups[0].Tasks[0].Config.start_error = "image not found: example/app:2";
    const err = (await applied(broken).catch((e: unknown) => e)) as ApplyError;
    expect(err).toBeInstanceOf(ApplyError);
    expect(err.stage).toBe("deployment");
    expect(err.message).toMatch(
      /^job "bad": deployment [0-9a-f]{8} failed: Failed due to unhealthy allocations - rolling back to job version 0\n {2}allocation [0-9a-f]{8} \(bad\.web\[\d\]\) on \S+: failed\n/,
    );
    expect(err.message).toContain("image not found: example/app:2");
    expect(err.allocations).toHaveLength(1);
    const job = await waitFor("the revert", async () => {
      const j = (await api(t.address, "GET", "/v1/job/bad")).body;
      return j.Version === 2 ? j : null;
    });
    expect(job.TaskGroups[0].Tasks[0].Config.start_error).toBeUndefined();
  });
});

describe("applyJob and auto-promotion (scripted agent)", () => {
  let fake: FakeNomad;
  let client: NomadClient;
  afterEach(async () => {
    await client?.close();
    await fake?.stop();
  });

  it("follows a deployment whose groups all auto-promote, without promoting it itself", async () => {
    const job = canaryJob("auto", { canary: 1, count: 2, autoPromote: true });
    const evalId = "6b1c2b38-0000-4000-8000-000000000001";
    const canaries = { DesiredTotal: 2, DesiredCanaries: 1, PlacedCanaries: ["c1"], AutoPromote: true };
    const states = [
      deployment({ web: { ...canaries, PlacedAllocs: 1, HealthyAllocs: 0 } }),
      deployment({ web: { ...canaries, PlacedAllocs: 1, HealthyAllocs: 1 } }),
      deployment({ web: { ...canaries, PlacedAllocs: 2, HealthyAllocs: 1, Promoted: true } }),
      deployment({ web: { ...canaries, PlacedAllocs: 2, HealthyAllocs: 2, Promoted: true } }, "successful"),
    ];
    let reads = 0;
    fake = await new FakeNomad()
      .on("GET", "/v1/job/auto", { status: 404, body: "job not found" })
      .on("PUT", "/v1/jobs", { body: { EvalID: evalId, EvalCreateIndex: 20, JobModifyIndex: 20, Warnings: "" } })
      .on("GET", `/v1/evaluation/${evalId}`, {
        body: {
          ID: evalId,
          Status: "complete",
          StatusDescription: "",
          DeploymentID: "d1",
          CreateIndex: 20,
          ModifyIndex: 21,
          FailedTGAllocs: null,
        },
      })
      .on("GET", "/v1/deployment/d1", () => {
        const d = states[Math.min(reads, states.length - 1)];
        reads++;
        return { body: d, headers: { "X-Nomad-Index": String(30 + reads) } };
      })
      .start();
    client = new NomadClient({ address: fake.address });
    const plan = await planJob(client, job as Job, { serverPlan: false });
    const events: ApplyProgressEvent[] = [];
    const res = await applyJob(client, plan, { onProgress: (e) => events.push(e), pollIntervalMs: 1, timeoutMs: 10_000 });
    expect(res.outcome).toBe("deployed");
    expect(events.filter((e) => e.type === "canaries")).toEqual([
      {
        type: "canaries",
        jobId: "auto",
        deploymentId: "d1",
        phase: "auto-promoting",
        groups: [expect.objectContaining({ group: "web", healthy: 1, autoPromote: true })],
        message: "canaries healthy (web 1/1); waiting for automatic promotion",
      },
    ]);
    expect(fake.requests.filter((r) => r.path.startsWith("/v1/deployment/promote"))).toEqual([]);
  });
});
