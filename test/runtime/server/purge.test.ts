/**
 * End-to-end: deregistering a job, with or without purge, stops every one of
 * its allocations (Nomad's scheduler stops all allocations of a job that is
 * stopped or gone), and a purged job's allocations and evaluations are
 * garbage-collected once terminal. Mock-driver jobs of every kind, over HTTP.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

interface AllocStub {
  ID: string;
  ClientStatus: string;
  DesiredStatus: string;
}

describe("deregistering stops every allocation of the job", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2, gc: { intervalMs: 0 } });
  });
  afterAll(async () => {
    await t.stop();
  });

  const allocs = async (id: string): Promise<AllocStub[]> =>
    (await api(t.address, "GET", `/v1/job/${encodeURIComponent(id)}/allocations`)).body;
  const running = (id: string, n: number) =>
    waitFor(`${n} running allocations of ${id}`, async () => {
      const l = (await allocs(id)).filter((a) => a.DesiredStatus === "run" && a.ClientStatus === "running");
      return l.length >= n ? l : null;
    });
  /** Waits until every allocation of `id` is stopped and terminal on its client; returns them. */
  const allStopped = (id: string) =>
    waitFor(`every allocation of ${id} stopped`, async () => {
      const l = await allocs(id);
      return l.length > 0 && l.every((a) => a.DesiredStatus === "stop" && a.ClientStatus === "complete") ? l : null;
    });

  it.each([
    ["a running service", "svc-purge", mockJob("svc-purge", { count: 3 }), 3],
    ["a running batch job", "batch-purge", mockJob("batch-purge", { type: "batch", count: 2, runFor: "1h" }), 2],
    ["a system job", "sys-purge", mockJob("sys-purge", { type: "system" }), 2],
  ])("purge of %s stops its allocations, and the collector then removes them with the evaluations", async (_what, id, job, n) => {
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const before = await running(id, n);
    const evalsBefore = ((await api(t.address, "GET", `/v1/job/${id}/evaluations`)).body as { ID: string }[]).map((e) => e.ID);
    const purge = await api(t.address, "DELETE", `/v1/job/${id}?purge=true`);
    expect(purge.status).toBe(200);
    expect(purge.body.EvalID).not.toBe("");
    expect((await api(t.address, "GET", `/v1/job/${id}`)).status).toBe(404);
    const stopped = await allStopped(id);
    expect(stopped.map((a) => a.ID).sort()).toEqual(before.map((a) => a.ID).sort());
    const dereg = await api(t.address, "GET", `/v1/evaluation/${purge.body.EvalID}`);
    expect(dereg.body).toMatchObject({ TriggeredBy: "job-deregister", Status: "complete" });

    expect((await api(t.address, "PUT", "/v1/system/gc")).status).toBe(200);
    for (const a of before) expect((await api(t.address, "GET", `/v1/allocation/${a.ID}`)).status).toBe(404);
    for (const e of [...evalsBefore, purge.body.EvalID]) expect((await api(t.address, "GET", `/v1/evaluation/${e}`)).status).toBe(404);
    expect(await allocs(id)).toEqual([]);
  });

  it("a stop without purge stops every allocation too, and the job stays, dead", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("svc-stop", { count: 2 }) });
    await running("svc-stop", 2);
    expect((await api(t.address, "DELETE", "/v1/job/svc-stop")).status).toBe(200);
    await allStopped("svc-stop");
    await waitFor("job dead", async () => (await api(t.address, "GET", "/v1/job/svc-stop")).body.Status === "dead");
  });

  it("a job purged and registered again at once (a replacement) ends with only the new job's allocations running", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("again", { count: 2 }) });
    const old = await running("again", 2);
    expect((await api(t.address, "DELETE", "/v1/job/again?purge=true")).status).toBe(200);
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("again", { count: 1, meta: { v: "2" } }) })).status).toBe(200);
    await waitFor("the old allocations stopped", async () => {
      for (const o of old) {
        const a = (await api(t.address, "GET", `/v1/allocation/${o.ID}`)).body as AllocStub;
        if (a.DesiredStatus !== "stop" || a.ClientStatus !== "complete") return false;
      }
      return true;
    });
    const live = await waitFor("one live allocation", async () => {
      const l = (await allocs("again")).filter((a) => a.DesiredStatus === "run" && a.ClientStatus === "running");
      return l.length === 1 ? l : null;
    });
    expect(old.map((a) => a.ID)).not.toContain(live[0].ID);
  });

  it("purging the children of a periodic and of a parameterized parent stops theirs", async () => {
    const periodic = {
      ...mockJob("cron-p", { type: "batch", runFor: "1h" }),
      Periodic: { Enabled: true, SpecType: "cron", Spec: "0 0 1 1 *", ProhibitOverlap: false },
    };
    const param = { ...mockJob("param-p", { type: "batch", runFor: "1h" }), ParameterizedJob: { Payload: "optional" } };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: periodic })).status).toBe(200);
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: param })).status).toBe(200);
    const forced = await api(t.address, "PUT", "/v1/job/cron-p/periodic/force");
    expect(forced.status).toBe(200);
    const dispatched = await api(t.address, "PUT", "/v1/job/param-p/dispatch", {});
    expect(dispatched.status).toBe(200);
    const children = ((await api(t.address, "GET", "/v1/jobs?prefix=cron-p/periodic-")).body as { ID: string }[]).map((j) => j.ID);
    expect(children).toHaveLength(1);
    for (const child of [children[0], dispatched.body.DispatchedJobID as string]) {
      await running(child, 1);
      expect((await api(t.address, "DELETE", `/v1/job/${encodeURIComponent(child)}?purge=true`)).status).toBe(200);
      await allStopped(child);
    }
  });
});
