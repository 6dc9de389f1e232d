/**
 * The generator's own rules, one case each: durations with units, only
 * what differs from Nomad's defaults, placement helpers, overrides with
 * their comment, and names that cannot break out of strings or comments.
 */
import { importJob, importJobs, runProgram } from "../../lib/import";
import { formatDuration } from "../../lib/import/spec";
import { typeCheck } from "./helpers";

const job = (extra: Record<string, unknown> = {}, task: Record<string, unknown> = {}) => ({
  Job: { ID: "web", TaskGroups: [{ Name: "g", Tasks: [{ Name: "t", Driver: "mock_driver", ...task }], ...extra }] },
});

describe("importJob", () => {
  it("writes durations with units, the shortest way", () => {
    expect([0, 1, 1_500_000, 30e9, 90e9, 5_400e9, 86_400e9 + 1].map(formatDuration)).toEqual([
      "0s",
      "1ns",
      "1ms500us",
      "30s",
      "1m30s",
      "1h30m",
      "24h1ns",
    ]);
    expect(importJob(job({}, { KillTimeout: 90e9 }))).toContain('killTimeout: "1m30s"');
  });

  it("writes a duration of more parts than the DSL's duration type admits as Duration.parse", () => {
    const code = importJob(job({}, { KillTimeout: 3_661_001_000_000 }));
    expect(code).toContain('killTimeout: Duration.parse("1h1m1s1ms")');
    expect(code).toContain('import { App, Driver, Duration, Job } from "drover";');
  });

  it("leaves out what equals Nomad's defaults, keeps what differs", () => {
    const code = importJob(
      job(
        { Count: 1, RestartPolicy: { Attempts: 2, Interval: 1800e9, Delay: 15e9, Mode: "fail" } },
        { KillTimeout: 5e9, Resources: { CPU: 100, MemoryMB: 512 } },
      ),
    );
    expect(code).not.toMatch(/count|restart|killTimeout|cpu/);
    expect(code).toContain("resources: { memoryMB: 512 }");
  });

  it("uses the placement helpers for their strings", () => {
    const code = importJob(
      job({
        Constraints: [
          { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" },
          { Operand: "distinct_hosts", RTarget: "true" },
          { LTarget: "${meta.rack}", RTarget: "2", Operand: "distinct_property" },
          { LTarget: "${attr.nomad.version}", RTarget: ">= 1.8", Operand: "semver" },
        ],
      }),
    );
    expect(code).toContain(
      'constraints: [\n    { attribute: Attr.kernelName, value: "linux" },\n    Constraint.distinctHosts(),\n    Constraint.distinctProperty(Meta.of("rack"), 2),\n    Constraint.semver(Attr.nomadVersion, ">= 1.8"),\n  ],',
    );
    expect(code).toContain('import { App, Attr, Constraint, Driver, Job, Meta } from "drover";');
  });

  it("writes what no prop covers as an override naming Nomad's field", () => {
    const code = importJob(job({}, { Resources: { DiskMB: 150 } }));
    expect(code).toContain('// Nomad\'s Task.Resources.DiskMB has no typed prop.\nt.addOverride("Resources.DiskMB", 150);');
  });

  it("keeps names and descriptions inside their strings and comments", () => {
    const evil = "x\n(globalThis as any).pwned = 1; // */ `${1}`";
    const code = importJob({
      Job: {
        ID: "web",
        TaskGroups: [{ Name: evil, Tasks: [{ Name: evil, Driver: "mock_driver", Services: [{ Name: evil, Weights: { Passing: 2 } }] }] }],
      },
    });
    expect(code).not.toMatch(/^\s*\(globalThis/m);
    expect(code).toContain(`// Nomad's TaskGroup.Name holds "/" or a line break, which a construct id cannot.`);
    expect(runProgram(code)[0].rendered).toMatchObject({
      TaskGroups: [{ Name: evil, Tasks: [{ Name: evil, Services: [{ Name: evil, Weights: { Passing: 2 } }] }] }],
    });
    expect((globalThis as any).pwned).toBeUndefined();
  });

  it("keeps the variables of several files apart in one program", () => {
    const a =
      'variable "image" { default = "a:1" }\njob "a" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config { image = var.image }\n    }\n  }\n}\n';
    const b =
      'variable "region" { default = "eu" }\njob "b" {\n  region = var.region\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config { image = "b:${var.region}" }\n    }\n  }\n}\n';
    const { code } = importJobs([a, b]);
    expect(code).toContain('const b = new Job(app, "b", { region });');
    expect(code).toContain("driver: Driver.docker({ image: `b:${region}` })");
    const [ja, jb] = runProgram(code, { NOMAD_VAR_region: "us" });
    expect((ja.rendered as any).TaskGroups[0].Tasks[0].Config.image).toBe("a:1");
    expect((jb.rendered as any).TaskGroups[0].Tasks[0].Config.image).toBe("b:us");
  });

  it("refuses what is not a job", () => {
    expect(() => importJob({ Jobs: [] })).toThrow(
      'job: not a Nomad job: expected {"Job": {...}} or a job object with "ID" and "TaskGroups"',
    );
    expect(() => importJob("{ not json", { file: "x.json" })).toThrow(/^x\.json: not valid JSON: /);
  });

  it("writes the driver config keys the DSL types as typed props, any other key or shape in extra, and type-checks", () => {
    const docker = importJob(
      job(
        {},
        {
          Driver: "docker",
          Config: {
            image: "redis:7",
            pids_limit: 100,
            port_map: { db: 6379 },
            devices: [{ host_path: "/dev/fuse" }],
            storage_opt: { size: "1G" },
            image_pull_timeout: "1h2m3s4ms",
            new_key: true,
          },
        },
      ),
    );
    expect(docker).toContain(
      '  driver: Driver.docker({\n    image: "redis:7",\n    devices: [{ hostPath: "/dev/fuse" }],\n    pidsLimit: 100,\n    portMap: { db: 6379 },\n    storageOpt: { size: "1G" },\n    extra: { image_pull_timeout: "1h2m3s4ms", new_key: true },\n  }),',
    );
    const qemu = importJob(job({}, { Driver: "qemu", Config: { image_path: "local/vm.img", accelerator: "kvm", port_map: { ssh: 22 } } }));
    expect(qemu).toContain('Driver.qemu({ imagePath: "local/vm.img", accelerator: "kvm", portMap: { ssh: 22 } })');
    const rawExec = importJob(
      job({}, { Driver: "raw_exec", Config: { command: "/bin/app", work_dir: "/srv", denied_envvars: ["SECRET"] } }),
    );
    expect(rawExec).toContain('Driver.rawExec({ command: "/bin/app", workDir: "/srv", deniedEnvvars: ["SECRET"] })');
    const mock = importJob(job({}, { Config: { run_for: "1m2.5s", stderr_string: "oops", stderr_repeat_duration: "1s" } }));
    expect(mock).toContain('Driver.mock({ runFor: "1m2.5s", stderrString: "oops", stderrRepeatDuration: "1s" })');
    const long = importJob(job({}, { KillTimeout: 3_661_001_000_000 }));
    expect(typeCheck({ docker, qemu, rawExec, mock, long })).toEqual([]);
  });
});
