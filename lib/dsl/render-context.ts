import { Duration, DurationInput } from "./duration";
import type { SynthesisProblem } from "./problem";
import { userKeysOf } from "../jobspec/model-path";

/** A place in the user's program: a construct path and a camelCase prop within it. */
export interface PropLocation {
  /** The construct path (`node.path`). */
  readonly constructPath: string;
  /** The camelCase prop path within the construct, e.g. `update` or `checks[0]`; empty for the construct itself. */
  readonly prop: string;
}

/** A JSON path as segments: object keys and array indexes, without the `Job` wrapper. */
export type JsonSegments = readonly (string | number)[];

/** Joins a prop path: `join("update", "minHealthyTime")` is `update.minHealthyTime`, `join("checks", 0)` is `checks[0]`. */
export function joinProp(prefix: string, key: string | number): string {
  if (typeof key === "number") return `${prefix}[${key}]`;
  return prefix === "" ? key : `${prefix}.${key}`;
}

/** Nomad JSON keys whose camelCase prop is not simply the key with a lower-case first letter. */
const PROP_NAMES: Readonly<Record<string, string>> = {
  CPU: "cpu",
  ID: "id",
  UI: "ui",
  DNS: "dns",
  CIDR: "cidr",
  IP: "ip",
  CNI: "cni",
  TTL: "ttl",
  URL: "url",
  MBits: "mbits",
  LTarget: "attribute",
  RTarget: "value",
  Operand: "operator",
  PortLabel: "port",
  EmbeddedTmpl: "data",
  DestPath: "destination",
  SourcePath: "source",
  Envvars: "env",
  GetterSource: "source",
  RelativeDest: "destination",
  GetterOptions: "options",
  GetterHeaders: "headers",
  GetterMode: "mode",
  GetterInsecure: "insecure",
  LogConfig: "logs",
  RestartPolicy: "restart",
  ReschedulePolicy: "reschedule",
  Networks: "network",
  ParameterizedJob: "parameterized",
  SpreadTarget: "targets",
  Spec: "cron",
  Specs: "crons",
  TLSServerName: "tlsServerName",
  TLSSkipVerify: "tlsSkipVerify",
  GRPCService: "grpcService",
  GRPCUseTLS: "grpcUseTls",
  TaskGroups: "groups",
  Config: "driver",
  CSIPluginConfig: "csiPlugin",
};

/** The camelCase prop name for one Nomad JSON key. */
function propName(key: string): string {
  return PROP_NAMES[key] ?? key.charAt(0).toLowerCase() + key.slice(1);
}

/** Durations already parsed ("10s" appears in most jobs of an app); bounded so that it cannot grow without limit. */
const PARSED_DURATIONS = new Map<string, number>();

/**
 * State of one job's rendering: the problems found on the way (bad
 * durations, dangling port references) and the source map from JSON paths to
 * the constructs that rendered them, used to report validation problems in
 * the user's terms.
 */
export class RenderContext {
  /** Problems found while rendering. */
  public readonly problems: SynthesisProblem[] = [];
  private readonly sources = new Map<string, string>();

  /**
   * Records that the JSON block at `jsonKey` (its path in the job, dot-joined
   * with list indexes as numbers: `TaskGroups.0.Tasks.1`; "" for the job)
   * was rendered by the construct at `constructPath`.
   */
  public source(jsonKey: string, constructPath: string): void {
    this.sources.set(jsonKey, constructPath);
  }

  /** The key of a child block: `childKey("TaskGroups.0", "Tasks", 1)` is `TaskGroups.0.Tasks.1`. */
  public static childKey(parent: string, ...segments: (string | number)[]): string {
    const tail = segments.join(".");
    return parent === "" ? tail : `${parent}.${tail}`;
  }

  /** Records a problem at a prop of a construct. */
  public problem(at: PropLocation, message: string): void {
    this.problems.push({ constructPath: at.constructPath, prop: at.prop, message });
  }

  /**
   * Converts a duration prop to nanoseconds. A bad value is recorded as a
   * problem at `at.prop.key` and `undefined` is returned, so that rendering
   * goes on and every problem is reported at once.
   */
  public duration(value: DurationInput | undefined, at: PropLocation, key: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === "string") {
      const cached = PARSED_DURATIONS.get(value);
      if (cached !== undefined) return cached;
    }
    try {
      const ns = Duration.from(value).toNanos();
      if (typeof value === "string" && PARSED_DURATIONS.size < 10_000) PARSED_DURATIONS.set(value, ns);
      return ns;
    } catch (err) {
      const prefix = `Duration.parse(${JSON.stringify(value)}): `;
      const message = (err as Error).message;
      const why = message.startsWith(prefix) ? message.slice(prefix.length) : message;
      this.problem(
        { constructPath: at.constructPath, prop: joinProp(at.prop, key) },
        why.startsWith("invalid duration") ? why : `invalid duration ${JSON.stringify(value)}: ${why}`,
      );
      return undefined;
    }
  }

  /**
   * Maps a JSON path (as lib/jobspec reports it, with or without the leading
   * `Job`) to the construct that rendered the closest enclosing block, and
   * the rest of the path to camelCase props.
   */
  public locate(segments: JsonSegments): PropLocation {
    const segs = segments[0] === "Job" ? segments.slice(1) : segments.slice();
    let best = -1;
    let constructPath = this.sources.get("") ?? "";
    for (let i = segs.length; i >= 1; i--) {
      const found = this.sources.get(segs.slice(0, i).join("."));
      if (found !== undefined) {
        best = i;
        constructPath = found;
        break;
      }
    }
    // Keys the user chose (map keys, keys inside a driver's config: lib/jobspec's model says which) stay as written.
    const userKeys = userKeysOf(segs);
    let prop = "";
    for (let i = Math.max(best, 0); i < segs.length; i++) {
      const seg = segs[i];
      if (typeof seg === "number" || /^\d+$/.test(String(seg))) {
        prop = joinProp(prop, Number(seg));
        continue;
      }
      prop = joinProp(prop, userKeys[i] ? seg : propName(seg));
    }
    return { constructPath, prop };
  }
}
