/** Bad input never crashes the agent and never writes anything; it gets Nomad's 4xx (or 500 for admission failures). */
import { api, mockJob, startTestAgent, type TestAgent } from "../../helpers/runtime";

describe("bad input", () => {
  let t: TestAgent;
  let indexBefore = 0;
  beforeAll(async () => {
    t = await startTestAgent({ client: false });
    indexBefore = t.agent.server.store.latestIndex();
  });
  afterAll(async () => {
    await t.stop();
  });

  it("rejects malformed JSON with 400 and a plain-text body", async () => {
    const r = await api(t.address, "PUT", "/v1/jobs", '{"Job": {"ID": "x",');
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toContain("text/plain");
    expect(r.text).toMatch(/^Failed to decode request body/);
  });

  it("rejects a missing job, a missing ID and a mismatched ID with 400", async () => {
    expect((await api(t.address, "PUT", "/v1/jobs", {})).text).toBe("Job must be specified");
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: { Name: "x" } })).text).toBe("Job ID hasn't been provided");
    const mismatch = await api(t.address, "PUT", "/v1/job/other", { Job: mockJob("x") });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toBe("Job ID does not match name");
    expect((await api(t.address, "PUT", "/v1/jobs", [1, 2])).status).toBe(400);
  });

  it("rejects a write body that is not an object, or names another ID than the path, with 400", async () => {
    const cases: [string, unknown, string][] = [
      ["/v1/job/a/revert", { JobID: "b", JobVersion: 0 }, "Job ID does not match"],
      ["/v1/job/a/stable", { JobID: "b", JobVersion: 0, Stable: true }, "Job ID does not match"],
      ["/v1/job/a/evaluate", { JobID: "b" }, "Job ID does not match"],
      ["/v1/node/n1/eligibility", { NodeID: "n2", Eligibility: "eligible" }, "Node ID does not match"],
      ["/v1/node/n1/drain", { NodeID: "n2" }, "Node ID does not match"],
      ["/v1/deployment/fail/d1", { DeploymentID: "d2" }, "Deployment ID does not match"],
      ["/v1/deployment/unblock/d1", { DeploymentID: "d2" }, "Deployment ID does not match"],
      ["/v1/job/a/revert", [1], "Request body must be a JSON object"],
      ["/v1/node/n1/eligibility", "", "Request body must be a JSON object"],
      ["/v1/deployment/pause/d1", [true], "Request body must be a JSON object"],
    ];
    for (const [path, body, message] of cases) {
      const r = await api(t.address, "PUT", path, body);
      expect({ path, status: r.status, text: r.text }).toEqual({ path, status: 400, text: message });
    }
    // Where Nomad takes an empty body, it is read as {}: the request goes on to the lookup.
    expect((await api(t.address, "PUT", "/v1/job/missing/evaluate", "")).status).toBe(404);
    expect(await api(t.address, "PUT", "/v1/deployment/fail/00000000-0000-0000-0000-000000000000", "")).toMatchObject({
      status: 404,
      text: "deployment not found",
    });
  });

  it("rejects values of the wrong type with 400 naming the path", async () => {
    const job = mockJob("typed") as { TaskGroups: { Count: unknown }[] };
    job.TaskGroups[0].Count = "three";
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
    expect(r.status).toBe(400);
    expect(r.text).toContain("Job.TaskGroups[0].Count");
  });

  it("rejects an invalid job with 500 and a multi-error listing every problem with its path", async () => {
    const job = mockJob("invalid") as { Type: string; TaskGroups: { Count: number; Tasks: { Driver?: string }[] }[] };
    job.TaskGroups[0].Count = -1;
    delete job.TaskGroups[0].Tasks[0].Driver;
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/^2 errors occurred:\n\t\* /);
    expect(r.text).toContain("Job.TaskGroups[0].Count");
    expect(r.text).toContain("Job.TaskGroups[0].Tasks[0].Driver");
    const v = await api(t.address, "PUT", "/v1/validate/job", { Job: job });
    expect(v.status).toBe(200);
    expect(v.body.ValidationErrors).toHaveLength(2);
    expect(v.body.Problems.map((p: { path: string }) => p.path).sort()).toEqual([
      "Job.TaskGroups[0].Count",
      "Job.TaskGroups[0].Tasks[0].Driver",
    ]);
  });

  it("rejects bodies over 10 MiB with 413", async () => {
    const huge = JSON.stringify({ Job: { ID: "huge", Meta: { blob: "x".repeat(11 * 1024 * 1024) } } });
    const r = await fetch(`${t.address}/v1/jobs`, { method: "PUT", body: huge, headers: { "Content-Type": "application/json" } }).catch(
      (err: Error) => err,
    );
    if (r instanceof Error) throw r;
    expect(r.status).toBe(413);
  });

  it("answers unknown objects with 404 and Nomad's messages", async () => {
    expect((await api(t.address, "GET", "/v1/job/nope")).text).toBe("job not found");
    expect((await api(t.address, "GET", "/v1/job/nope/summary")).status).toBe(404);
    expect((await api(t.address, "GET", "/v1/job/nope/versions")).text).toBe("job versions not found");
    expect((await api(t.address, "GET", "/v1/allocation/nope")).text).toBe("alloc not found");
    expect((await api(t.address, "GET", "/v1/evaluation/nope")).text).toBe("eval not found");
    expect((await api(t.address, "GET", "/v1/deployment/nope")).text).toBe("deployment not found");
    expect((await api(t.address, "GET", "/v1/node/nope")).text).toBe("node not found");
    expect((await api(t.address, "POST", "/v1/node/nope/eligibility", { Eligibility: "eligible" })).status).toBe(404);
    expect((await api(t.address, "POST", "/v1/job/nope/evaluate")).status).toBe(404);
    expect((await api(t.address, "POST", "/v1/job/nope/scale", { Count: 1, Target: { Group: "g" } })).status).toBe(404);
    expect((await api(t.address, "GET", "/v1/nothing-here")).status).toBe(404);
  });

  it("answers a wrong method with 405", async () => {
    const r = await api(t.address, "DELETE", "/v1/jobs");
    expect(r.status).toBe(405);
    expect(r.text).toBe("Invalid method");
    expect((await api(t.address, "PUT", "/v1/allocations")).status).toBe(405);
  });

  it("rejects broken HCL in /v1/jobs/parse with a clear 400 that says where", async () => {
    const r = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: 'job "x" {' });
    expect(r.status).toBe(400);
    expect(r.text).toContain("Failed to parse job: input.hcl:1:9: Unclosed configuration block");
    const json = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: JSON.stringify({ Job: mockJob("p") }), Canonicalize: true });
    expect(json.status).toBe(200);
    expect(json.body.ID).toBe("p");
    expect(json.body.Priority).toBe(50);
  });

  it("wrote nothing and is still healthy", async () => {
    expect(t.agent.server.store.latestIndex()).toBe(indexBefore);
    expect((await api(t.address, "GET", "/v1/jobs")).body).toEqual([]);
    const health = await api(t.address, "GET", "/v1/agent/health");
    expect(health.status).toBe(200);
    expect(health.body.server.ok).toBe(true);
  });
});
