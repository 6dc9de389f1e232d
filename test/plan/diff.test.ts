import { diffJobs } from "../../lib/plan/diff";
import { requiresReplacement, replacementReasons } from "../../lib/plan/rules";
import type { JobChange } from "../../lib/plan/change";

/** A small normalized service job to derive cases from. */
function baseJob(): Record<string, unknown> {
  return {
    ID: "web",
    Name: "web",
    Namespace: "default",
    Region: "global",
    Type: "service",
    Priority: 50,
    Datacenters: ["dc1"],
    Meta: { team: "a" },
    TaskGroups: [
      {
        Name: "cache",
        Count: 2,
        Constraints: [{ LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" }],
        Networks: [{ Mode: "bridge", DynamicPorts: [{ Label: "db", To: 6379 }] }],
        Services: [
          { Name: "redis", PortLabel: "db", Tags: ["cache"], Checks: [{ Name: "alive", Type: "tcp", Interval: 10e9, Timeout: 2e9 }] },
        ],
        Tasks: [
          {
            Name: "redis",
            Driver: "docker",
            Config: { image: "redis:7", args: ["--save", ""] },
            Env: { A: "1" },
            Resources: { CPU: 500, MemoryMB: 256 },
            KillTimeout: 5e9,
            LogConfig: { MaxFiles: 10, MaxFileSizeMB: 10, Disabled: false },
          },
          { Name: "log", Driver: "exec", Config: { command: "tail" }, Resources: { CPU: 100, MemoryMB: 64 } },
        ],
      },
    ],
  };
}

type Mutate = (j: Record<string, any>) => void;

function changesFor(mutate: Mutate): JobChange[] {
  const desired = baseJob();
  mutate(desired);
  return diffJobs(desired, baseJob());
}

describe("diffJobs", () => {
  it("finds nothing between identical jobs", () => {
    expect(diffJobs(baseJob(), baseJob())).toEqual([]);
  });

  it("treats absent, null and zero values as equal (read-back noise)", () => {
    const live = baseJob();
    const g = (live.TaskGroups as Record<string, unknown>[])[0];
    Object.assign(g, { Meta: null, Affinities: null, Spreads: [], ShutdownDelay: null, Volumes: {} });
    Object.assign((g.Tasks as Record<string, unknown>[])[0], {
      User: "",
      Leader: false,
      Artifacts: null,
      DispatchPayload: null,
      KillSignal: "",
    });
    live.ParentID = "";
    expect(diffJobs(baseJob(), live)).toEqual([]);
  });

  it("ignores the job-level Update, Reschedule and Migrate blocks (merged into groups by Nomad)", () => {
    const desired = { ...baseJob(), Update: { MaxParallel: 1, HealthCheck: "checks" }, Reschedule: { Attempts: 3 } };
    const live = { ...baseJob(), Update: { Stagger: 30e9, MaxParallel: 1, HealthCheck: "" } };
    expect(diffJobs(desired, live)).toEqual([]);
  });

  const cases: { name: string; mutate: Mutate; expect: Partial<JobChange>[] }[] = [
    {
      name: "task memory (destructive)",
      mutate: (j) => (j.TaskGroups[0].Tasks[0].Resources.MemoryMB = 512),
      expect: [
        {
          path: "TaskGroups[cache].Tasks[redis].Resources.MemoryMB",
          kind: "update",
          old: 256,
          new: 512,
          effect: "destructive",
          forcesReplacement: false,
        },
      ],
    },
    {
      name: "group count up (scale)",
      mutate: (j) => (j.TaskGroups[0].Count = 3),
      expect: [{ path: "TaskGroups[cache].Count", kind: "update", old: 2, new: 3, effect: "scale" }],
    },
    {
      name: "service tags (in-place)",
      mutate: (j) => (j.TaskGroups[0].Services[0].Tags = ["cache", "v2"]),
      expect: [
        { path: "TaskGroups[cache].Services[redis].Tags", kind: "update", old: ["cache"], new: ["cache", "v2"], effect: "in-place" },
      ],
    },
    {
      name: "check interval matched by check name (in-place)",
      mutate: (j) => (j.TaskGroups[0].Services[0].Checks[0].Interval = 5e9),
      expect: [
        { path: "TaskGroups[cache].Services[redis].Checks[alive].Interval", kind: "update", old: 10e9, new: 5e9, effect: "in-place" },
      ],
    },
    {
      name: "driver config key (destructive)",
      mutate: (j) => (j.TaskGroups[0].Tasks[0].Config.image = "redis:8"),
      expect: [
        { path: "TaskGroups[cache].Tasks[redis].Config.image", kind: "update", old: "redis:7", new: "redis:8", effect: "destructive" },
      ],
    },
    {
      name: "env added (destructive)",
      mutate: (j) => (j.TaskGroups[0].Tasks[0].Env.B = "2"),
      expect: [{ path: "TaskGroups[cache].Tasks[redis].Env.B", kind: "add", new: "2", effect: "destructive" }],
    },
    {
      name: "meta removed at job level (destructive: combined meta)",
      mutate: (j) => delete j.Meta.team,
      expect: [{ path: "Meta.team", kind: "remove", old: "a", effect: "destructive" }],
    },
    {
      name: "kill timeout (in-place)",
      mutate: (j) => (j.TaskGroups[0].Tasks[0].KillTimeout = 10e9),
      expect: [{ path: "TaskGroups[cache].Tasks[redis].KillTimeout", kind: "update", effect: "in-place" }],
    },
    {
      name: "log rotation (in-place) vs disabling logs (destructive)",
      mutate: (j) => {
        j.TaskGroups[0].Tasks[0].LogConfig.MaxFiles = 5;
        j.TaskGroups[0].Tasks[0].LogConfig.Disabled = true;
      },
      expect: [
        { path: "TaskGroups[cache].Tasks[redis].LogConfig.MaxFiles", effect: "in-place" },
        { path: "TaskGroups[cache].Tasks[redis].LogConfig.Disabled", kind: "add", new: true, effect: "destructive" },
      ],
    },
    {
      name: "a task matched by name, not position, when the order changes",
      mutate: (j) => j.TaskGroups[0].Tasks.reverse(),
      expect: [],
    },
    {
      name: "a task removed (destructive)",
      mutate: (j) => j.TaskGroups[0].Tasks.pop(),
      expect: [{ path: "TaskGroups[cache].Tasks[log]", kind: "remove", effect: "destructive" }],
    },
    {
      name: "a group added (create)",
      mutate: (j) => j.TaskGroups.push({ Name: "api", Count: 1, Tasks: [{ Name: "api", Driver: "docker" }] }),
      expect: [{ path: "TaskGroups[api]", kind: "add", effect: "create" }],
    },
    {
      name: "a port matched by label (destructive network change)",
      mutate: (j) => (j.TaskGroups[0].Networks[0].DynamicPorts[0].To = 6380),
      expect: [{ path: "TaskGroups[cache].Networks[0].DynamicPorts[db].To", kind: "update", old: 6379, new: 6380, effect: "destructive" }],
    },
    {
      name: "a constraint added to an unnamed list (set difference)",
      mutate: (j) => j.TaskGroups[0].Constraints.push({ Operand: "distinct_hosts", RTarget: "true" }),
      expect: [
        { path: "TaskGroups[cache].Constraints[1]", kind: "add", new: { Operand: "distinct_hosts", RTarget: "true" }, effect: "in-place" },
      ],
    },
    {
      name: "datacenters (in-place, whole list)",
      mutate: (j) => j.Datacenters.push("dc2"),
      expect: [{ path: "Datacenters", kind: "update", old: ["dc1"], new: ["dc1", "dc2"], effect: "in-place" }],
    },
    {
      name: "priority (in-place)",
      mutate: (j) => (j.Priority = 70),
      expect: [{ path: "Priority", effect: "in-place", forcesReplacement: false }],
    },
    {
      name: "type (replacement)",
      mutate: (j) => (j.Type = "batch"),
      expect: [{ path: "Type", kind: "update", old: "service", new: "batch", effect: "replace", forcesReplacement: true }],
    },
    {
      name: "namespace (replacement)",
      mutate: (j) => (j.Namespace = "apps"),
      expect: [{ path: "Namespace", effect: "replace", forcesReplacement: true }],
    },
    {
      name: "becoming periodic (replacement)",
      mutate: (j) => (j.Periodic = { Enabled: true, Spec: "*/5 * * * *", SpecType: "cron" }),
      expect: [{ path: "Periodic", kind: "add", effect: "replace", forcesReplacement: true }],
    },
    {
      name: "meta keys that are not identifiers are quoted",
      mutate: (j) => (j.Meta["owner.email"] = "x@y"),
      expect: [{ path: 'Meta["owner.email"]', kind: "add" }],
    },
  ];

  it.each(cases)("$name", ({ mutate, expect: want }) => {
    const got = changesFor(mutate);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => expect(got[i]).toMatchObject(w));
  });
});

describe("requiresReplacement (nomad/job_endpoint.go validateJobUpdate)", () => {
  const table: [string, Mutate, boolean, RegExp | undefined][] = [
    ["unchanged", () => undefined, false, undefined],
    ["count change", (j) => (j.TaskGroups[0].Count = 9), false, undefined],
    ["name change (mutable)", (j) => (j.Name = "web2"), false, undefined],
    ["ID change", (j) => (j.ID = "web2"), true, /ID changes from "web" to "web2"/],
    ["namespace change", (j) => (j.Namespace = "apps"), true, /Namespace changes from "default" to "apps"/],
    ["region change", (j) => (j.Region = "eu"), true, /Region changes from "global" to "eu"/],
    ["type change", (j) => (j.Type = "system"), true, /cannot update job from type "service" to "system"/],
    ["periodic added", (j) => (j.Periodic = { Spec: "@daily" }), true, /becomes periodic/],
    ["parameterized added", (j) => (j.ParameterizedJob = { Payload: "optional" }), true, /becomes parameterized/],
    ["absent namespace equals default", (j) => delete j.Namespace, false, undefined],
  ];
  it.each(table)("%s", (_name, mutate, want, reason) => {
    const desired = baseJob();
    mutate(desired);
    expect(requiresReplacement(desired, baseJob())).toBe(want);
    if (reason) expect(replacementReasons(desired, baseJob()).join("\n")).toMatch(reason);
  });

  it("periodic removed is a replacement too", () => {
    const live = { ...baseJob(), Periodic: { Spec: "@daily" } };
    expect(replacementReasons(baseJob(), live)).toEqual(["the job stops being periodic (Nomad refuses in place)"]);
  });
});
