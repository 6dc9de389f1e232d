import type { Allocation, Plan } from "../../../lib/runtime/structs";
import { allocsFit, Harness, mockAlloc, mockJob, mockNode, newScheduler, verifyPlan } from "../../../lib/runtime/scheduler";

describe("generic scheduler: failures and blocked evals", () => {
  it("records DimensionExhausted memory, coalesces further failures and creates a blocked eval", () => {
    const h = new Harness();
    h.upsertNode(mockNode());
    h.upsertNode(mockNode());
    const job = h.upsertJob(
      mockJob({ group: { Count: 3, Networks: null, Tasks: [{ Name: "big", Driver: "exec", Resources: { CPU: 100, MemoryMB: 7000 } }] } }),
    );
    const ev = h.run(job);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(2);
    const done = h.lastEval();
    expect(done.ID).toBe(ev.ID);
    expect(done.Status).toBe("complete");
    expect(done.QueuedAllocations).toEqual({ web: 1 });
    const m = done.FailedTGAllocs!.web;
    expect(m.DimensionExhausted).toEqual({ memory: 2 });
    expect(m.NodesExhausted).toBe(2);
    expect(m.CoalescedFailures).toBe(0);
    const blocked = h.createdEvals.find((e) => e.Status === "blocked")!;
    expect(blocked).toMatchObject({
      Status: "blocked",
      PreviousEval: ev.ID,
      StatusDescription: "created to place remaining allocations",
      JobID: job.ID,
    });
    expect(done.BlockedEval).toBe(blocked.ID);

    const four = h.upsertJob(
      mockJob({
        ID: "four",
        group: { Count: 4, Networks: null, Tasks: [{ Name: "big", Driver: "exec", Resources: { CPU: 100, MemoryMB: 7000 } }] },
      }),
    );
    h.run(four);
    expect(h.lastEval().FailedTGAllocs!.web.CoalescedFailures).toBe(3);
  });

  it("reblocks a blocked eval that still cannot place", () => {
    const h = new Harness();
    h.upsertNode(mockNode());
    const job = h.upsertJob(
      mockJob({ group: { Count: 1, Networks: null, Tasks: [{ Name: "t", Driver: "exec", Resources: { CPU: 100, MemoryMB: 100000 } }] } }),
    );
    h.run(job, { Status: "blocked" });
    expect(h.reblockedEvals).toHaveLength(1);
    expect(h.createdEvals).toHaveLength(0);
  });

  it("marks unknown triggers failed", () => {
    const h = new Harness();
    const job = h.upsertJob(mockJob());
    h.run(job, { TriggeredBy: "bogus" as never });
    expect(h.lastEval().Status).toBe("failed");
  });

  it("retries after a partial commit and places the remainder", () => {
    const h = new Harness();
    const a = h.upsertNode(mockNode());
    h.upsertNode(mockNode());
    h.upsertNode(mockNode());
    let first = true;
    h.beforeSubmit = () => {
      if (first) h.upsertNode({ ...a, SchedulingEligibility: "ineligible" });
      first = false;
    };
    const job = h.upsertJob(mockJob({ group: { Count: 3 } }));
    h.run(job);
    expect(h.planResults[0].RefreshIndex).toBeGreaterThan(0);
    expect(h.plans.length).toBe(2);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(3);
    expect(h.liveAllocs("default", job.ID).every((x) => x.NodeID !== a.ID)).toBe(true);
    expect(h.lastEval().Status).toBe("complete");
  });

  it("marks a deployment successful once every allocation is healthy", () => {
    const h = new Harness();
    for (let i = 0; i < 2; i++) h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob({ group: { Count: 2, Update: { MaxParallel: 1 } } }));
    h.run(job);
    const d = h.latestDeploymentByJobID("default", job.ID)!;
    expect(d.Status).toBe("running");
    const allocs = h.liveAllocs("default", job.ID);
    expect(allocs.every((a) => a.DeploymentID === d.ID)).toBe(true);
    h.upsertDeployment({ ...d, TaskGroups: { web: { ...d.TaskGroups.web, HealthyAllocs: 2, PlacedAllocs: 2 } } });
    h.run(job, { TriggeredBy: "deployment-watcher" });
    expect(h.deploymentByID(d.ID)!.Status).toBe("successful");
  });

  it("batch jobs do not replace completed allocations and have no deployment", () => {
    const h = new Harness();
    h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob({ Type: "batch", group: { Count: 2, Update: { MaxParallel: 1 } } }));
    h.run(job);
    expect(h.latestDeploymentByJobID("default", job.ID)).toBeUndefined();
    h.upsertAllocs(h.liveAllocs("default", job.ID).map((a) => ({ ...a, ClientStatus: "complete" as const })));
    const ev = h.run(job, { TriggeredBy: "alloc-stop" });
    expect(h.plans.find((p) => p.EvalID === ev.ID)).toBeUndefined();
  });
});

describe("system scheduler", () => {
  it("places one allocation per feasible ready node and one more on a new node", () => {
    const h = new Harness();
    for (let i = 0; i < 3; i++) h.upsertNode(mockNode());
    h.upsertNode(mockNode({ Attributes: { "kernel.name": "windows" } }));
    h.upsertNode(mockNode({ Status: "down" }));
    const job = h.upsertJob(mockJob({ Type: "system", group: { Count: 1 } }));
    h.run(job);
    const allocs = h.liveAllocs("default", job.ID);
    expect(allocs).toHaveLength(3);
    expect(new Set(allocs.map((a) => a.NodeID)).size).toBe(3);
    expect(h.lastEval().FailedTGAllocs).toBeNull();
    const fresh = h.upsertNode(mockNode());
    h.run(job, { TriggeredBy: "node-update", NodeID: fresh.ID });
    const placed = Object.values(h.lastPlan().NodeAllocation).flat();
    expect(placed.map((a) => a.NodeID)).toEqual([fresh.ID]);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(4);
  });

  it("stops allocations on nodes that became ineligible or infeasible", () => {
    const h = new Harness();
    const a = h.upsertNode(mockNode());
    const b = h.upsertNode(mockNode());
    h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob({ Type: "system", group: { Count: 1 } }));
    h.run(job);
    h.upsertNode({ ...a, SchedulingEligibility: "ineligible" });
    h.upsertNode({ ...b, Attributes: { ...b.Attributes, "kernel.name": "windows" } });
    h.run(job, { TriggeredBy: "node-update" });
    const stopped = Object.values(h.lastPlan().NodeUpdate)
      .flat()
      .map((x) => x.NodeID)
      .sort();
    expect(stopped).toEqual([a.ID, b.ID].sort());
    expect(h.liveAllocs("default", job.ID)).toHaveLength(1);
  });

  it("sysbatch does not replace allocations that completed", () => {
    const h = new Harness();
    h.upsertNode(mockNode());
    h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob({ Type: "sysbatch", group: { Count: 1 } }));
    h.run(job);
    h.upsertAllocs(h.liveAllocs("default", job.ID).map((a) => ({ ...a, ClientStatus: "complete" as const })));
    const ev = h.run(job, { TriggeredBy: "node-update" });
    expect(h.plans.find((p) => p.EvalID === ev.ID)).toBeUndefined();
  });

  it("rejects unknown scheduler types with a clear message", () => {
    const h = new Harness();
    expect(() => newScheduler("bogus", h, h, h.schedulerOptions())).toThrow(/unknown scheduler type "bogus"/);
  });
});

describe("allocsFit and plan verification", () => {
  const alloc = (h: Harness, nodeID: string, cpu: number, mem: number, ports: number[] = []): Allocation => {
    const job = h.jobByID("default", "mock-job") ?? h.upsertJob(mockJob());
    return mockAlloc(job, {
      ID: h.newID(),
      EvalID: "",
      NodeID: nodeID,
      NodeName: "",
      AllocatedResources: {
        Tasks: {
          web: { Cpu: { CpuShares: cpu, ReservedCores: null }, Memory: { MemoryMB: mem, MemoryMaxMB: 0 }, Networks: null, Devices: null },
        },
        Shared: { DiskMB: 10, Networks: null, Ports: ports.map((p) => ({ Label: `p${p}`, Value: p, To: 0, HostIP: "" })) },
      },
    });
  };

  it.each([
    ["fits", 3900, 7936, [], true, ""],
    ["cpu", 3901, 100, [], false, "cpu"],
    ["memory", 100, 7937, [], false, "memory"],
    ["reserved port", 100, 100, [22], false, "network: port collision"],
  ] as [string, number, number, number[], boolean, string][])("allocsFit: %s", (_n, cpu, mem, ports, fit, dimension) => {
    const h = new Harness();
    const node = mockNode();
    const r = allocsFit(node, [alloc(h, node.ID, cpu, mem, ports)]);
    expect(r.fit).toBe(fit);
    expect(r.dimension).toBe(dimension);
  });

  it("allocsFit detects ports used twice and ignores terminal allocations", () => {
    const h = new Harness();
    const node = mockNode();
    expect(allocsFit(node, [alloc(h, node.ID, 1, 1, [8080]), alloc(h, node.ID, 1, 1, [8080])]).dimension).toBe("network: port collision");
    expect(allocsFit(node, [alloc(h, node.ID, 1, 1, [8080]), { ...alloc(h, node.ID, 1, 1, [8080]), ClientStatus: "complete" }]).fit).toBe(
      true,
    );
  });

  const planWith = (h: Harness, allocs: Allocation[], stops: Allocation[] = [], allAtOnce = false): Plan => {
    const p: Plan = {
      EvalID: "e",
      EvalToken: "",
      Priority: 50,
      Job: null,
      AllAtOnce: allAtOnce,
      NodeUpdate: {},
      NodeAllocation: {},
      NodePreemptions: {},
      Deployment: null,
      DeploymentUpdates: [],
      Annotations: null,
      SnapshotIndex: h.latestIndex(),
    };
    for (const a of allocs) (p.NodeAllocation[a.NodeID] ??= []).push(a);
    for (const a of stops) (p.NodeUpdate[a.NodeID] ??= []).push({ ...a, DesiredStatus: "stop" });
    return p;
  };

  it("commits the nodes that fit and asks for a refresh for the rest", () => {
    const h = new Harness();
    const good = h.upsertNode(mockNode());
    const full = h.upsertNode(mockNode());
    const gone = "00000000-0000-4000-8000-00000000dead";
    h.upsertAllocs([alloc(h, full.ID, 3800, 100)]);
    const plan = planWith(h, [alloc(h, good.ID, 500, 500), alloc(h, full.ID, 500, 500), alloc(h, gone, 1, 1)]);
    const r = verifyPlan(h, plan);
    expect(Object.keys(r.NodeAllocation)).toEqual([good.ID]);
    expect(r.RefreshIndex).toBe(h.latestIndex());
    const all = verifyPlan(h, { ...plan, AllAtOnce: true });
    expect(all.NodeAllocation).toEqual({});
    expect(all.RefreshIndex).toBe(h.latestIndex());
  });

  it("counts stops before placements, always allows stops, and allows in-place updates on ineligible nodes", () => {
    const h = new Harness();
    const n = h.upsertNode(mockNode());
    const old = alloc(h, n.ID, 3800, 100);
    h.upsertAllocs([old]);
    const swap = verifyPlan(h, planWith(h, [alloc(h, n.ID, 3800, 100)], [old]));
    expect(swap.RefreshIndex).toBe(0);
    h.upsertNode({ ...n, SchedulingEligibility: "ineligible" });
    expect(verifyPlan(h, planWith(h, [], [old])).RefreshIndex).toBe(0);
    expect(verifyPlan(h, planWith(h, [{ ...old, DesiredDescription: "in place" }])).RefreshIndex).toBe(0);
    expect(verifyPlan(h, planWith(h, [alloc(h, n.ID, 1, 1)])).RefreshIndex).toBe(h.latestIndex());
  });
});
