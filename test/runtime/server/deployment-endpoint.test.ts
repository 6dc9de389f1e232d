/** The deployment endpoint's refusals, in Nomad's words and statuses (`nomad/deployment_endpoint.go`, `structs/errors.go`, the state store). */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

describe("deployment endpoint errors as Nomad's", () => {
  let t: TestAgent;
  let done: Obj;
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 2 });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("finished", { runFor: "1h" }) });
    done = await waitFor("a successful deployment", async () => {
      const d = (await api(t.address, "GET", "/v1/job/finished/deployment")).body as Obj | null;
      return d?.Status === "successful" ? d : undefined;
    });
  });
  afterAll(() => t?.stop());

  it.each([
    ["promote/", { All: true }, "can't promote terminal deployment"],
    ["fail/", {}, "can't fail terminal deployment"],
    ["pause/", { Pause: true }, "can't pause terminal deployment"],
    ["pause/", { Pause: false }, "can't resume terminal deployment"],
    ["allocation-health/", { HealthyAllocationIDs: ["x"] }, "can't set health of allocations for a terminal deployment"],
    ["unblock/", {}, "can't unblock terminal deployment"],
  ])("PUT /v1/deployment/%s on a terminal deployment: 500 %j → %s", async (op, body, text) => {
    expect(await api(t.address, "PUT", `/v1/deployment/${op}${done.ID}`, body)).toMatchObject({ status: 500, text });
  });

  it("answers an unknown deployment with Nomad's `deployment not found` (a 404, where Nomad's writes answer 500)", async () => {
    const id = "00000000-0000-4000-8000-000000000009";
    expect(await api(t.address, "PUT", `/v1/deployment/promote/${id}`, { All: true })).toMatchObject({
      status: 404,
      text: "deployment not found",
    });
    expect(await api(t.address, "GET", `/v1/deployment/${id}`)).toMatchObject({ status: 404, text: "deployment not found" });
  });

  it("wants allocation IDs for allocation health before anything else", async () => {
    expect(await api(t.address, "PUT", `/v1/deployment/allocation-health/${done.ID}`, {})).toMatchObject({
      status: 400,
      text: "must specify at least one healthy/unhealthy allocation ID",
    });
  });

  it("refuses to promote canaries that are not healthy, every group's shortfall in one multierror", async () => {
    const job = mockJob("canaried", { runFor: "1h", count: 2 }) as Obj;
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    await waitFor(
      "the first deployment to succeed",
      async () => (await api(t.address, "GET", "/v1/job/canaried/deployment")).body?.Status === "successful",
    );
    job.TaskGroups[0].Update = { ...job.TaskGroups[0].Update, Canary: 1, HealthCheck: "manual", AutoPromote: false };
    job.TaskGroups[0].Tasks[0].Config.run_for = "2h";
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const d = await waitFor("a canary deployment with its canary placed", async () => {
      const x = (await api(t.address, "GET", "/v1/job/canaried/deployment")).body as Obj | null;
      return x && x.JobVersion === 1 && x.TaskGroups.web.PlacedCanaries?.length === 1 ? x : undefined;
    });
    expect(await api(t.address, "PUT", `/v1/deployment/promote/${d.ID}`, { All: true })).toMatchObject({
      status: 500,
      text: '1 error occurred:\n\t* Task group "web" has 0/1 healthy allocations\n\n',
    });
  });
});
