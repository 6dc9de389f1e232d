import { NomadClient } from "../../lib/api";
import type { Job } from "../../lib/jobspec";
import { applyJob, ApplyError, ConcurrentModificationError, destroyJob, planJob } from "../../lib/plan";
import type { ApplyProgressEvent } from "../../lib/plan";
import type { FakeNomad } from "../api/fake-nomad";
import { fixture } from "./fixtures";
import { desiredExample, fakeCluster } from "./scenario";

type Obj = Record<string, any>;

const EVAL = "2deb5f06-a100-f01a-3316-5e501a4965e7";
const DEPLOY = "85ee4a9a-339f-a921-a9ef-0550d20b2c61";

function evaluation(status: string, extra: Obj = {}): Obj {
  return {
    ID: EVAL,
    JobID: "example",
    Namespace: "default",
    Status: status,
    StatusDescription: "",
    FailedTGAllocs: null,
    CreateIndex: 30,
    ModifyIndex: 31,
    DeploymentID: "",
    ...extra,
  };
}

function deployment(status: string, description: string, healthy: number): Obj {
  return {
    ID: DEPLOY,
    JobID: "example",
    JobVersion: 2,
    JobModifyIndex: 30,
    Status: status,
    StatusDescription: description,
    TaskGroups: {
      cache: {
        AutoRevert: false,
        Promoted: false,
        PlacedCanaries: null,
        DesiredCanaries: 0,
        DesiredTotal: 1,
        PlacedAllocs: 1,
        HealthyAllocs: healthy,
        UnhealthyAllocs: 1 - healthy,
        ProgressDeadline: 600e9,
        RequireProgressBy: null,
      },
    },
    CreateIndex: 31,
    ModifyIndex: 40,
  };
}

const failedAlloc = {
  ID: "d0ad0808-2765-abf6-1e15-79fb7fe5a416",
  Name: "example.cache[0]",
  NodeName: "node-1",
  ClientStatus: "failed",
  DesiredStatus: "run",
  JobVersion: 2,
  DeploymentStatus: { Healthy: false, Canary: false },
  TaskStates: {
    redis: {
      State: "dead",
      Failed: true,
      Restarts: 2,
      Events: [
        { Type: "Received", Time: 1, DisplayMessage: "Task received by client" },
        { Type: "Driver Failure", Time: 2, DisplayMessage: "failed to pull image redis:8" },
        { Type: "Not Restarting", Time: 3, DisplayMessage: "Exceeded allowed attempts 2 in interval 30m0s" },
      ],
    },
  },
};

describe("applyJob", () => {
  let fake: FakeNomad;
  let client: NomadClient;
  afterEach(async () => {
    await client?.close();
    await fake?.stop();
  });

  async function planned(mutate: (d: Obj) => void, planFile = "server/plan-inplace.json", live?: Obj | null) {
    fake = await fakeCluster({ plan: fixture(planFile), live });
    client = new NomadClient({ address: fake.address });
    const d = desiredExample();
    mutate(d);
    return planJob(client, d as Job);
  }

  it("registers with EnforceIndex and the plan's JobModifyIndex, then follows evaluation and deployment", async () => {
    const plan = await planned((d) => (d.TaskGroups[0].Tasks[0].KillTimeout = 10e9));
    fake.on("PUT", "/v1/jobs", { body: { EvalID: EVAL, EvalCreateIndex: 30, JobModifyIndex: 30, Warnings: "" } });
    let evalReads = 0;
    fake.on("GET", `/v1/evaluation/${EVAL}`, () => ({
      body: evaluation(++evalReads < 2 ? "pending" : "complete", { DeploymentID: DEPLOY }),
      headers: { "X-Nomad-Index": String(30 + evalReads) },
    }));
    let depReads = 0;
    fake.on("GET", `/v1/deployment/${DEPLOY}`, () => ({
      body:
        ++depReads < 2
          ? deployment("running", "Deployment is running", 0)
          : deployment("successful", "Deployment completed successfully", 1),
      headers: { "X-Nomad-Index": String(40 + depReads) },
    }));
    const events: ApplyProgressEvent[] = [];
    const res = await applyJob(client, plan, { onProgress: (e) => events.push(e), pollIntervalMs: 1 });
    expect(res).toMatchObject({ outcome: "deployed", evalId: EVAL, deploymentId: DEPLOY, jobModifyIndex: 30 });
    const body = JSON.parse(fake.to("/v1/jobs")[0].body);
    expect(body.EnforceIndex).toBe(true);
    expect(body.JobModifyIndex).toBe(16);
    expect(body.Job.ID).toBe("example");
    expect(events.map((e) => e.type + ("status" in e ? `:${e.status}` : ""))).toEqual([
      "registered",
      "evaluation:pending",
      "evaluation:complete",
      "deployment:running",
      "deployment:successful",
      "done",
    ]);
    // Blocking queries: the second read of the evaluation passes the index of the first.
    expect(fake.to(`/v1/evaluation/${EVAL}`)[1].query.get("index")).toBe("31");
  });

  it("refuses with a clear message when someone changed the job since the plan", async () => {
    const plan = await planned((d) => (d.TaskGroups[0].Tasks[0].KillTimeout = 10e9));
    fake.on("PUT", "/v1/jobs", { status: 500, body: "Enforcing job modify index 16: job exists with conflicting job modify index: 19" });
    const err = await applyJob(client, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrentModificationError);
    expect((err as Error).message).toBe('job "example" was changed by someone else since the plan (modify index 16 → 19): plan again');
  });

  it("refuses a create when the job appeared since the plan", async () => {
    const plan = await planned(() => undefined, "server/plan-create.json", null);
    expect(plan.action).toBe("create");
    fake.on("PUT", "/v1/jobs", { status: 500, body: "Enforcing job modify index 0: job already exists" });
    await expect(applyJob(client, plan)).rejects.toThrow('job "example" was created by someone else since the plan: plan again');
    expect(JSON.parse(fake.to("/v1/jobs")[0].body)).toMatchObject({ EnforceIndex: true, JobModifyIndex: 0 });
  });

  it("fails with the failing allocations and their last task events when the deployment fails", async () => {
    const plan = await planned((d) => (d.TaskGroups[0].Tasks[0].Config.image = "redis:8"), "server/plan-destructive.json");
    fake.on("PUT", "/v1/jobs", { body: { EvalID: EVAL, EvalCreateIndex: 30, JobModifyIndex: 30, Warnings: "" } });
    fake.on("GET", `/v1/evaluation/${EVAL}`, { body: evaluation("complete") });
    fake.on("GET", "/v1/job/example/deployment", { body: deployment("running", "Deployment is running", 0) });
    fake.on("GET", `/v1/deployment/${DEPLOY}`, { body: deployment("failed", "Failed due to unhealthy allocations", 0) });
    fake.on("GET", `/v1/deployment/allocations/${DEPLOY}`, { body: [failedAlloc] });
    const err = (await applyJob(client, plan, { pollIntervalMs: 1 }).catch((e: unknown) => e)) as ApplyError;
    expect(err).toBeInstanceOf(ApplyError);
    expect(err.stage).toBe("deployment");
    expect(err.registered).toBe(true);
    expect(err.message).toBe(
      [
        'job "example": deployment 85ee4a9a failed: Failed due to unhealthy allocations',
        "  allocation d0ad0808 (example.cache[0]) on node-1: failed",
        "    redis: Received: Task received by client",
        "    redis: Driver Failure: failed to pull image redis:8",
        "    redis: Not Restarting: Exceeded allowed attempts 2 in interval 30m0s",
      ].join("\n"),
    );
  });

  it("reports placement failures from the evaluation", async () => {
    const plan = await planned((d) => (d.TaskGroups[0].Count = 12));
    fake.on("PUT", "/v1/jobs", { body: { EvalID: EVAL, EvalCreateIndex: 30, JobModifyIndex: 30, Warnings: "" } });
    const metric = {
      NodesEvaluated: 1,
      NodesFiltered: 0,
      NodesAvailable: { dc1: 1 },
      ClassFiltered: null,
      ConstraintFiltered: null,
      NodesExhausted: 1,
      ClassExhausted: null,
      DimensionExhausted: { memory: 1 },
      AllocationTime: 1,
      CoalescedFailures: 10,
    };
    fake.on("GET", `/v1/evaluation/${EVAL}`, {
      body: evaluation("complete", { FailedTGAllocs: { cache: metric }, BlockedEval: "0f98f7ea-59ae-4d90-d9bd-b8ce80b9e100" }),
    });
    const err = (await applyJob(client, plan).catch((e: unknown) => e)) as ApplyError;
    expect(err.stage).toBe("placement");
    expect(err.message).toContain("the scheduler could not place all allocations (evaluation 0f98f7ea is blocked until capacity frees up)");
    expect(err.message).toContain('Task Group "cache" (11 allocations):');
    expect(err.message).toContain('Dimension "memory" exhausted on 1 nodes');
  });

  it("waits for a batch job's allocations to complete when there is no deployment", async () => {
    const live = desiredLiveBatch();
    const plan = await planned(
      (d) => {
        d.Type = "batch";
        d.TaskGroups[0].Tasks[0].KillTimeout = 10e9;
      },
      "server/plan-inplace.json",
      live,
    );
    expect(plan.action).toBe("update");
    fake.on("PUT", "/v1/jobs", { body: { EvalID: EVAL, EvalCreateIndex: 30, JobModifyIndex: 30, Warnings: "" } });
    fake.on("GET", `/v1/evaluation/${EVAL}`, { body: evaluation("complete") });
    fake.on("GET", "/v1/job/example/deployment", { body: null });
    let reads = 0;
    fake.on("GET", "/v1/job/example/allocations", () => ({
      body: [{ ...failedAlloc, ClientStatus: ++reads < 2 ? "running" : "complete", ModifyIndex: 35, JobVersion: 3, TaskStates: null }],
      headers: { "X-Nomad-Index": String(35 + reads) },
    }));
    const events: ApplyProgressEvent[] = [];
    const res = await applyJob(client, plan, { onProgress: (e) => events.push(e), pollIntervalMs: 1 });
    expect(res.outcome).toBe("complete");
    expect(
      events
        .filter((e) => e.type === "allocations")
        .map((e) => (e.type === "allocations" ? `${e.counts.running}/${e.counts.complete}` : "")),
    ).toEqual(["1/0", "0/1"]);
  });

  it("replaces by purging the old job, then registering as new (JobModifyIndex 0)", async () => {
    const plan = await planned((d) => (d.Type = "batch"));
    expect(plan.action).toBe("replace");
    fake.on("DELETE", "/v1/job/example", { body: { EvalID: "", EvalCreateIndex: 0, JobModifyIndex: 16 } });
    fake.on("PUT", "/v1/jobs", { body: { EvalID: "", EvalCreateIndex: 0, JobModifyIndex: 33, Warnings: "" } });
    const res = await applyJob(client, plan);
    expect(
      fake.requests
        .filter((r) => r.method !== "GET" && !r.path.endsWith("/plan"))
        .map((r) => `${r.method} ${r.path}${r.query.get("purge") ? "?purge" : ""}`),
    ).toEqual(["DELETE /v1/job/example?purge", "PUT /v1/jobs"]);
    expect(JSON.parse(fake.to("/v1/jobs")[0].body)).toMatchObject({ EnforceIndex: true, JobModifyIndex: 0 });
    expect(res.outcome).toBe("evaluated");
  });

  it("does nothing for a no-op plan", async () => {
    const plan = await planned(() => undefined, "server/plan-noop.json");
    const res = await applyJob(client, plan);
    expect(res.outcome).toBe("unchanged");
    expect(fake.to("/v1/jobs")).toHaveLength(0);
  });
});

function desiredLiveBatch(): Obj {
  const live = structuredClone(require("./scenario").liveExample()) as Obj;
  live.Type = "batch";
  const g = live.TaskGroups[0];
  g.Update = null;
  g.Migrate = null;
  g.ReschedulePolicy = { Attempts: 1, Interval: 86400e9, Delay: 5e9, DelayFunction: "constant", MaxDelay: 0, Unlimited: false };
  g.RestartPolicy = { Attempts: 3, Delay: 15e9, Interval: 86400e9, Mode: "fail" };
  g.Tasks[0].RestartPolicy = g.RestartPolicy;
  live.Update = { Stagger: 0, MaxParallel: 0 };
  return live;
}

describe("destroyJob", () => {
  it("deregisters with purge and follows the evaluation", async () => {
    const fake = await fakeCluster();
    const client = new NomadClient({ address: fake.address });
    fake.on("DELETE", "/v1/job/example", { body: { EvalID: EVAL, EvalCreateIndex: 50, JobModifyIndex: 50 } });
    fake.on("GET", `/v1/evaluation/${EVAL}`, { body: evaluation("complete") });
    fake.on("GET", "/v1/job/example/allocations", { body: [] });
    fake.on("GET", "/v1/jobs", { body: [] });
    const res = await destroyJob(client, "example", { purge: true });
    await client.close();
    await fake.stop();
    expect(res).toEqual({
      jobId: "example",
      namespace: "default",
      existed: true,
      evalId: EVAL,
      purged: true,
      children: [],
      stoppedAllocations: 0,
    });
    expect(
      fake
        .to("/v1/job/example")
        .find((r) => r.method === "DELETE")
        ?.query.get("purge"),
    ).toBe("true");
  });
});
