import { BlockedEvals } from "../../../lib/runtime/server/blocked-evals";
import { newJobEval } from "../../../lib/runtime/structs";
import type { Evaluation } from "../../../lib/runtime/structs";

let n = 0;
function blocked(job: string, extra: Partial<Evaluation> = {}): Evaluation {
  n++;
  return {
    ...newJobEval(
      { ID: job, Namespace: "default", Type: "service", JobModifyIndex: 1 },
      { id: `b${n}`, now: 0, triggeredBy: "queued-allocs", status: "blocked" },
    ),
    CreateIndex: n,
    SnapshotIndex: 100,
    ...extra,
  };
}

describe("BlockedEvals", () => {
  it("keeps one blocked eval per job and reports the replaced one as a duplicate", () => {
    const woken: Evaluation[] = [];
    const be = new BlockedEvals((e) => woken.push(...e));
    const a = blocked("web");
    const b = blocked("web");
    be.block(a);
    be.block(b);
    expect(be.size).toBe(1);
    expect(be.takeDuplicates().map((e) => e.ID)).toEqual([a.ID]);
    expect(be.forJob("default", "web")?.ID).toBe(b.ID);
  });

  it("wakes captured evals unless they marked the class ineligible, and escaped evals always", () => {
    const woken: string[] = [];
    const be = new BlockedEvals((e) => woken.push(...e.map((x) => x.JobID)));
    be.block(blocked("ineligible", { ClassEligibility: { "v1:1": false } }));
    be.block(blocked("eligible", { ClassEligibility: { "v1:1": true } }));
    be.block(blocked("unseen", { ClassEligibility: { "v1:2": false } }));
    be.block(blocked("escaped", { ClassEligibility: { "v1:1": false }, EscapedComputedClass: true }));
    be.unblock("v1:1", 200);
    expect(woken.sort()).toEqual(["eligible", "escaped", "unseen"]);
    expect(be.size).toBe(1);
    be.unblockAll();
    expect(woken).toContain("ineligible");
  });

  it("unblocks at once an eval whose snapshot predates an unblock it could use", () => {
    const woken: string[] = [];
    const be = new BlockedEvals((e) => woken.push(...e.map((x) => x.JobID)));
    be.unblock("v1:9", 150);
    be.block(blocked("late", { SnapshotIndex: 120 }));
    expect(woken).toEqual(["late"]);
    be.block(blocked("fresh", { SnapshotIndex: 160 }));
    expect(woken).toEqual(["late"]);
  });

  it("untracks a job's blocked eval", () => {
    const be = new BlockedEvals(() => {});
    const e = blocked("gone");
    be.block(e);
    expect(be.untrack("default", "gone")?.ID).toBe(e.ID);
    expect(be.hasJob("default", "gone")).toBe(false);
  });
});
