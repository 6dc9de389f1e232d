/**
 * End-to-end: the job lifecycle over HTTP against an in-process agent with
 * the mock driver (register, read back, list, plan, in-place and destructive
 * updates, scale, stop, purge, EnforceIndex, every job type).
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

interface AllocStub {
  ID: string;
  Name: string;
  ClientStatus: string;
  DesiredStatus: string;
  JobVersion: number;
  TaskGroup: string;
}

describe("job lifecycle over HTTP", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
  });
  afterAll(async () => {
    await t.stop();
  });

  const allocs = async (id: string): Promise<AllocStub[]> => (await api(t.address, "GET", `/v1/job/${id}/allocations`)).body;
  const live = async (id: string) => (await allocs(id)).filter((a) => a.DesiredStatus === "run");
  const runningCount = (id: string, n: number) =>
    waitFor(`${n} running allocations of ${id}`, async () => {
      const l = await live(id);
      return l.length === n && l.every((a) => a.ClientStatus === "running") ? l : null;
    });

  it("registers, reads back, lists and summarizes a service job", async () => {
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("web", { count: 3 }) });
    expect(reg.status).toBe(200);
    expect(reg.headers.get("x-nomad-index")).toBe(String(reg.body.Index));
    expect(reg.body).toMatchObject({ JobModifyIndex: expect.any(Number), EvalCreateIndex: expect.any(Number), Warnings: "" });

    const job = await api(t.address, "GET", "/v1/job/web");
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ ID: "web", Namespace: "default", Type: "service", Version: 0, Priority: 50, Region: "global" });
    expect(job.body.TaskGroups[0].Count).toBe(3);
    expect(job.headers.get("x-nomad-knownleader")).toBe("true");
    expect(job.headers.get("x-nomad-lastcontact")).toBe("0");

    await runningCount("web", 3);
    const list = await api(t.address, "GET", "/v1/jobs?prefix=we");
    expect(list.body.map((j: { ID: string }) => j.ID)).toEqual(["web"]);
    expect(list.body[0].JobSummary.Summary.web.Running).toBe(3);
    expect(list.body[0].Status).toBe("running");
    const summary = await api(t.address, "GET", "/v1/job/web/summary");
    expect(summary.body.Summary.web).toMatchObject({ Running: 3, Queued: 0, Failed: 0 });
    const evals = await api(t.address, "GET", "/v1/job/web/evaluations");
    expect(evals.body[0]).toMatchObject({ TriggeredBy: "job-register", Status: "complete" });
  });

  it("re-registering the same spec creates no new version", async () => {
    const before = (await api(t.address, "GET", "/v1/job/web")).body;
    const reg = await api(t.address, "PUT", "/v1/job/web", { Job: mockJob("web", { count: 3 }) });
    expect(reg.status).toBe(200);
    expect(reg.body.JobModifyIndex).toBe(before.JobModifyIndex);
    const after = (await api(t.address, "GET", "/v1/job/web")).body;
    expect(after.Version).toBe(0);
    const versions = await api(t.address, "GET", "/v1/job/web/versions");
    expect(versions.body.Versions).toHaveLength(1);
  });

  it("plans a new job as Added, an unchanged one as None and a change as Edited", async () => {
    const added = await api(t.address, "PUT", "/v1/job/fresh/plan", { Job: mockJob("fresh"), Diff: true });
    expect(added.status).toBe(200);
    expect(added.body.Diff.Type).toBe("Added");
    expect(added.body.Annotations.DesiredTGUpdates.web.Place).toBe(1);
    expect(added.body.JobModifyIndex).toBe(0);
    expect((await api(t.address, "GET", "/v1/job/fresh")).status).toBe(404);

    const none = await api(t.address, "PUT", "/v1/job/web/plan", { Job: mockJob("web", { count: 3 }), Diff: true });
    expect(none.body.Diff.Type).toBe("None");
    expect(none.body.Annotations.DesiredTGUpdates.web.Ignore).toBe(3);

    const edited = await api(t.address, "PUT", "/v1/job/web/plan", { Job: mockJob("web", { count: 5 }), Diff: true });
    expect(edited.body.Diff.Type).toBe("Edited");
    const count = edited.body.Diff.TaskGroups[0].Fields.find((f: { Name: string }) => f.Name === "Count");
    expect(count).toMatchObject({ Type: "Edited", Old: "3", New: "5", Annotations: ["forces create"] });
    expect(edited.body.Annotations.DesiredTGUpdates.web.Place).toBe(2);
    expect(edited.body.Diff.TaskGroups[0].Updates).toMatchObject({ create: 2 });
    expect(edited.body.JobModifyIndex).toBe((await api(t.address, "GET", "/v1/job/web")).body.JobModifyIndex);
  });

  it("updates in place (allocation IDs kept) and destructively (replaced)", async () => {
    const before = (await live("web")).map((a) => a.ID).sort();
    const inPlace = mockJob("web", { count: 3 }) as { TaskGroups: { Tasks: { KillTimeout?: number }[] }[] };
    inPlace.TaskGroups[0].Tasks[0].KillTimeout = 7_000_000_000;
    const plan = await api(t.address, "PUT", "/v1/job/web/plan", { Job: inPlace, Diff: true });
    expect(plan.body.Annotations.DesiredTGUpdates.web.InPlaceUpdate).toBe(3);
    expect((await api(t.address, "PUT", "/v1/job/web", { Job: inPlace })).status).toBe(200);
    await waitFor("in-place update to version 1", async () => {
      const l = await live("web");
      return l.length === 3 && l.every((a) => a.JobVersion === 1) ? l : null;
    });
    expect((await live("web")).map((a) => a.ID).sort()).toEqual(before);

    const destructive = mockJob("web", { count: 3, runFor: "2h" }) as typeof inPlace;
    destructive.TaskGroups[0].Tasks[0].KillTimeout = 7_000_000_000;
    const plan2 = await api(t.address, "PUT", "/v1/job/web/plan", { Job: destructive, Diff: true });
    // MaxParallel 2 gates destructive updates: two now, the third once they are healthy.
    expect(plan2.body.Annotations.DesiredTGUpdates.web.DestructiveUpdate).toBe(2);
    expect(plan2.body.Diff.TaskGroups[0].Tasks[0].Annotations).toEqual(["forces create/destroy update"]);
    expect((await api(t.address, "PUT", "/v1/job/web", { Job: destructive })).status).toBe(200);
    const replaced = await waitFor(
      "destructive update to version 2",
      async () => {
        const l = await live("web");
        return l.length === 3 && l.every((a) => a.JobVersion === 2 && a.ClientStatus === "running") ? l : null;
      },
      30_000,
    );
    for (const a of replaced) expect(before).not.toContain(a.ID);
    const versions = await api(t.address, "GET", "/v1/job/web/versions");
    expect(versions.body.Versions.map((v: { Version: number }) => v.Version)).toEqual([2, 1, 0]);
  });

  it("scales a group by count with Nomad's validation", async () => {
    expect((await api(t.address, "POST", "/v1/job/web/scale", { Count: 1, Target: { Group: "nope" } })).status).toBe(400);
    expect((await api(t.address, "POST", "/v1/job/web/scale", { Count: -1, Target: { Group: "web" } })).text).toContain(
      "can't be negative",
    );
    await waitFor(
      "deployment to succeed",
      async () => ((await api(t.address, "GET", "/v1/job/web/deployment")).body?.Status === "successful" ? true : null),
      20_000,
    );
    expect((await api(t.address, "GET", "/v1/job/web")).body.Stable).toBe(true);
    const r = await api(t.address, "POST", "/v1/job/web/scale", { Count: 1, Target: { Group: "web" }, Message: "down to one" });
    expect(r.status).toBe(200);
    expect(r.body.EvalID).not.toBe("");
    await waitFor("one live allocation", async () => ((await live("web")).length === 1 ? true : null));
    const status = await api(t.address, "GET", "/v1/job/web/scale");
    expect(status.body.TaskGroups.web.Desired).toBe(1);
    expect(status.body.TaskGroups.web.Events[0]).toMatchObject({ Count: 1, PreviousCount: 3, Message: "down to one" });
  });

  it("enforces the job modify index with Nomad's messages", async () => {
    const job = (await api(t.address, "GET", "/v1/job/web")).body;
    const conflict = await api(t.address, "PUT", "/v1/job/web", {
      Job: mockJob("web", { count: 2 }),
      EnforceIndex: true,
      JobModifyIndex: job.JobModifyIndex - 1,
    });
    expect(conflict.status).toBe(500);
    expect(conflict.text).toBe(
      `Enforcing job modify index ${job.JobModifyIndex - 1}: job exists with conflicting job modify index: ${job.JobModifyIndex}`,
    );
    const exists = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("web"), EnforceIndex: true, JobModifyIndex: 0 });
    expect(exists.text).toBe("Enforcing job modify index 0: job already exists");
    const missing = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("ghost"), EnforceIndex: true, JobModifyIndex: 5 });
    expect(missing.text).toBe("Enforcing job modify index 5: job does not exist");
    const ok = await api(t.address, "PUT", "/v1/jobs", {
      Job: mockJob("web", { count: 1, meta: { a: "b" } }),
      EnforceIndex: true,
      JobModifyIndex: job.JobModifyIndex,
    });
    expect(ok.status).toBe(200);
    expect((await api(t.address, "GET", "/v1/job/ghost")).status).toBe(404);
  });

  it("stops a job (kept, Stop=true, allocations stopped) and purges it", async () => {
    const stop = await api(t.address, "DELETE", "/v1/job/web");
    expect(stop.status).toBe(200);
    expect(stop.body.EvalID).not.toBe("");
    await waitFor("no live allocations", async () => ((await live("web")).length === 0 ? true : null));
    await waitFor("job dead", async () => ((await api(t.address, "GET", "/v1/job/web")).body.Status === "dead" ? true : null));
    const stopped = await api(t.address, "GET", "/v1/job/web");
    expect(stopped.body.Stop).toBe(true);
    const purge = await api(t.address, "DELETE", "/v1/job/web?purge=true");
    expect(purge.status).toBe(200);
    const gone = await api(t.address, "GET", "/v1/job/web");
    expect(gone.status).toBe(404);
    expect(gone.text).toBe("job not found");
    expect((await api(t.address, "DELETE", "/v1/job/web")).body.EvalID).toBe("");
  });

  it("runs a batch job to completion", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("once", { type: "batch", count: 2, runFor: "50ms" }) });
    const done = await waitFor("2 complete allocations", async () => {
      const a = await allocs("once");
      return a.length === 2 && a.every((x) => x.ClientStatus === "complete") ? a : null;
    });
    expect(done).toHaveLength(2);
    await waitFor("batch job dead", async () => ((await api(t.address, "GET", "/v1/job/once")).body.Status === "dead" ? true : null));
    const alloc = await api(t.address, "GET", `/v1/allocation/${done[0].ID}`);
    const events = alloc.body.TaskStates.main.Events.map((e: { Type: string }) => e.Type);
    expect(events).toEqual(["Received", "Task Setup", "Started", "Terminated"]);
    expect(alloc.body.TaskStates.main).toMatchObject({ State: "dead", Failed: false });
  });

  it("marks a failing batch task failed with Nomad's events", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("crash", { type: "batch", runFor: "10ms", config: { exit_code: 3 } }) });
    const failed = await waitFor("a failed allocation", async () => (await allocs("crash")).find((a) => a.ClientStatus === "failed"));
    const alloc = (await api(t.address, "GET", `/v1/allocation/${failed.ID}`)).body;
    const events = alloc.TaskStates.main.Events.map((e: { Type: string }) => e.Type);
    expect(events).toEqual(["Received", "Task Setup", "Started", "Terminated", "Not Restarting"]);
    expect(alloc.TaskStates.main.Events[3].ExitCode).toBe(3);
    expect(alloc.TaskStates.main.Failed).toBe(true);
    await api(t.address, "DELETE", "/v1/job/crash?purge=true");
  });

  it("runs a system job on every node and a sysbatch job to completion on every node", async () => {
    const nodes = (await api(t.address, "GET", "/v1/nodes")).body as { ID: string }[];
    expect(nodes).toHaveLength(3);
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("agent", { type: "system" }) });
    const sys = await waitFor("one running alloc per node", async () => {
      const l = await live("agent");
      return l.length === 3 && l.every((a) => a.ClientStatus === "running") ? l : null;
    });
    expect(new Set(sys.map((a) => (a as unknown as { NodeID: string }).NodeID)).size).toBe(3);
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("sweep", { type: "sysbatch", runFor: "20ms" }) });
    await waitFor("one complete alloc per node", async () => {
      const a = await allocs("sweep");
      return a.length === 3 && a.every((x) => x.ClientStatus === "complete") ? a : null;
    });
  });

  it("stops an allocation and places a replacement", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("solo") });
    const [first] = await runningCount("solo", 1);
    const stop = await api(t.address, "POST", `/v1/allocation/${first.ID}/stop`);
    expect(stop.status).toBe(200);
    expect(stop.body.EvalID).toMatch(/-/);
    const [second] = await waitFor("a replacement", async () => {
      const l = await live("solo");
      return l.length === 1 && l[0].ID !== first.ID && l[0].ClientStatus === "running" ? l : null;
    });
    expect(second.Name).toBe(first.Name);
    expect((await api(t.address, "POST", "/v1/allocation/nope/stop")).status).toBe(404);
  });
});
