/**
 * How Nomad's job JSON maps to the DSL's props: one table per block, from
 * the PascalCase key to the camelCase prop and the kind of value, and the
 * engine that turns a block into an object literal. What a table does not
 * cover comes back as a leftover, for an `addOverride` that names the field.
 */
import type { Expr } from "./code";
import { array, call, code, json, object, str } from "./code";
export { isObject as isObj } from "../util/object";
import { isObject as isObj } from "../util/object";

/** A value of the source job. */
export type JsonValue = unknown;
type Obj = Record<string, unknown>;

/** A field the tables do not cover: its path below the construct's own block, and its value. */
export interface Leftover {
  /** JSON keys and list indexes below the construct's block. */
  readonly path: readonly (string | number)[];
  /** The source value. */
  readonly value: unknown;
}

/** Renders strings (variables, port interpolations) for one place of the program. */
export interface ValueWriter {
  /** A string value as an expression: a literal, a variable, or a template literal. */
  string(s: string): Expr;
  /** A string used as a placement target: `Attr.kernelName` where the string is one of the helpers'. */
  target(s: string): Expr;
  /** A helper expression (`Constraint.distinctHosts`), importing the class it starts with. */
  use(expr: string): Expr;
  /** The variable that sets the number or bool at `path` (below the construct's block), if an HCL variable does. */
  scalar(path: readonly (string | number)[]): Expr | undefined;
}

/** Converts one value, or returns undefined when it does not fit the prop (then it is a leftover). */
export type Converter = (value: unknown, w: ValueWriter, path: readonly (string | number)[], leftovers: Leftover[]) => Expr | undefined;

/** What a JSON key becomes: the prop name and how its value is converted. */
export type Field = readonly [prop: string, convert: Converter];

/** The table of one block. `required` keys must be present for the block to be written with props. */
export interface BlockSpec {
  readonly fields: Readonly<Record<string, Field>>;
  readonly required?: readonly string[];
}

const NS_UNITS: readonly [string, number][] = [
  ["h", 3_600_000_000_000],
  ["m", 60_000_000_000],
  ["s", 1_000_000_000],
  ["ms", 1_000_000],
  ["us", 1_000],
  ["ns", 1],
];

/** Nanoseconds as the shortest Go duration with units: 90e9 → "1m30s", 0 → "0s". */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  let rest = ns;
  let out = "";
  for (const [unit, per] of NS_UNITS) {
    const n = Math.floor(rest / per);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * per;
    }
  }
  return out;
}

/** A string. */
export const text: Converter = (v, w) => (typeof v === "string" ? w.string(v) : undefined);
/** A finite number. */
export const num: Converter = (v, w, path) =>
  typeof v === "number" && Number.isFinite(v) ? (w.scalar(path) ?? code(String(v))) : undefined;
/** An integer that is not negative (counts, sizes). */
export const count: Converter = (v, w, path) =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? (w.scalar(path) ?? code(String(v))) : undefined;
/** A boolean. */
export const bool: Converter = (v, w, path) => (typeof v === "boolean" ? (w.scalar(path) ?? code(String(v))) : undefined);
/**
 * Integer nanoseconds as a duration string with units; when the string has
 * more than the three parts the DSL's `DurationString` type admits
 * (`"1h1m1s1ms"`), as `Duration.parse("…")`, which the type checker takes.
 */
export const duration: Converter = (v, w) => {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) return undefined;
  const text = formatDuration(v);
  if ((text.match(/\d+[a-zµ]+/g) ?? []).length <= 3) return code(str(text));
  w.use("Duration.parse");
  return call("Duration.parse", code(str(text)));
};

/** A list of strings. */
export const strings: Converter = (v, w) =>
  Array.isArray(v) && v.every((x) => typeof x === "string") ? array(v.map((x: string) => w.string(x))) : undefined;
/** A map of strings (meta, env, labels), keys sorted as synthesized JSON has them. */
export const stringMap: Converter = (v, w) =>
  isObj(v) && Object.values(v).every((x) => typeof x === "string")
    ? object(
        Object.keys(v)
          .sort()
          .map((k) => [k, w.string(v[k] as string)] as const),
      )
    : undefined;
/** Any JSON, copied (opaque maps: scaling policy, proxy config), keys sorted. */
export const anyJson: Converter = (v) => (isObj(v) ? json(v) : undefined);

/** One of the listed strings (the DSL types these as a union, so nothing else type-checks). */
export function oneOf(...values: string[]): Converter {
  return (v) => (typeof v === "string" && values.includes(v) ? code(str(v)) : undefined);
}

/** A nested block. */
export function nested(spec: BlockSpec): Converter {
  return (v, w, path, leftovers) => (isObj(v) ? writeBlock(v, spec, w, path, leftovers) : undefined);
}

/** A list of blocks; when one item cannot be written with props, the whole list is a leftover. */
export function listOf(spec: BlockSpec | Converter): Converter {
  return (v, w, path, leftovers) => {
    if (!Array.isArray(v)) return undefined;
    const mine: Leftover[] = [];
    const items: Expr[] = [];
    for (let i = 0; i < v.length; i++) {
      const item =
        typeof spec === "function"
          ? spec(v[i], w, [...path, i], mine)
          : isObj(v[i])
            ? writeBlock(v[i] as Obj, spec, w, [...path, i], mine)
            : undefined;
      if (item === undefined) return undefined;
      items.push(item);
    }
    leftovers.push(...mine);
    return array(items);
  };
}

/**
 * Writes a block as an object literal of props. Keys the table does not
 * cover, or values that do not fit their prop, are added to `leftovers`.
 * Returns undefined (the whole block is then the caller's leftover) when a
 * required key is missing.
 */
export function writeBlock(
  o: Obj,
  spec: BlockSpec,
  w: ValueWriter,
  path: readonly (string | number)[],
  leftovers: Leftover[],
): Expr | undefined {
  for (const r of spec.required ?? []) if (o[r] === undefined) return undefined;
  const entries: [string, Expr][] = [];
  const mine: Leftover[] = [];
  // Props in the table's order (Nomad's field order), whatever the source's key order; the rest after them.
  const keys = [...Object.keys(spec.fields).filter((k) => k in o), ...Object.keys(o).filter((k) => !(k in spec.fields))];
  for (const key of keys) {
    const value = o[key];
    if (value === undefined) continue;
    const field = spec.fields[key];
    const expr = field ? field[1](value, w, [...path, key], mine) : undefined;
    if (expr === undefined || !field) mine.push({ path: [...path, key], value });
    else entries.push([field[0], expr]);
  }
  leftovers.push(...mine);
  return object(entries);
}

/** Reads a prop table from `{ JsonKey: [prop, converter] }`. */
export function spec(fields: Record<string, Field>, required?: string[]): BlockSpec {
  return { fields, required };
}

// ---- the tables, one per block of Nomad's job model ----

/** `api.UpdateStrategy` → `UpdateProps`. */
export const UPDATE = spec({
  Stagger: ["stagger", duration],
  MaxParallel: ["maxParallel", count],
  HealthCheck: ["healthCheck", oneOf("checks", "task_states", "manual")],
  MinHealthyTime: ["minHealthyTime", duration],
  HealthyDeadline: ["healthyDeadline", duration],
  ProgressDeadline: ["progressDeadline", duration],
  Canary: ["canary", count],
  AutoRevert: ["autoRevert", bool],
  AutoPromote: ["autoPromote", bool],
});

/** `api.ReschedulePolicy` → `RescheduleProps`. */
export const RESCHEDULE = spec({
  Attempts: ["attempts", count],
  Interval: ["interval", duration],
  Delay: ["delay", duration],
  DelayFunction: ["delayFunction", oneOf("constant", "exponential", "fibonacci")],
  MaxDelay: ["maxDelay", duration],
  Unlimited: ["unlimited", bool],
});

/** `api.MigrateStrategy` → `MigrateProps`. */
export const MIGRATE = spec({
  MaxParallel: ["maxParallel", count],
  HealthCheck: ["healthCheck", oneOf("checks", "task_states")],
  MinHealthyTime: ["minHealthyTime", duration],
  HealthyDeadline: ["healthyDeadline", duration],
});

/** `api.RestartPolicy` → `RestartProps`. */
export const RESTART = spec({
  Interval: ["interval", duration],
  Attempts: ["attempts", count],
  Delay: ["delay", duration],
  Mode: ["mode", oneOf("delay", "fail")],
  RenderTemplates: ["renderTemplates", bool],
});

/** `api.PeriodicConfig` → `PeriodicProps` (`SpecType` "cron" is what the DSL writes with a cron). */
export const PERIODIC = spec({
  Enabled: ["enabled", bool],
  Spec: ["cron", text],
  Specs: ["crons", strings],
  ProhibitOverlap: ["prohibitOverlap", bool],
  TimeZone: ["timeZone", text],
});

/** `api.ParameterizedJobConfig` → `ParameterizedProps`. */
export const PARAMETERIZED = spec({
  Payload: ["payload", oneOf("optional", "required", "forbidden")],
  MetaRequired: ["metaRequired", strings],
  MetaOptional: ["metaOptional", strings],
});

/** `api.JobUIConfig` → `UiProps`. */
export const UI = spec({
  Description: ["description", text],
  Links: ["links", listOf(spec({ Label: ["label", text], URL: ["url", text] }, ["Label", "URL"]))],
});

/** `api.DisconnectStrategy` → `DisconnectProps`. */
export const DISCONNECT = spec({
  LostAfter: ["lostAfter", duration],
  StopOnClientAfter: ["stopOnClientAfter", duration],
  Replace: ["replace", bool],
  Reconcile: ["reconcile", oneOf("best_score", "keep_original", "keep_replacement", "longest_running")],
});

/** `api.EphemeralDisk` → `EphemeralDiskProps`. */
export const EPHEMERAL_DISK = spec({ Sticky: ["sticky", bool], Migrate: ["migrate", bool], SizeMB: ["sizeMB", count] });

/** `api.Consul` → `ConsulProps`. */
export const CONSUL = spec({ Namespace: ["namespace", text], Cluster: ["cluster", text], Partition: ["partition", text] });

/** `api.ScalingPolicy` (group) → `ScalingProps`. */
export const SCALING = spec({ Min: ["min", count], Max: ["max", count], Policy: ["policy", anyJson], Enabled: ["enabled", bool] }, ["Max"]);

/** `api.TaskLifecycle` → `LifecycleProps`. */
export const LIFECYCLE = spec({ Hook: ["hook", oneOf("prestart", "poststart", "poststop")], Sidecar: ["sidecar", bool] }, ["Hook"]);

/** `api.LogConfig` → `LogsProps`. */
export const LOGS = spec({ MaxFiles: ["maxFiles", count], MaxFileSizeMB: ["maxFileSizeMB", count], Disabled: ["disabled", bool] });

/** `api.TaskArtifact` → `ArtifactProps`. */
export const ARTIFACT = spec(
  {
    GetterSource: ["source", text],
    GetterOptions: ["options", stringMap],
    GetterHeaders: ["headers", stringMap],
    GetterMode: ["mode", oneOf("any", "file", "dir")],
    GetterInsecure: ["insecure", bool],
    RelativeDest: ["destination", text],
    Chown: ["chown", bool],
  },
  ["GetterSource"],
);

/** `api.Vault` → `VaultProps`. */
export const VAULT = spec({
  Role: ["role", text],
  Namespace: ["namespace", text],
  Cluster: ["cluster", text],
  Env: ["env", bool],
  DisableFile: ["disableFile", bool],
  ChangeMode: ["changeMode", oneOf("restart", "signal", "noop")],
  ChangeSignal: ["changeSignal", text],
  AllowTokenExpiration: ["allowTokenExpiration", bool],
});

/** `api.Template` → `TemplateProps`. */
export const TEMPLATE = spec(
  {
    SourcePath: ["source", text],
    DestPath: ["destination", text],
    EmbeddedTmpl: ["data", text],
    ChangeMode: ["changeMode", oneOf("restart", "signal", "noop", "script")],
    ChangeSignal: ["changeSignal", text],
    ChangeScript: [
      "changeScript",
      nested(
        spec({ Command: ["command", text], Args: ["args", strings], Timeout: ["timeout", duration], FailOnError: ["failOnError", bool] }, [
          "Command",
        ]),
      ),
    ],
    Splay: ["splay", duration],
    Perms: ["perms", text],
    Uid: ["uid", num],
    Gid: ["gid", num],
    LeftDelim: ["leftDelimiter", text],
    RightDelim: ["rightDelimiter", text],
    Envvars: ["env", bool],
    Once: ["once", bool],
    ErrMissingKey: ["errMissingKey", bool],
    Wait: ["wait", nested(spec({ Min: ["min", duration], Max: ["max", duration] }))],
  },
  ["DestPath"],
);

/** `api.VolumeMount` → `VolumeMountProps` (the volume by name). */
export const VOLUME_MOUNT = spec(
  {
    Volume: ["volume", text],
    Destination: ["destination", text],
    ReadOnly: ["readOnly", bool],
    PropagationMode: ["propagationMode", oneOf("private", "host-to-task", "bidirectional")],
    SELinuxLabel: ["selinuxLabel", text],
  },
  ["Volume", "Destination"],
);

/** `api.TaskCSIPluginConfig` → `CsiPluginProps`. */
export const CSI_PLUGIN = spec(
  {
    ID: ["id", text],
    Type: ["type", oneOf("node", "controller", "monolith")],
    MountDir: ["mountDir", text],
    StagePublishBaseDir: ["stagePublishBaseDir", text],
    HealthTimeout: ["healthTimeout", duration],
  },
  ["ID", "Type"],
);

/** `api.WorkloadIdentity` → `IdentityProps`. */
export const IDENTITY = spec({
  Name: ["name", text],
  Audience: ["audience", strings],
  ChangeMode: ["changeMode", oneOf("restart", "signal", "noop")],
  ChangeSignal: ["changeSignal", text],
  Env: ["env", bool],
  File: ["file", bool],
  Filepath: ["filepath", text],
  TTL: ["ttl", duration],
});

/** `api.Secret` → `SecretProps`. */
export const SECRET = spec(
  { Name: ["name", text], Provider: ["provider", text], Path: ["path", text], Config: ["config", anyJson], Env: ["env", stringMap] },
  ["Name", "Provider", "Path"],
);

/** `api.Action` → `ActionProps`. */
export const ACTION = spec({ Name: ["name", text], Command: ["command", text], Args: ["args", strings] }, ["Name", "Command"]);

/** `api.CheckRestart` → `CheckRestartProps`. */
export const CHECK_RESTART = spec({ Limit: ["limit", count], Grace: ["grace", duration], IgnoreWarnings: ["ignoreWarnings", bool] });

/** `api.MultiregionRegion` → `MultiregionRegionProps`. */
export const MULTIREGION_REGION = spec(
  {
    Name: ["name", text],
    Count: ["count", count],
    Datacenters: ["datacenters", strings],
    NodePool: ["nodePool", text],
    Meta: ["meta", stringMap],
  },
  ["Name"],
);

/** `api.VolumeRequest` → `VolumeProps` (the name is the map key). */
export const VOLUME = spec(
  {
    Type: ["type", oneOf("host", "csi")],
    Source: ["source", text],
    ReadOnly: ["readOnly", bool],
    Sticky: ["sticky", bool],
    AccessMode: ["accessMode", text],
    AttachmentMode: ["attachmentMode", text],
    MountOptions: ["mountOptions", nested(spec({ FSType: ["fsType", text], MountFlags: ["mountFlags", strings] }))],
    PerAlloc: ["perAlloc", bool],
  },
  ["Type"],
);
