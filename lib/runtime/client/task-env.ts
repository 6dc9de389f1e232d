/**
 * A task's runtime environment and interpolation, as Nomad's
 * `client/taskenv` builds them: the `NOMAD_*` variables, the combined meta
 * (`NOMAD_META_<key>` as given and upper-cased), the ports of the
 * allocation, the task's own `env` (interpolated), and the node values that
 * `${...}` may reference (`node.unique.id`, `node.unique.name`,
 * `node.datacenter`, `node.region`, `node.class`, `node.pool`, `attr.<x>`,
 * `meta.<x>`).
 *
 * Interpolation follows `helper/args.ReplaceEnv`: `${name}` where name is
 * letters, digits, `_`, `-` and `.`; looked up in the task environment, then
 * in the node values; unknown names are left as written. drover also accepts
 * `${env.NAME}` and `${env["NAME"]}` (HCL2's spelling) for a task variable.
 */
import type { Allocation, AllocatedPortMapping } from "../structs";

/** The node values interpolation can see. */
export interface TaskEnvNode {
  ID: string;
  Name: string;
  Datacenter: string;
  NodeClass: string;
  NodePool: string;
  Attributes: Record<string, string>;
  Meta: Record<string, string>;
}

/** Directory paths as the task sees them. */
export interface TaskEnvDirs {
  /** `NOMAD_ALLOC_DIR`. */
  allocDir: string;
  /** `NOMAD_TASK_DIR`. */
  localDir: string;
  /** `NOMAD_SECRETS_DIR`. */
  secretsDir: string;
}

/** The parts of a task spec the environment reads. */
export interface TaskEnvTask {
  Name: string;
  Env?: Record<string, string> | null;
  Meta?: Record<string, string> | null;
}

/** The parts of a group spec the environment reads. */
export interface TaskEnvGroup {
  Name: string;
  Meta?: Record<string, string> | null;
}

/** Inputs of `buildTaskEnv`. */
export interface TaskEnvInput {
  alloc: Pick<Allocation, "ID" | "Name" | "Namespace" | "JobID" | "TaskGroup" | "AllocatedResources"> & {
    Job: { ID: string; Name?: string | null; ParentID?: string | null; Meta?: Record<string, string> | null };
  };
  group: TaskEnvGroup;
  task: TaskEnvTask;
  node: TaskEnvNode | null;
  region: string;
  /** Directories; absent for tasks without a task directory. */
  dirs: TaskEnvDirs | null;
  /** Environment from rendered templates with `env = true` (wins over the task's env). */
  templateEnv?: Record<string, string>;
}

/** A built task environment. */
export interface TaskEnv {
  /** The variables the task process gets. */
  env: Record<string, string>;
  /** Node values for `${node.*}`, `${attr.*}`, `${meta.*}`. */
  nodeValues: Record<string, string>;
}

/** The index in an allocation name `job.group[3]` (Nomad's `Allocation.Index`), -1 when absent. */
export function allocIndex(name: string): number {
  const m = /\[(\d+)\]$/.exec(name);
  return m ? Number(m[1]) : -1;
}

/** Node values for interpolation (`taskenv.Builder.setNode`). */
export function nodeValues(node: TaskEnvNode | null, region: string): Record<string, string> {
  const out: Record<string, string> = { "node.region": region };
  if (!node) return out;
  out["node.unique.id"] = node.ID;
  out["node.unique.name"] = node.Name;
  out["node.class"] = node.NodeClass;
  out["node.datacenter"] = node.Datacenter;
  out["node.pool"] = node.NodePool;
  for (const [k, v] of Object.entries(node.Attributes ?? {})) out[`attr.${k}`] = v;
  for (const [k, v] of Object.entries(node.Meta ?? {})) out[`meta.${k}`] = v;
  return out;
}

const ENV_RE = /\$\{(?:env\[\s*"([^"]+)"\s*\]|([A-Za-z0-9_\-.]+))\}/g;

/** Replaces `${...}` references in `text` (unknown names stay as written). */
export function interpolate(text: string, env: Record<string, string>, nodeVals: Record<string, string>): string {
  if (!text.includes("${")) return text;
  return text.replace(ENV_RE, (whole, quoted: string | undefined, bare: string | undefined) => {
    if (quoted !== undefined) return Object.prototype.hasOwnProperty.call(env, quoted) ? env[quoted] : whole;
    const name = bare as string;
    if (Object.prototype.hasOwnProperty.call(env, name)) return env[name];
    if (Object.prototype.hasOwnProperty.call(nodeVals, name)) return nodeVals[name];
    if (name.startsWith("env.")) {
      const key = name.slice(4);
      if (Object.prototype.hasOwnProperty.call(env, key)) return env[key];
    }
    return whole;
  });
}

/** Interpolates every string (keys of objects included) in a driver config, recursively. */
export function interpolateConfig<T>(value: T, env: Record<string, string>, nodeVals: Record<string, string>): T {
  // T is the shape of `value`: a string interpolates to a string, an array to an array of the same elements.
  if (typeof value === "string") return interpolate(value, env, nodeVals) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => interpolateConfig(v, env, nodeVals)) as unknown as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[interpolate(k, env, nodeVals)] = interpolateConfig(v, env, nodeVals);
    return out as T;
  }
  return value;
}

/** Nomad's `helper.CleanEnvVar`: characters other than letters, digits and `_` become `_`. */
export function cleanEnvName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
}

function addPort(env: Record<string, string>, p: AllocatedPortMapping): void {
  const host = p.HostIP || "127.0.0.1";
  const value = String(p.Value);
  const addr = host.includes(":") ? `[${host}]:${value}` : `${host}:${value}`;
  const inner = String(p.To > 0 ? p.To : p.Value);
  env[`NOMAD_ADDR_${p.Label}`] = addr;
  env[`NOMAD_HOST_ADDR_${p.Label}`] = addr;
  env[`NOMAD_IP_${p.Label}`] = host;
  env[`NOMAD_HOST_IP_${p.Label}`] = host;
  env[`NOMAD_PORT_${p.Label}`] = inner;
  env[`NOMAD_ALLOC_PORT_${p.Label}`] = inner;
  env[`NOMAD_HOST_PORT_${p.Label}`] = value;
}

/** Builds a task's environment (`taskenv.Builder.Build`). */
export function buildTaskEnv(input: TaskEnvInput): TaskEnv {
  const { alloc, group, task } = input;
  const env: Record<string, string> = {};
  const nodeVals = nodeValues(input.node, input.region);
  if (input.dirs) {
    env.NOMAD_ALLOC_DIR = input.dirs.allocDir;
    env.NOMAD_TASK_DIR = input.dirs.localDir;
    env.NOMAD_SECRETS_DIR = input.dirs.secretsDir;
  }
  const res = alloc.AllocatedResources?.Tasks?.[task.Name];
  if (res?.Memory?.MemoryMB) env.NOMAD_MEMORY_LIMIT = String(res.Memory.MemoryMB);
  if (res?.Memory?.MemoryMaxMB) env.NOMAD_MEMORY_MAX_LIMIT = String(res.Memory.MemoryMaxMB);
  if (res?.Cpu?.CpuShares) env.NOMAD_CPU_LIMIT = String(res.Cpu.CpuShares);
  if (res?.Cpu?.ReservedCores?.length) env.NOMAD_CPU_CORES = res.Cpu.ReservedCores.join(",");
  env.NOMAD_ALLOC_ID = alloc.ID;
  env.NOMAD_SHORT_ALLOC_ID = alloc.ID.slice(0, 8);
  if (alloc.Name) env.NOMAD_ALLOC_NAME = alloc.Name;
  env.NOMAD_GROUP_NAME = group.Name;
  const index = allocIndex(alloc.Name ?? "");
  if (index >= 0) env.NOMAD_ALLOC_INDEX = String(index);
  env.NOMAD_TASK_NAME = task.Name;
  env.NOMAD_JOB_ID = alloc.Job.ID;
  env.NOMAD_JOB_NAME = alloc.Job.Name || alloc.Job.ID;
  if (alloc.Job.ParentID) env.NOMAD_JOB_PARENT_ID = alloc.Job.ParentID;
  if (input.node?.Datacenter) env.NOMAD_DC = input.node.Datacenter;
  if (alloc.Namespace) env.NOMAD_NAMESPACE = alloc.Namespace;
  if (input.region) env.NOMAD_REGION = input.region;
  for (const p of alloc.AllocatedResources?.Shared?.Ports ?? []) addPort(env, p);
  // Job meta < group meta < task meta (`Job.CombinedTaskMeta`), as given and upper-cased.
  const meta = { ...(alloc.Job.Meta ?? {}), ...(group.Meta ?? {}), ...(task.Meta ?? {}) };
  for (const [k, v] of Object.entries(meta)) {
    const key = interpolate(k, env, nodeVals);
    const value = interpolate(v, env, nodeVals);
    env[`NOMAD_META_${key.toUpperCase()}`] = value;
    env[`NOMAD_META_${key}`] = value;
  }
  for (const [k, v] of Object.entries(task.Env ?? {})) env[k] = interpolate(String(v), env, nodeVals);
  Object.assign(env, input.templateEnv ?? {});
  // Clean the names of variables built from labels and keys (Nomad #2405).
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const prefixed = ["NOMAD_ADDR_", "NOMAD_IP_", "NOMAD_PORT_", "NOMAD_HOST_PORT_", "NOMAD_META_"].some((p) => k.startsWith(p));
    cleaned[prefixed ? cleanEnvName(k) : k] = v;
  }
  return { env: cleaned, nodeValues: nodeVals };
}
