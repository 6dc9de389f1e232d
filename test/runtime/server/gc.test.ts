/**
 * Garbage collection end to end over HTTP: the periodic collector with short
 * thresholds, `PUT /v1/system/gc`, `PUT /v1/system/reconcile/summaries`,
 * node purge and evaluate, and a collection that survives a restart.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

type Alloc = { ID: string; NodeID: string; ClientStatus: string; DesiredStatus: string };

async function jobDead(address: string, id: string): Promise<boolean> {
  const r = await api(address, "GET", `/v1/job/${id}`);
  return r.status === 200 && r.body.Status === "dead";
}

async function evalsAndAllocs(address: string, id: string): Promise<{ evals: string[]; allocs: string[]; placing: string[] }> {
  const evals = ((await api(address, "GET", `/v1/job/${id}/evaluations`)).body as { ID: string }[]).map((e) => e.ID);
  const list = (await api(address, "GET", `/v1/job/${id}/allocations`)).body as { ID: string; EvalID: string }[];
  return { evals, allocs: list.map((a) => a.ID), placing: [...new Set(list.map((a) => a.EvalID))] };
}

async function expectGone(address: string, id: string, evals: string[], allocs: string[]): Promise<void> {
  expect((await api(address, "GET", `/v1/job/${id}`)).status).toBe(404);
  for (const e of evals) expect((await api(address, "GET", `/v1/evaluation/${e}`)).status).toBe(404);
  for (const a of allocs) expect((await api(address, "GET", `/v1/allocation/${a}`)).status).toBe(404);
}

async function expectPresent(address: string, id: string, evals: string[], allocs: string[]): Promise<void> {
  expect((await api(address, "GET", `/v1/job/${id}`)).status).toBe(200);
  for (const e of evals) expect((await api(address, "GET", `/v1/evaluation/${e}`)).status).toBe(200);
  for (const a of allocs) expect((await api(address, "GET", `/v1/allocation/${a}`)).status).toBe(200);
}

describe("periodic garbage collection with short thresholds", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({
      gc: { intervalMs: 50, jobGCThresholdMs: 100, evalGCThresholdMs: 100, batchEvalGCThresholdMs: 100, deploymentGCThresholdMs: 100 },
    });
  });
  afterAll(() => t.stop());

  it("removes a finished batch job with its evaluations and allocations, and keeps a running job's", async () => {
    const a = t.address;
    expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("svc", { count: 1 }) })).status).toBe(200);
    expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("done", { type: "batch", runFor: "10ms" }) })).status).toBe(200);
    await waitFor("the batch job to finish", () => jobDead(a, "done"));
    const done = await evalsAndAllocs(a, "done");
    expect(done.evals.length).toBeGreaterThan(0);
    expect(done.allocs.length).toBe(1);
    await waitFor("svc to run", async () =>
      ((await api(a, "GET", "/v1/job/svc/allocations")).body as Alloc[]).some((x) => x.ClientStatus === "running"),
    );
    const svc = await evalsAndAllocs(a, "svc");

    await waitFor("the GC to remove the batch job", async () => (await api(a, "GET", "/v1/job/done")).status === 404);
    await expectGone(a, "done", done.evals, done.allocs);
    // Several collections later (past every threshold: 5 × 50 ms > 100 ms), the running job and its evaluation and allocation are all still there.
    const seen = t.agent.server.gc.collections;
    await waitFor("five more collections", () => t.agent.server.gc.collections >= seen + 5);
    // Evaluations that placed live allocations stay (others, e.g. the deployment watcher's, may go, as in Nomad).
    await expectPresent(a, "svc", svc.placing, svc.allocs);
    const jobs = ((await api(a, "GET", "/v1/jobs")).body as { ID: string }[]).map((j) => j.ID);
    expect(jobs).toContain("svc");
    expect(jobs).not.toContain("done");
  });
});

describe("PUT /v1/system/gc and /v1/system/reconcile/summaries", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent();
  });
  afterAll(() => t.stop());

  it("forces a collection that ignores Nomad's default thresholds", async () => {
    const a = t.address;
    expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("svc", { count: 1 }) })).status).toBe(200);
    expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("once", { type: "batch", runFor: "10ms" }) })).status).toBe(200);
    await waitFor("the batch job to finish", () => jobDead(a, "once"));
    await waitFor("svc to run", async () =>
      ((await api(a, "GET", "/v1/job/svc/allocations")).body as Alloc[]).some((x) => x.ClientStatus === "running"),
    );
    const once = await evalsAndAllocs(a, "once");
    const svc = await evalsAndAllocs(a, "svc");
    // Hours-long default thresholds: nothing is old enough for the periodic collector.
    await expectPresent(a, "once", once.evals, once.allocs);

    const gc = await api(a, "PUT", "/v1/system/gc");
    expect(gc.status).toBe(200);
    await expectGone(a, "once", once.evals, once.allocs);
    // Evaluations that placed live allocations stay (others, e.g. the deployment watcher's, may go, as in Nomad).
    await expectPresent(a, "svc", svc.placing, svc.allocs);

    const before = (await api(a, "GET", "/v1/job/svc/summary")).body;
    const rec = await api(a, "PUT", "/v1/system/reconcile/summaries");
    expect(rec.status).toBe(200);
    const after = (await api(a, "GET", "/v1/job/svc/summary")).body;
    expect(after.Summary).toEqual(before.Summary);
    expect(after.Summary.web.Running).toBe(1);
  });

  it("rejects GET on the system endpoints", async () => {
    expect((await api(t.address, "GET", "/v1/system/gc")).status).toBe(405);
  });
});

describe("node purge and evaluate", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 3 });
  });
  afterAll(() => t.stop());

  it("PUT /v1/node/:id/evaluate creates evaluations for the jobs on the node", async () => {
    const a = t.address;
    expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("one", { count: 1 }) })).status).toBe(200);
    const alloc = await waitFor("one to be placed", async () => ((await api(a, "GET", "/v1/job/one/allocations")).body as Alloc[])[0]);
    const r = await api(a, "PUT", `/v1/node/${alloc.NodeID}/evaluate`);
    expect(r.status).toBe(200);
    expect(r.body.EvalIDs).toHaveLength(1);
    const ev = (await api(a, "GET", `/v1/evaluation/${r.body.EvalIDs[0]}`)).body;
    expect(ev.JobID).toBe("one");
    expect(ev.TriggeredBy).toBe("node-update");
    expect(ev.NodeID).toBe(alloc.NodeID);
    expect((await api(a, "PUT", "/v1/node/00000000-0000-0000-0000-000000000000/evaluate")).status).toBe(404);
  });

  it("PUT /v1/node/:id/purge removes a down node; its allocations are marked lost and replaced elsewhere", async () => {
    const a = t.address;
    const job = { ...mockJob("spread", { count: 2 }), Constraints: [{ Operand: "distinct_hosts", RTarget: "true" }] };
    expect((await api(a, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const placed = await waitFor("two running allocations", async () => {
      const l = ((await api(a, "GET", "/v1/job/spread/allocations")).body as Alloc[]).filter((x) => x.ClientStatus === "running");
      return l.length === 2 ? l : null;
    });
    const victim = placed[0];
    const down = await api(a, "PUT", `/v1/drover/sim-node/${victim.NodeID}/down?immediate=true`);
    expect(down.status).toBe(200);
    await waitFor("the node to be down", async () => (await api(a, "GET", `/v1/node/${victim.NodeID}`)).body.Status === "down");

    const r = await api(a, "PUT", `/v1/node/${victim.NodeID}/purge`);
    expect(r.status).toBe(200);
    expect(Number(r.headers.get("x-nomad-index"))).toBeGreaterThan(0);
    expect((await api(a, "GET", `/v1/node/${victim.NodeID}`)).status).toBe(404);
    expect(((await api(a, "GET", "/v1/nodes")).body as { ID: string }[]).map((n) => n.ID)).not.toContain(victim.NodeID);

    const lost = await waitFor("the purged node's allocation to be lost", async () => {
      const x = (await api(a, "GET", `/v1/allocation/${victim.ID}`)).body as Alloc;
      return x.ClientStatus === "lost" && x.DesiredStatus === "stop" ? x : null;
    });
    expect(lost.NodeID).toBe(victim.NodeID);
    const replaced = await waitFor("a replacement on another node", async () => {
      const l = ((await api(a, "GET", "/v1/job/spread/allocations")).body as Alloc[]).filter(
        (x) => x.DesiredStatus === "run" && x.ClientStatus === "running",
      );
      return l.length === 2 ? l : null;
    });
    expect(replaced.map((x) => x.NodeID)).not.toContain(victim.NodeID);
    expect((await api(a, "PUT", `/v1/node/${victim.NodeID}/purge`)).status).toBe(404);

    // A ready node can be purged too: its allocation is lost at once (the purge's own evaluation).
    const ready = replaced[0];
    expect((await api(a, "GET", `/v1/node/${ready.NodeID}`)).body.Status).toBe("ready");
    const r2 = await api(a, "PUT", `/v1/node/${ready.NodeID}/purge`);
    expect(r2.status).toBe(200);
    expect(r2.body.EvalIDs.length).toBeGreaterThan(0);
    await waitFor(
      "the ready node's allocation to be lost",
      async () => ((await api(a, "GET", `/v1/allocation/${ready.ID}`)).body as Alloc).ClientStatus === "lost",
    );
    expect((await api(a, "GET", `/v1/node/${ready.NodeID}`)).status).toBe(404);
  });
});

describe("garbage collection with a data dir", () => {
  let dir: string;
  let t: TestAgent | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-gc-"));
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("does not bring back what it removed after a restart", async () => {
    t = await startTestAgent({ dataDir: dir });
    let a = t.address;
    expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("keep", { type: "batch", runFor: "1h" }) })).status).toBe(200);
    expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("gone", { type: "batch", runFor: "10ms" }) })).status).toBe(200);
    await waitFor("gone to finish", () => jobDead(a, "gone"));
    await waitFor("keep to run", async () =>
      ((await api(a, "GET", "/v1/job/keep/allocations")).body as Alloc[]).some((x) => x.ClientStatus === "running"),
    );
    const gone = await evalsAndAllocs(a, "gone");
    const keep = await evalsAndAllocs(a, "keep");
    expect((await api(a, "PUT", "/v1/system/gc")).status).toBe(200);
    await expectGone(a, "gone", gone.evals, gone.allocs);
    await t.stop();

    t = await startTestAgent({ dataDir: dir });
    a = t.address;
    await expectGone(a, "gone", gone.evals, gone.allocs);
    await expectPresent(a, "keep", keep.placing, keep.allocs);
    expect(((await api(a, "GET", "/v1/jobs")).body as { ID: string }[]).map((j) => j.ID)).toEqual(["keep"]);
  });
});
