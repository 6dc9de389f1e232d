import { canonicalize, validateJob } from "../../../lib/jobspec";
import type { StoredJob } from "../../../lib/runtime/structs";
import { Harness, mockNode } from "../../../lib/runtime/scheduler";

/** Validates and canonicalizes a submission like the server does on register, then stores it. */
function register(h: Harness, input: unknown): StoredJob {
  const r = validateJob(input);
  if (!r.valid) throw new Error(`invalid job: ${JSON.stringify(r.problems)}`);
  const job = canonicalize(r.job);
  const stored = {
    ...job,
    Version: 0,
    Status: "pending",
    StatusDescription: "",
    Stable: false,
    SubmitTime: 0,
    CreateIndex: 0,
    ModifyIndex: 0,
    JobModifyIndex: 0,
  } as unknown as StoredJob;
  return h.upsertJob(stored);
}

describe("scheduling canonicalized jobspec jobs", () => {
  it("places a canonical service job with the default update strategy and a deployment", () => {
    const h = new Harness();
    for (let i = 0; i < 3; i++) h.upsertNode(mockNode());
    const job = register(h, {
      Job: {
        ID: "web",
        Name: "web",
        Type: "service",
        Datacenters: ["dc*"],
        TaskGroups: [
          {
            Name: "g",
            Count: 3,
            Networks: [{ DynamicPorts: [{ Label: "http" }] }],
            Tasks: [{ Name: "t", Driver: "mock_driver", Config: { run_for: "1h" } }],
          },
        ],
      },
    });
    h.run(job);
    expect(h.lastEval().Status).toBe("complete");
    const allocs = h.liveAllocs("default", "web");
    expect(allocs).toHaveLength(3);
    // Nomad's default task resources: 100 MHz, 300 MB.
    expect(allocs[0].AllocatedResources.Tasks.t.Cpu.CpuShares).toBe(100);
    expect(allocs[0].AllocatedResources.Tasks.t.Memory.MemoryMB).toBe(300);
    expect(allocs[0].AllocatedResources.Shared.Ports).toHaveLength(1);
    expect(h.lastPlan().Deployment!.TaskGroups.g).toMatchObject({ DesiredTotal: 3, ProgressDeadline: 600e9 });
  });

  it("places a canonical system job on every node without a deployment limit", () => {
    const h = new Harness();
    for (let i = 0; i < 4; i++) h.upsertNode(mockNode());
    const job = register(h, {
      Job: {
        ID: "agent",
        Name: "agent",
        Type: "system",
        TaskGroups: [{ Name: "a", Tasks: [{ Name: "t", Driver: "raw_exec", Config: { command: "/bin/true" } }] }],
      },
    });
    h.run(job);
    expect(h.liveAllocs("default", "agent")).toHaveLength(4);
  });
});
