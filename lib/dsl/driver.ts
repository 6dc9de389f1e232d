import type { IConstruct } from "constructs";
import { Duration, DurationInput } from "./duration";
import { jsonCopy, JsonObject, JsonValue } from "./json";
import type { PortRef } from "./port";
import { resolvePortRef } from "./port-ref";
import { checkProps, type PropProblem } from "./props/check";
import { joinProp, PropLocation, RenderContext } from "./render-context";

/** Credentials for pulling a private docker image (the docker driver's `auth` block). */
export interface DockerAuth {
  /** The registry user name. */
  readonly username?: string;
  /** The registry password or token. */
  readonly password?: string;
  /** The registry email (legacy registries). */
  readonly email?: string;
  /** The registry address, e.g. `"https://index.docker.io/v1/"`. */
  readonly serverAddress?: string;
}

/** A mount of the docker driver (`mount` block). */
export interface DockerMount {
  /** `"bind"`, `"volume"` or `"tmpfs"`. @default "volume" */
  readonly type?: "bind" | "volume" | "tmpfs";
  /** The path in the container. */
  readonly target: string;
  /** The host path (bind) or volume name (volume). */
  readonly source?: string;
  /** Mount read-only. @default false */
  readonly readonly?: boolean;
  /** Bind options, e.g. `{ propagation: "rshared" }`. */
  readonly bindOptions?: { readonly propagation?: string };
  /** tmpfs options: size in bytes and octal mode. */
  readonly tmpfsOptions?: { readonly size?: number; readonly mode?: number };
  /** Volume options: `noCopy`, `labels`, and the volume driver's name and options. */
  readonly volumeOptions?: {
    readonly noCopy?: boolean;
    readonly labels?: Readonly<Record<string, string>>;
    readonly driverConfig?: { readonly name?: string; readonly options?: Readonly<Record<string, string>> };
  };
}

/** Configuration of the `docker` task driver. Keys are written camelCase and rendered in the driver's snake_case. */
export interface DockerConfig {
  /** The image, e.g. `"redis:7"` or `"ghcr.io/org/app:1.2.3"`. */
  readonly image: string;
  /** The command run in the container. @default the image's CMD */
  readonly command?: string;
  /** Arguments of the command; Nomad interpolates `${…}` in them. */
  readonly args?: readonly string[];
  /** Overrides the image's ENTRYPOINT. */
  readonly entrypoint?: readonly string[];
  /** Ports of the group's network to publish: `Port` objects (checked at synthesis) or labels. */
  readonly ports?: readonly PortRef[];
  /** Container labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Registry credentials. */
  readonly auth?: DockerAuth;
  /** Go on with a cached image when authentication fails. @default false */
  readonly authSoftFail?: boolean;
  /** Docker network mode, e.g. `"host"` or `"bridge"`. @default "bridge", or the group network's namespace */
  readonly networkMode?: string;
  /** Bind mounts as `"host/path:/container/path"` (needs `volumes` enabled on the client). */
  readonly volumes?: readonly string[];
  /** Mounts (bind, volume, tmpfs). */
  readonly mount?: readonly DockerMount[];
  /** Run privileged (needs `allow_privileged` on the client). @default false */
  readonly privileged?: boolean;
  /** The container's host name. @default the container ID */
  readonly hostname?: string;
  /** DNS servers of the container. */
  readonly dnsServers?: readonly string[];
  /** DNS search domains of the container. */
  readonly dnsSearchDomains?: readonly string[];
  /** resolv.conf options of the container. */
  readonly dnsOptions?: readonly string[];
  /** Extra `/etc/hosts` entries, `"host:ip"`. */
  readonly extraHosts?: readonly string[];
  /** Linux capabilities to add. */
  readonly capAdd?: readonly string[];
  /** Linux capabilities to drop. */
  readonly capDrop?: readonly string[];
  /** Pull the image even when it is cached. @default false */
  readonly forcePull?: boolean;
  /** The working directory in the container. @default the image's WORKDIR */
  readonly workDir?: string;
  /** IPC mode, e.g. `"host"`. */
  readonly ipcMode?: string;
  /** PID mode, e.g. `"host"`. */
  readonly pidMode?: string;
  /** UTS mode, e.g. `"host"`. */
  readonly utsMode?: string;
  /** User namespace mode, e.g. `"host"`. */
  readonly usernsMode?: string;
  /** Size of `/dev/shm` in bytes. */
  readonly shmSize?: number;
  /** Run an init process (tini) as PID 1. @default false */
  readonly init?: boolean;
  /** Allocate a TTY. @default false */
  readonly tty?: boolean;
  /** Keep stdin open. @default false */
  readonly interactive?: boolean;
  /** Mount the root file system read-only. @default false */
  readonly readonlyRootfs?: boolean;
  /** Kernel parameters, e.g. `{ "net.core.somaxconn": "16384" }`. */
  readonly sysctl?: Readonly<Record<string, string>>;
  /** ulimits, e.g. `{ nofile: "65536:65536" }`. */
  readonly ulimit?: Readonly<Record<string, string>>;
  /** The container's logging driver and its options. @default docker's json-file, collected by Nomad */
  readonly logging?: { readonly type?: string; readonly config?: Readonly<Record<string, string>> };
  /** Security options, e.g. `["no-new-privileges"]`. */
  readonly securityOpt?: readonly string[];
  /** How long an image pull may take. @default "5m" */
  readonly imagePullTimeout?: DurationInput;
  /** Enforce the CPU reservation as a hard limit. @default false */
  readonly cpuHardLimit?: boolean;
  /** The CFS period in microseconds, with `cpuHardLimit`. @default 100000 */
  readonly cpuCfsPeriod?: number;
  /** CPUs the container may use, e.g. `"0-2"`. */
  readonly cpusetCpus?: string;
  /** Advertise the container's IPv6 address in services. @default false */
  readonly advertiseIpv6Address?: boolean;
  /** The cgroup namespace mode: `"host"` or `"private"`. @default docker's */
  readonly cgroupns?: string;
  /** How many times to check whether the container exists before creating it. @default 5 */
  readonly containerExistsAttempts?: number;
  /** Host devices exposed to the container. */
  readonly devices?: readonly { readonly hostPath?: string; readonly containerPath?: string; readonly cgroupPermissions?: string }[];
  /** Additional groups of the container's user. */
  readonly groupAdd?: readonly string[];
  /** The image's own health check: `{ disable: true }` turns it off. */
  readonly healthchecks?: { readonly disable?: boolean };
  /** A fixed IPv4 address in a user-defined network. */
  readonly ipv4Address?: string;
  /** A fixed IPv6 address in a user-defined network. */
  readonly ipv6Address?: string;
  /** Windows isolation: `"process"` or `"hyperv"`. */
  readonly isolation?: string;
  /** An image archive (from an artifact) to load instead of pulling. */
  readonly load?: string;
  /** The container's MAC address. */
  readonly macAddress?: string;
  /** Aliases of the container in a user-defined network. */
  readonly networkAliases?: readonly string[];
  /** The OOM score adjustment of the container. */
  readonly oomScoreAdj?: number;
  /** Limit of processes in the container. */
  readonly pidsLimit?: number;
  /** Deprecated (task-level networks): port label to container port, e.g. `{ http: 8080 }`; use the group network's `to` instead. */
  readonly portMap?: Readonly<Record<string, number>>;
  /** The container runtime, e.g. `"runsc"` (needs `allow_runtimes` on the client). */
  readonly runtime?: string;
  /** Storage driver options, e.g. `{ size: "120G" }`. */
  readonly storageOpt?: Readonly<Record<string, string>>;
  /** The volume driver of `volumes`, e.g. `"local"`. */
  readonly volumeDriver?: string;
  /** Any other key of the docker driver, as Nomad spells it (snake_case). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Configuration of the `raw_exec` driver: a process run directly on the host, without isolation. */
export interface RawExecConfig {
  /** The program to run. */
  readonly command: string;
  /** Its arguments. */
  readonly args?: readonly string[];
  /** The working directory. @default the task directory */
  readonly workDir?: string;
  /** The OOM score adjustment of the process. */
  readonly oomScoreAdj?: number;
  /** Run the process in this cgroup (cgroups v2) instead of the task's. */
  readonly cgroupV2Override?: string;
  /** Run the process in these cgroups (cgroups v1), by controller. */
  readonly cgroupV1Override?: Readonly<Record<string, string>>;
  /** Environment variables not passed to the process. */
  readonly deniedEnvvars?: readonly string[];
  /** Any other key of the raw_exec driver, snake_case. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Configuration of the `exec` driver: a process isolated with cgroups and a chroot. */
export interface ExecConfig {
  /** The program to run, inside the task's chroot. */
  readonly command: string;
  /** Its arguments. */
  readonly args?: readonly string[];
  /** PID namespace: `"private"` or `"host"`. @default "private" */
  readonly pidMode?: "private" | "host";
  /** IPC namespace: `"private"` or `"host"`. @default "private" */
  readonly ipcMode?: "private" | "host";
  /** Linux capabilities to add. */
  readonly capAdd?: readonly string[];
  /** Linux capabilities to drop. */
  readonly capDrop?: readonly string[];
  /** The working directory inside the chroot. */
  readonly workDir?: string;
  /** Any other key of the exec driver, snake_case. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Configuration of the `java` driver. */
export interface JavaConfig {
  /** The main class to run (with `classPath`). Set this or `jarPath`. */
  readonly class?: string;
  /** The class path. */
  readonly classPath?: string;
  /** The jar to run, relative to the task directory. */
  readonly jarPath?: string;
  /** JVM options, e.g. `["-Xmx512m"]`. */
  readonly jvmOptions?: readonly string[];
  /** Arguments of the program. */
  readonly args?: readonly string[];
  /** PID namespace: `"private"` or `"host"`. @default "private" */
  readonly pidMode?: "private" | "host";
  /** IPC namespace: `"private"` or `"host"`. @default "private" */
  readonly ipcMode?: "private" | "host";
  /** Linux capabilities to add. */
  readonly capAdd?: readonly string[];
  /** Linux capabilities to drop. */
  readonly capDrop?: readonly string[];
  /** The working directory. */
  readonly workDir?: string;
  /** Any other key of the java driver, snake_case. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Configuration of the `mock_driver`: a task that only pretends to run, for tests and simulations. */
export interface MockDriverConfig {
  /** How long the task "runs" before it exits. @default exits at once */
  readonly runFor?: DurationInput;
  /** The exit code when it exits. @default 0 */
  readonly exitCode?: number;
  /** The signal it reports exiting with. @default 0 */
  readonly exitSignal?: number;
  /** The error message it reports on exit. */
  readonly exitErrMsg?: string;
  /** Fail to start with this error. */
  readonly startError?: string;
  /** Whether the start error is recoverable (the task is restarted). @default false */
  readonly startErrorRecoverable?: boolean;
  /** Block this long in start before starting. */
  readonly startBlockFor?: DurationInput;
  /** Keep running this long after being killed. */
  readonly killAfter?: DurationInput;
  /** Text written to stdout. */
  readonly stdoutString?: string;
  /** How many times to write `stdoutString`. */
  readonly stdoutRepeat?: number;
  /** Pause between the repeated writes. */
  readonly stdoutRepeatDuration?: DurationInput;
  /** Text written to stderr. */
  readonly stderrString?: string;
  /** How many times to write `stderrString`. */
  readonly stderrRepeat?: number;
  /** Pause between the repeated stderr writes. */
  readonly stderrRepeatDuration?: DurationInput;
  /** The error signalling the task returns. */
  readonly signalError?: string;
  /** Any other key of the mock driver, snake_case. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Configuration of the `qemu` driver: a virtual machine. */
export interface QemuConfig {
  /** The VM image, relative to the task directory (usually from an artifact). */
  readonly imagePath: string;
  /** The emulator binary. @default "qemu-system-x86_64" */
  readonly emulator?: string;
  /** The machine type, e.g. `"pc"`. */
  readonly machineType?: string;
  /** The drive interface, e.g. `"virtio"`. @default "ide" */
  readonly driveInterface?: string;
  /** The accelerator, e.g. `"kvm"`. @default "tcg" */
  readonly accelerator?: string;
  /** Shut the VM down through ACPI before killing it. @default false */
  readonly gracefulShutdown?: boolean;
  /** Enable the QEMU guest agent. @default false */
  readonly guestAgent?: boolean;
  /** Extra arguments of the emulator. */
  readonly args?: readonly string[];
  /** Port label to guest port, e.g. `{ ssh: 22 }`. */
  readonly portMap?: Readonly<Record<string, number>>;
  /** Any other key of the qemu driver, snake_case. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const SNAKE = new Map<string, string>();

/** `networkMode` → `network_mode` (memoized: the same few keys recur in every job). */
function snake(key: string): string {
  let out = SNAKE.get(key);
  if (out === undefined) {
    out = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (SNAKE.size < 1_000) SNAKE.set(key, out);
  }
  return out;
}

/** Keys whose value is a map with user keys, which must not be converted. */
const USER_KEYED = new Set(["labels", "sysctl", "ulimit", "config", "options", "extra", "portMap", "storageOpt", "cgroupV1Override"]);

/** Converts a camelCase config to the driver's snake_case keys, recursively, leaving user-keyed maps alone. */
function snakeConfig(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Duration) return value.toString();
  if (Array.isArray(value)) return value.map((v) => snakeConfig(v) ?? null);
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || k === "extra") continue;
      out[snake(k)] = USER_KEYED.has(k) ? (jsonCopy(v) ?? null) : (snakeConfig(v) ?? null);
    }
    return out;
  }
  return jsonCopy(value);
}

type ConfigRenderer = (scope: IConstruct, ctx: RenderContext, at: PropLocation) => JsonObject;

/**
 * A task driver and its configuration. Build one with the factories, which
 * type each driver's options: `Driver.docker({ image: "redis:7" })`,
 * `Driver.rawExec({ command: "/bin/sleep", args: ["60"] })`, or
 * `Driver.of("podman", { image: "…" })` for any other driver.
 */
export class Driver {
  /** The `docker` driver. */
  public static docker(config: DockerConfig): Driver {
    return new Driver("docker", checkProps("DockerConfig", config), (scope, ctx, at) => {
      const { ports, imagePullTimeout, extra, ...rest } = config;
      const out = snakeConfig(rest) as JsonObject;
      if (ports !== undefined)
        out.ports = ports.map(
          (p, i) => resolvePortRef(p, scope, ctx, { constructPath: at.constructPath, prop: joinProp(joinProp(at.prop, "ports"), i) }) ?? "",
        );
      if (imagePullTimeout !== undefined) out.image_pull_timeout = Driver.durationText(imagePullTimeout, ctx, at, "imagePullTimeout");
      return Driver.withExtra(out, extra);
    });
  }

  /** The `raw_exec` driver (disabled on clients unless enabled). */
  public static rawExec(config: RawExecConfig): Driver {
    return new Driver("raw_exec", checkProps("RawExecConfig", config), () =>
      Driver.withExtra(snakeConfig(config) as JsonObject, config.extra),
    );
  }

  /** The `exec` driver. */
  public static exec(config: ExecConfig): Driver {
    return new Driver("exec", checkProps("ExecConfig", config), () => Driver.withExtra(snakeConfig(config) as JsonObject, config.extra));
  }

  /** The `java` driver. */
  public static java(config: JavaConfig): Driver {
    return new Driver("java", checkProps("JavaConfig", config), () => Driver.withExtra(snakeConfig(config) as JsonObject, config.extra));
  }

  /** The `qemu` driver. */
  public static qemu(config: QemuConfig): Driver {
    return new Driver("qemu", checkProps("QemuConfig", config), () => Driver.withExtra(snakeConfig(config) as JsonObject, config.extra));
  }

  /** The `mock_driver`, for tests and simulations. */
  public static mock(config: MockDriverConfig = {}): Driver {
    return new Driver("mock_driver", checkProps("MockDriverConfig", config), (_scope, ctx, at) => {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(config)) {
        if (v === undefined || k === "extra") continue;
        out[snake(k)] =
          typeof v === "string" && /For$|After$|Duration$/.test(k)
            ? Driver.durationText(v as DurationInput, ctx, at, k)
            : v instanceof Duration
              ? v.toString()
              : (jsonCopy(v) ?? null);
      }
      return Driver.withExtra(out, config.extra);
    });
  }

  /**
   * Any other driver, with its configuration in the driver's own (snake_case)
   * keys, copied as given. The config is not typed; for a built-in driver
   * (docker, exec, raw_exec, java, qemu, mock_driver) it is still checked
   * against the driver's schema at synthesis, as `drover validate` checks it.
   */
  public static of(name: string, config: Readonly<Record<string, unknown>> = {}): Driver {
    return new Driver(name, [], () => (jsonCopy(config) as JsonObject) ?? {});
  }

  private static withExtra(out: JsonObject, extra: Readonly<Record<string, unknown>> | undefined): JsonObject {
    if (extra) for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = jsonCopy(v) ?? null;
    return out;
  }

  private static durationText(value: DurationInput, ctx: RenderContext, at: PropLocation, key: string): string {
    const ns = ctx.duration(value, at, key);
    if (typeof value === "string") return value.trim(); // as the user wrote it, once known to be valid
    return ns === undefined ? String(value) : Duration.nanos(ns).toString();
  }

  private constructor(
    /** The driver name, e.g. `"docker"`. */
    public readonly name: string,
    /** @internal Problems of the config's props (unknown keys, wrong types), reported at synthesis under the task's `driver` prop. */
    public readonly problems: readonly PropProblem[],
    private readonly renderer: ConfigRenderer,
  ) {}

  /** Renders the driver's `Config` map; `scope` is the task, for port references. */
  public renderConfig(scope: IConstruct, ctx: RenderContext, at: PropLocation): JsonObject {
    return this.renderer(scope, ctx, at);
  }
}
