/**
 * Canonicalization: a job with Nomad's register-time defaults filled in, so
 * that two spellings of the same job compare equal and the runtime sees what
 * a Nomad server would store.
 */
import type { BlockModel, FieldKind } from "./model";
import { JOB_MODEL } from "./model";
import {
  DEFAULT_AFFINITY_WEIGHT,
  DEFAULT_CHANGE_SCRIPT_TIMEOUT_NS,
  DEFAULT_CHECK_RESTART_GRACE_NS,
  DEFAULT_CSI_HEALTH_TIMEOUT_NS,
  DEFAULT_DATACENTERS,
  DEFAULT_EPHEMERAL_DISK,
  DEFAULT_JOB_PRIORITY,
  DEFAULT_KILL_TIMEOUT_NS,
  DEFAULT_LOG_CONFIG,
  DEFAULT_MIGRATE_STRATEGY,
  DEFAULT_NAMESPACE,
  DEFAULT_NODE_POOL,
  DEFAULT_REGION,
  DEFAULT_RESOURCES,
  DEFAULT_SPREAD_WEIGHT,
  DEFAULT_TEMPLATE_SPLAY_NS,
  DEFAULT_UPDATE_STRATEGY,
  defaultReschedulePolicy,
  defaultRestartPolicy,
  rescheduleFillIn,
} from "./defaults";
import { setOwn } from "./format";
import type { Job } from "./types.generated";
import { isObject as isObj } from "../util/object";

type Obj = Record<string, unknown>;

/** A deep copy of an open JSON value (driver Config and the like), kept as is otherwise. */
function copyJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyJson);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) setOwn(out, k, copyJson(v[k]));
    return out;
  }
  return v;
}

/**
 * A fresh copy of a block following the model: nulls dropped, empty lists and
 * maps dropped (the server's structs Canonicalize makes them nil), open
 * objects deep-copied. Nothing of the input is shared with the output.
 */
function copyBlock(v: unknown, model: BlockModel): Obj {
  const out: Obj = {};
  if (!isObj(v)) return out;
  // In the model's order (Nomad's field order), so that the result's key
  // order does not depend on the input's; unknown keys are not copied.
  const keys = model.keys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = v[key];
    if (value === null || value === undefined) continue;
    const copied = copyField(value, model.fields.get(key)!);
    if (copied !== undefined) out[key] = copied;
  }
  return out;
}

function copyField(value: unknown, kind: FieldKind): unknown {
  switch (kind.kind) {
    case "scalar":
      return value;
    case "block":
      return isObj(value) ? copyBlock(value, kind.block) : value;
    case "list": {
      if (!Array.isArray(value)) return value;
      if (value.length === 0) return undefined;
      return value.map((x) => (isObj(x) ? copyBlock(x, kind.block) : x));
    }
    case "map": {
      if (!isObj(value)) return value;
      const keys = Object.keys(value);
      if (keys.length === 0) return undefined;
      const out: Obj = {};
      for (const k of keys) setOwn(out, k, isObj(value[k]) ? copyBlock(value[k], kind.block) : value[k]);
      return out;
    }
    case "scalarList":
      if (!Array.isArray(value)) return value;
      return value.length === 0 ? undefined : value.slice();
    case "scalarMap":
    case "opaqueList":
    case "opaque": {
      if (Array.isArray(value)) return value.length === 0 ? undefined : copyJson(value);
      if (!isObj(value)) return value;
      return Object.keys(value).length === 0 ? undefined : copyJson(value);
    }
  }
}

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter(isObj) as Obj[]) : []);
const strOf = (v: unknown): string => (typeof v === "string" ? v : "");
/** Sets `o[k]` to `d` when it is unset (Nomad: a nil pointer). */
function fill(o: Obj, k: string, d: unknown): void {
  if (o[k] === undefined) o[k] = d;
}
/** Sets `o[k]` to `d` when it is unset or the zero value `zero` (Nomad: an empty non-pointer field). */
function fillZero(o: Obj, k: string, d: unknown, zero: unknown): void {
  if (o[k] === undefined || o[k] === zero) o[k] = d;
}
/** Fills every unset field of `o` from `defaults`. */
function fillAll(o: Obj, defaults: Readonly<Record<string, unknown>>): void {
  for (const k of Object.keys(defaults)) if (o[k] === undefined) o[k] = defaults[k];
}
/** `base` with every set field of `over` copied over it (Nomad's Merge of pointer structs). */
function merge(base: Readonly<Obj>, over: Obj | undefined): Obj {
  const out: Obj = { ...base };
  if (over) for (const k of Object.keys(over)) if (over[k] !== undefined) setOwn(out, k, over[k]);
  return out;
}

/**
 * Returns `job` with Nomad's register-time defaults, as a new object (the
 * input is never modified and shares nothing with the result). It applies:
 * - the api package's `Job.Canonicalize` (what the HTTP agent runs on every
 *   register, plan and validate body: `api/jobs.go`, `api/tasks.go`,
 *   `api/services.go`, `api/resources.go`, `api/consul.go`, `api/scaling.go`);
 * - the defaulting parts of the server's `structs.Job.Canonicalize` and
 *   admission hooks: Datacenters `["*"]`, NodePool `"default"`, Namespace
 *   `"default"`, ParameterizedJob.Payload `"optional"`, KillTimeout 0 → 5s,
 *   service `TaskName`, `${JOB}`/`${TASKGROUP}`/`${TASK}`/`${BASE}` in service
 *   names, check names `service: "<name>" check`, Disconnect.LostAfter 0,
 *   Resources.MemoryMaxMB 0;
 * - the api→structs conversion's merges: job-level `Reschedule` and `Migrate`
 *   are merged into every group and removed from the job (the server does
 *   not store them). `Update` is merged into the groups and kept on the job.
 *
 * Key order: the keys of the input in Nomad's order (see orderJobKeys), then
 * the defaults in a fixed order, so that the same content always gives the
 * same result (use formatJobJson or orderJobKeys for Nomad's order
 * throughout). Unknown keys are not copied. The result omits nulls, and
 * empty lists and maps (the server stores them as nil); `Datacenters`
 * becomes `["*"]` when empty. Priority 0 becomes 50 and Region "" becomes
 * "global" (the server's defaults with a default configuration). A batch or
 * sysbatch job's job-level Update stub (only Stagger/MaxParallel, as old
 * servers returned it) is dropped.
 *
 * It does NOT add what the servers add from their own configuration or
 * cluster state: implied constraints (`${attr.vault.version}`, Consul,
 * signals, CNI ...), workload identities (the default `Identity` and the
 * implicit Consul/Vault identities), Connect sidecar tasks and their ports,
 * Scaling policy IDs and Targets, Port.HostNetwork "default", Service
 * Namespace, and server-owned read-only fields (Status, Version, indexes).
 * Zero-valued read-only fields (ParentID "", Status "", Version 0 ...) that
 * the api package fills in are not added either.
 *
 * Pure and idempotent: `canonicalize(canonicalize(j))` deep-equals
 * `canonicalize(j)`. It expects a valid job (see validateJob); on an invalid
 * one it does its best and never throws on well-typed fields.
 */
export function canonicalize(job: Job): Job {
  const j = copyBlock(job, JOB_MODEL);

  // api.Job.Canonicalize (api/jobs.go)
  fill(j, "ID", "");
  fill(j, "Name", j.ID);
  fillZero(j, "Namespace", DEFAULT_NAMESPACE, ""); // "" too: structs.Job.Canonicalize
  fillZero(j, "Priority", DEFAULT_JOB_PRIORITY, 0); // 0: the server's job_default_priority (50 by default)
  fill(j, "Stop", false);
  fillZero(j, "Region", DEFAULT_REGION, ""); // "": the agent uses its own region (regionForJob)
  fillZero(j, "NodePool", DEFAULT_NODE_POOL, ""); // jobNodePoolMutatingHook
  fill(j, "Type", "service");
  fill(j, "AllAtOnce", false);
  if (!Array.isArray(j.Datacenters) || j.Datacenters.length === 0) j.Datacenters = [...DEFAULT_DATACENTERS]; // structs.Job.Canonicalize
  const type = strOf(j.Type);

  // A batch/sysbatch job read back from a server carries a job-level Update
  // stub (structs.Job.Update is a value holding only Stagger and MaxParallel):
  // it is not an update block, and is dropped.
  if ((type === "batch" || type === "sysbatch") && isObj(j.Update) && isUpdateStub(j.Update)) delete j.Update;
  if (isObj(j.Periodic)) canonicalizePeriodic(j.Periodic);
  if (isObj(j.Update)) fillAll(j.Update, DEFAULT_UPDATE_STRATEGY);
  else if (type === "service" || type === "system") j.Update = { ...DEFAULT_UPDATE_STRATEGY };
  if (isObj(j.Multiregion)) canonicalizeMultiregion(j.Multiregion);
  if (isObj(j.ParameterizedJob)) fillZero(j.ParameterizedJob, "Payload", "optional", ""); // structs.ParameterizedJobConfig.Canonicalize

  for (const g of list(j.TaskGroups)) canonicalizeGroup(g, j, type);
  for (const s of list(j.Spreads)) fill(s, "Weight", DEFAULT_SPREAD_WEIGHT);
  for (const a of list(j.Affinities)) fill(a, "Weight", DEFAULT_AFFINITY_WEIGHT);

  // ApiJobToStructJob: job-level Reschedule and Migrate live on the groups only.
  delete j.Reschedule;
  delete j.Migrate;
  return j as Job;
}

function canonicalizePeriodic(p: Obj): void {
  // api.PeriodicConfig.Canonicalize
  fill(p, "Enabled", true);
  fill(p, "Spec", "");
  fill(p, "SpecType", "cron");
  fill(p, "ProhibitOverlap", false);
  fillZero(p, "TimeZone", "UTC", "");
}

function canonicalizeMultiregion(m: Obj): void {
  // api.Multiregion.Canonicalize
  if (!isObj(m.Strategy)) m.Strategy = {};
  fill(m.Strategy as Obj, "MaxParallel", 0);
  fill(m.Strategy as Obj, "OnFailure", "");
  for (const r of list(m.Regions)) fill(r, "Count", 1);
}

/**
 * True for the job-level Update a server returns (`ApiJobToStructJob` keeps
 * only Stagger and MaxParallel): every other field unset or zero.
 */
export function isUpdateStub(u: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(u).every(
    ([k, v]) => k === "Stagger" || k === "MaxParallel" || v === undefined || v === null || v === 0 || v === "" || v === false,
  );
}

/** `api.UpdateStrategy.Empty`: no field set to a non-zero value. */
function updateIsEmpty(u: Obj): boolean {
  return Object.values(u).every((v) => v === undefined || v === 0 || v === "" || v === false);
}

function canonicalizeGroup(g: Obj, job: Obj, type: string): void {
  // api.TaskGroup.Canonicalize (api/tasks.go)
  fill(g, "Name", "");
  const scaling = isObj(g.Scaling) ? g.Scaling : undefined;
  if (g.Count === undefined) g.Count = scaling && typeof scaling.Min === "number" ? scaling.Min : 1;
  if (scaling) {
    // api.ScalingPolicy.Canonicalize
    fill(scaling, "Enabled", true);
    fill(scaling, "Min", g.Count);
    fillZero(scaling, "Type", "horizontal", "");
  }
  g.EphemeralDisk = merge(DEFAULT_EPHEMERAL_DISK, isObj(g.EphemeralDisk) ? g.EphemeralDisk : undefined);
  if (isObj(g.Consul)) {
    if (strOf(g.Consul.Namespace) === "" && typeof job.ConsulNamespace === "string" && job.ConsulNamespace !== "")
      g.Consul.Namespace = job.ConsulNamespace;
    fillZero(g.Consul, "Cluster", "default", "");
  }

  const jobUpdate = isObj(job.Update) ? job.Update : undefined;
  if (jobUpdate && isObj(g.Update)) g.Update = merge(jobUpdate, g.Update);
  else if (jobUpdate && !updateIsEmpty(jobUpdate)) g.Update = { ...jobUpdate };
  if (isObj(g.Update)) fillAll(g.Update, DEFAULT_UPDATE_STRATEGY);

  const jobReschedule = isObj(job.Reschedule) ? job.Reschedule : undefined;
  if (jobReschedule) g.ReschedulePolicy = merge(jobReschedule, isObj(g.ReschedulePolicy) ? g.ReschedulePolicy : undefined);
  if (!isObj(g.ReschedulePolicy) && type !== "system" && type !== "sysbatch")
    g.ReschedulePolicy = defaultReschedulePolicy(type) ?? rescheduleFillIn(type);
  if (isObj(g.ReschedulePolicy)) fillAll(g.ReschedulePolicy, rescheduleFillIn(type));

  const jobMigrate = isObj(job.Migrate) ? job.Migrate : undefined;
  if (jobMigrate) g.Migrate = merge(jobMigrate, isObj(g.Migrate) ? g.Migrate : undefined);
  if (!isObj(g.Migrate) && type === "service") g.Migrate = {};
  if (isObj(g.Migrate)) fillAll(g.Migrate, DEFAULT_MIGRATE_STRATEGY);

  g.RestartPolicy = merge(defaultRestartPolicy(type), isObj(g.RestartPolicy) ? g.RestartPolicy : undefined);

  for (const t of list(g.Tasks)) canonicalizeTask(t, g, job);
  for (const s of list(g.Spreads)) fill(s, "Weight", DEFAULT_SPREAD_WEIGHT);
  for (const a of list(g.Affinities)) fill(a, "Weight", DEFAULT_AFFINITY_WEIGHT);
  for (const s of list(g.Services)) canonicalizeService(s, undefined, g, job);

  if (isObj(g.Disconnect)) {
    // api.DisconnectStrategy.Canonicalize; LostAfter reads back as 0 (a non-pointer in structs)
    fill(g.Disconnect, "LostAfter", 0);
    fill(g.Disconnect, "Replace", true);
    fillZero(g.Disconnect, "Reconcile", "best_score", "");
  }
}

function canonicalizeResources(r: Obj): void {
  // api.Resources.Canonicalize
  if (r.Cores === undefined) {
    r.Cores = DEFAULT_RESOURCES.Cores;
    fill(r, "CPU", DEFAULT_RESOURCES.CPU);
  }
  fill(r, "CPU", 0);
  fill(r, "MemoryMB", DEFAULT_RESOURCES.MemoryMB);
  fill(r, "MemoryMaxMB", 0); // ApiResourcesToStructs: nil becomes 0
  for (const d of list(r.Devices)) {
    fill(d, "Count", 1);
    for (const a of list(d.Affinities)) fill(a, "Weight", DEFAULT_AFFINITY_WEIGHT);
  }
  if (isObj(r.NUMA)) fillZero(r.NUMA, "Affinity", "none", "");
}

function canonicalizeLogConfig(l: Obj): void {
  fill(l, "MaxFiles", DEFAULT_LOG_CONFIG.MaxFiles);
  fill(l, "MaxFileSizeMB", DEFAULT_LOG_CONFIG.MaxFileSizeMB);
  fill(l, "Disabled", DEFAULT_LOG_CONFIG.Disabled);
}

function canonicalizeTask(t: Obj, g: Obj, job: Obj): void {
  // api.Task.Canonicalize (api/tasks.go) and structs.Task.Canonicalize
  if (!isObj(t.Resources)) t.Resources = {};
  canonicalizeResources(t.Resources as Obj);
  fillZero(t, "KillTimeout", DEFAULT_KILL_TIMEOUT_NS, 0);
  if (!isObj(t.LogConfig)) t.LogConfig = {};
  canonicalizeLogConfig(t.LogConfig as Obj);
  for (const a of list(t.Artifacts)) canonicalizeArtifact(a);
  if (isObj(t.Vault)) {
    const v = t.Vault;
    fill(v, "Env", true);
    fill(v, "DisableFile", false);
    fill(v, "Namespace", "");
    if (v.Namespace === "" && typeof job.VaultNamespace === "string" && job.VaultNamespace !== "") v.Namespace = job.VaultNamespace;
    fillZero(v, "Cluster", "default", "");
    fill(v, "ChangeMode", "restart");
    fill(v, "ChangeSignal", "SIGHUP");
    fill(v, "AllowTokenExpiration", false);
  }
  if (isObj(t.Consul)) fillZero(t.Consul, "Cluster", "default", "");
  for (const tmpl of list(t.Templates)) canonicalizeTemplate(tmpl);
  for (const s of list(t.Services)) canonicalizeService(s, t, g, job);
  for (const a of list(t.Affinities)) fill(a, "Weight", DEFAULT_AFFINITY_WEIGHT);
  for (const vm of list(t.VolumeMounts)) {
    fill(vm, "PropagationMode", "private");
    fill(vm, "ReadOnly", false);
    fill(vm, "SELinuxLabel", "");
  }
  if (isObj(t.CSIPluginConfig)) {
    fillZero(t.CSIPluginConfig, "MountDir", "/csi", "");
    fillZero(t.CSIPluginConfig, "StagePublishBaseDir", "/local/csi", "");
    fillZero(t.CSIPluginConfig, "HealthTimeout", DEFAULT_CSI_HEALTH_TIMEOUT_NS, 0);
  }
  const groupRestart = g.RestartPolicy as Obj;
  t.RestartPolicy = merge(groupRestart, isObj(t.RestartPolicy) ? t.RestartPolicy : undefined);
}

/** Go's `path.Base`. */
function goPathBase(p: string): string {
  if (p === "") return ".";
  const trimmed = p.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

function canonicalizeArtifact(a: Obj): void {
  // api.TaskArtifact.Canonicalize
  fill(a, "GetterMode", "any");
  fill(a, "GetterInsecure", false);
  fill(a, "GetterSource", "");
  if (a.RelativeDest === undefined) {
    if (a.GetterMode === "file") {
      const base = goPathBase(strOf(a.GetterSource));
      a.RelativeDest = base === "." || base === "/" ? "local" : `local/${base}`; // filepath.Join("local", base)
    } else a.RelativeDest = "local/";
  }
}

function canonicalizeTemplate(t: Obj): void {
  // api.Template.Canonicalize
  fill(t, "SourcePath", "");
  fill(t, "DestPath", "");
  fill(t, "EmbeddedTmpl", "");
  fill(t, "ChangeMode", "restart");
  if (t.ChangeSignal === undefined) t.ChangeSignal = t.ChangeMode === "signal" ? "SIGHUP" : "";
  else t.ChangeSignal = strOf(t.ChangeSignal).toUpperCase();
  if (isObj(t.ChangeScript)) {
    fill(t.ChangeScript, "Command", "");
    fill(t.ChangeScript, "Timeout", DEFAULT_CHANGE_SCRIPT_TIMEOUT_NS);
    fill(t.ChangeScript, "FailOnError", false);
    fill(t.ChangeScript, "RunOnFirstRender", false);
  }
  fill(t, "Once", false);
  fill(t, "Splay", DEFAULT_TEMPLATE_SPLAY_NS);
  fill(t, "Perms", "0644");
  fill(t, "LeftDelim", "{{");
  fill(t, "RightDelim", "}}");
  fill(t, "Envvars", false);
  fill(t, "ErrMissingKey", false);
  fill(t, "VaultGrace", 0);
}

/** `args.ReplaceEnv` restricted to the service-name variables the server interpolates. */
function interpolateServiceName(name: string, vars: Record<string, string>): string {
  if (!name.includes("${")) return name;
  return name.replace(/\$\{([A-Za-z0-9_.-]+)\}/g, (whole, key: string) => (key in vars ? vars[key] : whole));
}

function canonicalizeService(s: Obj, task: Obj | undefined, g: Obj, job: Obj): void {
  // api.Service.Canonicalize (api/services.go)
  const jobName = strOf(job.Name);
  const groupName = strOf(g.Name);
  if (strOf(s.Name) === "") s.Name = task ? `${jobName}-${groupName}-${strOf(task.Name)}` : `${jobName}-${groupName}`;
  fillZero(s, "AddressMode", "auto", "");
  fillZero(s, "OnUpdate", "require_healthy", "");
  fillZero(s, "Provider", "consul", "");
  fillZero(s, "Cluster", "default", "");
  if (isObj(s.Connect)) canonicalizeConnect(s.Connect);
  if (isObj(s.Weights)) {
    if (!(typeof s.Weights.Passing === "number" && s.Weights.Passing > 0)) s.Weights.Passing = 1;
    if (!(typeof s.Weights.Warning === "number" && s.Weights.Warning > 0)) s.Weights.Warning = 1;
  }
  // structs.Service.Canonicalize (nomad/structs/services.go): TaskName and name interpolation
  const taskName = task ? strOf(task.Name) : "group";
  if (task && strOf(s.TaskName) === "") s.TaskName = taskName;
  s.Name = interpolateServiceName(strOf(s.Name), {
    JOB: jobName,
    TASKGROUP: groupName,
    TASK: taskName,
    BASE: `${jobName}-${groupName}-${taskName}`,
  });

  const serviceRestart = isObj(s.CheckRestart) ? s.CheckRestart : undefined;
  for (const c of list(s.Checks)) {
    const cr = mergeCheckRestart(serviceRestart, isObj(c.CheckRestart) ? c.CheckRestart : undefined);
    if (cr) {
      fill(cr, "Grace", DEFAULT_CHECK_RESTART_GRACE_NS);
      c.CheckRestart = cr;
    }
    for (const k of ["SuccessBeforePassing", "FailuresBeforeCritical", "FailuresBeforeWarning"])
      if (typeof c[k] === "number" && (c[k] as number) < 0) c[k] = 0;
    fillZero(c, "OnUpdate", s.OnUpdate, "");
    // structs.ServiceCheck.Canonicalize
    fillZero(c, "Name", `service: ${JSON.stringify(s.Name)} check`, "");
    if (strOf(c.TaskName) === "" && strOf(s.TaskName) !== "") c.TaskName = s.TaskName;
  }
}

/** `api.CheckRestart.Merge`: the check's Limit (if > 0), Grace (if set) and IgnoreWarnings (if true) over the service's. */
function mergeCheckRestart(service: Obj | undefined, check: Obj | undefined): Obj | undefined {
  if (!service) return check ? { ...check } : undefined;
  const out: Obj = { ...service };
  if (!check) return out;
  if (typeof check.Limit === "number" && check.Limit > 0) out.Limit = check.Limit;
  if (check.Grace !== undefined) out.Grace = check.Grace;
  if (check.IgnoreWarnings === true) out.IgnoreWarnings = true;
  return out;
}

function canonicalizeConnect(c: Obj): void {
  // api.ConsulConnect.Canonicalize (api/consul.go)
  const st = isObj(c.SidecarTask) ? c.SidecarTask : undefined;
  if (st) {
    if (!isObj(st.Resources)) st.Resources = { ...DEFAULT_RESOURCES }; // api.DefaultResources
    canonicalizeResources(st.Resources as Obj);
    if (!isObj(st.LogConfig)) st.LogConfig = {};
    canonicalizeLogConfig(st.LogConfig as Obj);
    fill(st, "KillTimeout", DEFAULT_KILL_TIMEOUT_NS);
    fill(st, "ShutdownDelay", 0);
  }
  const gw = isObj(c.Gateway) ? c.Gateway : undefined;
  if (gw && isObj(gw.Proxy)) fill(gw.Proxy, "ConnectTimeout", 5_000_000_000); // api.ConsulGatewayProxy.Canonicalize
}
