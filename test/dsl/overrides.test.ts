/** Escape hatches: addOverride and addDeletion on every construct, still validated. */
import { Driver, formatProblem, Job, SynthesisError, Testing } from "../../lib/dsl";
import { applyDeletion, applyOverride, splitOverridePath } from "../../lib/dsl/json-patch";

function build(): { job: Job; group: ReturnType<Job["addGroup"]>; task: ReturnType<ReturnType<Job["addGroup"]>["addTask"]> } {
  const job = new Job(Testing.app(), "app", { update: { maxParallel: 1 } });
  const group = job.addGroup("web");
  const http = group.addPort("http");
  const task = group.addTask("server", { driver: Driver.docker({ image: "nginx", ports: [http] }), resources: { cpu: 100, memoryMB: 64 } });
  return { job, group, task };
}

describe("addOverride", () => {
  test("on a task, in the task's own block", () => {
    const { job, task } = build();
    task.addOverride("Config.privileged", true);
    task.addOverride("Config.labels.com\\.example\\.team", "platform");
    task.addOverride("KillSignal", "SIGTERM");
    const t = (Testing.synth(job).Job as any).TaskGroups[0].Tasks[0];
    expect(t.Config.privileged).toBe(true);
    expect(t.Config.labels).toEqual({ "com.example.team": "platform" });
    expect(t.KillSignal).toBe("SIGTERM");
  });

  test("on a job, reaching into groups and tasks by index", () => {
    const { job } = build();
    job.addOverride("TaskGroups.0.Tasks.0.Config.privileged", true);
    job.addOverride("TaskGroups.0.StopAfterClientDisconnect", null);
    job.addOverride("Stop", false);
    const j = Testing.synth(job).Job as any;
    expect(j.TaskGroups[0].Tasks[0].Config.privileged).toBe(true);
    expect(j.Stop).toBe(false);
  });

  test("on a group, a network and a service", () => {
    const { job, group } = build();
    const svc = group.addService("web", { port: "http" });
    group.addOverride("Count", 4);
    group.network.addOverride("Mode", "bridge");
    svc.addOverride("Tags", ["a", "b"]);
    const g = (Testing.synth(job).Job as any).TaskGroups[0];
    expect(g.Count).toBe(4);
    expect(g.Networks[0].Mode).toBe("bridge");
    expect(g.Services[0].Tags).toEqual(["a", "b"]);
  });

  test("the overridden job is still validated, with the construct path", () => {
    const { job, task } = build();
    task.addOverride("Resources.MemoryMB", 2);
    task.addOverride("Resourcez", {});
    try {
      Testing.synth(job);
      throw new Error("expected a SynthesisError");
    } catch (err) {
      expect((err as SynthesisError).problems.map(formatProblem)).toEqual([
        expect.stringMatching(/^app\/web\/server: resourcez: .*"Resourcez"/),
        expect.stringMatching(/^app\/web\/server: resources\.memoryMB: .*10/),
      ]);
    }
  });

  test("a path through a scalar is a problem at the construct, not a crash", () => {
    const { job, task } = build();
    task.addOverride("Driver.x", 1);
    expect(Testing.problems(job)).toContain(
      'app/web/server: addOverride: override path "Driver.x": "Driver" is "docker", not an object or list',
    );
  });

  test("a bad path is rejected when it is added", () => {
    const { task } = build();
    expect(() => task.addOverride("", 1)).toThrow("override path must be a non-empty string");
    expect(() => task.addOverride("Config..x", 1)).toThrow('override path "Config..x" has an empty segment');
  });
});

describe("addDeletion", () => {
  test("removes what the props rendered", () => {
    const { job, task } = build();
    job.addDeletion("Update");
    task.addDeletion("Resources.MemoryMB");
    const j = Testing.synth(job).Job as any;
    expect(j.Update).toBeUndefined();
    expect(j.TaskGroups[0].Tasks[0].Resources).toEqual({ CPU: 100 });
  });

  test("removes a list element, and ignores a missing path", () => {
    const { job } = build();
    job.addDeletion("TaskGroups.0.Tasks.0.Config.ports.0");
    job.addDeletion("Nope.Nothing");
    expect((Testing.synth(job).Job as any).TaskGroups[0].Tasks[0].Config.ports).toEqual([]);
  });
});

describe("json-patch", () => {
  test("splits on unescaped dots", () => {
    expect(splitOverridePath("a.b\\.c.0")).toEqual(["a", "b.c", "0"]);
  });

  test("creates objects and lists on the way; overrides apply in order", () => {
    const target: any = {};
    applyOverride(target, "A.0.B", 1);
    applyOverride(target, "C.D", 2);
    applyOverride(target, "C.D", 3);
    expect(target).toEqual({ A: [{ B: 1 }], C: { D: 3 } });
    applyDeletion(target, "A.0");
    expect(target).toEqual({ A: [], C: { D: 3 } });
    expect(() => applyOverride(target, "A.5", 1)).toThrow('"5" is not an index of a list of 0');
  });
});
