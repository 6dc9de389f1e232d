/**
 * Normalization: bring the desired job (what the program says) and the live
 * job (what `GET /v1/job/:id` returns) into one comparable shape, so that an
 * unchanged program plans no change.
 *
 * The desired job is canonicalized with lib/jobspec's `canonicalize` (Nomad's
 * register-time defaults). The live job is a server `structs.Job`: no
 * pointers, defaults filled, server-owned fields, and content the server's
 * admission hooks added. `normalizeLive` undoes each of those, one documented
 * step per Nomad behaviour, and then canonicalizes the result the same way.
 */
import { canonicalize } from "../jobspec";
import type { Job } from "../jobspec/types";
import { isObject as isObj } from "../util/object";

type Obj = Record<string, unknown>;

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter(isObj) as Obj[]) : [];
}

function deleteIf(o: Obj, key: string, pred: (v: unknown) => boolean): void {
  if (key in o && pred(o[key])) delete o[key];
}

const isNullish = (v: unknown) => v === null || v === undefined;
const isFalse = (v: unknown) => v === false || isNullish(v);
const isEmptyString = (v: unknown) => v === "" || isNullish(v);

/**
 * Fields only the servers set on a stored job (`nomad/structs/structs.go`
 * `Job`; `nomad/structs/diff.go` ignores the same ones in `Job.Diff`).
 */
export const SERVER_ONLY_JOB_FIELDS = [
  "Status",
  "StatusDescription",
  "Stable",
  "Version",
  "SubmitTime",
  "CreateIndex",
  "ModifyIndex",
  "JobModifyIndex",
  "NomadTokenID",
  "VersionTag",
  "VaultToken",
  "ConsulToken",
] as const;

/**
 * Fields the HTTP agent drops on the way in (`command/agent/job_endpoint.go`
 * `ApiJobToStructJob` and friends): they never reach the
 * stored job, so they are removed from both sides.
 */
function stripAgentDroppedFields(job: Obj): void {
  delete job.VaultToken;
  delete job.ConsulToken;
  for (const g of arr(job.TaskGroups)) {
    // Deprecated disconnect fields, ignored since Nomad 1.10 in favour of Disconnect.
    delete g.StopAfterClientDisconnect;
    delete g.MaxClientDisconnect;
    delete g.PreventRescheduleOnLost;
    // ApiTgToStructsTG keeps only host and csi volumes.
    if (isObj(g.Volumes)) {
      for (const [name, v] of Object.entries(g.Volumes)) if (isObj(v) && v.Type !== "host" && v.Type !== "csi") delete g.Volumes[name];
    }
    for (const n of arr(g.Networks)) delete n.Device; // ApiNetworkResourceToStructs drops Device
    for (const s of arr(g.Services)) stripService(s);
    for (const t of arr(g.Tasks)) {
      if (isObj(t.Resources)) {
        delete t.Resources.DiskMB; // ApiResourcesToStructs does not forward DiskMB
        delete t.Resources.IOPS; // deprecated, zero on read-back
        for (const n of arr(t.Resources.Networks)) delete n.Device;
      }
      if (isObj(t.Vault)) delete t.Vault.Policies; // api-only since Vault workload identity
      if (isObj(t.LogConfig)) delete t.LogConfig.Enabled; // compat field, not forwarded
      for (const s of arr(t.Services)) stripService(s);
    }
  }
}

function stripService(s: Obj): void {
  for (const c of arr(s.Checks)) delete c.Advertise; // ServiceCheck.Advertise is api-only
}

/**
 * Values the servers fill in that lib/jobspec's `canonicalize` (the api
 * package's defaults) does not: they are removed from both sides after
 * canonicalization so that their presence on one side only is no change.
 * - `Port.HostNetwork` "default" (`structs.NetworkResource.Canonicalize`).
 */
function elideServerDefaults(job: Obj): void {
  const ports = (n: Obj) => [...arr(n.DynamicPorts), ...arr(n.ReservedPorts)];
  for (const g of arr(job.TaskGroups)) {
    for (const n of arr(g.Networks)) for (const p of ports(n)) deleteIf(p, "HostNetwork", (v) => v === "default");
    for (const t of arr(g.Tasks))
      if (isObj(t.Resources))
        for (const n of arr(t.Resources.Networks)) for (const p of ports(n)) deleteIf(p, "HostNetwork", (v) => v === "default");
  }
}

/**
 * Canonicalizes the desired job: Nomad's register-time defaults
 * (lib/jobspec `canonicalize`, mirroring `api.Job.Canonicalize` and the
 * server's `structs.Job.Canonicalize`), minus the fields the agent drops.
 * This is also the job drover registers.
 */
export function normalizeDesired(job: Job): Job {
  const copy: Obj = structuredClone(job);
  stripAgentDroppedFields(copy);
  const out: Obj = canonicalize(copy as Job);
  elideServerDefaults(out);
  return out as Job;
}

/** A constraint as Nomad stores it. */
interface ConstraintLike {
  LTarget?: string;
  RTarget?: string;
  Operand?: string;
}

/**
 * True for the constraints the server's admission hooks add to a group
 * (`nomad/job_endpoint_hooks.go jobImpliedConstraints`,
 * `job_endpoint_hook_implicit_identities.go`, `job_endpoint_hook_consul_ce.go`).
 */
export function isImpliedConstraint(c: ConstraintLike): boolean {
  const l = c.LTarget ?? "";
  const op = c.Operand ?? "";
  if (op === "semver" && /^\$\{attr\.vault(\.[^.}]+)?\.version\}$/.test(l)) return true; // Vault blocks
  if (op === "semver" && /^\$\{attr\.consul(\.[^.}]+)?\.version\}$/.test(l)) return true; // Consul services
  if (op === "=" && l === "${attr.nomad.service_discovery}" && c.RTarget === "true") return true; // Nomad services
  if (op === "semver" && l === "${attr.nomad.version}") return true; // Nomad service checks, workload identities
  if (op === "set_contains" && l === "${attr.os.signals}") return true; // kill/change signals
  if (op === "semver" && /^\$\{attr\.plugins\.cni\.version\.[^}]+\}$/.test(l)) return true; // bridge networking
  if (op === "=" && /^\$\{attr\.consul(\.[^.}]+)?\.partition\}$/.test(l)) return true; // Consul admin partitions
  return false;
}

function sameConstraint(a: ConstraintLike, b: ConstraintLike): boolean {
  return (a.LTarget ?? "") === (b.LTarget ?? "") && (a.RTarget ?? "") === (b.RTarget ?? "") && (a.Operand ?? "") === (b.Operand ?? "");
}

/** `structs.Task.Canonicalize` gives every task this identity when it has none (`nomad/structs/workload_id.go`). */
function isDefaultIdentity(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (v.Name !== "default") return false;
  const aud = v.Audience;
  if (!(Array.isArray(aud) && aud.length === 1 && aud[0] === "nomadproject.io")) return false;
  return Object.entries(v).every(
    ([k, x]) =>
      k === "Name" || k === "Audience" || x === null || x === false || x === "" || x === 0 || (Array.isArray(x) && x.length === 0),
  );
}

/** Names of the identities `jobImplicitIdentitiesHook` adds from the server's Consul/Vault defaults. */
function isImplicitIdentityName(name: unknown): boolean {
  return typeof name === "string" && /^(vault_|consul_|consul-service_)/.test(name);
}

/** Sidecar and gateway tasks `jobConnectHook` injects (`nomad/job_endpoint_hook_connect.go`). */
function isInjectedConnectTask(t: Obj): boolean {
  return (
    typeof t.Kind === "string" &&
    /^connect-(proxy|ingress|terminating|mesh|api-gateway):/.test(t.Kind) &&
    typeof t.Name === "string" &&
    t.Name.startsWith("connect-")
  );
}

function byName(list: Obj[], name: unknown): Obj | undefined {
  return list.find((x) => x.Name === name);
}

/** Options of `normalizeLive`. */
export interface NormalizeLiveOptions {
  /**
   * The desired job (raw or normalized). When given, server-added content
   * that the desired job also has explicitly (the same constraint, identity,
   * sidecar task) is kept, so that it does not show as a removal.
   */
  desired?: Job;
}

/**
 * Maps a read-back job (`structs.Job` from `GET /v1/job/:id` or the versions
 * endpoint) to the submission shape and canonicalizes it, so that it compares
 * equal to `normalizeDesired` of the program that registered it.
 */
export function normalizeLive(readBack: unknown, options: NormalizeLiveOptions = {}): Job {
  if (!isObj(readBack)) throw new Error("normalizeLive: expected a job object (GET /v1/job/:id)");
  const job = structuredClone(readBack);
  const desired: Obj = options.desired ?? {};
  const desiredGroups = arr(desired.TaskGroups);

  // Server-owned fields (structs.Job); ParentID, Dispatched and Payload only mean something on dispatched children.
  for (const k of SERVER_ONLY_JOB_FIELDS) delete job[k];
  deleteIf(job, "ParentID", isEmptyString);
  deleteIf(job, "Dispatched", isFalse);
  deleteIf(job, "Payload", isNullish);
  deleteIf(job, "DispatchIdempotencyToken", isEmptyString);

  // Job.Update reads back as a stub: ApiJobToStructJob keeps only Stagger and MaxParallel
  // after merging the block into every group (command/agent/job_endpoint.go).
  if (isObj(job.Update)) {
    const rest = Object.entries(job.Update).filter(([k]) => k !== "Stagger" && k !== "MaxParallel");
    if (rest.every(([, v]) => v === null || v === 0 || v === "" || v === false)) delete job.Update;
  }

  stripAgentDroppedFields(job);

  for (const g of arr(job.TaskGroups)) {
    const dg = byName(desiredGroups, g.Name) ?? {};
    const desiredConstraints = arr(dg.Constraints) as ConstraintLike[];
    // Constraints added by jobImpliedConstraints / the identity and Consul hooks.
    if (Array.isArray(g.Constraints)) {
      g.Constraints = arr(g.Constraints).filter(
        (c) => !isImpliedConstraint(c as ConstraintLike) || desiredConstraints.some((d) => sameConstraint(d, c as ConstraintLike)),
      );
    }
    // Scaling: the server adds ID (kept across versions), Namespace, Target and indexes (nomad/structs/structs.go ScalingPolicy).
    if (isObj(g.Scaling)) for (const k of ["ID", "Namespace", "Target", "CreateIndex", "ModifyIndex"]) delete g.Scaling[k];
    // Dynamic ports jobConnectHook adds for sidecars.
    const desiredNetworks = arr(dg.Networks);
    for (const n of arr(g.Networks)) {
      if (Array.isArray(n.DynamicPorts)) {
        n.DynamicPorts = arr(n.DynamicPorts).filter(
          (p) =>
            !(typeof p.Label === "string" && p.Label.startsWith("connect-proxy-")) ||
            desiredNetworks.some((dn) => arr(dn.DynamicPorts).some((dp) => dp.Label === p.Label)),
        );
      }
    }
    for (const s of arr(g.Services)) normalizeLiveService(s);
    const desiredTasks = arr(dg.Tasks);
    if (Array.isArray(g.Tasks)) g.Tasks = arr(g.Tasks).filter((t) => !isInjectedConnectTask(t) || byName(desiredTasks, t.Name));
    for (const t of arr(g.Tasks)) {
      const dt = byName(desiredTasks, t.Name) ?? {};
      // structs.Task.Canonicalize gives every task the default workload identity.
      if (isDefaultIdentity(t.Identity) && isNullish(dt.Identity)) delete t.Identity;
      if (Array.isArray(t.Identities)) {
        const keep = arr(dt.Identities).map((i) => i.Name);
        t.Identities = arr(t.Identities).filter((i) => !isImplicitIdentityName(i.Name) || keep.includes(i.Name));
      }
      for (const s of arr(t.Services)) normalizeLiveService(s);
      // A read-back has no pointers, so an empty Perms stands for "unset": the api package
      // (api/tasks.go Template.Canonicalize) defaults an unset Perms to "0644".
      for (const tpl of arr(t.Templates)) deleteIf(tpl, "Perms", (v) => v === "");
    }
  }
  const out: Obj = canonicalize(job as Job);
  elideServerDefaults(out);
  return out as Job;
}

/** Service fields only the read-back shape carries (`nomad/structs/services.go`). */
function normalizeLiveService(s: Obj): void {
  delete s.Namespace; // set by the server from the provider and job namespace
  for (const c of arr(s.Checks)) {
    // The server names unnamed checks `service: "<svc>" check` (structs.ServiceCheck.Canonicalize).
    if (typeof c.Name === "string" && c.Name === `service: "${String(s.Name)}" check`) delete c.Name;
  }
}
