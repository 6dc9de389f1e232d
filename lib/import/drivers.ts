/**
 * Driver configurations as the typed `Driver.*` factories take them: the
 * driver's snake_case keys become the DSL's camelCase props where a factory
 * types them, and every other key goes to `extra` in the driver's own
 * spelling. Unknown drivers, or configs without a factory's required key,
 * become `Driver.of(name, config)`.
 */
import { parseGoDuration } from "../jobspec/duration";
import type { Expr } from "./code";
import { array, call, code, object, str } from "./code";
import type { Converter, ValueWriter } from "./spec";
import { bool, isObj, num, oneOf, stringMap, strings, text } from "./spec";

type Obj = Record<string, unknown>;

/** A table of one config object: snake_case key → [camelCase prop, converter]. */
type ConfigTable = Readonly<Record<string, readonly [string, Converter]>>;

/** A nested config object: every key must be in the table, or the whole value goes to `extra`. */
function configObject(table: ConfigTable, required: string[] = []): Converter {
  return (v, w, path, leftovers) => {
    if (!isObj(v)) return undefined;
    for (const r of required) if (v[r] === undefined) return undefined;
    const entries: [string, Expr][] = [];
    for (const k of [...Object.keys(table).filter((x) => x in v), ...Object.keys(v).filter((x) => !(x in table))]) {
      const x = v[k];
      const field = table[k];
      const e = field ? field[1](x, w, [...path, k], leftovers) : undefined;
      if (!field || e === undefined) return undefined;
      entries.push([field[0], e]);
    }
    return object(entries);
  };
}

function configList(table: ConfigTable, required: string[] = []): Converter {
  const item = configObject(table, required);
  return (v, w, path, leftovers) => {
    if (!Array.isArray(v)) return undefined;
    const out: Expr[] = [];
    for (const x of v) {
      const e = item(x, w, path, leftovers);
      if (e === undefined) return undefined;
      out.push(e);
    }
    return array(out);
  };
}

/**
 * The shape of a duration string the DSL's `DurationString` type admits
 * (`"0"`, or one to three numbers with units: `"30s"`, `"1h30m"`,
 * `"1m2.5s"`); a string of any other shape would not type-check.
 */
const TYPED_DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)){1,3})$/;

/**
 * A Go duration string as written (the factories keep such strings as
 * given), when the DSL's duration type admits it; any other string goes to
 * `extra` unchanged, so that the config stays exact.
 */
const goDuration: Converter = (v) => {
  if (typeof v !== "string" || !TYPED_DURATION.test(v)) return undefined;
  try {
    if (parseGoDuration(v) < 0) return undefined;
  } catch {
    return undefined;
  }
  return code(str(v));
};

/** A map of numbers (`port_map`), keys sorted. */
const numberMap: Converter = (v) =>
  isObj(v) && Object.values(v).every((x) => typeof x === "number" && Number.isFinite(x))
    ? object(
        Object.keys(v)
          .sort()
          .map((k) => [k, code(String(v[k]))] as const),
      )
    : undefined;

const DOCKER: ConfigTable = {
  image: ["image", text],
  command: ["command", text],
  args: ["args", strings],
  entrypoint: ["entrypoint", strings],
  // Port labels become the group's port objects (driverExpr); labels of no group port go to `extra`.
  ports: ["ports", () => undefined],
  labels: ["labels", stringMap],
  auth: [
    "auth",
    configObject({
      username: ["username", text],
      password: ["password", text],
      email: ["email", text],
      server_address: ["serverAddress", text],
    }),
  ],
  auth_soft_fail: ["authSoftFail", bool],
  network_mode: ["networkMode", text],
  volumes: ["volumes", strings],
  mount: [
    "mount",
    configList(
      {
        type: ["type", oneOf("bind", "volume", "tmpfs")],
        target: ["target", text],
        source: ["source", text],
        readonly: ["readonly", bool],
        bind_options: ["bindOptions", configObject({ propagation: ["propagation", text] })],
        tmpfs_options: ["tmpfsOptions", configObject({ size: ["size", num], mode: ["mode", num] })],
        volume_options: [
          "volumeOptions",
          configObject({
            no_copy: ["noCopy", bool],
            labels: ["labels", stringMap],
            driver_config: ["driverConfig", configObject({ name: ["name", text], options: ["options", stringMap] })],
          }),
        ],
      },
      ["target"],
    ),
  ],
  privileged: ["privileged", bool],
  hostname: ["hostname", text],
  dns_servers: ["dnsServers", strings],
  dns_search_domains: ["dnsSearchDomains", strings],
  dns_options: ["dnsOptions", strings],
  extra_hosts: ["extraHosts", strings],
  cap_add: ["capAdd", strings],
  cap_drop: ["capDrop", strings],
  force_pull: ["forcePull", bool],
  work_dir: ["workDir", text],
  ipc_mode: ["ipcMode", text],
  pid_mode: ["pidMode", text],
  uts_mode: ["utsMode", text],
  userns_mode: ["usernsMode", text],
  shm_size: ["shmSize", num],
  init: ["init", bool],
  tty: ["tty", bool],
  interactive: ["interactive", bool],
  readonly_rootfs: ["readonlyRootfs", bool],
  sysctl: ["sysctl", stringMap],
  ulimit: ["ulimit", stringMap],
  logging: ["logging", configObject({ type: ["type", text], config: ["config", stringMap] })],
  security_opt: ["securityOpt", strings],
  image_pull_timeout: ["imagePullTimeout", goDuration],
  cpu_hard_limit: ["cpuHardLimit", bool],
  cpu_cfs_period: ["cpuCfsPeriod", num],
  cpuset_cpus: ["cpusetCpus", text],
  advertise_ipv6_address: ["advertiseIpv6Address", bool],
  cgroupns: ["cgroupns", text],
  container_exists_attempts: ["containerExistsAttempts", num],
  devices: [
    "devices",
    configList({ host_path: ["hostPath", text], container_path: ["containerPath", text], cgroup_permissions: ["cgroupPermissions", text] }),
  ],
  group_add: ["groupAdd", strings],
  healthchecks: ["healthchecks", configObject({ disable: ["disable", bool] })],
  ipv4_address: ["ipv4Address", text],
  ipv6_address: ["ipv6Address", text],
  isolation: ["isolation", text],
  load: ["load", text],
  mac_address: ["macAddress", text],
  network_aliases: ["networkAliases", strings],
  oom_score_adj: ["oomScoreAdj", num],
  pids_limit: ["pidsLimit", num],
  port_map: ["portMap", numberMap],
  runtime: ["runtime", text],
  storage_opt: ["storageOpt", stringMap],
  volume_driver: ["volumeDriver", text],
};

const RAW_EXEC: ConfigTable = {
  command: ["command", text],
  args: ["args", strings],
  work_dir: ["workDir", text],
  oom_score_adj: ["oomScoreAdj", num],
  cgroup_v2_override: ["cgroupV2Override", text],
  cgroup_v1_override: ["cgroupV1Override", stringMap],
  denied_envvars: ["deniedEnvvars", strings],
};

/** The isolation keys the exec and java drivers share (their `TaskConfig`'s pid/ipc modes, capabilities and work dir). */
const EXEC_ISOLATION: ConfigTable = {
  pid_mode: ["pidMode", oneOf("private", "host")],
  ipc_mode: ["ipcMode", oneOf("private", "host")],
  cap_add: ["capAdd", strings],
  cap_drop: ["capDrop", strings],
  work_dir: ["workDir", text],
};

const EXEC: ConfigTable = {
  command: ["command", text],
  args: ["args", strings],
  ...EXEC_ISOLATION,
};

const JAVA: ConfigTable = {
  class: ["class", text],
  class_path: ["classPath", text],
  jar_path: ["jarPath", text],
  jvm_options: ["jvmOptions", strings],
  args: ["args", strings],
  ...EXEC_ISOLATION,
};

const QEMU: ConfigTable = {
  image_path: ["imagePath", text],
  emulator: ["emulator", text],
  machine_type: ["machineType", text],
  drive_interface: ["driveInterface", text],
  accelerator: ["accelerator", text],
  graceful_shutdown: ["gracefulShutdown", bool],
  guest_agent: ["guestAgent", bool],
  args: ["args", strings],
  port_map: ["portMap", numberMap],
};

const MOCK: ConfigTable = {
  run_for: ["runFor", goDuration],
  exit_code: ["exitCode", num],
  exit_signal: ["exitSignal", num],
  exit_err_msg: ["exitErrMsg", text],
  start_error: ["startError", text],
  start_error_recoverable: ["startErrorRecoverable", bool],
  start_block_for: ["startBlockFor", goDuration],
  kill_after: ["killAfter", goDuration],
  stdout_string: ["stdoutString", text],
  stdout_repeat: ["stdoutRepeat", num],
  stdout_repeat_duration: ["stdoutRepeatDuration", goDuration],
  stderr_string: ["stderrString", text],
  stderr_repeat: ["stderrRepeat", num],
  stderr_repeat_duration: ["stderrRepeatDuration", goDuration],
  signal_error: ["signalError", text],
};

/** The typed factories: driver name → factory, its table and the keys it requires. */
const FACTORIES: Readonly<Record<string, { factory: string; table: ConfigTable; required: string[] }>> = {
  docker: { factory: "docker", table: DOCKER, required: ["image"] },
  raw_exec: { factory: "rawExec", table: RAW_EXEC, required: ["command"] },
  exec: { factory: "exec", table: EXEC, required: ["command"] },
  java: { factory: "java", table: JAVA, required: [] },
  qemu: { factory: "qemu", table: QEMU, required: ["image_path"] },
  mock_driver: { factory: "mock", table: MOCK, required: [] },
};

/** Port references of docker's `ports`: each label must be a port of the group. */
export type PortLookup = (label: string) => Expr | undefined;

/** The `Driver.…(…)` expression of a task's driver and config. */
export function driverExpr(name: string, config: Obj | undefined, w: ValueWriter, ports: PortLookup, literal: (v: unknown) => Expr): Expr {
  const cfg = config ?? {};
  const f = FACTORIES[name];
  if (!f || f.required.some((k) => typeof cfg[k] !== "string")) {
    return Object.keys(cfg).length ? call("Driver.of", code(str(name)), literal(cfg)) : call("Driver.of", code(str(name)));
  }
  const entries: [string, Expr][] = [];
  const extra: [string, Expr][] = [];
  // Typed props in the factory's order, then the rest sorted: the same program whatever the source's key order.
  const keys = [
    ...Object.keys(f.table).filter((k) => k in cfg),
    ...Object.keys(cfg)
      .filter((k) => !(k in f.table))
      .sort(),
  ];
  for (const k of keys) {
    const v = cfg[k];
    if (name === "docker" && k === "ports") {
      const refs = Array.isArray(v) && v.every((x) => typeof x === "string") ? v.map((x: string) => ports(x)) : undefined;
      if (refs && refs.every((r): r is Expr => r !== undefined)) {
        entries.push(["ports", array(refs)]);
        continue;
      }
    }
    const field = f.table[k];
    const e = field ? field[1](v, w, ["Config", k], []) : undefined;
    if (field && e !== undefined) entries.push([field[0], e]);
    else extra.push([k, literal(v)]);
  }
  if (extra.length) entries.push(["extra", object(extra)]);
  return call(`Driver.${f.factory}`, ...(f.factory === "mock" && !entries.length ? [] : [object(entries)]));
}
