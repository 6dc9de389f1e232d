import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SqlitePersistence, StateStore } from "../../../lib/runtime/state";
import { newJobEval } from "../../../lib/runtime/structs";
import { mockAlloc } from "../../../lib/runtime/scheduler/mock";
import type { Allocation, StoredJob } from "../../../lib/runtime/structs";

function job(id: string, version = 0, index = 1): StoredJob {
  return {
    ID: id,
    Name: id,
    Namespace: "default",
    Type: "service",
    Priority: 50,
    Version: version,
    Status: "pending",
    StatusDescription: "",
    Stable: false,
    SubmitTime: 0,
    CreateIndex: index,
    ModifyIndex: index,
    JobModifyIndex: index,
    TaskGroups: [{ Name: "g", Count: 1, Tasks: [{ Name: "t", Driver: "mock_driver" }] }],
  } as unknown as StoredJob;
}

function alloc(id: string, j: StoredJob, node: string, status: Allocation["ClientStatus"] = "pending"): Allocation {
  return mockAlloc(j, { ID: id, NodeID: node, ClientStatus: status });
}

describe("StateStore", () => {
  it("gives each write transaction the next index and tracks per-table indexes", () => {
    const s = new StateStore();
    const w1 = s.write((t) => t.putJob(job("a"), true));
    const w2 = s.write((t) => t.putEval(newJobEval(job("a"), { id: "e1", now: 0, triggeredBy: "job-register" })));
    expect([w1.index, w2.index]).toEqual([1, 2]);
    expect(s.indexOf(["jobs"])).toBe(1);
    expect(s.indexOf(["evals"])).toBe(2);
    expect(s.indexOf(["nodes"])).toBe(1); // never written: at least 1
    const noop = s.write(() => {});
    expect(noop.index).toBe(2);
    expect(s.evalByID("e1")).toMatchObject({ CreateIndex: 2, ModifyIndex: 2 });
  });

  it("keeps the last 6 versions of a job, newest first", () => {
    const s = new StateStore();
    for (let v = 0; v < 9; v++) s.write((t) => t.putJob(job("a", v, v + 1), true));
    expect(s.jobVersions("default", "a").map((j) => j.Version)).toEqual([8, 7, 6, 5, 4, 3]);
    expect(s.jobByVersion("default", "a", 2)).toBeUndefined();
    expect(s.jobByID("default", "a")?.Version).toBe(8);
  });

  it("indexes allocations by job, node and eval, keeps node usage and summaries, and derives job status", () => {
    const s = new StateStore();
    const j = job("web");
    s.write((t) => t.putJob(j, true));
    s.write((t) => {
      t.putAlloc(alloc("a1", j, "n1"));
      t.putAlloc(alloc("a2", j, "n1"));
    });
    expect(s.allocsByNode("n1").map((a) => a.ID)).toEqual(["a1", "a2"]);
    expect(s.allocsByEval("e1")).toHaveLength(2);
    expect(s.nodeUsage("n1")).toEqual({ cpu: 200, memoryMB: 128, diskMB: 20 });
    expect(s.jobSummary("default", "web")?.Summary.g).toMatchObject({ Starting: 2 });
    expect(s.jobByID("default", "web")?.Status).toBe("running");
    s.write((t) => t.putAlloc({ ...alloc("a1", j, "n1", "complete") }, false));
    expect(s.nodeUsage("n1")).toEqual({ cpu: 100, memoryMB: 64, diskMB: 10 });
    expect(s.jobSummary("default", "web")?.Summary.g).toMatchObject({ Starting: 1, Complete: 1 });
    const a1 = s.allocByID("a1") as Allocation;
    expect(a1.CreateIndex).toBe(2);
    expect(a1.AllocModifyIndex).toBe(2);
    expect(a1.ModifyIndex).toBe(3);
  });

  it("wakes a blocking wait when a watched table changes, not for other tables", async () => {
    const s = new StateStore();
    const idx = s.indexOf(["jobs"]);
    let woke = false;
    // The wait outlasts the test timeout: only a write can end it.
    const p = s.waitForChange(["jobs"], idx, 600_000).then(() => (woke = true));
    s.write((t) => t.putEval(newJobEval(job("x"), { id: "e", now: 0, triggeredBy: "job-register" })));
    // A write wakes its waiters synchronously: after one turn of the event loop a wake would have been seen.
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    expect(s.blockingQueries).toBe(1);
    s.write((t) => t.putJob(job("x"), true));
    await p;
    expect(woke).toBe(true);
    await s.close();
  });

  it("persists to SQLite and loads everything back; allocations point at their job version", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-state-"));
    try {
      const s = new StateStore(new SqlitePersistence(dir));
      const v0 = job("web", 0, 1);
      const w = s.write((t) => t.putJob(v0, true));
      s.write((t) => t.putAlloc(alloc("a1", v0, "n1")));
      const v1 = { ...job("web", 1, 3), CreateIndex: 1 } as StoredJob;
      const last = s.write((t) => t.putJob(v1, true));
      await Promise.all([w.durable, last.durable]);
      await s.close();
      const r = new StateStore(new SqlitePersistence(dir));
      expect(r.latestIndex()).toBe(3);
      expect(r.indexOf(["jobs"])).toBe(3);
      expect(r.jobByID("default", "web")?.Version).toBe(1);
      expect(r.jobVersions("default", "web").map((j) => j.Version)).toEqual([1, 0]);
      const a = r.allocByID("a1") as Allocation;
      expect(a.Job.Version).toBe(0);
      expect(a.Job).toBe(r.jobByVersion("default", "web", 0));
      expect(r.allocsByJob("default", "web")).toHaveLength(1);
      const next = r.write((t) => t.putJob({ ...job("other", 0, 4) }, true));
      expect(next.index).toBe(4);
      await next.durable;
      await r.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the version row a live allocation runs even after it leaves the tracked six", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-state-"));
    try {
      const s = new StateStore(new SqlitePersistence(dir));
      const v0 = job("old", 0, 1);
      s.write((t) => t.putJob(v0, true));
      s.write((t) => t.putAlloc(alloc("live", v0, "n1", "running")));
      for (let v = 1; v < 9; v++) s.write((t) => t.putJob({ ...job("old", v, 10 + v), CreateIndex: 1 } as StoredJob, true));
      await s.close();
      const r = new StateStore(new SqlitePersistence(dir));
      expect(r.jobVersions("default", "old").map((j) => j.Version)).toEqual([8, 7, 6, 5, 4, 3]);
      expect((r.allocByID("live") as Allocation).Job.Version).toBe(0);
      await r.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("purging a job removes it and its versions; its allocations stay listed (to be stopped) until a re-registered job replaces the terminal ones", () => {
    const s = new StateStore();
    const j = job("p", 0, 1);
    s.write((t) => t.putJob(j, true));
    s.write((t) => t.putAlloc(alloc("old", j, "n1", "complete")));
    s.write((t) => t.putAlloc(alloc("live", j, "n1", "running")));
    s.write((t) => t.purgeJob("default", "p"));
    expect(s.jobByID("default", "p")).toBeUndefined();
    expect(s.jobVersions("default", "p")).toEqual([]);
    expect(
      s
        .allocsByJob("default", "p")
        .map((a) => a.ID)
        .sort(),
    ).toEqual(["live", "old"]);
    s.write((t) => t.putJob(job("p", 0, 4), true));
    expect(s.allocsByJob("default", "p").map((a) => a.ID)).toEqual(["live"]);
    s.write((t) => t.putAlloc(alloc("live", j, "n1", "complete")));
    expect(s.allocsByJob("default", "p")).toEqual([]);
    expect(s.allocByID("old")).toBeDefined();
  });
});
