import { checkDriverConfig, checkedDrivers, validateJob } from "../../lib/jobspec";
import type { Job } from "../../lib/jobspec";
import { minimalJob } from "./helpers";

type G = Record<string, any>;
const task = (j: Job): G => (j.TaskGroups![0] as G).Tasks[0];

const AT = ["Job", "TaskGroups", 0, "Tasks", 0, "Config"];
const lines = (driver: string, config: unknown) => checkDriverConfig(driver, config, AT).map((p) => `${p.path}: ${p.message}`);

describe("driver config schemas (Nomad's documented task config of each built-in driver)", () => {
  test("the built-in drivers are checked", () => {
    expect(checkedDrivers().sort()).toEqual(["docker", "exec", "java", "mock_driver", "qemu", "raw_exec"]);
  });

  test.each([
    [
      "docker",
      {
        image: "redis:7",
        ports: ["db"],
        args: ["--x"],
        auth: { username: "u", password: "p" },
        labels: { team: "a" },
        logging: { type: "syslog", config: { tag: "x" } },
        mount: [{ type: "bind", target: "/t", source: "/s", bind_options: { propagation: "rshared" } }],
        volumes: ["/a:/b"],
        network_mode: "host",
        cap_add: ["NET_ADMIN"],
        port_map: { http: 8080 },
        image_pull_timeout: "10m",
        shm_size: 1024,
      },
    ],
    // As HCL decodes them: blocks and maps as lists of one object, numbers as strings, interpolations.
    [
      "docker",
      {
        image: "x",
        auth: [{ username: "u" }],
        labels: [{ team: "a" }],
        sysctl: [{ "net.core.somaxconn": "16384" }],
        shm_size: "1024",
        privileged: "true",
        pids_limit: "${NOMAD_META_pids}",
      },
    ],
    ["exec", { command: "/bin/sleep", args: ["1"], pid_mode: "host", work_dir: "/tmp" }],
    ["raw_exec", { command: "/bin/sleep", args: ["1"], oom_score_adj: 5, denied_envvars: ["SECRET"] }],
    ["java", { jar_path: "local/app.jar", jvm_options: ["-Xmx512m"] }],
    ["java", { class: "Main", class_path: "local" }],
    ["qemu", { image_path: "local/vm.img", accelerator: "kvm", port_map: { ssh: 22 } }],
    ["mock_driver", { run_for: "10s", exit_code: 1, stdout_string: "hi", exec_command: { run_for: "1s" } }],
  ])("a good %s config passes", (driver, config) => {
    expect(lines(driver, config)).toEqual([]);
  });

  test.each([
    [
      "docker",
      { image: "x", port: ["http"] },
      'Job.TaskGroups[0].Tasks[0].Config.port: unknown docker config key "port" (did you mean "ports"?); Nomad refuses it when the task starts',
    ],
    ["docker", { ports: ["http"] }, 'Job.TaskGroups[0].Tasks[0].Config.image: the docker driver requires "image" in its config'],
    ["docker", { image: "x", privileged: "yes" }, 'Job.TaskGroups[0].Tasks[0].Config.privileged: must be a boolean (got the string "yes")'],
    [
      "docker",
      { image: "x", args: "--verbose" },
      'Job.TaskGroups[0].Tasks[0].Config.args: must be a list of strings (got the string "--verbose")',
    ],
    [
      "docker",
      { image: "x", image_pull_timeout: "5 minutes" },
      'Job.TaskGroups[0].Tasks[0].Config.image_pull_timeout: must be a duration such as "30s" or "1h30m" (got the string "5 minutes")',
    ],
    [
      "docker",
      { image: "x", mount: [{ target: "/t", bind_option: {} }] },
      'Job.TaskGroups[0].Tasks[0].Config.mount[0].bind_option: unknown docker config key "bind_option" (did you mean "bind_options"?); Nomad refuses it when the task starts',
    ],
    [
      "docker",
      { image: "x", NetworkMode: "host" },
      'Job.TaskGroups[0].Tasks[0].Config.NetworkMode: unknown docker config key "NetworkMode" (did you mean "network_mode"?); Nomad refuses it when the task starts',
    ],
    ["exec", { args: ["1"] }, 'Job.TaskGroups[0].Tasks[0].Config.command: the exec driver requires "command" in its config'],
    [
      "exec",
      { command: "x", pid_mode: "shared" },
      'Job.TaskGroups[0].Tasks[0].Config.pid_mode: must be "private" or "host" (got the string "shared")',
    ],
    [
      "raw_exec",
      { command: "x", arg: ["1"] },
      'Job.TaskGroups[0].Tasks[0].Config.arg: unknown raw_exec config key "arg" (did you mean "args"?); Nomad refuses it when the task starts',
    ],
    ["java", { args: [] }, 'Job.TaskGroups[0].Tasks[0].Config.class: one of "class" or "jar_path" is required'],
    ["qemu", { accelerator: "kvm" }, 'Job.TaskGroups[0].Tasks[0].Config.image_path: the qemu driver requires "image_path" in its config'],
    [
      "mock_driver",
      { run_for: "ten seconds" },
      'Job.TaskGroups[0].Tasks[0].Config.run_for: must be a duration such as "30s" or "1h30m" (got the string "ten seconds")',
    ],
  ])("a bad %s config is reported: %j", (driver, config, problem) => {
    expect(lines(driver, config)).toEqual([problem]);
  });

  test.each([
    ["docker", undefined, "image"],
    ["docker", null, "image"],
    ["raw_exec", undefined, "command"],
    ["mock_driver", undefined, undefined],
  ])("a %s task without a config is checked as an empty one, as Nomad's client decodes it (%j)", (driver, config, required) => {
    expect(lines(driver, config)).toEqual(
      required ? [`Job.TaskGroups[0].Tasks[0].Config.${required}: the ${driver} driver requires "${required}" in its config`] : [],
    );
  });

  test("drivers without a schema are not checked", () => {
    expect(lines("podman", { anything: 1 })).toEqual([]);
  });

  test("validateJob reports driver config problems as errors by default, as warnings or not at all on request", () => {
    const j = minimalJob();
    task(j).Config = { image: "x", port: ["http"] };
    const asError = validateJob(j);
    expect(asError.valid ? [] : asError.problems.map((p) => p.rule)).toEqual(["driver.config.unknown"]);
    const asWarning = validateJob(j, { driverConfig: "warning" });
    expect(asWarning.valid).toBe(true);
    expect(asWarning.warnings.map((w) => w.path)).toEqual(["Job.TaskGroups[0].Tasks[0].Config.port"]);
    expect(validateJob(j, { driverConfig: "off" }).valid).toBe(true);
  });
});
