/** The state store's side of parent and child jobs: child counts in the parent's summary and the periodic launch table, in memory and across a SQLite round trip. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SqlitePersistence, StateStore } from "../../../lib/runtime/state";
import type { StoredJob } from "../../../lib/runtime/structs";

function job(id: string, extra: Partial<StoredJob> & Record<string, unknown> = {}): StoredJob {
  return {
    ID: id,
    Namespace: "default",
    Type: "batch",
    Version: 0,
    Status: "pending",
    StatusDescription: "",
    Stable: false,
    SubmitTime: 0,
    CreateIndex: 0,
    ModifyIndex: 0,
    JobModifyIndex: 0,
    TaskGroups: [{ Name: "g", Count: 1, Tasks: [] }],
    ...extra,
  } as unknown as StoredJob;
}

const children = (s: StateStore, id: string) => s.jobSummary("default", id)?.Children;

describe("state store: parents and children", () => {
  it("counts children by status as they change, and forgets purged ones", async () => {
    const s = new StateStore();
    s.write((txn) => txn.putJob(job("p", { ParameterizedJob: { Payload: "optional" } }), true));
    expect(s.jobByID("default", "p")?.Status).toBe("running");
    expect(children(s, "p")).toEqual({ Pending: 0, Running: 0, Dead: 0 });

    s.write((txn) => {
      txn.putJob(job("p/dispatch-1", { ParentID: "p", Dispatched: true, ParameterizedJob: { Payload: "optional" } }), true);
      txn.putJob(job("p/dispatch-2", { ParentID: "p", Dispatched: true, ParameterizedJob: { Payload: "optional" } }), true);
    });
    // A dispatched child is not a parameterized template: with nothing to run yet, it is pending, not running.
    expect(s.jobByID("default", "p/dispatch-1")?.Status).toBe("pending");
    expect(children(s, "p")).toEqual({ Pending: 2, Running: 0, Dead: 0 });
    expect(
      s
        .jobChildren("default", "p")
        .map((c) => c.ID)
        .sort(),
    ).toEqual(["p/dispatch-1", "p/dispatch-2"]);

    s.write((txn) => txn.putJob({ ...(s.jobByID("default", "p/dispatch-1") as StoredJob), Stop: true } as StoredJob, false));
    expect(s.jobByID("default", "p/dispatch-1")?.Status).toBe("dead");
    expect(children(s, "p")).toEqual({ Pending: 1, Running: 0, Dead: 1 });

    s.write((txn) => txn.purgeJob("default", "p/dispatch-1"));
    expect(children(s, "p")).toEqual({ Pending: 1, Running: 0, Dead: 0 });
    expect(s.jobChildren("default", "p").map((c) => c.ID)).toEqual(["p/dispatch-2"]);
    await s.close();
  });

  it("keeps child counts and launch records across a restart, and drops the record with the job", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-periodic-state-"));
    try {
      const s = new StateStore(new SqlitePersistence(dir));
      s.write((txn) => {
        txn.putJob(
          job("cron", { Periodic: { Enabled: true, Spec: "* * * * *", SpecType: "cron", ProhibitOverlap: false, TimeZone: "UTC" } }),
          true,
        );
        txn.putPeriodicLaunch("default", "cron", "2026-01-01T00:00:00.000Z");
      });
      s.write((txn) => {
        txn.putJob(job("cron/periodic-1767225660", { ParentID: "cron" }), true);
        txn.putPeriodicLaunch("default", "cron", "2026-01-01T00:01:00.000Z");
      });
      expect(children(s, "cron")).toEqual({ Pending: 1, Running: 0, Dead: 0 });
      await s.close();

      const r = new StateStore(new SqlitePersistence(dir));
      expect(r.periodicLaunch("default", "cron")?.Launch).toBe("2026-01-01T00:01:00.000Z");
      expect(children(r, "cron")).toEqual({ Pending: 1, Running: 0, Dead: 0 });
      // The loaded child is counted once: stopping it moves it, it does not add it again.
      r.write((txn) => txn.putJob({ ...(r.jobByID("default", "cron/periodic-1767225660") as StoredJob), Stop: true } as StoredJob, false));
      expect(children(r, "cron")).toEqual({ Pending: 0, Running: 0, Dead: 1 });
      r.write((txn) => txn.purgeJob("default", "cron"));
      expect(r.periodicLaunch("default", "cron")).toBeUndefined();
      await r.close();

      const again = new StateStore(new SqlitePersistence(dir));
      expect(again.periodicLaunch("default", "cron")).toBeUndefined();
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
