/**
 * Whether a job change to a group needs new allocations (Nomad's
 * `tasksUpdated` in `scheduler/util.go`): destructive when anything a running
 * task cannot pick up in place changed.
 */
import type { JobView, NetworkView, PortView, TaskGroupView } from "../job-view";
import { findTaskGroup } from "../job-view";

/** Deep equality of JSON-like values where null, undefined, empty objects and empty arrays are all "unset". */
function deepEqualJSON(a: unknown, b: unknown): boolean {
  const unset = (v: unknown) =>
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
  if (unset(a) && unset(b)) return true;
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    return a.every((x, i) => deepEqualJSON(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqualJSON(ao[k], bo[k])) return false;
  return true;
}

function portKey(p: PortView): string {
  return `${p.Label}|${p.Value ?? 0}|${p.To ?? 0}|${p.HostNetwork ?? "default"}`;
}

/** Network change rule: count, Mode, MBits, Hostname, DNS, CNI, and ports by Label, static Value, To and HostNetwork (dynamic values ignored). */
function networkUpdated(a: readonly NetworkView[] | null | undefined, b: readonly NetworkView[] | null | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return true;
  for (let i = 0; i < x.length; i++) {
    const n = x[i];
    const m = y[i];
    if ((n.Mode || "host") !== (m.Mode || "host")) return true;
    if ((n.MBits ?? 0) !== (m.MBits ?? 0) || (n.Hostname ?? "") !== (m.Hostname ?? "")) return true;
    if (!deepEqualJSON(n.DNS, m.DNS) || !deepEqualJSON(n.CNI, m.CNI)) return true;
    const pa = [...(n.ReservedPorts ?? []), ...(n.DynamicPorts ?? [])].map(portKey).sort();
    const pb = [...(m.ReservedPorts ?? []), ...(m.DynamicPorts ?? [])].map(portKey).sort();
    if (pa.join(",") !== pb.join(",")) return true;
  }
  return false;
}

function combinedMeta(job: JobView, tg: TaskGroupView, task: { Meta?: Record<string, string> | null }): Record<string, string> {
  return { ...(job.Meta ?? {}), ...(tg.Meta ?? {}), ...(task.Meta ?? {}) };
}

/**
 * True when the group changed in a way that needs a destructive update:
 * task count or names, EphemeralDisk, networks, Consul, Volumes, services'
 * Connect blocks, RestartPolicy.RenderTemplates, and per task Driver, User,
 * Config, Env, Artifacts, Vault, Secrets, Templates, CSIPluginConfig,
 * VolumeMounts, combined Meta (job+group+task), resources (CPU, Cores,
 * MemoryMB, MemoryMaxMB, Devices, NUMA, SecretsMB, networks), Identity,
 * Identities, LogConfig.Disabled. A missing group on either side counts as changed.
 */
export function tasksUpdated(oldJob: JobView, newJob: JobView, group: string): boolean {
  const a = findTaskGroup(oldJob, group);
  const b = findTaskGroup(newJob, group);
  if (!a || !b) return true;
  if (a.Tasks.length !== b.Tasks.length) return true;
  const ad = a.EphemeralDisk ?? {};
  const bd = b.EphemeralDisk ?? {};
  if (!!ad.Sticky !== !!bd.Sticky || (ad.SizeMB ?? 300) !== (bd.SizeMB ?? 300) || !!ad.Migrate !== !!bd.Migrate) return true;
  if (networkUpdated(a.Networks, b.Networks)) return true;
  if (!deepEqualJSON(a.Consul, b.Consul) || !deepEqualJSON(a.Volumes, b.Volumes)) return true;
  if (!!a.RestartPolicy?.RenderTemplates !== !!b.RestartPolicy?.RenderTemplates) return true;
  if (connectUpdated(a.Services, b.Services)) return true;
  for (const at of a.Tasks) {
    const bt = b.Tasks.find((t) => t.Name === at.Name);
    if (!bt) return true;
    if (at.Driver !== bt.Driver || (at.User ?? "") !== (bt.User ?? "")) return true;
    for (const k of [
      "Config",
      "Env",
      "Artifacts",
      "Vault",
      "Secrets",
      "Templates",
      "CSIPluginConfig",
      "VolumeMounts",
      "Identity",
      "Identities",
      "Consul",
    ] as const) {
      if (!deepEqualJSON(at[k], bt[k])) return true;
    }
    if (!deepEqualJSON(combinedMeta(oldJob, a, at), combinedMeta(newJob, b, bt))) return true;
    if (!!at.LogConfig?.Disabled !== !!bt.LogConfig?.Disabled) return true;
    if (!!at.RestartPolicy?.RenderTemplates !== !!bt.RestartPolicy?.RenderTemplates) return true;
    const ar = at.Resources ?? {};
    const br = bt.Resources ?? {};
    if ((ar.CPU ?? 100) !== (br.CPU ?? 100) || (ar.Cores ?? 0) !== (br.Cores ?? 0)) return true;
    if ((ar.MemoryMB ?? 300) !== (br.MemoryMB ?? 300) || (ar.MemoryMaxMB ?? 0) !== (br.MemoryMaxMB ?? 0)) return true;
    if (!deepEqualJSON(ar.Devices, br.Devices) || !deepEqualJSON(ar.NUMA, br.NUMA) || (ar.SecretsMB ?? 0) !== (br.SecretsMB ?? 0))
      return true;
    if (networkUpdated(ar.Networks, br.Networks)) return true;
  }
  return false;
}

/** Connect blocks of services (and a Connect service's PortLabel), compared by service name. */
function connectUpdated(a: unknown, b: unknown): boolean {
  type Svc = { Name?: string; Connect?: unknown; PortLabel?: string };
  const pick = (list: unknown) =>
    new Map(
      ((Array.isArray(list) ? list : []) as Svc[])
        .filter((s) => s && s.Connect)
        .map((s) => [s.Name ?? "", { c: s.Connect, p: s.PortLabel ?? "" }]),
    );
  const x = pick(a);
  const y = pick(b);
  if (x.size !== y.size) return true;
  for (const [name, v] of x) {
    const w = y.get(name);
    if (!w || v.p !== w.p || !deepEqualJSON(v.c, w.c)) return true;
  }
  return false;
}
