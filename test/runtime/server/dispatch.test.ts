/** Dispatching parameterized jobs over HTTP: validation of meta and payload, the child job, idempotency tokens, parent/child listing. */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

const jobPath = (id: string, suffix = "") => `/v1/job/${encodeURIComponent(id)}${suffix}`;

function parameterized(id: string, block: Record<string, unknown>, runFor = "50ms"): Record<string, unknown> {
  return { ...mockJob(id, { type: "batch", runFor, meta: { owner: "data" } }), ParameterizedJob: block };
}

describe("dispatch of parameterized jobs", () => {
  let t: TestAgent;

  beforeAll(async () => {
    t = await startTestAgent();
    for (const job of [
      parameterized("etl", { Payload: "optional", MetaRequired: ["date", "source"], MetaOptional: ["retries"] }),
      parameterized("needs-payload", { Payload: "required" }),
      parameterized("no-payload", { Payload: "forbidden" }),
      mockJob("plain", { type: "batch", runFor: "50ms" }),
    ]) {
      const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
      expect(r.status).toBe(200);
    }
  });

  afterAll(async () => {
    await t.stop();
  });

  it("registers a parameterized job without an evaluation; it stays running with no allocations and cannot be evaluated", async () => {
    const jobs = await api(t.address, "GET", "/v1/jobs");
    const stub = jobs.body.find((j: { ID: string }) => j.ID === "etl");
    expect(stub).toMatchObject({ ParameterizedJob: true, Periodic: false, Status: "running", ParentID: "" });
    expect((await api(t.address, "GET", jobPath("etl", "/evaluations"))).body).toEqual([]);
    const ev = await api(t.address, "PUT", jobPath("etl", "/evaluate"), {});
    expect(ev.status).toBe(400);
    expect(ev.text).toBe("can't evaluate parameterized job");
  });

  it("dispatches a child that runs to completion, with the merged meta and the payload, listed under its parent", async () => {
    const payload = Buffer.from("rows=42\n").toString("base64");
    const r = await api(t.address, "PUT", jobPath("etl", "/dispatch"), {
      Meta: { date: "2026-03-28", source: "clickstream" },
      Payload: payload,
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(["DispatchedJobID", "EvalCreateIndex", "EvalID", "Index", "JobCreateIndex"]);
    const id: string = r.body.DispatchedJobID;
    expect(id).toMatch(/^etl\/dispatch-\d+-[0-9a-f]{8}$/);
    expect(r.body.EvalID).not.toBe("");
    expect(r.body.EvalCreateIndex).toBe(r.body.JobCreateIndex);
    expect(Number(r.headers.get("x-nomad-index"))).toBe(r.body.Index);

    const child = await waitFor("the dispatched child to finish", async () => {
      const j = await api(t.address, "GET", jobPath(id));
      return j.body.Status === "dead" ? j.body : null;
    });
    expect(child).toMatchObject({
      ID: id,
      Name: id,
      ParentID: "etl",
      Dispatched: true,
      Type: "batch",
      Payload: payload,
      Meta: { owner: "data", date: "2026-03-28", source: "clickstream" },
    });
    const allocs = await api(t.address, "GET", jobPath(id, "/allocations"));
    expect(allocs.body.map((a: { ClientStatus: string }) => a.ClientStatus)).toEqual(["complete"]);
    const evals = await api(t.address, "GET", jobPath(id, "/evaluations"));
    expect(evals.body[0]).toMatchObject({ ID: r.body.EvalID, TriggeredBy: "job-register", JobID: id });

    const list = await api(t.address, "GET", "/v1/jobs?prefix=etl");
    const childStub = list.body.find((j: { ID: string }) => j.ID === id);
    expect(childStub).toMatchObject({ ParentID: "etl", ParameterizedJob: false, Status: "dead" });
    const summary = await waitFor("the parent's summary to count the dead child", async () => {
      const s = await api(t.address, "GET", jobPath("etl", "/summary"));
      return s.body.Children.Dead >= 1 ? s.body : null;
    });
    expect(summary.Children).toMatchObject({ Pending: 0, Running: 0 });
    expect((await api(t.address, "GET", jobPath("etl", "/allocations"))).body).toEqual([]);
    expect((await api(t.address, "GET", jobPath("etl"))).body.Status).toBe("running");
  });

  it("counts running children in the parent's summary", async () => {
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: parameterized("long", { MetaOptional: ["n"] }, "1h") });
    expect(r.status).toBe(200);
    const d1 = await api(t.address, "PUT", jobPath("long", "/dispatch"), { Meta: { n: "1" } });
    const d2 = await api(t.address, "PUT", jobPath("long", "/dispatch"), {});
    expect(d1.body.DispatchedJobID).not.toBe(d2.body.DispatchedJobID);
    const s = await waitFor("two running children", async () => {
      const b = (await api(t.address, "GET", jobPath("long", "/summary"))).body;
      return b.Children.Running === 2 ? b : null;
    });
    expect(s.Children).toEqual({ Pending: 0, Running: 2, Dead: 0 });
    await api(t.address, "DELETE", jobPath(d1.body.DispatchedJobID));
    await waitFor("one child dead, one running", async () => {
      const b = (await api(t.address, "GET", jobPath("long", "/summary"))).body;
      return b.Children.Running === 1 && b.Children.Dead === 1;
    });
  });

  it("refuses a dispatch that lacks required meta, naming the missing keys", async () => {
    const r = await api(t.address, "PUT", jobPath("etl", "/dispatch"), { Meta: { date: "2026-03-28" } });
    expect(r.status).toBe(400);
    expect(r.text).toBe("Dispatch did not provide required meta keys: [source]");
    const none = await api(t.address, "PUT", jobPath("etl", "/dispatch"), {});
    expect(none.text).toBe("Dispatch did not provide required meta keys: [date source]");
  });

  it("refuses meta keys that are neither required nor optional", async () => {
    const r = await api(t.address, "PUT", jobPath("etl", "/dispatch"), { Meta: { date: "d", source: "s", color: "red" } });
    expect(r.status).toBe(400);
    expect(r.text).toBe("Dispatch request included unpermitted metadata keys: [color]");
    const ok = await api(t.address, "PUT", jobPath("etl", "/dispatch"), { Meta: { date: "d", source: "s", retries: "3" } });
    expect(ok.status).toBe(200);
  });

  it("enforces the payload mode: required and forbidden", async () => {
    const missing = await api(t.address, "PUT", jobPath("needs-payload", "/dispatch"), {});
    expect(missing.status).toBe(400);
    expect(missing.text).toBe("Payload is not provided but required by parameterized job");
    const given = await api(t.address, "PUT", jobPath("needs-payload", "/dispatch"), { Payload: Buffer.from("x").toString("base64") });
    expect(given.status).toBe(200);
    const forbidden = await api(t.address, "PUT", jobPath("no-payload", "/dispatch"), { Payload: Buffer.from("x").toString("base64") });
    expect(forbidden.status).toBe(400);
    expect(forbidden.text).toBe("Payload provided but forbidden by parameterized job");
    expect((await api(t.address, "PUT", jobPath("no-payload", "/dispatch"), {})).status).toBe(200);
  });

  it("limits the payload to 16 KiB", async () => {
    const over = await api(t.address, "PUT", jobPath("needs-payload", "/dispatch"), {
      Payload: Buffer.alloc(16 * 1024 + 1, 7).toString("base64"),
    });
    expect(over.status).toBe(400);
    expect(over.text).toBe("Payload exceeds maximum size; 16385 > 16384");
    const exact = await api(t.address, "PUT", jobPath("needs-payload", "/dispatch"), {
      Payload: Buffer.alloc(16 * 1024, 7).toString("base64"),
    });
    expect(exact.status).toBe(200);
    const bad = await api(t.address, "PUT", jobPath("needs-payload", "/dispatch"), { Payload: "not base64!" });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe("Payload is not valid base64");
  });

  it("returns the same child for the same idempotency token, and a new one for another token", async () => {
    const body = { Meta: { date: "2026-03-29", source: "billing" } };
    const first = await api(t.address, "PUT", jobPath("etl", "/dispatch?idempotency_token=run-29"), body);
    expect(first.status).toBe(200);
    const again = await api(t.address, "PUT", jobPath("etl", "/dispatch?idempotency_token=run-29"), body);
    expect(again.status).toBe(200);
    expect(again.body.DispatchedJobID).toBe(first.body.DispatchedJobID);
    expect(again.body.JobCreateIndex).toBe(first.body.JobCreateIndex);
    expect(again.body.EvalID).toBe("");
    const other = await api(t.address, "PUT", jobPath("etl", "/dispatch?idempotency_token=run-30"), body);
    expect(other.body.DispatchedJobID).not.toBe(first.body.DispatchedJobID);
    const child = await api(t.address, "GET", jobPath(first.body.DispatchedJobID));
    expect(child.body.DispatchIdempotencyToken).toBe("run-29");
    const evals = await api(t.address, "GET", jobPath(first.body.DispatchedJobID, "/evaluations"));
    expect(evals.body).toHaveLength(1);
  });

  it("puts the ID prefix template into the child's ID", async () => {
    const r = await api(t.address, "PUT", jobPath("etl", "/dispatch"), { Meta: { date: "d", source: "s" }, IdPrefixTemplate: "nightly" });
    expect(r.body.DispatchedJobID).toMatch(/^etl\/dispatch-nightly-\d+-[0-9a-f]{8}$/);
  });

  it("refuses jobs that are not parameterized, missing jobs, a mismatched JobID and bad meta values", async () => {
    const plain = await api(t.address, "PUT", jobPath("plain", "/dispatch"), {});
    expect(plain.status).toBe(400);
    expect(plain.text).toBe('Specified job "plain" is not a parameterized job');
    const missing = await api(t.address, "PUT", jobPath("nope", "/dispatch"), {});
    expect(missing.status).toBe(404);
    expect(missing.text).toBe("parameterized job not found");
    const mismatch = await api(t.address, "PUT", jobPath("etl", "/dispatch"), { JobID: "other" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toBe("Job ID does not match");
    const badMeta = await api(t.address, "PUT", jobPath("etl", "/dispatch"), { Meta: { date: 5 } });
    expect(badMeta.status).toBe(400);
    expect(badMeta.text).toBe('Meta["date"] must be a string');
    const getIt = await api(t.address, "GET", jobPath("etl", "/dispatch"));
    expect(getIt.status).toBe(405);
  });

  it("refuses a stopped parent and a submitted job with Dispatched set", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: parameterized("stopped", {}) });
    await api(t.address, "DELETE", jobPath("stopped"));
    const r = await api(t.address, "PUT", jobPath("stopped", "/dispatch"), {});
    expect(r.status).toBe(400);
    expect(r.text).toBe('Specified job "stopped" is stopped');
    const forged = await api(t.address, "PUT", "/v1/jobs", { Job: { ...mockJob("forged", { type: "batch" }), Dispatched: true } });
    expect(forged.status).toBe(500);
    expect(forged.text).toBe("job can't be submitted with 'Dispatched' set");
  });
});
