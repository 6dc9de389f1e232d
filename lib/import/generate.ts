/**
 * The code generator: a job in Nomad's API JSON (minimized: only what
 * differs from Nomad's defaults) → a drover program that uses the DSL as a
 * person would write it. Constructs for groups, tasks and services, camelCase
 * props, durations with units, ports as objects, typed drivers and placement
 * helpers; `addOverride` (with a comment naming Nomad's field) only for what
 * no typed prop covers.
 */
import type { Expr } from "./code";
import { array, call, camelCase, code, NameScope, object, print, str } from "./code";
import { driverExpr } from "./drivers";
import type { BlockSpec, Converter, Leftover, ValueWriter } from "./spec";
import * as S from "./spec";
import { isObj } from "./spec";
import type { ImportVariable } from "./variables";
import { markerPattern } from "./variables";

type Obj = Record<string, unknown>;

/** How HCL variables appear in the program. */
export type VariablesStyle = "env" | "params";

/** One job to write, with the variables its strings refer to (through markers). */
export interface JobToWrite {
  /** The job, bare (not `{"Job": …}`), minimized. */
  readonly job: Obj;
  /** HCL variables whose markers appear in the job's strings. */
  readonly variables: readonly ImportVariable[];
  /** Where it came from, for the header comment (a file name or `job ID`). */
  readonly origin: string;
}

/** Options of {@link generateProgram}. */
export interface GenerateOptions {
  /** `env`: each variable is a constant read from `NOMAD_VAR_<name>` with its default; `params`: a function parameter. @default "env" */
  readonly variables?: VariablesStyle;
  /** The module the program imports the DSL from. @default "drover" */
  readonly module?: string;
}

const ATTR_HELPERS: Readonly<Record<string, string>> = {
  "${attr.kernel.name}": "Attr.kernelName",
  "${attr.kernel.version}": "Attr.kernelVersion",
  "${attr.os.name}": "Attr.os",
  "${attr.os.version}": "Attr.osVersion",
  "${attr.cpu.arch}": "Attr.arch",
  "${attr.cpu.numcores}": "Attr.cpuCores",
  "${attr.unique.hostname}": "Attr.hostname",
  "${attr.unique.network.ip-address}": "Attr.ipAddress",
  "${attr.nomad.version}": "Attr.nomadVersion",
  "${node.datacenter}": "Node.datacenter",
  "${node.class}": "Node.class",
  "${node.pool}": "Node.pool",
  "${node.unique.name}": "Node.uniqueName",
  "${node.unique.id}": "Node.uniqueId",
};

const INTERP_HELPERS: Readonly<Record<string, string>> = {
  "${NOMAD_ALLOC_INDEX}": "Interp.allocIndex",
  "${NOMAD_ALLOC_ID}": "Interp.allocId",
  "${NOMAD_ALLOC_NAME}": "Interp.allocName",
  "${NOMAD_ALLOC_DIR}": "Interp.allocDir",
  "${NOMAD_TASK_DIR}": "Interp.taskDir",
  "${NOMAD_SECRETS_DIR}": "Interp.secretsDir",
  "${NOMAD_JOB_ID}": "Interp.jobId",
  "${NOMAD_JOB_NAME}": "Interp.jobName",
  "${NOMAD_JOB_PARENT_ID}": "Interp.parentJobId",
  "${NOMAD_GROUP_NAME}": "Interp.groupName",
  "${NOMAD_TASK_NAME}": "Interp.taskName",
  "${NOMAD_NAMESPACE}": "Interp.namespace",
  "${NOMAD_REGION}": "Interp.region",
  "${NOMAD_DC}": "Interp.datacenter",
  "${NOMAD_CPU_LIMIT}": "Interp.cpuLimit",
  "${NOMAD_MEMORY_LIMIT}": "Interp.memoryLimit",
};

const PORT_INTERP = /\$\{NOMAD_(ADDR|PORT|HOST_PORT|IP|ALLOC_PORT)_([A-Za-z0-9_]+)\}/g;
const PORT_PROPS: Readonly<Record<string, string>> = {
  ADDR: "envAddr",
  PORT: "envPort",
  HOST_PORT: "envHostPort",
  IP: "envIp",
  ALLOC_PORT: "envAllocPort",
};
const CONSTRAINT_OPERATORS = new Set([
  "=",
  "!=",
  ">",
  ">=",
  "<",
  "<=",
  "regexp",
  "version",
  "semver",
  "set_contains",
  "set_contains_all",
  "set_contains_any",
  "distinct_hosts",
  "distinct_property",
  "is_set",
  "is_not_set",
]);

/** Escapes text for a template literal. */
function templateText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/** Splits `s` at the given matches into a literal or a template literal with the expressions in between. */
function interpolate(s: string, pattern: RegExp, replace: (m: RegExpExecArray) => string | undefined): Expr | undefined {
  const parts: (string | { expr: string })[] = [];
  let last = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(s); m; m = pattern.exec(s)) {
    const r = replace(m);
    if (r === undefined) continue;
    parts.push(s.slice(last, m.index), { expr: r });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return undefined;
  parts.push(s.slice(last));
  const nonEmpty = parts.filter((p) => p !== "");
  if (nonEmpty.length === 1 && typeof nonEmpty[0] !== "string") return code(nonEmpty[0].expr);
  return code("`" + parts.map((p) => (typeof p === "string" ? templateText(p) : "${" + p.expr + "}")).join("") + "`");
}

/** Writes one program: imports, variables, the app, its jobs, `app.synth()`. */
class ProgramWriter {
  readonly names = new NameScope();
  readonly imports = new Set<string>(["App"]);
  readonly lines: string[] = [];
  private indent = "";
  /** The number and bool variables of the job being written: JSON path → marker. */
  scalarPaths = new Map<string, string>();
  /** Variable identifiers by marker. */
  private readonly varIdents = new Map<string, string>();
  private readonly marker = markerPattern();

  constructor(private readonly options: GenerateOptions) {
    this.names.reserve("App", "Attr", "Constraint", "Driver", "Interp", "Job", "Meta", "Node", "required");
  }

  /**
   * The expression of a string: variables become identifiers, `${NOMAD_PORT_x}`
   * a port's property when `ports` is given, and a string that is exactly one
   * of Nomad's runtime interpolations the `Interp` helper for it.
   */
  string(s: string, ports?: ReadonlyMap<string, PortInfo>): Expr {
    const interp = INTERP_HELPERS[s] ?? (/^\$\{NOMAD_META_([A-Za-z0-9_]+)\}$/.exec(s) ? `Interp.meta(${str(s.slice(13, -1))})` : undefined);
    if (interp) return this.use(interp);
    const withVars = this.varIdents.size ? this.replaceMarkers(s) : undefined;
    if (ports && ports.size) {
      const text = withVars ? undefined : s;
      if (text !== undefined) {
        const e = interpolate(text, PORT_INTERP, (m) => {
          const p = ports.get(m[2]);
          if (!p) return undefined;
          p.used = true;
          return `${p.ident}.${PORT_PROPS[m[1]]}`;
        });
        if (e) return e;
      }
    }
    return withVars ?? code(str(s));
  }

  private replaceMarkers(s: string): Expr | undefined {
    return interpolate(s, this.marker, (m) => this.varIdents.get(m[0]));
  }

  writer(ports?: ReadonlyMap<string, PortInfo>, base: readonly (string | number)[] = []): ValueWriter {
    return {
      use: (e) => this.use(e),
      scalar: (path) => {
        if (this.scalarPaths.size === 0) return undefined;
        const marker = this.scalarPaths.get([...base, ...path].map((x) => String(x).replace(/\./g, "\\.")).join("."));
        const ident = marker === undefined ? undefined : this.varIdents.get(marker);
        return ident === undefined ? undefined : code(ident);
      },
      string: (s) => this.string(s, ports),
      target: (s) => {
        const helper = ATTR_HELPERS[s];
        if (helper) return this.use(helper);
        let m = /^\$\{attr\.driver\.([A-Za-z0-9_-]+)\}$/.exec(s);
        if (m) return this.use(`Attr.driver(${str(m[1])})`);
        m = /^\$\{attr\.([A-Za-z0-9_.-]+)\}$/.exec(s);
        if (m) return this.use(`Attr.of(${str(m[1])})`);
        m = /^\$\{meta\.([A-Za-z0-9_.-]+)\}$/.exec(s);
        if (m) return this.use(`Meta.of(${str(m[1])})`);
        return this.string(s);
      },
    };
  }

  /** A JSON value as a literal, its strings through the variables. */
  literal(v: unknown): Expr {
    if (typeof v === "string") return this.string(v);
    if (Array.isArray(v)) return array(v.map((x) => this.literal(x)));
    if (isObj(v))
      return object(
        Object.keys(v)
          .sort()
          .map((k) => [k, this.literal(v[k])] as const),
      );
    return code(v === undefined ? "null" : JSON.stringify(v));
  }

  /** Marks the import of the class a helper expression starts with, and returns it. */
  use(expr: string): Expr {
    this.imports.add(expr.split(/[.(]/)[0]);
    return code(expr);
  }

  line(text = ""): void {
    this.lines.push(text === "" ? "" : this.indent + text);
  }

  statement(prefix: string, e: Expr, suffix = ";"): void {
    this.line(prefix + print(e, this.indent.length, this.indent.length + prefix.length) + suffix);
  }

  comment(text: string): void {
    this.line(`// ${commentText(text)}`);
  }

  override(target: string, owner: string, l: Leftover): void {
    const path = l.path.map((p) => String(p).replace(/\./g, "\\.")).join(".");
    const field = l.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
    if (path === "Name") this.comment(`Nomad's ${owner}.Name holds "/" or a line break, which a construct id cannot.`);
    else this.comment(`Nomad's ${owner}${field} has no typed prop.`);
    this.statement(`${target}.addOverride(${str(path)}, `, this.literal(l.value), ");");
  }

  // ---- variables ----

  declareVariables(vars: readonly ImportVariable[], style: VariablesStyle): string[] {
    const out: string[] = [];
    for (const v of vars) {
      if (this.varIdents.has(v.marker)) continue;
      const ident = this.names.fresh(v.name, "Var");
      this.varIdents.set(v.marker, ident);
      out.push(ident);
      if (style === "env") {
        const doc = [
          `HCL variable "${v.name}"${v.description ? `: ${v.description}` : ""}.`,
          `Set \`NOMAD_VAR_${v.name}\` to change it${v.default !== undefined ? ` (default ${JSON.stringify(v.default)})` : ""}.`,
        ];
        this.line(`/** ${commentText(doc.join(" "))} */`);
        const env = `process.env${isEnvIdent(v.name) ? `.NOMAD_VAR_${v.name}` : `[${str(`NOMAD_VAR_${v.name}`)}]`}`;
        this.line(`const ${ident} = ${envValue(v, env)};`);
      }
    }
    return out;
  }

  identOf(marker: string): string | undefined {
    return this.varIdents.get(marker);
  }

  withIndent(f: () => void): void {
    const saved = this.indent;
    this.indent += "  ";
    f();
    this.indent = saved;
  }
}

/**
 * Text that is safe inside a comment: no line breaks (a `//` comment ends
 * there) and no `*\/` (a block comment ends there), whatever the job's names
 * and descriptions hold.
 */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\*\//g, "*\u200b/");
}

/** A construct id for a Nomad name: constructs reserve "/" and line breaks (their path separators). */
function constructId(name: string): string {
  return name.replace(/[/\n]/g, "-");
}

/** Reads a variable from an environment variable's text, converted to its type, with its default. */
function envValue(v: ImportVariable, env: string): string {
  const text = `${env} ?? ${v.default !== undefined ? str(String(v.default)) : `required(${str(v.name)})`}`;
  if (v.type === "number") return `Number(${text})`;
  if (v.type === "bool") return `(${text}) === "true"`;
  return v.default !== undefined ? `${env} ?? ${str(v.default as string)}` : text;
}

/** The TypeScript type of a variable. */
function tsType(v: ImportVariable): string {
  return v.type === "bool" ? "boolean" : v.type;
}

/** A variable's default as a TypeScript literal. */
function defaultLiteral(v: ImportVariable): string {
  return typeof v.default === "string" ? str(v.default) : String(v.default);
}

function isEnvIdent(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** A port of a group's network, as the program declares it. */
interface PortInfo {
  readonly label: string;
  readonly ident: string;
  used: boolean;
}

// ---- placement ----

const constraint: Converter = (v, w) => {
  if (!isObj(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.some((k) => !["LTarget", "RTarget", "Operand"].includes(k))) return undefined;
  const l = v.LTarget ?? "";
  const r = v.RTarget ?? "";
  const op = v.Operand ?? "=";
  if (typeof l !== "string" || typeof r !== "string" || typeof op !== "string" || !CONSTRAINT_OPERATORS.has(op)) return undefined;
  if (op === "distinct_hosts" && l === "" && r === "true") return callHelper(w, "Constraint.distinctHosts");
  if (l !== "") {
    if (op === "distinct_property" && (r === "" || /^[1-9][0-9]*$/.test(r)))
      return callHelper(w, "Constraint.distinctProperty", w.target(l), ...(r ? [code(r)] : []));
    if (op === "is_set" && r === "") return callHelper(w, "Constraint.isSet", w.target(l));
    if (op === "is_not_set" && r === "") return callHelper(w, "Constraint.isNotSet", w.target(l));
    const factory = { semver: "semver", version: "version", regexp: "regexp" }[op];
    if (factory && r !== "") return callHelper(w, `Constraint.${factory}`, w.target(l), w.string(r));
  }
  return object([
    ["attribute", l === "" ? undefined : w.target(l)],
    ["operator", op === "=" ? undefined : code(str(op))],
    ["value", r === "" ? undefined : w.string(r)],
  ]);
};

/** A call of a `Constraint` factory, importing `Constraint`. */
function callHelper(w: ValueWriter, callee: string, ...args: Expr[]): Expr {
  w.use(callee);
  return call(callee, ...args);
}

const affinity: Converter = (v, w) => {
  if (!isObj(v) || Object.keys(v).some((k) => !["LTarget", "RTarget", "Operand", "Weight"].includes(k))) return undefined;
  const { LTarget: l, RTarget: r, Operand: op = "=", Weight: weight } = v;
  if (typeof l !== "string" || typeof r !== "string" || typeof op !== "string" || !CONSTRAINT_OPERATORS.has(op)) return undefined;
  if (weight !== undefined && typeof weight !== "number") return undefined;
  return object([
    ["attribute", w.target(l)],
    ["operator", op === "=" ? undefined : code(str(op))],
    ["value", w.string(r)],
    ["weight", weight === undefined ? undefined : code(String(weight))],
  ]);
};

const SPREAD: BlockSpec = S.spec(
  {
    Attribute: ["attribute", (v, w) => (typeof v === "string" ? w.target(v) : undefined)],
    Weight: ["weight", S.num],
    SpreadTarget: ["targets", S.listOf(S.spec({ Value: ["value", S.text], Percent: ["percent", S.num] }, ["Value", "Percent"]))],
  },
  ["Attribute"],
);

const PLACEMENT = {
  Constraints: ["constraints", S.listOf(constraint)],
  Affinities: ["affinities", S.listOf(affinity)],
} as const;

const RESOURCES = S.spec({
  CPU: ["cpu", S.count],
  Cores: ["cores", S.count],
  MemoryMB: ["memoryMB", S.count],
  MemoryMaxMB: ["memoryMaxMB", S.count],
  SecretsMB: ["secretsMB", S.count],
  Devices: ["devices", S.listOf(S.spec({ Name: ["name", S.text], Count: ["count", S.count], ...PLACEMENT }, ["Name"]))],
  NUMA: [
    "numa",
    S.nested(S.spec({ Affinity: ["affinity", S.oneOf("none", "prefer", "require")], Devices: ["devices", S.strings] }, ["Affinity"])),
  ],
});

// ---- the job ----

/** Writes the statements of one job into `p`; returns the job's identifier. */
function writeJob(p: ProgramWriter, j: JobToWrite, scope: string, keepJobVar = false): string {
  const job = j.job;
  p.scalarPaths = new Map(j.variables.flatMap((v) => (v.paths ?? []).map((path) => [path, v.marker] as const)));
  const id = String(job.ID ?? "job");
  const jobVar = p.names.fresh(id, "Job");
  const w = p.writer();
  const leftovers: Leftover[] = [];
  const fields: Record<string, S.Field> = {
    Region: ["region", S.text],
    Namespace: ["namespace", S.text],
    Name: ["name", S.text],
    Type: ["type", S.oneOf("service", "batch", "system", "sysbatch")],
    Priority: ["priority", S.num],
    AllAtOnce: ["allAtOnce", S.bool],
    Datacenters: ["datacenters", S.strings],
    NodePool: ["nodePool", S.text],
    ...PLACEMENT,
    Spreads: ["spreads", S.listOf(SPREAD)],
    Update: ["update", S.nested(S.UPDATE)],
    Multiregion: ["multiregion", multiregion],
    Periodic: ["periodic", periodic],
    ParameterizedJob: ["parameterized", S.nested(S.PARAMETERIZED)],
    Reschedule: ["reschedule", S.nested(S.RESCHEDULE)],
    Migrate: ["migrate", S.nested(S.MIGRATE)],
    Meta: ["meta", S.stringMap],
    UI: ["ui", S.nested(S.UI)],
    ConsulNamespace: ["consulNamespace", S.text],
    VaultNamespace: ["vaultNamespace", S.text],
  };
  const { ID: _id, TaskGroups: groups, ...rest } = job;
  const safeId = constructId(id);
  const withId = safeId === id ? rest : { ID: id, ...rest };
  const props = S.writeBlock(withId, S.spec({ ...fields, ID: ["id", S.text] }), w, [], leftovers);
  const hasProps = props && props.kind === "object" && props.entries.length > 0;
  p.imports.add("Job");
  const start = p.lines.length;
  for (const l of leftovers) p.override(jobVar, "Job", l);
  if (Array.isArray(groups)) {
    groups.forEach((g, i) => {
      if (isObj(g)) writeGroup(p, jobVar, g, i);
      else p.override(jobVar, "Job", { path: ["TaskGroups", i], value: g });
    });
  } else if (groups !== undefined) p.override(jobVar, "Job", { path: ["TaskGroups"], value: groups });
  const rest_ = p.lines.splice(start);
  const bind = rest_.length > 0 || keepJobVar;
  p.statement(
    `${bind ? `const ${jobVar} = ` : ""}new Job(${scope}, ${str(safeId)}${hasProps ? ", " : ""}`,
    hasProps ? props! : code(""),
    ");",
  );
  p.lines.push(...rest_);
  return jobVar;
}

const multiregion: Converter = (v, w, path, leftovers) => {
  if (!isObj(v) || !Array.isArray(v.Regions)) return undefined;
  const strategy = v.Strategy ?? {};
  if (
    !isObj(strategy) ||
    Object.keys(v).some((k) => k !== "Strategy" && k !== "Regions") ||
    Object.keys(strategy).some((k) => k !== "MaxParallel" && k !== "OnFailure")
  )
    return undefined;
  const regions = S.listOf(S.MULTIREGION_REGION)(v.Regions, w, [...path, "Regions"], leftovers);
  if (!regions) return undefined;
  const maxParallel = strategy.MaxParallel === undefined ? undefined : S.count(strategy.MaxParallel, w, [], leftovers);
  const onFailure = strategy.OnFailure === undefined ? undefined : S.oneOf("fail_all", "fail_local")(strategy.OnFailure, w, [], leftovers);
  if ((strategy.MaxParallel !== undefined && !maxParallel) || (strategy.OnFailure !== undefined && !onFailure)) return undefined;
  return object([
    ["maxParallel", maxParallel],
    ["onFailure", onFailure],
    ["regions", regions],
  ]);
};

const periodic: Converter = (v, w, path, leftovers) => {
  if (!isObj(v)) return undefined;
  const { SpecType, ...rest } = v;
  // The DSL writes SpecType "cron" with a cron expression, as HCL's periodic block does.
  if (SpecType !== undefined && !(SpecType === "cron" && (rest.Spec !== undefined || rest.Specs !== undefined))) return undefined;
  return S.writeBlock(rest, S.PERIODIC, w, path, leftovers);
};

// ---- groups ----

function writeGroup(p: ProgramWriter, jobVar: string, g: Obj, index: number): void {
  const base = ["TaskGroups", index];
  const name = String(g.Name ?? "group");
  const groupVar = p.names.fresh(name, "Group");
  const w = p.writer(undefined, base);
  const leftovers: Leftover[] = [];
  const { Name: _name, Tasks: tasks, Services: services, Networks: networks, Volumes: volumes, ...rest } = g;
  // A name a construct id cannot hold is set on the rendered block.
  if (constructId(name) !== name) leftovers.push({ path: ["Name"], value: name });

  // The network: its mode and settings are props, its ports are declared with the group's network.
  const ports = new Map<string, PortInfo>();
  const portStatements: { info: PortInfo; expr: Expr }[] = [];
  const networkLeftovers: Leftover[] = [];
  let networkProps: Expr | undefined;
  if (Array.isArray(networks) && networks.length > 0) {
    const first = networks[0];
    const n = isObj(first) ? writeNetwork(first, p.writer(undefined, [...base, "Networks", 0]), networkLeftovers) : undefined;
    if (n) {
      networkProps = n.props;
      for (const port of n.ports) {
        const info: PortInfo = { label: port.label, ident: p.names.fresh(port.label, "Port"), used: false };
        ports.set(port.label, info);
        portStatements.push({ info, expr: port.call(groupVar) });
      }
    } else leftovers.push({ path: ["Networks", 0], value: first });
    networks.slice(1).forEach((x, i) => leftovers.push({ path: ["Networks", i + 1], value: x }));
  } else if (networks !== undefined) leftovers.push({ path: ["Networks"], value: networks });

  const fields: Record<string, S.Field> = {
    Count: ["count", S.count],
    ...PLACEMENT,
    Spreads: ["spreads", S.listOf(SPREAD)],
    RestartPolicy: ["restart", S.nested(S.RESTART)],
    ReschedulePolicy: ["reschedule", S.nested(S.RESCHEDULE)],
    Migrate: ["migrate", S.nested(S.MIGRATE)],
    Update: ["update", S.nested(S.UPDATE)],
    EphemeralDisk: ["ephemeralDisk", S.nested(S.EPHEMERAL_DISK)],
    Meta: ["meta", S.stringMap],
    ShutdownDelay: ["shutdownDelay", S.duration],
    MaxRunDuration: ["maxRunDuration", S.duration],
    Scaling: ["scaling", scaling],
    Consul: ["consul", S.nested(S.CONSUL)],
    Disconnect: ["disconnect", S.nested(S.DISCONNECT)],
  };
  const block = S.writeBlock(rest, S.spec(fields), w, [], leftovers) as Extract<Expr, { kind: "object" }>;
  const entries = [...block.entries];
  if (networkProps) entries.push(["network", networkProps]);
  if (volumes !== undefined) {
    const vols = isObj(volumes) ? volumeMap(volumes, w) : undefined;
    if (vols) entries.push(["volumes", vols]);
    else leftovers.push({ path: ["Volumes"], value: volumes });
  }

  // Services and tasks are written into a buffer first: they decide which ports are referred to.
  const start = p.lines.length;
  const children = new Set<string>([
    "network",
    ...(Array.isArray(tasks) ? tasks.filter(isObj).map((t) => constructId(String(t.Name))) : []),
  ]);
  if (Array.isArray(services))
    services.forEach((s, i) =>
      isObj(s)
        ? writeService(p, groupVar, s, ports, children, "TaskGroup", [...base, "Services", i])
        : leftovers.push({ path: ["Services", i], value: s }),
    );
  else if (services !== undefined) leftovers.push({ path: ["Services"], value: services });
  if (Array.isArray(tasks))
    tasks.forEach((t, i) =>
      isObj(t) ? writeTask(p, groupVar, t, ports, [...base, "Tasks", i]) : leftovers.push({ path: ["Tasks", i], value: t }),
    );
  else if (tasks !== undefined) leftovers.push({ path: ["Tasks"], value: tasks });
  const captured = p.lines.splice(start);

  p.line();
  const bind = captured.length > 0 || portStatements.length > 0 || networkLeftovers.length > 0 || leftovers.length > 0;
  p.statement(
    `${bind ? `const ${groupVar} = ` : ""}${jobVar}.addGroup(${str(constructId(name))}${entries.length ? ", " : ""}`,
    entries.length ? object(entries) : code(""),
    ");",
  );
  for (const { info, expr } of portStatements) p.statement(info.used ? `const ${info.ident} = ` : "", expr);
  for (const l of networkLeftovers) p.override(`${groupVar}.network`, "TaskGroup.Networks[0]", l);
  for (const l of leftovers) p.override(groupVar, "TaskGroup", l);
  p.lines.push(...captured);
}

function volumeMap(volumes: Obj, w: ValueWriter): Expr | undefined {
  const entries: [string, Expr][] = [];
  for (const name of Object.keys(volumes).sort()) {
    const v = volumes[name];
    if (!isObj(v)) return undefined;
    const { Name: n, ...rest } = v;
    if (n !== undefined && n !== name) return undefined;
    const mine: Leftover[] = [];
    const e = S.writeBlock(rest, S.VOLUME, w, [], mine);
    if (!e || mine.length) return undefined;
    entries.push([name, e]);
  }
  return object(entries);
}

const scaling: Converter = (v, w, path, leftovers) => {
  if (!isObj(v)) return undefined;
  // The DSL writes group scaling policies, which are horizontal.
  const { Type, ...rest } = v;
  if (Type !== undefined && Type !== "horizontal") return undefined;
  return S.writeBlock(rest, S.SCALING, w, path, leftovers);
};

interface NetworkWritten {
  props: Expr | undefined;
  ports: { label: string; call: (groupVar: string) => Expr }[];
}

const NETWORK_SETTINGS = S.spec({
  Mode: ["mode", (v) => (typeof v === "string" && /^(host|bridge|none|cni\/.+)$/.test(v) ? code(str(v)) : undefined)],
  Hostname: ["hostname", S.text],
  DNS: ["dns", S.nested(S.spec({ Servers: ["servers", S.strings], Searches: ["searches", S.strings], Options: ["options", S.strings] }))],
  CNI: ["cniArgs", (v, w) => (isObj(v) && Object.keys(v).length === 1 && isObj(v.Args) ? S.stringMap(v.Args, w, [], []) : undefined)],
});

function writeNetwork(n: Obj, w: ValueWriter, leftovers: Leftover[]): NetworkWritten | undefined {
  const { ReservedPorts: reserved, DynamicPorts: dynamic, ...settings } = n;
  const ports: NetworkWritten["ports"] = [];
  const seen = new Set<string>();
  for (const [key, list, kind] of [
    ["ReservedPorts", reserved, "static"],
    ["DynamicPorts", dynamic, "dynamic"],
  ] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) return undefined;
    for (let i = 0; i < list.length; i++) {
      const port = list[i];
      if (!isObj(port) || typeof port.Label !== "string" || seen.has(port.Label)) return undefined;
      seen.add(port.Label);
      const { Label: label, Value: value, ...options } = port;
      if (kind === "static" && (typeof value !== "number" || !Number.isInteger(value))) return undefined;
      if (kind === "dynamic" && value !== undefined) leftovers.push({ path: [key, i, "Value"], value });
      const mine: Leftover[] = [];
      const opts = S.writeBlock(
        options,
        S.spec({ To: ["to", S.num], HostNetwork: ["hostNetwork", S.text], IgnoreCollision: ["ignoreCollision", S.bool] }),
        w,
        [key, i],
        mine,
      ) as Extract<Expr, { kind: "object" }>;
      leftovers.push(...mine);
      const optArgs = opts.entries.length ? [opts] : [];
      ports.push({
        label,
        call: (g) =>
          kind === "static"
            ? call(`${g}.network.addStaticPort`, code(str(label)), w.scalar([key, i, "Value"]) ?? code(String(value)), ...optArgs)
            : call(`${g}.network.addDynamicPort`, code(str(label)), ...optArgs),
      });
    }
  }
  const props = S.writeBlock(settings, NETWORK_SETTINGS, w, [], leftovers) as Extract<Expr, { kind: "object" }>;
  return { props: props.entries.length ? props : undefined, ports };
}

// ---- services ----

function portRef(ports: ReadonlyMap<string, PortInfo>): Converter {
  return (v) => {
    if (typeof v !== "string") return undefined;
    const p = ports.get(v);
    if (p) {
      p.used = true;
      return code(p.ident);
    }
    return /^\d+$/.test(v) ? code(str(v)) : undefined;
  };
}

const header: Converter = (v) =>
  isObj(v) && Object.values(v).every((x) => Array.isArray(x) && x.every((s) => typeof s === "string"))
    ? object(
        Object.keys(v)
          .sort()
          .map((k) => [k, array((v[k] as string[]).map((s) => code(str(s))))] as const),
      )
    : undefined;

function checkSpec(ports: ReadonlyMap<string, PortInfo>): BlockSpec {
  return S.spec(
    {
      Name: ["name", S.text],
      Type: ["type", S.oneOf("http", "tcp", "script", "grpc")],
      Command: ["command", S.text],
      Args: ["args", S.strings],
      Path: ["path", S.text],
      Protocol: ["protocol", S.oneOf("http", "https")],
      PortLabel: ["port", portRef(ports)],
      Expose: ["expose", S.bool],
      AddressMode: ["addressMode", S.oneOf("host", "driver", "alloc")],
      Interval: ["interval", S.duration],
      Timeout: ["timeout", S.duration],
      InitialStatus: ["initialStatus", S.oneOf("passing", "warning", "critical")],
      Notes: ["notes", S.text],
      TLSServerName: ["tlsServerName", S.text],
      TLSSkipVerify: ["tlsSkipVerify", S.bool],
      Header: ["header", header],
      Method: ["method", S.text],
      Body: ["body", S.text],
      CheckRestart: ["checkRestart", S.nested(S.CHECK_RESTART)],
      GRPCService: ["grpcService", S.text],
      GRPCUseTLS: ["grpcUseTls", S.bool],
      TaskName: ["task", S.text],
      SuccessBeforePassing: ["successBeforePassing", S.count],
      FailuresBeforeCritical: ["failuresBeforeCritical", S.count],
      FailuresBeforeWarning: ["failuresBeforeWarning", S.count],
      OnUpdate: ["onUpdate", S.oneOf("require_healthy", "ignore_warnings", "ignore")],
    },
    ["Type", "Interval", "Timeout"],
  );
}

const CONNECT = S.spec({
  Native: ["native", S.bool],
  SidecarService: [
    "sidecarService",
    S.nested(
      S.spec({
        Tags: ["tags", S.strings],
        Port: ["port", S.text],
        Proxy: ["proxy", S.anyJson],
        DisableDefaultTCPCheck: ["disableDefaultTcpCheck", S.bool],
      }),
    ),
  ],
});

function writeService(
  p: ProgramWriter,
  ownerVar: string,
  s: Obj,
  ports: ReadonlyMap<string, PortInfo>,
  children: Set<string>,
  ownerKind: string,
  base: readonly (string | number)[],
): void {
  const w = p.writer(undefined, base);
  const leftovers: Leftover[] = [];
  const name = typeof s.Name === "string" ? s.Name : undefined;
  const { Name: _n, ...rest } = s;
  const props = S.writeBlock(
    rest,
    S.spec({
      Tags: ["tags", S.strings],
      CanaryTags: ["canaryTags", S.strings],
      EnableTagOverride: ["enableTagOverride", S.bool],
      PortLabel: ["port", portRef(ports)],
      AddressMode: ["addressMode", S.oneOf("auto", "host", "driver", "alloc")],
      Address: ["address", S.text],
      Checks: ["checks", S.listOf(checkSpec(ports))],
      CheckRestart: ["checkRestart", S.nested(S.CHECK_RESTART)],
      Connect: ["connect", S.nested(CONNECT)],
      Meta: ["meta", S.stringMap],
      CanaryMeta: ["canaryMeta", S.stringMap],
      TaggedAddresses: ["taggedAddresses", S.stringMap],
      TaskName: ["task", S.text],
      OnUpdate: ["onUpdate", S.oneOf("require_healthy", "ignore_warnings", "ignore")],
      Identity: ["identity", S.nested(S.IDENTITY)],
      Weights: ["weights", S.nested(S.spec({ Passing: ["passing", S.num], Warning: ["warning", S.num] }, ["Passing", "Warning"]))],
      Provider: ["provider", S.oneOf("consul", "nomad")],
      Cluster: ["cluster", S.text],
    }),
    w,
    [],
    leftovers,
  ) as Extract<Expr, { kind: "object" }>;
  // The construct id is the service name, unless a task or another service of the scope has it.
  let id = name ?? "service";
  const plain = name !== undefined && !children.has(name) && constructId(name) === name;
  if (!plain) {
    const base = constructId(name ?? "service");
    id = children.has(base) ? `${base}-service` : base;
    for (let i = 2; children.has(id); i++) id = `${base}-service-${i}`;
  }
  children.add(id);
  const entries = [...(plain || name === undefined ? [] : [["name", w.string(name)] as [string, Expr]]), ...props.entries];
  const args = entries.length ? [object(entries)] : [];
  if (leftovers.length) {
    const v = p.names.fresh(id, "Service");
    p.statement(`const ${v} = `, call(`${ownerVar}.addService`, code(str(id)), ...args));
    for (const l of leftovers) p.override(v, `${ownerKind}.Services[${name ?? ""}]`, l);
  } else p.statement("", call(`${ownerVar}.addService`, code(str(id)), ...args));
}

// ---- tasks ----

function writeTask(
  p: ProgramWriter,
  groupVar: string,
  t: Obj,
  ports: ReadonlyMap<string, PortInfo>,
  base: readonly (string | number)[],
): void {
  const name = String(t.Name ?? "task");
  const w = p.writer(undefined, base);
  const envWriter = p.writer(ports, base);
  const leftovers: Leftover[] = [];
  const { Name: _n, Driver: driverName, Config: config, Services: services, ...rest } = t;
  const driver =
    typeof driverName === "string" && (config === undefined || isObj(config))
      ? driverExpr(
          driverName,
          config as Obj | undefined,
          envWriter,
          (label) => {
            const info = ports.get(label);
            if (!info) return undefined;
            info.used = true;
            return code(info.ident);
          },
          (v) => p.literal(v),
        )
      : undefined;
  p.imports.add("Driver");
  if (driverName !== undefined && !driver)
    leftovers.push({ path: ["Driver"], value: driverName }, ...(config === undefined ? [] : [{ path: ["Config"], value: config }]));
  const props = S.writeBlock(
    rest,
    S.spec({
      User: ["user", S.text],
      Lifecycle: ["lifecycle", S.nested(S.LIFECYCLE)],
      ...PLACEMENT,
      Env: ["env", (v) => S.stringMap(v, envWriter, [], [])],
      Resources: ["resources", S.nested(RESOURCES)],
      RestartPolicy: ["restart", S.nested(S.RESTART)],
      Meta: ["meta", S.stringMap],
      KillTimeout: ["killTimeout", S.duration],
      LogConfig: ["logs", S.nested(S.LOGS)],
      Artifacts: ["artifacts", S.listOf(S.ARTIFACT)],
      Vault: ["vault", S.nested(S.VAULT)],
      Templates: ["templates", S.listOf(S.TEMPLATE)],
      DispatchPayload: ["dispatchPayload", S.nested(S.spec({ File: ["file", S.text] }, ["File"]))],
      VolumeMounts: ["volumeMounts", S.listOf(S.VOLUME_MOUNT)],
      CSIPluginConfig: ["csiPlugin", S.nested(S.CSI_PLUGIN)],
      Leader: ["leader", S.bool],
      ShutdownDelay: ["shutdownDelay", S.duration],
      KillSignal: ["killSignal", S.text],
      Consul: ["consul", S.nested(S.CONSUL)],
      Identity: ["identity", S.nested(S.IDENTITY)],
      Identities: ["identities", S.listOf(S.IDENTITY)],
      Actions: ["actions", S.listOf(S.ACTION)],
      Secrets: ["secrets", S.listOf(S.SECRET)],
    }),
    w,
    [],
    leftovers,
  ) as Extract<Expr, { kind: "object" }>;
  // A task without a driver (an incomplete job) is written with an empty driver name that is then removed.
  const noDriver = driverName === undefined;
  const driverEntry: Expr =
    driver ?? call("Driver.of", code(noDriver ? '""' : str(String(driverName))), ...(noDriver && isObj(config) ? [p.literal(config)] : []));
  const entries: (readonly [string, Expr])[] = [["driver", driverEntry], ...props.entries];
  const hasServices = Array.isArray(services) && services.length > 0;
  if (constructId(name) !== name) leftovers.push({ path: ["Name"], value: name });
  const needsVar = leftovers.length > 0 || hasServices || noDriver || (services !== undefined && !Array.isArray(services));
  const expr = call(`${groupVar}.addTask`, code(str(constructId(name))), object(entries));
  const v = needsVar ? p.names.fresh(name, "Task") : "";
  p.line();
  p.statement(needsVar ? `const ${v} = ` : "", expr);
  if (noDriver) {
    p.comment("The source job has no driver for this task.");
    p.line(`${v}.addDeletion("Driver");`);
  }
  for (const l of leftovers) p.override(v, "Task", l);
  if (Array.isArray(services)) {
    const children = new Set<string>();
    services.forEach((s, i) =>
      isObj(s)
        ? writeService(p, v, s, ports, children, "Task", [...base, "Services", i])
        : p.override(v, "Task", { path: ["Services", i], value: s }),
    );
  } else if (services !== undefined) p.override(v, "Task", { path: ["Services"], value: services });
}

// ---- the program ----

/** The camelCase name of a job's function (`--variables params`). */
function functionName(id: string): string {
  const c = camelCase(id);
  return /^[A-Za-z_$]/.test(c) ? c : `job${c.charAt(0).toUpperCase()}${c.slice(1)}`;
}

/**
 * Writes a drover program that declares the given jobs in one `App` and
 * synthesizes them. Strings that carry an HCL variable's marker refer to the
 * variable's constant (or parameter).
 */
export function generateProgram(jobs: readonly JobToWrite[], options: GenerateOptions = {}): string {
  const p = new ProgramWriter(options);
  const style = options.variables ?? "env";
  const allVars = jobs.flatMap((j) => j.variables);
  const needsRequired = allVars.some((v) => v.default === undefined);
  const body: string[] = [];
  const header = p.lines.length;
  if (style === "env" || allVars.length === 0) {
    p.declareVariables(allVars, "env");
    if (allVars.length) p.line();
    p.line("const app = new App();");
    for (const j of jobs) {
      p.line();
      writeJob(p, j, "app");
    }
    p.line();
    p.line("app.synth();");
  } else {
    const calls: string[] = [];
    for (const j of jobs) {
      const fn = functionName(String(j.job.ID ?? "job"));
      p.names.reserve(fn);
      const typeName = fn.charAt(0).toUpperCase() + fn.slice(1) + "Variables";
      p.names.reserve(typeName);
      if (j.variables.length) {
        p.line(`/** ${commentText(`The input variables of job ${str(String(j.job.ID))} (its HCL \`variable\` blocks).`)} */`);
        p.line(`export interface ${typeName} {`);
        for (const v of j.variables) {
          p.line(
            `  /** ${commentText(`${v.description ? `${v.description} ` : ""}${v.default !== undefined ? `@default ${JSON.stringify(v.default)}` : "(required)"}`)} */`,
          );
          p.line(`  readonly ${isEnvIdent(v.name) ? v.name : str(v.name)}${v.default !== undefined ? "?" : ""}: ${tsType(v)};`);
        }
        p.line("}");
        p.line();
      }
      const required = j.variables.some((v) => v.default === undefined);
      p.line(`/** ${commentText(`Declares the job ${str(String(j.job.ID))} in \`app\`.`)} */`);
      p.line(`export function ${fn}(app: App${j.variables.length ? `, vars: ${typeName}${required ? "" : " = {}"}` : ""}): Job {`);
      p.withIndent(() => {
        const idents = p.declareVariables(j.variables, "params");
        j.variables.forEach((v, i) => {
          const key = isEnvIdent(v.name) ? `vars.${v.name}` : `vars[${str(v.name)}]`;
          p.line(`const ${idents[i] ?? p.identOf(v.marker)} = ${key}${v.default !== undefined ? ` ?? ${defaultLiteral(v)}` : ""};`);
        });
        const jobVar = writeJob(p, j, "app", true);
        p.line();
        p.line(`return ${jobVar};`);
      });
      p.line("}");
      p.line();
      const requiredArgs = j.variables.filter((v) => v.default === undefined);
      const env = (name: string) => `process.env${isEnvIdent(name) ? `.NOMAD_VAR_${name}` : `[${str(`NOMAD_VAR_${name}`)}]`}`;
      const arg = requiredArgs.length
        ? `, { ${requiredArgs.map((v) => `${isEnvIdent(v.name) ? v.name : str(v.name)}: ${envValue(v, env(v.name))}`).join(", ")} }`
        : "";
      calls.push(`${fn}(app${arg});`);
    }
    p.line("const app = new App();");
    for (const c of calls) p.line(c);
    p.line("app.synth();");
  }
  body.push(...p.lines.splice(header));
  const out: string[] = [];
  const origins = jobs.map((j) => j.origin);
  out.push("/**");
  out.push(
    ` * ${commentText(jobs.length === 1 ? `The Nomad job ${str(String(jobs[0].job.ID))}, imported by \`drover import\` from ${origins[0]}.` : `Nomad jobs imported by \`drover import\` from ${[...new Set(origins)].join(", ")}.`)}`,
  );
  out.push(" * Synthesize it with `drover synth` (or run it with tsx).");
  out.push(" */");
  const names = [...p.imports].sort();
  out.push(`import { ${names.join(", ")} } from ${str(options.module ?? "drover")};`);
  out.push("");
  if (needsRequired) {
    out.push("/** The value of a variable without a default: the program needs it. */");
    out.push("function required(name: string): never {");
    out.push('  throw new Error(`set NOMAD_VAR_${name}: the job\'s variable "${name}" has no default`);');
    out.push("}");
    out.push("");
  }
  out.push(...body);
  return out.join("\n").replace(/\n{3,}/g, "\n\n") + "\n";
}
