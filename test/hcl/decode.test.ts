/** Decoding HCL job bodies into the api.Job shape: alternatives Nomad accepts, and errors with positions. */
import { fixtureJob, parseJob } from "./helpers";

const S = 1_000_000_000;

function inTask(snippet: string): string {
  return `job "example" {\n  group "group" {\n    task "task" {\n      driver = "docker"\n      config {}\n      ${snippet}\n    }\n  }\n}\n`;
}

describe("alternatives jobspec2 accepts", () => {
  it.each([
    ["", undefined],
    ['env {\n  key = "value"\n}', { key: "value" }],
    [
      'env = {\n  "key.dot"                = "val1"\n  key_unquoted_without_dot = "val2"\n}',
      { "key.dot": "val1", key_unquoted_without_dot: "val2" },
    ],
    ['env = {\n  "key.dot" : "val1"\n  key_unquoted_without_dot : "val2"\n}', { "key.dot": "val1", key_unquoted_without_dot: "val2" }],
    ["env = {}", {}],
    ['env = {for k in ["a", "b"]: k => "val-${k}" }', { a: "val-a", b: "val-b" }],
  ])("task env as %j", (snippet, want) => {
    const r = parseJob(inTask(snippet));
    expect(r.errors).toBe("");
    expect(r.job.TaskGroups[0].Tasks[0].Env).toEqual(want);
  });

  it("rejects env given twice, or as something other than a map", () => {
    expect(parseJob(inTask('env = {"a": "b"}\n      env {\n        c = "d"\n      }')).errors).toBe(
      "job.nomad.hcl:7:7: Duplicate env block; env may not be defined more than once. Another definition is defined at job.nomad.hcl:6,7.",
    );
    expect(parseJob('job "a" {\n  meta = {a = "b"}\n  meta {\n    c = "d"\n  }\n}\n').errors).toBe(
      "job.nomad.hcl:3:3: Duplicate meta block; meta may not be defined more than once. Another definition is defined at job.nomad.hcl:2,3.",
    );
    expect(parseJob(inTask("env = { key = local.undefined_local }")).errors).toContain(
      'does not have an attribute named "undefined_local"',
    );
    expect(parseJob(inTask('env = [ "a" ]')).errors).toContain("Unsuitable value: a map is required");
  });

  it("meta as blocks or as maps gives the same job", () => {
    const asBlock = `job "example" {\n  group "group" {\n    task "task" {\n      driver = "config"\n      config {}\n      meta {\n        source = "task"\n      }\n    }\n    meta {\n      source = "group"\n    }\n  }\n  meta {\n    source = "job"\n  }\n}\n`;
    const a = parseJob(asBlock).job;
    const b = parseJob(asBlock.replace(/meta \{/g, "meta = {")).job;
    expect(b).toEqual(a);
    expect(a.Meta).toEqual({ source: "job" });
    expect(a.TaskGroups[0].Meta).toEqual({ source: "group" });
    expect(a.TaskGroups[0].Tasks[0].Meta).toEqual({ source: "task" });
  });

  it("constraint operator/value and the compact forms give the same constraints", () => {
    const opVal = `job "example" {\n  constraint {\n    operator = "distinct_hosts"\n    value    = "true"\n  }\n  constraint {\n    operator  = "distinct_property"\n    attribute = "\${meta.rack}"\n    value     = "1"\n  }\n  group "group" {\n    constraint {\n      operator = "distinct_hosts"\n      value    = "false"\n    }\n    task "task" {\n      driver = "config"\n      config {}\n    }\n  }\n}\n`;
    const compact = `job "example" {\n  constraint {\n    distinct_hosts = true\n  }\n  constraint {\n    distinct_property = "\${meta.rack}"\n    value     = "1"\n  }\n  group "group" {\n    constraint {\n      distinct_hosts = false\n    }\n    task "task" {\n      driver = "config"\n      config {}\n    }\n  }\n}\n`;
    const a = parseJob(opVal).job;
    expect(parseJob(compact).job).toEqual(a);
    expect(a.Constraints).toEqual([
      { LTarget: "", RTarget: "true", Operand: "distinct_hosts" },
      { LTarget: "${meta.rack}", RTarget: "1", Operand: "distinct_property" },
    ]);
    expect(a.TaskGroups[0].Constraints).toEqual([{ LTarget: "", RTarget: "false", Operand: "distinct_hosts" }]);
  });

  it("a service check's method and body", () => {
    const src = `job "group_service_check_script" {\n  group "group" {\n    service {\n      name = "foo-service"\n      port = "http"\n      check {\n        name   = "check-name"\n        type   = "http"\n        method = "POST"\n        body   = "{\\"check\\":\\"mem\\"}"\n      }\n    }\n  }\n}\n`;
    expect(parseJob(src).job).toEqual({
      ID: "group_service_check_script",
      Name: "group_service_check_script",
      TaskGroups: [
        {
          Name: "group",
          Services: [
            {
              Name: "foo-service",
              PortLabel: "http",
              Checks: [{ Name: "check-name", Type: "http", Method: "POST", Body: '{"check":"mem"}' }],
            },
          ],
        },
      ],
    });
  });

  it("job- and group-level vault blocks apply to tasks without their own", () => {
    const job = fixtureJob("legacy-jobspec-hcl1/vault_inheritance.hcl");
    const vaults = job.TaskGroups.map((g: any) => g.Tasks.map((t: any) => [t.Name, t.Vault]));
    expect(vaults).toEqual([
      [
        ["redis", { Policies: ["group"], Env: true, DisableFile: false, ChangeMode: "restart" }],
        ["redis2", { Policies: ["task"], Env: false, DisableFile: true, ChangeMode: "restart" }],
      ],
      [["redis", { Policies: ["job"], Env: true, DisableFile: false, ChangeMode: "restart" }]],
    ]);
  });

  it("templates, vault and change scripts get jobspec2's defaults", () => {
    const r = parseJob(
      inTask(
        'template {\n        data        = "x"\n        destination = "local/x"\n        change_mode = "script"\n        change_script {\n          command = "/bin/true"\n        }\n      }',
      ),
    );
    expect(r.job.TaskGroups[0].Tasks[0].Templates).toEqual([
      {
        EmbeddedTmpl: "x",
        DestPath: "local/x",
        ChangeMode: "script",
        ChangeScript: { Command: "/bin/true", Args: [], Timeout: 5 * S, FailOnError: false, RunOnFirstRender: false },
        Perms: "0644",
        Splay: 5 * S,
        ErrMissingKey: false,
      },
    ]);
  });

  it("a sidecar task's logs and volume mounts use the api's key names", () => {
    const src = `job "s" {\n  group "g" {\n    service {\n      name = "web"\n      connect {\n        sidecar_task {\n          logs {\n            max_files     = 2\n            max_file_size = 3\n          }\n          volume_mount {\n            volume        = "v"\n            destination   = "/d"\n            read_only     = true\n            selinux_label = "z"\n          }\n        }\n      }\n    }\n  }\n}\n`;
    expect(parseJob(src).job.TaskGroups[0].Services[0].Connect.SidecarTask).toEqual({
      LogConfig: { MaxFiles: 2, MaxFileSizeMB: 3 },
      VolumeMounts: [{ Volume: "v", Destination: "/d", ReadOnly: true, SELinuxLabel: "z" }],
    });
  });

  it("static ports go to ReservedPorts, others stay dynamic", () => {
    const src = `job "p" {\n  group "g" {\n    network {\n      port "http" {\n        static = 80\n      }\n      port "dyn" {}\n    }\n  }\n}\n`;
    expect(parseJob(src).job.TaskGroups[0].Networks).toEqual([
      { ReservedPorts: [{ Label: "http", Value: 80 }], DynamicPorts: [{ Label: "dyn" }] },
    ]);
  });
});

describe("errors say where and why", () => {
  it.each([
    [
      inTask('driverr = "x"'),
      'job.nomad.hcl:6:7: Unsupported argument; An argument named "driverr" is not expected here. Did you mean "driver"?',
    ],
    [
      inTask("ressources {}"),
      'job.nomad.hcl:6:7: Unsupported block type; Blocks of type "ressources" are not expected here. Did you mean "resources"?',
    ],
    [inTask('kill_timout = "5s"'), 'Did you mean "kill_timeout"?'],
    [inTask("constraints {}"), 'Did you mean "constraint"?'],
    [
      inTask("resources {\n        memry = 1\n      }"),
      'job.nomad.hcl:7:9: Unsupported argument; An argument named "memry" is not expected here. Did you mean "memory"?',
    ],
    [
      inTask("resources = {}"),
      'job.nomad.hcl:6:7: Unsupported argument; An argument named "resources" is not expected here. Did you mean to define a block of type "resources"?',
    ],
    [
      inTask("driver {}"),
      'job.nomad.hcl:6:7: Unsupported block type; Blocks of type "driver" are not expected here. Did you mean to define argument "driver"?',
    ],
    [inTask('kill_timeout = "5 parsecs"'), "job.nomad.hcl:6:22: Unsuitable value type; Unsuitable duration value:"],
    [inTask("leader = [1]"), "job.nomad.hcl:6:16: Unsuitable value type; Unsuitable value: bool required, but found tuple."],
    [
      inTask("resources {\n        cpu = 1.5\n      }"),
      "job.nomad.hcl:7:15: Unsuitable value type; Unsuitable value: a whole number is required, but found 1.5.",
    ],
    [
      inTask("logs {}\n      logs {}"),
      "job.nomad.hcl:7:7: Duplicate logs block; Only one logs block is allowed. Another was defined at job.nomad.hcl:6,7.",
    ],
    ['job "a" {\n  group {}\n}\n', "job.nomad.hcl:2:3: Missing name for group; All group blocks must have 1 labels (name)."],
    ['job "a" {\n  update "x" {}\n}\n', "job.nomad.hcl:2:10: Extraneous label for update; No labels are expected for update blocks."],
    [
      'job "a" {\n  group "g" {\n    name = "other"\n  }\n}\n',
      'job.nomad.hcl:3:5: Unsupported argument; An argument named "name" is not expected here.',
    ],
    ['job "a" {\n  Type = "batch"\n}\n', 'job.nomad.hcl:2:3: Unsupported argument; An argument named "Type" is not expected here.'],
    ['job "a" {\n  status = "running"\n}\n', 'job.nomad.hcl:2:3: Unsupported argument; An argument named "status" is not expected here.'],
    ['region = "x"\njob "a" {}\n', 'job.nomad.hcl:1:1: Unsupported argument; An argument named "region" is not expected here.'],
    ['jobb "a" {}\n', 'job.nomad.hcl:1:1: Unsupported block type; Blocks of type "jobb" are not expected here.'],
    ['variable "x" {\n  default = 1\n}\n', "job.nomad.hcl:1:1: Missing job block; A job block is required"],
    [
      'job "a" {}\njob "b" {}\n',
      'job.nomad.hcl:2:1: Duplicate job block; Only one block of type "job" is allowed. Previous definition was at job.nomad.hcl:1,1.',
    ],
    [
      'job "a" {\n  constraint {\n    attr = "x"\n  }\n}\n',
      'job.nomad.hcl:3:5: Unsupported argument; An argument named "attr" is not expected here.',
    ],
    [
      'job "a" {\n  dynamic "group" {\n    for_each = 5\n    content {}\n  }\n}\n',
      "job.nomad.hcl:3:16: Invalid dynamic for_each value; Cannot use a number value in for_each.",
    ],
  ])("%j", (src, want) => {
    const r = parseJob(src);
    expect(r.job).toBeUndefined();
    expect(r.errors).toContain(want);
  });

  it("collects several problems in one pass", () => {
    const r = parseJob(inTask("foo = 1\n      bar = 2\n      baz {}"));
    expect(r.errors.split("\n")).toEqual([
      'job.nomad.hcl:6:7: Unsupported argument; An argument named "foo" is not expected here.',
      'job.nomad.hcl:7:7: Unsupported argument; An argument named "bar" is not expected here.',
      'job.nomad.hcl:8:7: Unsupported block type; Blocks of type "baz" are not expected here.',
    ]);
  });
});
