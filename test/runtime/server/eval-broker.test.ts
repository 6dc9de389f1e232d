import { EvalBroker } from "../../../lib/runtime/server/eval-broker";
import { newJobEval } from "../../../lib/runtime/structs";
import type { Evaluation } from "../../../lib/runtime/structs";
import { FakeClock } from "../../helpers/fake-clock";

let n = 0;
function ev(job: string, priority = 50, type = "service", extra: Partial<Evaluation> = {}): Evaluation {
  n++;
  return {
    ...newJobEval(
      { ID: job, Namespace: "default", Type: type as Evaluation["Type"] as "service", JobModifyIndex: 1, Priority: priority },
      { id: `e${n}`, now: 0, triggeredBy: "job-register" },
    ),
    CreateIndex: n,
    ModifyIndex: n,
    ...extra,
  };
}

describe("EvalBroker", () => {
  it("dequeues by priority, then by CreateIndex", () => {
    const b = new EvalBroker(new FakeClock());
    const low = ev("a", 20);
    const high = ev("b", 90);
    const mid1 = ev("c", 50);
    const mid2 = ev("d", 50);
    for (const e of [low, mid2, high, mid1]) b.enqueue(e);
    const order = [1, 2, 3, 4].map(() => b.dequeue()?.eval.JobID);
    expect(order).toEqual(["b", "c", "d", "a"]);
  });

  it("filters by scheduler type", () => {
    const b = new EvalBroker(new FakeClock());
    b.enqueue(ev("svc", 50, "service"));
    b.enqueue(ev("sys", 99, "system"));
    expect(b.dequeue(["service"])?.eval.JobID).toBe("svc");
    expect(b.dequeue(["service"])).toBeUndefined();
    expect(b.dequeue()?.eval.JobID).toBe("sys");
  });

  it("keeps one eval per job in flight; on ack the best pending one is released and the rest become cancelable", () => {
    const b = new EvalBroker(new FakeClock());
    const first = ev("web");
    const second = ev("web");
    const third = ev("web", 70);
    b.enqueue(first);
    b.enqueue(second);
    b.enqueue(third);
    const d = b.dequeue();
    expect(d?.eval.ID).toBe(first.ID);
    expect(b.dequeue()).toBeUndefined();
    expect(b.stats().totalPending).toBe(2);
    b.ack(d!.eval.ID, d!.token);
    expect(b.dequeue()?.eval.ID).toBe(third.ID);
    expect(b.takeCancelable().map((e) => e.ID)).toEqual([second.ID]);
  });

  it("redelivers a nacked eval after 1 s, then (n-1)*20 s, and fails it at the delivery limit", () => {
    const clock = new FakeClock();
    const b = new EvalBroker(clock);
    const e = ev("flaky");
    b.enqueue(e);
    let d = b.dequeue()!;
    b.nack(e.ID, d.token);
    expect(b.dequeue()).toBeUndefined();
    clock.advance(999);
    expect(b.dequeue()).toBeUndefined();
    clock.advance(1);
    d = b.dequeue()!;
    expect(d.eval.ID).toBe(e.ID);
    b.nack(e.ID, d.token);
    clock.advance(19_999);
    expect(b.dequeue()).toBeUndefined();
    clock.advance(1);
    d = b.dequeue()!;
    b.nack(e.ID, d.token);
    expect(b.takeFailed().map((x) => x.ID)).toEqual([e.ID]);
    expect(b.stats()).toMatchObject({ totalReady: 0, totalUnacked: 0, totalWaiting: 0 });
  });

  it("holds evals with a Wait or a future WaitUntil until their time", () => {
    const clock = new FakeClock();
    const b = new EvalBroker(clock);
    b.enqueue(ev("later", 50, "service", { Wait: 5_000_000_000 }));
    b.enqueue(ev("until", 50, "service", { WaitUntil: new Date(clock.nowMs() + 2000).toISOString() }));
    expect(b.dequeue()).toBeUndefined();
    clock.advance(2000);
    expect(b.dequeue()?.eval.JobID).toBe("until");
    clock.advance(3000);
    expect(b.dequeue()?.eval.JobID).toBe("later");
  });

  it("rejects an ack with the wrong token", () => {
    const b = new EvalBroker(new FakeClock());
    const e = ev("x");
    b.enqueue(e);
    b.dequeue();
    expect(() => b.ack(e.ID, "bogus")).toThrow(/not outstanding/);
  });
});
