import { annotateJobDiff, jobDiff } from "../../../lib/runtime/server/job-diff";
import type { StoredJob } from "../../../lib/runtime/structs";

function job(patch: (j: Record<string, any>) => void = () => {}): StoredJob {
  const j: Record<string, any> = {
    ID: "web",
    Name: "web",
    Namespace: "default",
    Type: "service",
    Priority: 50,
    Datacenters: ["dc1"],
    Version: 0,
    Status: "running",
    JobModifyIndex: 5,
    CreateIndex: 5,
    ModifyIndex: 9,
    Meta: { team: "a" },
    TaskGroups: [
      {
        Name: "g",
        Count: 2,
        Constraints: [{ LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" }],
        Tasks: [
          {
            Name: "t",
            Driver: "mock_driver",
            KillTimeout: 5e9,
            Config: { run_for: "1h", args: ["a"] },
            Resources: { CPU: 100, MemoryMB: 64 },
          },
        ],
      },
    ],
  };
  patch(j);
  return j as unknown as StoredJob;
}

describe("jobDiff", () => {
  it("is Added for a new job, with every group and task Added", () => {
    const d = jobDiff(null, job());
    expect(d.Type).toBe("Added");
    expect(d.TaskGroups?.[0]).toMatchObject({ Type: "Added", Name: "g" });
    annotateJobDiff(d, { DesiredTGUpdates: { g: { Place: 2 } as never }, PreemptedAllocs: null });
    expect(d.TaskGroups?.[0].Updates).toEqual({ create: 2 });
    expect(d.TaskGroups?.[0].Tasks?.[0].Annotations).toEqual(["forces create"]);
  });

  it("is None when only server-owned fields differ", () => {
    const d = jobDiff(
      job(),
      job((j) => Object.assign(j, { Version: 3, Status: "dead", JobModifyIndex: 99, SubmitTime: 12 })),
    );
    expect(d.Type).toBe("None");
    expect(d.Fields).toBeNull();
  });

  it("reports edited fields as strings, map keys one by one, lists as sets, driver config flattened", () => {
    const d = jobDiff(
      job(),
      job((j) => {
        j.Priority = 70;
        j.Meta = { team: "b", env: "prod" };
        j.Datacenters = ["dc1", "dc2"];
        j.TaskGroups[0].Count = 1;
        j.TaskGroups[0].Tasks[0].Config.args = ["b"];
        j.TaskGroups[0].Tasks[0].KillTimeout = 7e9;
      }),
    );
    expect(d.Type).toBe("Edited");
    expect(d.Fields).toEqual(
      expect.arrayContaining([
        { Type: "Edited", Name: "Priority", Old: "50", New: "70", Annotations: null },
        { Type: "Edited", Name: "Meta[team]", Old: "a", New: "b", Annotations: null },
        { Type: "Added", Name: "Meta[env]", Old: "", New: "prod", Annotations: null },
      ]),
    );
    expect(d.Objects?.find((o) => o.Name === "Datacenters")?.Fields).toEqual([
      { Type: "Added", Name: "Datacenters", Old: "", New: "dc2", Annotations: null },
    ]);
    const tg = d.TaskGroups?.[0];
    expect(tg?.Fields?.find((f) => f.Name === "Count")).toMatchObject({ Old: "2", New: "1" });
    const task = tg?.Tasks?.[0];
    expect(task?.Fields).toEqual([{ Type: "Edited", Name: "KillTimeout", Old: "5000000000", New: "7000000000", Annotations: null }]);
    expect(task?.Objects?.[0]).toMatchObject({
      Name: "Config",
      Type: "Edited",
      Fields: [{ Type: "Edited", Name: "args[0]", Old: "a", New: "b", Annotations: null }],
    });
    annotateJobDiff(d, { DesiredTGUpdates: { g: { Stop: 1, DestructiveUpdate: 1 } as never }, PreemptedAllocs: null });
    expect(tg?.Fields?.find((f) => f.Name === "Count")?.Annotations).toEqual(["forces destroy"]);
    expect(task?.Annotations).toEqual(["forces create/destroy update"]);
    expect(tg?.Updates).toEqual({ destroy: 1, "create/destroy update": 1 });
  });

  it("annotates a task whose only change is KillTimeout as in-place", () => {
    const d = jobDiff(
      job(),
      job((j) => (j.TaskGroups[0].Tasks[0].KillTimeout = 9e9)),
    );
    annotateJobDiff(d, null);
    expect(d.TaskGroups?.[0].Tasks?.[0].Annotations).toEqual(["forces in-place update"]);
  });

  it("diffs constraints as one object per added or deleted element", () => {
    const d = jobDiff(
      job(),
      job((j) => (j.TaskGroups[0].Constraints = [{ LTarget: "${attr.kernel.name}", RTarget: "darwin", Operand: "=" }])),
    );
    const objs = d.TaskGroups?.[0].Objects ?? [];
    expect(objs.map((o) => `${o.Type} ${o.Name}`).sort()).toEqual(["Added Constraint", "Deleted Constraint"]);
  });
});
