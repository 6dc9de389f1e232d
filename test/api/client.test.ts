import { NomadApiError, NomadClient, NomadConnectionError } from "../../lib/api";
import { FakeNomad, sample } from "./fake-nomad";

const NOMAD_HEADERS = { "X-Nomad-Index": "26", "X-Nomad-LastContact": "12", "X-Nomad-KnownLeader": "true" };

describe("NomadClient against a fake agent", () => {
  let fake: FakeNomad;
  let client: NomadClient;
  beforeEach(async () => {
    fake = await new FakeNomad().start();
    client = NomadClient.fromEnv(
      { NOMAD_ADDR: fake.address, NOMAD_TOKEN: "s3cr3t", NOMAD_REGION: "global" },
      { retry: { baseDelayMs: 1, maxDelayMs: 5 } },
    );
  });
  afterEach(async () => {
    await client.close();
    await fake.stop();
  });

  it("sends the token as X-Nomad-Token and the region on every request", async () => {
    fake.on("GET", "/v1/status/leader", { body: sample("status__read-leader__sample-response") });
    const { data } = await client.status.leader();
    expect(data).toBe("127.0.0.1:4647");
    const [req] = fake.to("/v1/status/leader");
    expect(req.headers["x-nomad-token"]).toBe("s3cr3t");
    expect(req.query.get("region")).toBe("global");
  });

  it("reads a job and the blocking-query metadata from the X-Nomad-* headers", async () => {
    fake.on("GET", "/v1/job/example", {
      body: sample("jobs__read-job__sample-response"),
      headers: { ...NOMAD_HEADERS, "X-Nomad-NextToken": "" },
    });
    const res = await client.jobs.info("example", { index: 20, wait: 5000, stale: true, namespace: "apps" });
    expect(res.data.ID).toBe("example");
    expect(res.data.JobModifyIndex).toBe(7);
    expect(res.meta).toEqual({ index: 26, lastContact: 12, knownLeader: true, nextToken: "" });
    const q = fake.to("/v1/job/example")[0].query;
    expect(q.get("index")).toBe("20");
    expect(q.get("wait")).toBe("5000ms");
    expect(q.has("stale")).toBe(true);
    expect(q.get("namespace")).toBe("apps");
  });

  it("maps list options to Nomad's query parameters", async () => {
    fake.on("GET", "/v1/jobs", { body: sample("jobs__list-jobs__sample-response"), headers: { "X-Nomad-NextToken": "abc" } });
    const res = await client.jobs.list({ prefix: "ex", namespace: "*", filter: 'Status == "running"', perPage: 10, nextToken: "t0" });
    expect(res.data[0].ID).toBe("example");
    expect(res.meta.nextToken).toBe("abc");
    const q = fake.to("/v1/jobs")[0].query;
    expect(Object.fromEntries(q)).toEqual({
      region: "global",
      namespace: "*",
      prefix: "ex",
      filter: 'Status == "running"',
      per_page: "10",
      next_token: "t0",
    });
  });

  it("registers with EnforceIndex and JobModifyIndex in the body and the job's namespace in the query", async () => {
    fake.on("PUT", "/v1/jobs", { body: sample("jobs__create-job__sample-response"), headers: { "X-Nomad-Index": "109" } });
    const job = { ID: "web", Namespace: "apps", TaskGroups: [] } as never;
    const res = await client.jobs.register(job, { enforceIndex: true, modifyIndex: 12, preserveCounts: true });
    expect(res.data.JobModifyIndex).toBe(109);
    expect(res.meta.index).toBe(109);
    const req = fake.to("/v1/jobs")[0];
    expect(JSON.parse(req.body)).toEqual({
      Job: { ID: "web", Namespace: "apps", TaskGroups: [] },
      EnforceIndex: true,
      JobModifyIndex: 12,
      PreserveCounts: true,
    });
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.query.get("namespace")).toBe("apps");
  });

  it("plans with Diff: true at /v1/job/:id/plan", async () => {
    fake.on("PUT", "/v1/job/example/plan", { body: sample("jobs__create-job-plan__sample-response") });
    const res = await client.jobs.plan({ ID: "example" } as never);
    expect(res.data.Diff?.Type).toBe("Added");
    expect(res.data.Annotations?.DesiredTGUpdates?.cache.Place).toBe(11);
    expect(JSON.parse(fake.requests[0].body)).toEqual({ Job: { ID: "example" }, Diff: true, PolicyOverride: false });
  });

  it("sends deregister flags, dispatch payloads and idempotency tokens as Nomad expects", async () => {
    fake.on("DELETE", "/v1/job/web", { body: { EvalID: "e1", EvalCreateIndex: 3, JobModifyIndex: 3 } });
    fake.on("PUT", "/v1/job/batch/dispatch", {
      body: { DispatchedJobID: "batch/dispatch-1", EvalID: "e2", EvalCreateIndex: 4, JobCreateIndex: 4 },
    });
    await client.jobs.deregister("web", { purge: true, global: true });
    expect(Object.fromEntries(fake.to("/v1/job/web")[0].query)).toEqual({ region: "global", purge: "true", global: "true" });
    const d = await client.jobs.dispatch("batch", { meta: { a: "1" }, payload: "hello", idempotencyToken: "tok" });
    expect(d.data.DispatchedJobID).toBe("batch/dispatch-1");
    const req = fake.to("/v1/job/batch/dispatch")[0];
    expect(JSON.parse(req.body)).toEqual({ JobID: "batch", Payload: Buffer.from("hello").toString("base64"), Meta: { a: "1" } });
    expect(req.query.get("idempotency_token")).toBe("tok");
  });

  it("uses Nomad's paths for the other endpoint groups", async () => {
    const calls: [() => Promise<unknown>, string, string][] = [
      [() => client.jobs.versions("j", { diffs: true }), "GET", "/v1/job/j/versions"],
      [() => client.jobs.allocations("j", { all: true }), "GET", "/v1/job/j/allocations"],
      [() => client.jobs.evaluations("j"), "GET", "/v1/job/j/evaluations"],
      [() => client.jobs.deployments("j"), "GET", "/v1/job/j/deployments"],
      [() => client.jobs.latestDeployment("j"), "GET", "/v1/job/j/deployment"],
      [() => client.jobs.summary("j"), "GET", "/v1/job/j/summary"],
      [() => client.jobs.scaleStatus("j"), "GET", "/v1/job/j/scale"],
      [() => client.jobs.scale("j", "g", 3), "PUT", "/v1/job/j/scale"],
      [() => client.jobs.revert("j", 1), "PUT", "/v1/job/j/revert"],
      [() => client.jobs.stable("j", 1, true), "PUT", "/v1/job/j/stable"],
      [() => client.jobs.forceEvaluate("j"), "PUT", "/v1/job/j/evaluate"],
      [() => client.jobs.periodicForce("j"), "PUT", "/v1/job/j/periodic/force"],
      [() => client.jobs.validate({ ID: "j" } as never), "PUT", "/v1/validate/job"],
      [() => client.jobs.parse("job {}"), "PUT", "/v1/jobs/parse"],
      [() => client.evaluations.list({ job: "j" }), "GET", "/v1/evaluations"],
      [() => client.evaluations.info("e", { related: true }), "GET", "/v1/evaluation/e"],
      [() => client.evaluations.allocations("e"), "GET", "/v1/evaluation/e/allocations"],
      [() => client.allocations.list(), "GET", "/v1/allocations"],
      [() => client.allocations.info("a"), "GET", "/v1/allocation/a"],
      [() => client.allocations.stop("a"), "PUT", "/v1/allocation/a/stop"],
      [() => client.allocations.signal("a", "SIGHUP", { task: "t" }), "PUT", "/v1/client/allocation/a/signal"],
      [() => client.allocations.restart("a", { allTasks: true }), "PUT", "/v1/client/allocation/a/restart"],
      [() => client.deployments.list(), "GET", "/v1/deployments"],
      [() => client.deployments.info("d"), "GET", "/v1/deployment/d"],
      [() => client.deployments.allocations("d"), "GET", "/v1/deployment/allocations/d"],
      [() => client.deployments.promoteAll("d"), "PUT", "/v1/deployment/promote/d"],
      [() => client.deployments.promoteGroups("d", ["g"]), "PUT", "/v1/deployment/promote/d"],
      [() => client.deployments.fail("d"), "PUT", "/v1/deployment/fail/d"],
      [() => client.deployments.resume("d"), "PUT", "/v1/deployment/pause/d"],
      [() => client.deployments.setAllocHealth("d", ["a"], []), "PUT", "/v1/deployment/allocation-health/d"],
      [() => client.nodes.list(), "GET", "/v1/nodes"],
      [() => client.nodes.info("n"), "GET", "/v1/node/n"],
      [() => client.nodes.allocations("n"), "GET", "/v1/node/n/allocations"],
      [() => client.nodes.toggleEligibility("n", false), "PUT", "/v1/node/n/eligibility"],
      [() => client.nodes.drain("n", { Deadline: 1, IgnoreSystemJobs: false }), "PUT", "/v1/node/n/drain"],
      [() => client.nodes.gc("n"), "GET", "/v1/client/gc"],
      [() => client.nodes.readMeta("n"), "GET", "/v1/client/metadata"],
      [() => client.nodes.applyMeta({ a: "b", c: null }, { nodeID: "n" }), "POST", "/v1/client/metadata"],
      [() => client.allocations.gc("a"), "GET", "/v1/client/allocation/a/gc"],
      [() => client.nodePools.list(), "GET", "/v1/node/pools"],
      [() => client.nodePools.info("gpu"), "GET", "/v1/node/pool/gpu"],
      [() => client.nodePools.register({ Name: "gpu" }), "PUT", "/v1/node/pools"],
      [() => client.nodePools.delete("gpu"), "DELETE", "/v1/node/pool/gpu"],
      [() => client.nodePools.nodes("gpu", { os: true }), "GET", "/v1/node/pool/gpu/nodes"],
      [() => client.nodePools.jobs("gpu"), "GET", "/v1/node/pool/gpu/jobs"],
      [() => client.status.peers(), "GET", "/v1/status/peers"],
      [() => client.status.regions(), "GET", "/v1/regions"],
      [() => client.agent.self(), "GET", "/v1/agent/self"],
      [() => client.agent.members(), "GET", "/v1/agent/members"],
      [() => client.agent.health(), "GET", "/v1/agent/health"],
      [() => client.scaling.policies(), "GET", "/v1/scaling/policies"],
      [() => client.scaling.listPolicies({ job: "web" }), "GET", "/v1/scaling/policies"],
      [() => client.scaling.policy("p"), "GET", "/v1/scaling/policy/p"],
      [() => client.services.list(), "GET", "/v1/services"],
      [() => client.services.get("web"), "GET", "/v1/service/web"],
    ];
    for (const [, method, p] of calls) fake.on(method, p, { body: {} });
    for (const [call] of calls) await call();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(calls.map(([, m, p]) => `${m} ${p}`));
    const promote = fake.requests.filter((r) => r.path === "/v1/deployment/promote/d").map((r) => JSON.parse(r.body));
    expect(promote).toEqual([
      { DeploymentID: "d", All: true },
      { DeploymentID: "d", Groups: ["g"] },
    ]);
    expect(JSON.parse(fake.to("/v1/node/n/eligibility")[0].body)).toEqual({ NodeID: "n", Eligibility: "ineligible" });
    expect(JSON.parse(fake.to("/v1/client/metadata")[1].body)).toEqual({ NodeID: "n", Meta: { a: "b", c: null } });
    expect(fake.to("/v1/client/gc")[0].query.get("node_id")).toBe("n");
    expect(fake.to("/v1/client/metadata")[0].query.get("node_id")).toBe("n");
    expect(fake.to("/v1/node/pool/gpu/nodes")[0].query.get("os")).toBe("true");
    expect(fake.to("/v1/scaling/policies")[1].query.get("job")).toBe("web");
  });

  it("escapes job IDs in paths", async () => {
    fake.on("GET", "/v1/job/batch%2Fdispatch-1", { body: { ID: "batch/dispatch-1" } });
    expect((await client.jobs.info("batch/dispatch-1")).data.ID).toBe("batch/dispatch-1");
  });

  describe("errors", () => {
    it("maps a non-2xx answer to NomadApiError with Nomad's plain-text body", async () => {
      fake.on("PUT", "/v1/jobs", { status: 500, body: "Enforcing job modify index 12: job exists with conflicting job modify index: 13" });
      const err = await client.jobs.register({ ID: "web" } as never, { enforceIndex: true, modifyIndex: 12 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NomadApiError);
      expect((err as NomadApiError).message).toBe(
        "PUT /v1/jobs: 500 Enforcing job modify index 12: job exists with conflicting job modify index: 13",
      );
      expect(err).toMatchObject({ status: 500, method: "PUT", path: "/v1/jobs" });
    });

    it("reports 404 as not found", async () => {
      fake.on("GET", "/v1/job/nope", { status: 404, body: "job not found" });
      const err = (await client.jobs.info("nope").catch((e: unknown) => e)) as NomadApiError;
      expect(err.isNotFound).toBe(true);
      expect(err.body).toBe("job not found");
    });

    it("names the address and what to check when nothing listens", async () => {
      const addr = fake.address;
      await fake.stop();
      const c = new NomadClient({ address: addr, retry: { maxAttempts: 2, baseDelayMs: 1 } });
      const err = (await c.status.leader().catch((e: unknown) => e)) as NomadConnectionError;
      await c.close();
      expect(err).toBeInstanceOf(NomadConnectionError);
      expect(err.code).toBe("ECONNREFUSED");
      expect(err.message).toContain(`cannot reach the Nomad agent at ${addr}`);
      expect(err.message).toContain("Check NOMAD_ADDR");
      fake = await new FakeNomad().start();
    });
  });

  describe("retries", () => {
    it("retries a GET after a 503 and succeeds", async () => {
      let n = 0;
      fake.on("GET", "/v1/job/web/summary", () =>
        ++n < 3 ? { status: 503, body: "busy" } : { body: sample("jobs__read-job-summary__sample-response") },
      );
      const res = await client.jobs.summary("web");
      expect(res.data.JobID).toBeDefined();
      expect(fake.to("/v1/job/web/summary")).toHaveLength(3);
    });

    it("retries a GET after a connection reset", async () => {
      let n = 0;
      fake.on("GET", "/v1/regions", () => (++n === 1 ? { reset: true } : { body: ["global"] }));
      expect((await client.status.regions()).data).toEqual(["global"]);
      expect(fake.to("/v1/regions")).toHaveLength(2);
    });

    it("gives up after maxAttempts and reports the last answer", async () => {
      fake.on("GET", "/v1/regions", { status: 503, body: "still busy" });
      const err = (await client.status.regions().catch((e: unknown) => e)) as NomadApiError;
      expect(err.status).toBe(503);
      expect(fake.to("/v1/regions")).toHaveLength(4);
    });

    it("does not retry a 500 that is not a leader election, nor a 4xx", async () => {
      fake.on("GET", "/v1/job/x", { status: 500, body: "rpc error: boom" });
      fake.on("GET", "/v1/job/y", { status: 403, body: "Permission denied" });
      await expect(client.jobs.info("x")).rejects.toThrow("GET /v1/job/x: 500 rpc error: boom");
      await expect(client.jobs.info("y")).rejects.toThrow("403 Permission denied");
      expect(fake.to("/v1/job/x")).toHaveLength(1);
      expect(fake.to("/v1/job/y")).toHaveLength(1);
    });

    it("retries a GET after 500 No cluster leader", async () => {
      let n = 0;
      fake.on("GET", "/v1/jobs", () => (++n === 1 ? { status: 500, body: "No cluster leader" } : { body: [] }));
      expect((await client.jobs.list()).data).toEqual([]);
      expect(n).toBe(2);
    });

    it("never retries a PUT that may have been received (503 or reset)", async () => {
      fake.on("PUT", "/v1/jobs", { status: 503, body: "busy" });
      await expect(client.jobs.register({ ID: "w" } as never)).rejects.toThrow(NomadApiError);
      expect(fake.to("/v1/jobs")).toHaveLength(1);
      fake.on("PUT", "/v1/job/w/plan", { reset: true });
      const err = await client.jobs.plan({ ID: "w" } as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NomadConnectionError);
      expect((err as NomadConnectionError).notSent).toBe(false);
      expect(fake.to("/v1/job/w/plan")).toHaveLength(1);
    });

    it("retries a PUT whose connection was refused (it never reached the agent)", async () => {
      const addr = fake.address;
      await fake.stop();
      const c = new NomadClient({ address: addr, retry: { maxAttempts: 6, baseDelayMs: 40, maxDelayMs: 80 } });
      c.transport.random = () => 1; // deterministic backoff: 40, 80, 80, … ms
      const attempt = c.jobs.register({ ID: "w" } as never);
      // Bring an agent up on the same port while the client is backing off.
      await new Promise((r) => setTimeout(r, 60));
      fake = await new FakeNomad()
        .on("PUT", "/v1/jobs", { body: { EvalID: "e", EvalCreateIndex: 1, JobModifyIndex: 1, Warnings: "" } })
        .start(Number(new URL(addr).port));
      const res = await attempt;
      await c.close();
      expect(res.data.EvalID).toBe("e");
      expect(fake.to("/v1/jobs")).toHaveLength(1);
    });
  });
});
