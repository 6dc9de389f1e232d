/**
 * The consul-template functions a Nomad client offers without Consul or
 * Vault (`nomadVar`, `nomadVarList`, `nomadVarExists`, `nomadService`,
 * `nomadServices`, `env`, `file`) and the common helpers, plus clear
 * refusals for the Consul and Vault functions. What a render read is
 * recorded, so the client knows which changes call for a re-render.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { printValue, type TemplateFunc } from "./exec";

/** A variable as a template reads it. */
export interface TemplateVariable {
  Namespace: string;
  Path: string;
  Items: Record<string, string>;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

/** One registered instance of a Nomad service, as `nomadService` returns it. */
export interface TemplateService {
  ID: string;
  Name: string;
  Namespace: string;
  NodeID: string;
  Datacenter: string;
  JobID: string;
  AllocID: string;
  Tags: string[];
  Address: string;
  Port: number;
}

/** Where templates read Nomad's data from (the client's view of the server). */
export interface TemplateSources {
  /** A variable, or undefined when it does not exist. */
  variable(namespace: string, path: string): TemplateVariable | undefined;
  /** The variables under a path prefix (metadata and items). */
  variables(namespace: string, prefix: string): TemplateVariable[];
  /** The registered instances of a service. */
  service(namespace: string, name: string): TemplateService[];
  /** The services of a namespace with their tags. */
  services(namespace: string): { Name: string; Tags: string[] }[];
  /** Calls `listener` after every change of variables or service registrations; returns the unsubscribe function. */
  onChange(listener: (what: { variables: boolean; services: boolean }) => void): () => void;
}

/** A template needs data that does not exist yet (Nomad's "Missing:" dependencies). */
export class MissingDependencyError extends Error {
  constructor(readonly dependencies: string[]) {
    super(`Missing: ${dependencies.join(", ")}`);
    this.name = "MissingDependencyError";
  }
}

/** What one render read. */
export interface TemplateReads {
  /** It read variables. */
  variables: boolean;
  /** It read service registrations. */
  services: boolean;
}

/** The task a template renders for (its identity decides what it may read). */
export interface TemplateTask {
  namespace: string;
  region: string;
  job: string;
  group: string;
  task: string;
  /** The task directory (`file` reads are relative to it and stay inside the allocation). */
  taskDir: string;
  /** The allocation directory; `file` refuses paths outside it. */
  allocRoot: string;
  /** The task's environment (`env`). */
  env: Record<string, string>;
}

/**
 * The implicit access rule of a task's workload identity: it may read
 * `nomad/jobs`, `nomad/jobs/<job>`, `nomad/jobs/<job>/<group>` and
 * `nomad/jobs/<job>/<group>/<task>` (and below the job's path) in its own
 * namespace; anything else needs an ACL policy, which drover does not have.
 */
function taskMayReadVariable(t: TemplateTask, namespace: string, varPath: string): boolean {
  if (namespace !== t.namespace) return false;
  if (varPath === "nomad/jobs") return true;
  const job = `nomad/jobs/${t.job}`;
  return varPath === job || varPath.startsWith(`${job}/`);
}

/** Splits `path@namespace.region` (consul-template's query syntax). */
function parseVarQuery(q: string, t: TemplateTask): { path: string; namespace: string } {
  const at = q.indexOf("@");
  if (at < 0) return { path: q, namespace: t.namespace };
  const scope = q.slice(at + 1);
  const dot = scope.indexOf(".");
  const namespace = dot < 0 ? scope : scope.slice(0, dot);
  const region = dot < 0 ? "" : scope.slice(dot + 1);
  if (region && region !== t.region)
    throw new Error(`nomadVar: region ${JSON.stringify(region)} is not this agent's region ${JSON.stringify(t.region)}`);
  return { path: q.slice(0, at), namespace: namespace || t.namespace };
}

const CONSUL = "Consul is not configured on this agent";
const VAULT = "Vault is not configured on this agent";

/** The functions of a render for `t`; `reads` records what was read and `missing` what does not exist yet. */
export function templateFuncs(
  t: TemplateTask,
  sources: TemplateSources | undefined,
  reads: TemplateReads,
  missing: string[],
): Record<string, TemplateFunc> {
  const noSources = (): never => {
    throw new Error("Nomad variables and services are not available to this task's client");
  };
  const readVar = (query: unknown): TemplateVariable | undefined => {
    const { path: p, namespace } = parseVarQuery(String(query), t);
    if (!taskMayReadVariable(t, namespace, p))
      throw new Error(
        `Permission denied: a task of job ${JSON.stringify(t.job)} may read only variables at nomad/jobs/${t.job} and below in namespace ${JSON.stringify(t.namespace)} (drover has no ACL policies to grant more)`,
      );
    reads.variables = true;
    return (sources ?? noSources()).variable(namespace, p);
  };
  const varItems = (v: TemplateVariable): Record<string, unknown> => {
    const items: Record<string, unknown> = { ...v.Items };
    Object.defineProperty(items, "Metadata", {
      value: {
        Namespace: v.Namespace,
        Path: v.Path,
        CreateIndex: v.CreateIndex,
        ModifyIndex: v.ModifyIndex,
        CreateTime: v.CreateTime,
        ModifyTime: v.ModifyTime,
      },
      enumerable: false,
    });
    return items;
  };
  const refuse = (why: string) => () => {
    throw new Error(why);
  };
  return {
    env: (name: unknown) => t.env[String(name)] ?? "",
    nomadVar: (query: unknown) => {
      const v = readVar(query);
      if (!v) {
        const { path: p, namespace } = parseVarQuery(String(query), t);
        missing.push(`nomad.var.block(${p}@${namespace}.${t.region})`);
        return {};
      }
      return varItems(v);
    },
    nomadVarExists: (query: unknown) => readVar(query) !== undefined,
    nomadVarList: (prefix: unknown = "") => {
      const { path: p, namespace } = parseVarQuery(String(prefix ?? ""), t);
      reads.variables = true;
      return (sources ?? noSources())
        .variables(namespace, p)
        .filter((v) => taskMayReadVariable(t, v.Namespace, v.Path))
        .map((v) => ({
          Namespace: v.Namespace,
          Path: v.Path,
          CreateIndex: v.CreateIndex,
          ModifyIndex: v.ModifyIndex,
          CreateTime: v.CreateTime,
          ModifyTime: v.ModifyTime,
        }));
    },
    nomadService: (...args: unknown[]) => {
      // nomadService "name", or nomadService <count> "<hash key>" "name" (consistent sampling).
      const name = String(args[args.length - 1]);
      const sampled = args.length === 3;
      reads.services = true;
      const [svc, ns] = name.includes("@") ? name.split("@", 2) : [name, t.namespace];
      let list = (sources ?? noSources())
        .service(ns, svc)
        .slice()
        .sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
      if (sampled) {
        const count = Number(args[0]);
        const key = String(args[1]);
        const score = (id: string) => [...`${key}${id}`].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
        list = list.sort((a, b) => score(a.ID) - score(b.ID)).slice(0, count);
      }
      return list;
    },
    nomadServices: (ns: unknown) => {
      reads.services = true;
      return (sources ?? noSources()).services(ns === undefined ? t.namespace : String(ns));
    },
    file: (p: unknown) => {
      // Nomad's template sandbox: only files of the task directory.
      const full = path.resolve(t.taskDir, String(p));
      if (!full.startsWith(t.taskDir + path.sep)) throw new Error(`file ${JSON.stringify(String(p))} is outside the task directory`);
      const real = fs.realpathSync(full);
      if (!real.startsWith(fs.realpathSync(t.taskDir) + path.sep))
        throw new Error(`file ${JSON.stringify(String(p))} leads outside the task directory`);
      return fs.readFileSync(real, "utf8");
    },
    // Helpers Nomad's consul-template ships.
    toJSON: (v: unknown) => JSON.stringify(v ?? null),
    toJSONPretty: (v: unknown) => JSON.stringify(v ?? null, null, 2),
    parseJSON: (s: unknown) => JSON.parse(String(s)) as unknown,
    parseBool: (s: unknown) => {
      const v = String(s).toLowerCase();
      if (["1", "t", "true"].includes(v)) return true;
      if (["0", "f", "false", ""].includes(v)) return false;
      throw new Error(`parseBool: invalid syntax ${JSON.stringify(s)}`);
    },
    parseInt: (s: unknown) => {
      const n = Number.parseInt(String(s), 10);
      if (Number.isNaN(n)) throw new Error(`parseInt: invalid syntax ${JSON.stringify(s)}`);
      return n;
    },
    parseFloat: (s: unknown) => {
      const n = Number(String(s));
      if (Number.isNaN(n)) throw new Error(`parseFloat: invalid syntax ${JSON.stringify(s)}`);
      return n;
    },
    split: (sep: unknown, s: unknown) => (String(s) === "" ? [] : String(s).split(String(sep))),
    join: (sep: unknown, list: unknown) => (Array.isArray(list) ? list.map(printValue).join(String(sep)) : printValue(list)),
    toUpper: (s: unknown) => String(s).toUpperCase(),
    toLower: (s: unknown) => String(s).toLowerCase(),
    toTitle: (s: unknown) => String(s).replace(/(^|\s)(\S)/g, (_m, a: string, b: string) => a + b.toUpperCase()),
    trimSpace: (s: unknown) => String(s).trim(),
    trim: (cut: unknown, s: unknown) => {
      const set = new Set(String(cut));
      let a = String(s);
      while (a && set.has(a[0])) a = a.slice(1);
      while (a && set.has(a[a.length - 1])) a = a.slice(0, -1);
      return a;
    },
    trimPrefix: (p: unknown, s: unknown) => (String(s).startsWith(String(p)) ? String(s).slice(String(p).length) : String(s)),
    trimSuffix: (p: unknown, s: unknown) =>
      String(p) && String(s).endsWith(String(p)) ? String(s).slice(0, -String(p).length) : String(s),
    replaceAll: (from: unknown, to: unknown, s: unknown) => String(s).split(String(from)).join(String(to)),
    contains: (sub: unknown, s: unknown) => String(s).includes(String(sub)),
    containsAny: (subs: unknown, s: unknown) => (Array.isArray(subs) ? subs : [subs]).some((x) => String(s).includes(String(x))),
    in: (list: unknown, v: unknown) =>
      Array.isArray(list) ? list.includes(v) : typeof list === "string" ? list.includes(String(v)) : false,
    base64Encode: (s: unknown) => Buffer.from(String(s)).toString("base64"),
    base64Decode: (s: unknown) => Buffer.from(String(s), "base64").toString("utf8"),
    base64URLEncode: (s: unknown) => Buffer.from(String(s)).toString("base64url"),
    base64URLDecode: (s: unknown) => Buffer.from(String(s), "base64url").toString("utf8"),
    indent: (n: unknown, s: unknown) => String(s).replace(/^/gm, " ".repeat(Number(n))),
    add: (a: unknown, b: unknown) => Number(b) + Number(a),
    subtract: (a: unknown, b: unknown) => Number(b) - Number(a),
    multiply: (a: unknown, b: unknown) => Number(b) * Number(a),
    divide: (a: unknown, b: unknown) => Math.trunc(Number(b) / Number(a)),
    modulo: (a: unknown, b: unknown) => Number(b) % Number(a),
    sprig_upper: (s: unknown) => String(s).toUpperCase(),
    sprig_lower: (s: unknown) => String(s).toLowerCase(),
    sprig_trim: (s: unknown) => String(s).trim(),
    sprig_default: (d: unknown, v: unknown) => (v === undefined || v === null || v === "" || v === 0 || v === false ? d : v),
    sprig_quote: (...args: unknown[]) => args.map((a) => JSON.stringify(printValue(a))).join(" "),
    // Consul and Vault: not configured, so a clear failure rather than an empty file.
    key: refuse(CONSUL),
    keyExists: refuse(CONSUL),
    keyOrDefault: refuse(CONSUL),
    ls: refuse(CONSUL),
    safeLs: refuse(CONSUL),
    tree: refuse(CONSUL),
    safeTree: refuse(CONSUL),
    service: refuse(CONSUL),
    services: refuse(CONSUL),
    connect: refuse(CONSUL),
    caRoots: refuse(CONSUL),
    caLeaf: refuse(CONSUL),
    node: refuse(CONSUL),
    nodes: refuse(CONSUL),
    secret: refuse(VAULT),
    secrets: refuse(VAULT),
    pkiCert: refuse(VAULT),
  };
}
