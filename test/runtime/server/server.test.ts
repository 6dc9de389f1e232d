/** The server without HTTP: register semantics, worker failure handling, node loss, with a fake clock and sequential IDs. */
import { StateStore } from "../../../lib/runtime/state";
import { Server } from "../../../lib/runtime/server/server";
import { sequentialIDs } from "../../../lib/runtime/scheduler/ids";
import type { SchedulerFactory } from "../../../lib/runtime/scheduler/interfaces";
import { buildNode, simNodeSpecs } from "../../../lib/runtime/client/fingerprint";
import { MockDriver } from "../../../lib/runtime/drivers/mock";
import { FakeClock } from "../../helpers/fake-clock";

function submitted(id: string, count = 1, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ID: id,
    Type: "service",
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "g",
        Count: count,
        Tasks: [{ Name: "t", Driver: "mock_driver", Config: { run_for: "1h" }, Resources: { CPU: 100, MemoryMB: 64 } }],
      },
    ],
    ...extra,
  };
}

function setup(factory?: SchedulerFactory) {
  const clock = new FakeClock();
  const server = new Server({
    store: new StateStore(),
    clock,
    newID: sequentialIDs(7),
    random: () => 0,
    schedulerFactory: factory,
    heartbeat: { minTTLMs: 1000, graceMs: 1000, sweepMs: 100 },
    failedFollowupDelayMs: { base: 60_000, range: 0 },
  });
  server.start();
  return { clock, server };
}

describe("Server", () => {
  it("registers with a new version only when the spec changes, and a periodic job gets no eval", async () => {
    const { server } = setup();
    const r1 = await server.jobs.register({ Job: submitted("a") });
    const r2 = await server.jobs.register({ Job: submitted("a") });
    expect(r2.JobModifyIndex).toBe(r1.JobModifyIndex);
    expect(server.store.jobByID("default", "a")?.Version).toBe(0);
    const r3 = await server.jobs.register({ Job: submitted("a", 2) });
    expect(r3.JobModifyIndex).toBeGreaterThan(r1.JobModifyIndex);
    expect(server.store.jobByID("default", "a")?.Version).toBe(1);
    const p = await server.jobs.register({
      Job: {
        ...submitted("cron"),
        Type: "batch",
        Periodic: { Enabled: true, SpecType: "cron", Spec: "*/5 * * * *", ProhibitOverlap: false, TimeZone: "UTC" },
      },
    });
    expect(p.EvalID).toBe("");
    await expect(server.jobs.register({ Job: { ...submitted("a"), Type: "batch" } })).rejects.toThrow(
      'cannot update job from type "service" to "batch"',
    );
    server.stop();
  });

  it("writes a register atomically: job, version, summary and eval at one index", async () => {
    const { server } = setup();
    const r = await server.jobs.register({ Job: submitted("atomic") });
    const s = server.store;
    expect(s.jobByID("default", "atomic")?.JobModifyIndex).toBe(r.Index);
    expect(s.jobSummary("default", "atomic")?.CreateIndex).toBe(r.Index);
    expect(s.evalByID(r.EvalID)?.CreateIndex).toBe(r.Index);
    server.stop();
  });

  it("nacks an eval whose scheduler throws, redelivers it, and fails it after 3 deliveries with a delayed follow-up", async () => {
    let calls = 0;
    const { clock, server } = setup(() => ({
      process: () => {
        calls++;
        throw new Error("boom");
      },
    }));
    const r = await server.jobs.register({ Job: submitted("flaky") });
    await server.whenIdle();
    expect(calls).toBe(1);
    clock.advance(1000);
    await server.whenIdle();
    expect(calls).toBe(2);
    clock.advance(20_000);
    await server.whenIdle();
    await new Promise((res) => setImmediate(res));
    expect(calls).toBe(3);
    const failed = server.store.evalByID(r.EvalID);
    expect(failed?.Status).toBe("failed");
    const follow = server.store.evalByID(failed?.NextEval ?? "");
    expect(follow).toMatchObject({ TriggeredBy: "failed-follow-up", Status: "pending", Wait: 60_000 * 1_000_000, PreviousEval: r.EvalID });
    server.stop();
  });

  it("marks a node that stops heartbeating down and creates node-update evals for its jobs", async () => {
    const { clock, server } = setup();
    const [spec] = simNodeSpecs({ count: 1 });
    const node = buildNode(spec, [new MockDriver()], clock.nowMs());
    await server.nodes.register([node]);
    await server.jobs.register({ Job: submitted("on-node") });
    await server.whenIdle();
    expect(server.store.allocsByNode(node.ID)).toHaveLength(1);
    clock.advance(1000 + 1000 + 200);
    await new Promise((res) => setImmediate(res));
    expect(server.store.nodeByID(node.ID)?.Status).toBe("down");
    await server.whenIdle();
    const evals = server.store.evalsByJob("default", "on-node").filter((e) => e.TriggeredBy === "node-update");
    const processed = evals.find((e) => e.Status === "complete");
    expect(processed?.NodeID).toBe(node.ID);
    // No node is left: the lost allocation's replacement waits in a blocked eval.
    expect(server.store.allocsByNode(node.ID)[0]).toMatchObject({ ClientStatus: "lost", DesiredStatus: "stop" });
    expect(server.blocked.hasJob("default", "on-node")).toBe(true);
    server.stop();
  });
});
