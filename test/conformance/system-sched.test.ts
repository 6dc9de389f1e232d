/**
 * scheduler/scheduler_system_test.go: the system scheduler in the harness:
 * one allocation per feasible ready node, metrics, queued allocations,
 * updates (destructive, rolling, in place), stops and down nodes.
 */
import type { StoredJob } from "../../lib/runtime/structs";
import { Harness, cluster, desired, markRunning, mockJob, mockNode, nomad, planOf, update } from "./helpers";

const NOMAD_FILE = "scheduler/scheduler_system_test.go";

/** Nomad's mock.SystemJob: a system job, group "web" of one exec task, no ports. */
const systemJob = (extra: Parameters<typeof mockJob>[0] = {}) =>
  mockJob({ ID: "sys", Type: "system", ...extra, group: { Count: 1, Networks: null, ...(extra.group ?? {}) } });

function placed10(): { h: Harness; job: StoredJob } {
  const { h } = cluster(10);
  const job = h.upsertJob(systemJob());
  h.run(job);
  markRunning(h, job.ID);
  return { h, job };
}

describe(NOMAD_FILE, () => {
  it(nomad("TestSystemSched_JobRegister", "10 nodes: 10 allocations named sys.web[0], metrics over the 10 nodes, nothing queued"), () => {
    const { h } = cluster(10);
    const job = h.upsertJob(systemJob());
    const ev = h.run(job);
    expect(h.plans).toHaveLength(1);
    expect(h.lastPlan().Annotations).toBeNull();
    const placed = planOf(h, ev).placed;
    expect(placed).toHaveLength(10);
    expect(new Set(placed.map((a) => a.Name))).toEqual(new Set(["sys.web[0]"]));
    expect(placed[0].Metrics!.NodesAvailable.dc1).toBe(10);
    expect(placed[0].Metrics!.NodesInPool).toBe(10);
    expect(h.lastEval().QueuedAllocations!.web).toBe(0);
    expect(h.lastEval().PlanAnnotations!.DesiredTGUpdates!.web.Place).toBe(10);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestSystemSched_JobRegister_Annotate", "9 of 10 nodes match the class constraint: 9 placements, annotated Place 9"), () => {
    const h = new Harness();
    for (let i = 0; i < 10; i++) h.upsertNode(mockNode({ NodeClass: i < 9 ? "foo" : "bar" }));
    const job = h.upsertJob(
      systemJob({
        Constraints: [
          { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" },
          { LTarget: "${node.class}", RTarget: "foo", Operand: "==" },
        ],
      }),
    );
    const ev = h.run(job, { AnnotatePlan: true });
    const placed = planOf(h, ev).placed;
    expect(placed).toHaveLength(9);
    expect(placed[0].Metrics!.NodesAvailable.dc1).toBe(10);
    expect(placed[0].Metrics!.NodesInPool).toBe(10);
    expect(Object.keys(h.lastPlan().Annotations!.DesiredTGUpdates)).toEqual(["web"]);
    expect(desired(h).Place).toBe(9);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestSystemSched_JobRegister_AllocFail", "no nodes: no plan, complete"), () => {
    const h = new Harness();
    const job = h.upsertJob(systemJob());
    h.run(job);
    expect(h.plans).toHaveLength(0);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestSystemSched_JobModify", "a destructive change stops and replaces the allocation on every node"), () => {
    const { h, job } = placed10();
    const v2 = update(h, job, (tg) => (tg.Tasks[0].Config = { command: "/bin/other" }));
    const ev = h.run(v2);
    const p = planOf(h, ev);
    expect(p.stopped).toHaveLength(10);
    expect(p.placed).toHaveLength(10);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(10);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestSystemSched_JobModify_InPlace", "an in-place change updates every allocation in place to the new job"), () => {
    const { h, job } = placed10();
    const v2 = update(h, job, (_tg, j) => (j.Priority = 60));
    const ev = h.run(v2);
    const p = planOf(h, ev);
    expect(p.stopped).toHaveLength(0);
    expect(p.placed).toHaveLength(10);
    expect(p.placed.every((a) => a.Job === v2 || (a.Job as StoredJob).Version === v2.Version)).toBe(true);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(10);
  });

  it(nomad("TestSystemSched_JobDeregister_Stopped", "a stopped job: one stop per node, nothing left running"), () => {
    const { h, job } = placed10();
    const stopped = update(h, job, (_tg, j) => ((j as unknown as { Stop: boolean }).Stop = true));
    const ev = h.run(stopped, { TriggeredBy: "job-deregister" });
    const plan = planOf(h, ev).plan!;
    for (const n of h.nodes()) expect(plan.NodeUpdate[n.ID]).toHaveLength(1);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(0);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestSystemSched_NodeDown", "the allocation on a down node is stopped"), () => {
    const { h, job } = placed10();
    const victim = h.liveAllocs("default", job.ID)[0];
    const node = h.nodeByID(victim.NodeID)!;
    h.upsertNode({ ...node, Status: "down" });
    const ev = h.run(job, { TriggeredBy: "node-update", NodeID: node.ID });
    const plan = planOf(h, ev).plan!;
    expect(plan.NodeUpdate[node.ID]).toHaveLength(1);
    expect(plan.NodeUpdate[node.ID][0].DesiredStatus).toBe("stop");
    expect(Object.values(plan.NodeUpdate).flat()).toHaveLength(1);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestSystemSched_Queued_With_Constraints", "an infeasible node leaves nothing queued"), () => {
    const h = new Harness();
    const node = h.upsertNode(mockNode({ Attributes: { "kernel.name": "darwin" } }));
    const job = h.upsertJob(systemJob());
    h.run(job, { TriggeredBy: "node-update", NodeID: node.ID });
    expect(h.lastEval().QueuedAllocations).toEqual({ web: 0 });
  });

  it(
    nomad(
      "TestSystemSched_ConstraintErrors",
      "filtered and ineligible nodes are not failures: 2 placements, nothing queued, no FailedTGAllocs",
    ),
    () => {
      const h = new Harness();
      const tags = ["aaaaaa", "foo", "foo", "foo"];
      tags.forEach((tag, i) => h.upsertNode(mockNode({ Meta: { tag }, SchedulingEligibility: i === 3 ? "ineligible" : "eligible" })));
      const job = h.upsertJob(
        systemJob({
          Constraints: [
            { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" },
            { LTarget: "${meta.tag}", RTarget: "foo", Operand: "=" },
          ],
        }),
      );
      h.run(job);
      expect(h.lastEval().Status).toBe("complete");
      expect(h.lastEval().QueuedAllocations).toEqual({ web: 0 });
      expect(h.plans).toHaveLength(1);
      expect(h.plans[0].Annotations).toBeNull();
      expect(Object.keys(h.plans[0].NodeAllocation)).toHaveLength(2);
      expect(h.liveAllocs("default", job.ID)).toHaveLength(2);
      expect(Object.keys(h.lastEval().FailedTGAllocs ?? {})).toHaveLength(0);
    },
  );

  it(nomad("TestSystemSched_QueuedAllocsMultTG", "two groups on two classes: one plan, nothing queued"), () => {
    const h = new Harness();
    const green = h.upsertNode(mockNode({ NodeClass: "green" }));
    h.upsertNode(mockNode({ NodeClass: "blue" }));
    const web = systemJob().TaskGroups![0] as unknown as Record<string, unknown>;
    const group = (name: string, cls: string) => ({
      ...web,
      Name: name,
      Constraints: [{ LTarget: "${node.class}", RTarget: cls, Operand: "==" }],
    });
    const job = h.upsertJob(systemJob({ TaskGroups: [group("web", "green"), group("web2", "blue")] as never }));
    h.run(job, { TriggeredBy: "node-update", NodeID: green.ID });
    expect(h.plans).toHaveLength(1);
    expect(h.lastEval().QueuedAllocations).toEqual({ web: 0, web2: 0 });
    expect(h.lastEval().Status).toBe("complete");
  });
});

describe(`${NOMAD_FILE}: nodes coming and going`, () => {
  it(nomad("TestSystemSched_JobRegister_AddNode", "a new node gets the one new allocation; nothing else changes"), () => {
    const { h, job } = placed10();
    const fresh = h.upsertNode(mockNode());
    const ev = h.run(job, { TriggeredBy: "node-update", NodeID: fresh.ID });
    const p = planOf(h, ev);
    expect(p.stopped).toHaveLength(0);
    expect(p.placed).toHaveLength(1);
    expect(Object.keys(p.plan!.NodeAllocation)).toEqual([fresh.ID]);
    expect(h.liveAllocs("default", job.ID)).toHaveLength(11);
    expect(h.lastEval().Status).toBe("complete");
  });

  it(nomad("TestSystemSched_NodeUpdate", "a node update for a node already running the job queues nothing"), () => {
    const { h } = cluster(1);
    const job = h.upsertJob(systemJob());
    h.run(job);
    h.run(job, { TriggeredBy: "node-update", NodeID: h.nodes()[0].ID });
    expect(h.lastEval().QueuedAllocations).toEqual({ web: 0 });
    expect(h.lastEval().Status).toBe("complete");
  });

  it(
    nomad(
      "TestSystemSched_ExistingAllocNoNodes",
      "the only node turns ineligible, then the job changes: complete, nothing failed, nothing queued",
    ),
    () => {
      const { h } = cluster(1);
      const job = h.upsertJob(systemJob());
      h.run(job);
      expect(h.lastEval()).toMatchObject({ Status: "complete", QueuedAllocations: { web: 0 } });
      expect(h.plans).toHaveLength(1);
      const node = h.nodes()[0];
      h.upsertNode({ ...node, SchedulingEligibility: "ineligible" });
      h.run(job, { TriggeredBy: "node-update", NodeID: node.ID });
      expect(h.lastEval().Status).toBe("complete");
      const v2 = update(h, job, (_tg, j) => (j.Meta = { ...(j.Meta ?? {}), version: "2" }));
      h.run(v2, { AnnotatePlan: true });
      expect(h.lastEval().Status).toBe("complete");
      expect(Object.keys(h.lastEval().FailedTGAllocs ?? {})).toHaveLength(0);
      expect(h.lastEval().QueuedAllocations!.web ?? 0).toBe(0);
    },
  );

  it(
    nomad("TestSystemSched_JobModify_RemoveDC", "a datacenter removed from the job: its node's allocation stops, the other is updated"),
    () => {
      const h = new Harness();
      h.upsertNode(mockNode({ Datacenter: "dc1" }));
      const dc2 = h.upsertNode(mockNode({ Datacenter: "dc2" }));
      const job = h.upsertJob(systemJob({ Datacenters: ["dc1", "dc2"] }));
      h.run(job);
      const v2 = update(h, job, (_tg, j) => (j.Datacenters = ["dc1"]));
      const ev = h.run(v2);
      const p = planOf(h, ev);
      expect(p.stopped.map((a) => a.NodeID)).toEqual([dc2.ID]);
      expect(p.placed).toHaveLength(1);
      expect(p.placed[0].Job.Version).toBe(v2.Version);
      expect(h.allocsByJob("default", job.ID)).toHaveLength(2);
      expect(h.lastEval().Status).toBe("complete");
    },
  );

  it(
    nomad("TestSystemSched_ExhaustResources", "a service job holding most of the CPU is preempted by the system job; nothing stays queued"),
    () => {
      const h = new Harness();
      h.upsertNode(mockNode());
      h.setSchedulerConfig({
        PreemptionConfig: {
          SystemSchedulerEnabled: true,
          SysBatchSchedulerEnabled: false,
          BatchSchedulerEnabled: false,
          ServiceSchedulerEnabled: false,
        },
      });
      // mock.Node() offers 3900 MHz here (Nomad's test sizes the service job just under its mock node's CPU too).
      const svc = h.upsertJob(
        mockJob({
          ID: "svc",
          group: { Count: 1, Networks: null, Tasks: [{ Name: "web", Driver: "exec", Resources: { CPU: 3800, MemoryMB: 256 } }] },
        }),
      );
      h.run(svc);
      // Nomad's mock.SystemJob has the highest priority (100).
      const job = h.upsertJob(systemJob({ Priority: 100 }));
      h.run(job);
      const plan = h.plans[1];
      expect(Object.keys(plan.NodeAllocation)).toHaveLength(1);
      expect(Object.keys(plan.NodePreemptions)).toHaveLength(1);
      for (const list of Object.values(plan.NodeAllocation)) expect(list.map((a) => a.JobID)).toEqual([job.ID]);
      for (const list of Object.values(plan.NodePreemptions)) expect(list.map((a) => a.JobID)).toEqual([svc.ID]);
      expect(h.evals[1].QueuedAllocations!.web).toBe(0);
    },
  );
});
