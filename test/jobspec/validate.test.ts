import type { Job } from "../../lib/jobspec";
import { canonicalize, unwrapJob, validateJob } from "../../lib/jobspec";
import { lines, minimalJob, problemsOf } from "./helpers";

type G = Record<string, any>;
const task = (j: Job): G => (j.TaskGroups![0] as G).Tasks[0];

describe("validateJob: input forms", () => {
  test("accepts a bare job and a register request with its options", () => {
    expect(validateJob(minimalJob()).valid).toBe(true);
    const req = {
      Job: minimalJob(),
      EnforceIndex: true,
      JobModifyIndex: 7,
      PolicyOverride: false,
      PreserveCounts: true,
      EvalPriority: 60,
      Submission: { Source: "job {}", Format: "hcl2" },
      Region: "eu",
      Namespace: "default",
      SecretID: "",
    };
    expect(validateJob(req).valid).toBe(true);
  });

  test("unwrapJob returns the job of either form", () => {
    const j = minimalJob();
    expect(unwrapJob({ Job: j })).toBe(j);
    expect(unwrapJob(j)).toBe(j);
    expect(unwrapJob(null)).toBe(null);
  });

  test("an unknown register request key is reported with a suggestion", () => {
    expect(lines(problemsOf(validateJob({ Job: minimalJob(), EnforceIndx: true })))).toEqual([
      'EnforceIndx: unknown key "EnforceIndx" in the register request (did you mean "EnforceIndex"?); it holds Job, Submission, EnforceIndex, JobModifyIndex, PolicyOverride, PreserveCounts, PreserveResources, EvalPriority, Region, Namespace, SecretID',
    ]);
  });

  test.each([
    [null, "Job: the job must be a JSON object (got null)"],
    [[], "Job: the job must be a JSON object (got an array)"],
    [42, "Job: the job must be a JSON object (got the number 42)"],
    ["job", 'Job: the job must be a JSON object (got the string "job")'],
    [{ Job: null }, "Job: the job must be a JSON object (got null)"],
  ])("never throws: %j", (input, message) => {
    expect(lines(problemsOf(validateJob(input)))).toEqual([message]);
  });

  test("returns the parsed job and no warnings for a clean job", () => {
    const r = validateJob(minimalJob());
    expect(r).toEqual({ valid: true, job: minimalJob(), canonical: canonicalize(minimalJob()), warnings: [] });
  });
});

describe("validateJob: keys", () => {
  test("an unknown key differing only in case suggests the exact key", () => {
    const j = minimalJob() as G;
    task(j).Resources = { MemoryMb: 256 };
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      'Job.TaskGroups[0].Tasks[0].Resources.MemoryMb: unknown key "MemoryMb" (did you mean "MemoryMB"?) in Resources; Nomad\'s decoder would accept it case-insensitively, but drover requires the exact key',
    ]);
  });

  test("a misspelled key within two edits gets a suggestion; a far one does not", () => {
    const j = minimalJob() as G;
    j.Datacentres = ["dc1"];
    j.Colour = "blue";
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      'Job.Datacentres: unknown key "Datacentres" (did you mean "Datacenters"?) in Job; Nomad would silently ignore it',
      'Job.Colour: unknown key "Colour" in Job; Nomad would silently ignore it',
    ]);
  });

  test("the same key twice in different cases is an error", () => {
    const j = minimalJob() as G;
    task(j).Resources = { MemoryMB: 256, Memorymb: 512 };
    const ps = problemsOf(validateJob(j));
    expect(lines(ps)).toEqual([
      'Job.TaskGroups[0].Tasks[0].Resources.Memorymb: key "Memorymb" duplicates "MemoryMB" in a different case; Nomad matches keys case-insensitively and would use only one of them',
    ]);
    expect(ps[0].rule).toBe("key.case-duplicate");
  });

  test("unknown keys inside map values (Volumes) are found too", () => {
    const j = minimalJob() as G;
    j.TaskGroups[0].Volumes = { data: { Type: "host", Source: "d", Readonly: true } };
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      'Job.TaskGroups[0].Volumes.data.Readonly: unknown key "Readonly" (did you mean "ReadOnly"?) in VolumeRequest; Nomad\'s decoder would accept it case-insensitively, but drover requires the exact key',
    ]);
  });

  test("the Config of a driver drover has no schema for, and Meta keys, are free-form", () => {
    const j = minimalJob() as G;
    task(j).Driver = "my-plugin";
    task(j).Config = { image: "x", Anything: { Nested: [1, { Deep: true }] } };
    task(j).Meta = { AnyKey: "v" };
    expect(validateJob(j).valid).toBe(true);
  });

  test.each([
    [
      "Job",
      (j: G) => (j.VaultToken = "s.123"),
      "Job.VaultToken",
      "Nomad ignores VaultToken (removed from api.Job); tasks get Vault tokens through workload identities (Task.Vault with a Role)",
    ],
    [
      "Resources.DiskMB",
      (j: G) => (task(j).Resources = { DiskMB: 300 }),
      "Job.TaskGroups[0].Tasks[0].Resources.DiskMB",
      "the agent does not forward Resources.DiskMB; set the group's EphemeralDisk.SizeMB",
    ],
    [
      "MBits",
      (j: G) => (j.TaskGroups[0].Networks = [{ MBits: 10 }]),
      "Job.TaskGroups[0].Networks[0].MBits",
      "Nomad ignores MBits (bandwidth is no longer scheduled)",
    ],
    [
      "MaxClientDisconnect",
      (j: G) => (j.TaskGroups[0].MaxClientDisconnect = 60e9),
      "Job.TaskGroups[0].MaxClientDisconnect",
      "Nomad ignores MaxClientDisconnect since 1.10; use Disconnect.LostAfter",
    ],
    [
      "Vault.Policies",
      (j: G) => (task(j).Vault = { Policies: ["x"] }),
      "Job.TaskGroups[0].Tasks[0].Vault.Policies",
      "the agent does not forward Vault.Policies; Vault access uses workload identities: set Vault.Role",
    ],
    [
      "LogConfig.Enabled",
      (j: G) => (task(j).LogConfig = { Enabled: true }),
      "Job.TaskGroups[0].Tasks[0].LogConfig.Enabled",
      "the agent does not forward LogConfig.Enabled; use LogConfig.Disabled",
    ],
    [
      "Check.Advertise",
      (j: G) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: 1e10, Timeout: 1e9, Advertise: "10.0.0.1" }] }]),
      "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Advertise",
      "the server drops ServiceCheck.Advertise; set the service's Address instead",
    ],
  ])("an ignored key (%s) is a warning, not an error", (_n, edit, path, message) => {
    const j = minimalJob() as G;
    edit(j);
    const r = validateJob(j);
    expect(r.valid).toBe(true);
    expect(lines(r.warnings)).toEqual([`${path}: ${message}`]);
  });

  test("ignored keys that are null or zero are silent; read-only fields are accepted", () => {
    const j = {
      ...minimalJob(),
      VaultToken: null,
      ConsulToken: "",
      Status: "running",
      Version: 3,
      SubmitTime: 1608316675000588800,
      CreateIndex: 10,
      ModifyIndex: 12,
      JobModifyIndex: 12,
      Stable: true,
      ParentID: "",
    } as G;
    task(j).Resources = { DiskMB: null, IOPS: 0 };
    expect(validateJob(j)).toMatchObject({ valid: true, warnings: [] });
  });
});

describe("validateJob: types and durations", () => {
  test("a duration given as a Go string says what it is in nanoseconds", () => {
    const j = minimalJob() as G;
    task(j).KillTimeout = "30s";
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      'Job.TaskGroups[0].Tasks[0].KillTimeout: must be an integer number of nanoseconds (got the string "30s"; 30s is 30000000000)',
    ]);
  });

  test("a duration string that is not a Go duration either says so", () => {
    const j = minimalJob() as G;
    j.TaskGroups[0].ShutdownDelay = "soon";
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      'Job.TaskGroups[0].ShutdownDelay: must be an integer number of nanoseconds (got the string "soon", which is not a duration either: invalid duration "soon": expected a number at "soon")',
    ]);
  });

  test("non-integer and negative durations are errors", () => {
    const j = minimalJob() as G;
    task(j).KillTimeout = 1.5;
    task(j).ShutdownDelay = -1_000_000_000;
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      "Job.TaskGroups[0].Tasks[0].KillTimeout: must be an integer number of nanoseconds (got 1.5)",
      "Job.TaskGroups[0].Tasks[0].ShutdownDelay: must not be negative (got -1000000000 ns, -1s)",
    ]);
  });

  test("durations beyond 2^53-1 ns (about 104 days) cannot be represented exactly and are rejected", () => {
    const j = minimalJob("batch") as G;
    j.TaskGroups[0].MaxRunDuration = 2 ** 53;
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      "Job.TaskGroups[0].MaxRunDuration: must be at most 9007199254740991 ns (about 104 days; got 9007199254740992): longer durations cannot be represented exactly in a JSON number",
    ]);
    j.TaskGroups[0].MaxRunDuration = Number.MAX_SAFE_INTEGER;
    expect(validateJob(j).valid).toBe(true);
  });

  test("wrong scalar types name what they got", () => {
    const j = minimalJob() as G;
    j.Priority = "50";
    j.AllAtOnce = "yes";
    j.Datacenters = "dc1";
    j.Meta = { a: 1 };
    j.TaskGroups[0].Count = 1.5;
    expect(lines(problemsOf(validateJob(j)))).toEqual([
      'Job.Priority: must be an integer (got the string "50")',
      'Job.AllAtOnce: must be a boolean (got the string "yes")',
      'Job.Datacenters: must be an array (got the string "dc1")',
      "Job.TaskGroups[0].Count: must be an integer (got 1.5)",
      "Job.Meta.a: must be a string (got the number 1); Nomad maps hold only strings",
    ]);
  });

  test("enumerations list the allowed values", () => {
    const j = minimalJob() as G;
    j.Type = "cron";
    expect(lines(problemsOf(validateJob(j)))).toEqual(['Job.Type: must be one of "service", "batch", "system", "sysbatch" (got "cron")']);
  });

  test("a block of the wrong type is one problem at its path, not a cascade", () => {
    const j = minimalJob() as G;
    j.TaskGroups[0].Tasks = "server";
    expect(lines(problemsOf(validateJob(j)))).toEqual(['Job.TaskGroups[0].Tasks: must be an array (got the string "server")']);
  });

  test("null means unset everywhere", () => {
    const j = minimalJob() as G;
    Object.assign(j, { Region: null, Priority: null, Update: null, Meta: null, Constraints: null });
    Object.assign(task(j), { Resources: null, Env: null, KillTimeout: null, Lifecycle: null });
    expect(validateJob(j).valid).toBe(true);
  });

  test("huge strings and deep nesting are handled", () => {
    const j = minimalJob() as G;
    j.ID = "x".repeat(1_000_000) + " y";
    let deep: G = {};
    const root = deep;
    for (let i = 0; i < 2000; i++) deep = deep.a = {};
    task(j).Driver = "my-plugin";
    task(j).Config = { root };
    const ps = problemsOf(validateJob(j));
    expect(ps.map((p) => p.rule)).toEqual(["job.id.space"]);
    expect(ps[0].message).toBe(`job ID "${"x".repeat(60)}…" (1000002 characters) contains a space`);
  });
});
