/**
 * Deployment health with `health_check = "checks"` (Nomad's default): a
 * real raw_exec task behind a nomad service with an HTTP check is healthy
 * only once its check passes; one whose check never passes is not healthy
 * and fails the deployment at its healthy deadline.
 */
import { api, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

/** A service job whose task serves `status` on its dynamic port (or listens nowhere when `serve` is false). */
function checkedJob(id: string, serve: boolean): Obj {
  const server = `require("http").createServer((q, r) => r.end("ok")).listen(Number(process.env.NOMAD_PORT_http), "127.0.0.1")`;
  const idle = "setInterval(() => {}, 1000)";
  return {
    ID: id,
    Type: "service",
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "web",
        Count: 1,
        Networks: [{ DynamicPorts: [{ Label: "http" }] }],
        Update: { MaxParallel: 1, HealthCheck: "checks", MinHealthyTime: 200e6, HealthyDeadline: 4e9, ProgressDeadline: 0 },
        RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: "fail" },
        ReschedulePolicy: { Attempts: 0, Unlimited: false },
        Services: [
          {
            Name: `${id}-http`,
            Provider: "nomad",
            PortLabel: "http",
            Checks: [{ Name: "alive", Type: "http", Path: "/", Interval: 1e9, Timeout: 1e9 }],
          },
        ],
        Tasks: [
          {
            Name: "app",
            Driver: "raw_exec",
            Config: { command: process.execPath, args: ["-e", serve ? server : idle] },
            KillTimeout: 1e9,
            Resources: { CPU: 20, MemoryMB: 64 },
          },
        ],
      },
    ],
  };
}

describe("deployment health from service checks", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } } });
  });
  afterAll(async () => {
    await t.stop();
  });

  const deployment = async (id: string) => (await api(t.address, "GET", `/v1/job/${id}/deployment`)).body as Obj | null;

  it("an allocation whose HTTP check passes is healthy and the deployment succeeds", async () => {
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: checkedJob("served", true) })).status).toBe(200);
    const d = await waitFor(
      "the deployment to succeed",
      async () => ((await deployment("served"))?.Status === "successful" ? deployment("served") : null),
      20_000,
    );
    expect(d!.TaskGroups.web).toMatchObject({ HealthyAllocs: 1, UnhealthyAllocs: 0 });
    const alloc = ((await api(t.address, "GET", "/v1/job/served/allocations")).body as Obj[])[0];
    const checks = (await api(t.address, "GET", `/v1/client/allocation/${alloc.ID}/checks`)).body as Record<string, Obj>;
    expect(Object.values(checks).map((c) => [c.Check, c.Mode, c.Status])).toEqual([["alive", "healthiness", "success"]]);
  });

  it("an allocation that runs but fails its check is unhealthy at the healthy deadline, not before", async () => {
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: checkedJob("silent", false) })).status).toBe(200);
    const alloc = await waitFor("the allocation to run", async () =>
      ((await api(t.address, "GET", "/v1/job/silent/allocations")).body as Obj[]).find((a) => a.ClientStatus === "running"),
    );
    // Running for longer than min_healthy_time, yet not healthy: the check fails.
    const checks = await waitFor("the check to run", async () => {
      const c = Object.values((await api(t.address, "GET", `/v1/client/allocation/${alloc.ID}/checks`)).body as Record<string, Obj>);
      return c.length && c[0].Status === "failure" ? c : null;
    });
    expect(checks[0].Check).toBe("alive");
    expect((await api(t.address, "GET", `/v1/allocation/${alloc.ID}`)).body.DeploymentStatus?.Healthy ?? null).toBeNull();
    const d = await waitFor(
      "the deployment to fail",
      async () => ((await deployment("silent"))?.Status === "failed" ? deployment("silent") : null),
      20_000,
    );
    expect(d!.StatusDescription).toMatch(/^Failed due to unhealthy allocations/);
    expect((await api(t.address, "GET", `/v1/allocation/${alloc.ID}`)).body.DeploymentStatus.Healthy).toBe(false);
  });
});
