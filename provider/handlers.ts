/**
 * The work behind `NomadJob`'s dynamic provider: check, diff, create, read,
 * update and delete over lib/plan. Plain functions of plain data: the
 * serialized provider (provider/shell.ts) loads this module at call time in
 * the process Pulumi runs it in, and every call builds its own Nomad client.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { AllocationListStub, NomadClient, ReadBackJob } from "../lib/api";
import { parseGoDuration, validateJob } from "../lib/jobspec";
import type { Job } from "../lib/jobspec/types";
import {
  ApplyError,
  applyJob,
  canaryStatus,
  ConcurrentModificationError,
  destroyJob,
  diffJobs,
  GLOBAL_REGION,
  normalizeDesired,
  normalizeLive,
  planJob,
  readLiveJob,
  replacementReasons,
  requestRegion,
  withNomadClient,
} from "../lib/plan";
import type { ApplyOptions, ConnectionOptions, JobChange } from "../lib/plan";
import { containsUnknown, toBareJob } from "./job-input";
import type { AllocationStatusCounts, JobObject, NomadJobInputs, NomadJobOutputs } from "./props";
import { OUTPUT_ONLY_KEYS, SETTING_KEYS, UNKNOWN } from "./props";
import { engineLog } from "./engine-log";
import type { EngineLog } from "./engine-log";

/** What `check` answers: the inputs to store (the job bare and normalized) and the problems found (empty when valid). */
export type CheckResult = Required<dynamic.CheckResult<Props>>;

/** What `diff` answers: `changes` always set (true: an update or replacement; false: nothing changes). */
export type DiffResult = dynamic.DiffResult & { readonly changes: boolean };

/** The default of `waitTimeout`. */
export const DEFAULT_WAIT_TIMEOUT = "5m";

type Props = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function bool(v: unknown): boolean {
  return v === true;
}

/** The resource ID of a job: `<job-id>@<namespace>`, as Nomad's web UI names jobs. */
export function resourceId(jobId: string, namespace: string): string {
  return `${jobId}@${namespace}`;
}

/** The job's namespace ("default" when unset). */
function namespaceOf(job: JobObject): string {
  return str(job.Namespace) ?? "default";
}

/** The Nomad client settings of a resource's properties, with the NOMAD_* environment as defaults. */
export function connectionOf(p: Props, namespace: string, region: string | undefined): ConnectionOptions {
  return {
    env: process.env,
    address: str(p.address),
    token: str(p.token),
    namespace,
    region,
    tls: {
      caCert: str(p.caCert),
      clientCert: str(p.clientCert),
      clientKey: str(p.clientKey),
      serverName: str(p.tlsServerName),
      insecure: p.skipVerify === true ? true : undefined,
    },
  };
}

/** `waitTimeout` in milliseconds. */
function waitTimeoutMs(v: unknown): number {
  return Math.round(parseGoDuration(str(v) ?? DEFAULT_WAIT_TIMEOUT) / 1e6);
}

function applyOptions(p: Props): ApplyOptions {
  return { detach: bool(p.detach), promote: bool(p.promote), timeoutMs: waitTimeoutMs(p.waitTimeout) };
}

/** Folds the `namespace` or `region` input into the job when the job sets none; reports a conflict otherwise. */
function foldSetting(
  job: JobObject,
  field: "Namespace" | "Region",
  input: unknown,
  property: string,
  failures: dynamic.CheckFailure[],
): void {
  const value = str(input);
  if (value === undefined || value === UNKNOWN) return;
  const own = str(job[field]);
  if (own === undefined) job[field] = value;
  else if (own !== value)
    failures.push({ property, reason: `the ${property} input "${value}" differs from the job's ${field} "${own}": set only one of them` });
}

/**
 * Validates the inputs with lib/jobspec's `validateJob` (one failure per
 * problem, each with its path) and returns them with the job bare and
 * normalized, and `namespace`/`region` set to the job's. Values Pulumi does
 * not know yet (a preview) are not validated.
 */
export function check(_olds: Props, news: Props): CheckResult {
  const inputs: Props = { ...news };
  const failures: dynamic.CheckFailure[] = [];
  for (const key of ["detach", "purgeOnDestroy", "adopt", "skipVerify", "promote", "stopChildren", "preserveCounts", "rerunIfDead"]) {
    const v = news[key];
    if (v !== undefined && v !== null && v !== UNKNOWN && typeof v !== "boolean")
      failures.push({ property: key, reason: `must be a boolean (got ${JSON.stringify(v)})` });
  }
  for (const key of [
    "address",
    "token",
    "region",
    "namespace",
    "caCert",
    "clientCert",
    "clientKey",
    "tlsServerName",
    "waitTimeout",
    "resourceUrn",
  ]) {
    const v = news[key];
    if (v !== undefined && v !== null && typeof v !== "string")
      failures.push({ property: key, reason: `must be a string (got ${JSON.stringify(v)})` });
  }
  const wait = news.waitTimeout;
  if (typeof wait === "string" && wait !== UNKNOWN) {
    try {
      if (parseGoDuration(wait) <= 0)
        failures.push({ property: "waitTimeout", reason: `must be a positive Go duration such as "5m" (got ${JSON.stringify(wait)})` });
    } catch (err) {
      failures.push({ property: "waitTimeout", reason: (err as Error).message });
    }
  }
  if (news.job === undefined || news.job === null) {
    failures.push({ property: "job", reason: 'a job is required: a drover DSL Job, a bare job object or a {"Job": …} register request' });
    return { inputs, failures };
  }
  if (containsUnknown(news.job)) return { inputs, failures };

  const raw = toBareJob(news.job);
  const result = validateJob(raw);
  if (!result.valid) {
    for (const p of result.problems) failures.push({ property: "job", reason: `${p.path}: ${p.message}` });
    return { inputs, failures };
  }
  const job = structuredClone(raw) as JobObject;
  foldSetting(job, "Namespace", news.namespace, "namespace", failures);
  foldSetting(job, "Region", news.region, "region", failures);
  const normalizedJob: JobObject = normalizeDesired(job as Job);
  inputs.job = normalizedJob;
  // The stored namespace and region inputs say where the job goes; the outputs of the
  // same names say the same, so a refresh does not show them as changed inputs.
  inputs.namespace = namespaceOf(normalizedJob);
  inputs.region = str(normalizedJob.Region) ?? GLOBAL_REGION;
  return { inputs, failures };
}

/** Normalizes a stored or new job, tolerating the forms `check` accepts. */
function normalized(job: unknown): JobObject {
  return normalizeDesired(toBareJob(job) as Job);
}

function sameSetting(a: unknown, b: unknown): boolean {
  const blank = (v: unknown) => v === undefined || v === null || v === "" || v === false;
  return (blank(a) && blank(b)) || a === b;
}

/** The job-level changes from the stored job to the new one (the new job's "global" region takes the stored one, as the agent does). */
export function jobChanges(oldJob: unknown, newJob: unknown): { changes: JobChange[]; replacementReasons: string[] } {
  const live = normalized(oldJob);
  const desired = normalized(newJob);
  if (requestRegion(desired.Region) === undefined && str(live.Region)) desired.Region = live.Region;
  return { changes: diffJobs(desired, live), replacementReasons: replacementReasons(desired, live) };
}

/**
 * Compares the stored job with the new one: field-level with lib/plan, so
 * server defaults are no change. ID, namespace, region, type and
 * periodic/parameterized changes replace the job (old one first when the
 * ID and namespace stay). Connection and behaviour settings are no change to
 * the job, but an update that stores them. Unknown values: some change.
 */
export function diff(_id: string, olds: Props, news: Props): DiffResult {
  const oldJob = (olds.job ?? {}) as JobObject;
  // __provider itself may be unknown in a preview; it is no input of the job.
  const { __provider: _provider, ...newInputs } = news;
  void _provider;
  if (containsUnknown(newInputs)) {
    const newJob = (typeof news.job === "object" && news.job !== null ? toBareJob(news.job) : {}) as JobObject;
    const known = (v: unknown) => typeof v === "string" && v !== UNKNOWN;
    const idChanged = known(newJob.ID) && newJob.ID !== oldJob.ID;
    const nsChanged = known(newJob.Namespace) && namespaceOf(newJob) !== namespaceOf(oldJob);
    return idChanged || nsChanged ? { changes: true, replaces: ["job"] } : { changes: true };
  }
  const { changes: all, replacementReasons: reasons } = jobChanges(oldJob, news.job);
  // With preserveCounts, the count of a group that exists is Nomad's (an autoscaler's), not a change.
  const changes = bool(news.preserveCounts) ? all.filter((c) => !(c.effect === "scale" && c.kind === "update")) : all;
  if (reasons.length) {
    const newJob = normalized(news.job);
    const sameKey = str(newJob.ID) === str(oldJob.ID) && namespaceOf(newJob) === namespaceOf(oldJob);
    return { changes: true, replaces: ["job"], deleteBeforeReplace: sameKey };
  }
  // stopChildren defaults to true: unset and true are the same setting.
  const setting = (p: Props, k: (typeof SETTING_KEYS)[number]) => (k === "stopChildren" ? p[k] !== false : p[k]);
  const settingsChanged = SETTING_KEYS.some((k) => !sameSetting(setting(olds, k), setting(news, k)));
  // A finished run-once job stays as it is; with rerunIfDead every update runs it again.
  const rerun = bool(news.rerunIfDead) && finishedBatch(olds);
  return { changes: changes.length > 0 || settingsChanged || rerun };
}

/** True when stored outputs say the job is a batch or sysbatch job that ran to completion (dead, not stopped by destroy). */
function finishedBatch(p: Props): boolean {
  const type = str(((p.job ?? {}) as JobObject).Type) ?? "service";
  return (type === "batch" || type === "sysbatch") && p.status === "dead";
}

function countAllocations(allocs: AllocationListStub[]): AllocationStatusCounts {
  const counts: AllocationStatusCounts = { pending: 0, running: 0, complete: 0, failed: 0, lost: 0, unknown: 0 };
  for (const a of allocs) {
    if (a.DesiredStatus !== "run") continue;
    const s = a.ClientStatus as keyof AllocationStatusCounts;
    if (s in counts) counts[s]++;
  }
  return counts;
}

/** The outputs of a job as Nomad has it now (null when it does not exist). */
async function describe(
  client: NomadClient,
  inputs: Props,
  jobId: string,
  namespace: string,
  region: string | undefined,
  live?: ReadBackJob | null,
): Promise<NomadJobOutputs | null> {
  const job = live === undefined ? await readLiveJob(client, { id: jobId, namespace, region }) : live;
  if (!job) return null;
  const scope = { namespace, region };
  const [dep, allocs] = await Promise.all([client.jobs.latestDeployment(jobId, scope), client.jobs.allocations(jobId, scope)]);
  return {
    // The stored inputs, as `check` left them (NomadJobInputs is an interface: no overlap with a plain record).
    ...(inputs as unknown as NomadJobInputs),
    jobId,
    namespace,
    region: str(job.Region) ?? GLOBAL_REGION,
    version: job.Version,
    jobModifyIndex: job.JobModifyIndex,
    status: job.Status,
    deploymentId: dep.data?.ID ?? null,
    deploymentStatus: dep.data?.Status ?? null,
    allocations: countAllocations(allocs.data ?? []),
    awaitingPromotion: dep.data?.Status === "running" && canaryStatus(dep.data).phase === "awaiting-promotion",
  };
}

/** The error Pulumi's host reports as a partial failure: the job exists and stays in state. */
export interface PartialFailure extends Error {
  /** The resource ID. */
  id: string;
  /** The outputs to store. */
  properties: Props;
  /** Why the resource is not healthy. */
  reasons: string[];
}

/**
 * Turns "registered but did not come up" (or "registered, then the wait was
 * interrupted") into a partial failure, so that Pulumi's state records the
 * job; other errors pass unchanged (with a hint for concurrent changes).
 */
async function asPartialFailure(
  client: NomadClient,
  err: unknown,
  id: string,
  inputs: Props,
  jobId: string,
  namespace: string,
  region: string | undefined,
  wait?: Wait,
): Promise<unknown> {
  if (err instanceof ConcurrentModificationError) {
    return new Error(
      `${err.message.replace(/: plan again$/, "")} outside Pulumi: run \`pulumi refresh\` to see what changed, then \`pulumi up\` again`,
    );
  }
  if (wait?.interrupted && wait.registered) {
    const deploymentId =
      wait.deploymentId ?? (await client.jobs.latestDeployment(jobId, { namespace, region }).catch(() => null))?.data?.ID;
    const follow = deploymentId ? `drover deployment status ${deploymentId}` : `drover status ${jobId}`;
    err = new ApplyError({
      jobId,
      registered: true,
      stage: "interrupted",
      summary: `interrupted while waiting: the job is registered and Nomad goes on with it; follow it with \`${follow}\``,
    });
  }
  if (!(err instanceof ApplyError) || !err.registered) return err;
  let properties: Props = { ...inputs, jobId, namespace };
  try {
    const outs = await describe(client, inputs, jobId, namespace, region);
    if (outs) properties = { ...outs };
  } catch {
    // Keep the inputs: the job is registered, the outputs are refreshed on the next read.
  }
  const failure = new Error(err.message) as PartialFailure;
  failure.id = id;
  failure.properties = properties;
  failure.reasons = [err.message];
  return failure;
}

/** The job's key from stored properties (outputs win over the job, which may be a refreshed one). */
function keyOf(p: Props): { jobId: string; namespace: string; region: string | undefined } {
  const job = (p.job ?? {}) as JobObject;
  const jobId = str(p.jobId) ?? str(job.ID);
  if (!jobId) throw new Error("the resource's state has no job ID (jobId output or job.ID)");
  return { jobId, namespace: str(p.namespace) ?? namespaceOf(job), region: requestRegion(p.region ?? job.Region) };
}

/**
 * One create or update's wait: progress to the engine's log for the
 * resource, and an abort on the host's SIGINT/SIGTERM (the engine stopping
 * it), remembering whether the job was registered before.
 */
class Wait {
  /** True once the job was registered. */
  registered = false;
  /** The deployment followed, once known. */
  deploymentId: string | undefined;
  private readonly ctl = new AbortController();
  private readonly log: EngineLog;
  private readonly onSignal = () => {
    this.ctl.abort(new Error("interrupted"));
    // Give the operations of this host a moment to answer with what they registered, then end as the signal asked.
    setTimeout(() => process.exit(130), 2000).unref();
  };

  constructor(urn: unknown) {
    this.log = engineLog(str(urn));
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  /** True once interrupted. */
  get interrupted(): boolean {
    return this.ctl.signal.aborted;
  }

  /** `applyJob` options with this wait's progress and abort. */
  options(p: Props): ApplyOptions {
    return {
      ...applyOptions(p),
      signal: this.ctl.signal,
      onProgress: (e) => {
        if (e.type === "registered") this.registered = true;
        if (e.type === "deployment") this.deploymentId = e.deploymentId;
        this.log.progress(e);
      },
    };
  }

  /** Stops listening and flushes the log. */
  async close(): Promise<void> {
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
    await this.log.close();
  }
}

/** Registers the job and waits for it as configured. Fails when a running job of that ID exists, unless `adopt`. */
export async function create(inputs: Props): Promise<Required<dynamic.CreateResult<NomadJobOutputs>>> {
  const job = inputs.job as JobObject;
  const namespace = namespaceOf(job);
  const region = requestRegion(job.Region);
  return withNomadClient(connectionOf(inputs, namespace, region), async (client) => {
    const plan = await planJob(client, job as Job, { serverPlan: false, preserveCounts: bool(inputs.preserveCounts) });
    const running = plan.live !== null && plan.live.Stop !== true;
    if (running && !bool(inputs.adopt)) {
      throw new Error(
        `job "${plan.jobId}" already exists in namespace "${namespace}" (version ${plan.liveVersion ?? "?"}): set adopt: true on the NomadJob to take it over, ` +
          `or choose another job ID (\`pulumi import\` does not work for dynamic providers)`,
      );
    }
    const id = resourceId(plan.jobId, namespace);
    const wait = new Wait(inputs.resourceUrn);
    try {
      await applyJob(client, plan, wait.options(inputs));
    } catch (err) {
      throw await asPartialFailure(client, err, id, inputs, plan.jobId, namespace, region, wait);
    } finally {
      await wait.close();
    }
    const outs = await describe(client, inputs, plan.jobId, namespace, region);
    if (!outs) throw new Error(`job "${plan.jobId}" was registered but is gone already (deleted by someone else?)`);
    return { id, outs };
  });
}

/**
 * Registers the new job over the old one, enforcing the `jobModifyIndex`
 * Pulumi last saw: a job changed outside Pulumi since is refused (refresh
 * first). Returns the full outputs.
 */
export async function update(id: string, olds: Props, news: Props): Promise<Required<dynamic.UpdateResult<NomadJobOutputs>>> {
  const job = news.job as JobObject;
  const namespace = namespaceOf(job);
  const region = requestRegion(job.Region);
  return withNomadClient(connectionOf(news, namespace, region), async (client) => {
    let plan = await planJob(client, job as Job, {
      serverPlan: false,
      preserveCounts: bool(news.preserveCounts),
      rerun: bool(news.rerunIfDead),
    });
    const seen = olds.jobModifyIndex;
    if (plan.action === "update" && typeof seen === "number" && seen > 0) plan = { ...plan, enforceIndex: seen };
    const wait = new Wait(news.resourceUrn);
    try {
      await applyJob(client, plan, wait.options(news));
    } catch (err) {
      throw await asPartialFailure(client, err, id, news, plan.jobId, namespace, region, wait);
    } finally {
      await wait.close();
    }
    const outs = await describe(client, news, plan.jobId, namespace, region);
    if (!outs) throw new Error(`job "${plan.jobId}" was registered but is gone already (deleted by someone else?)`);
    return { outs };
  });
}

/**
 * Reads the job back. A job that is gone (404) or stopped (deregistered
 * without purge) reads as no resource. Otherwise the live job, normalized,
 * becomes the stored job, so that drift shows on the next preview.
 */
export async function read(id: string, props: Props): Promise<dynamic.ReadResult<Props>> {
  const { jobId, namespace, region } = keyOf(props);
  return withNomadClient(connectionOf(props, namespace, region), async (client) => {
    const live = await readLiveJob(client, { id: jobId, namespace, region });
    // A run-once batch job that finished and was garbage-collected stays in the state, so that it is not run again.
    if (!live && finishedBatch(props) && !bool(props.rerunIfDead)) return { id, props, inputs: inputsOf(props) };
    if (!live || live.Stop === true) return {};
    const job: JobObject = normalizeLive(live, { desired: props.job as Job | undefined });
    const inputs = inputsOf({ ...props, job });
    const outs = await describe(client, inputs, jobId, namespace, region, live);
    return { id, props: outs === null ? undefined : { ...outs }, inputs };
  });
}

/** The inputs part of stored properties (without the outputs and the serialized provider). */
function inputsOf(props: Props): Props {
  const inputs: Props = { ...props };
  for (const k of [...OUTPUT_ONLY_KEYS, "__provider"]) delete inputs[k];
  return inputs;
}

/**
 * Deregisters the job: purged when `purgeOnDestroy`, else stopped (as
 * `nomad job stop`), with the running children of a periodic or
 * parameterized job unless `stopChildren` is false; then waits (up to
 * `waitTimeout`) until every allocation is stopped. A job already gone is fine.
 */
export async function destroy(_id: string, props: Props): Promise<void> {
  const { jobId, namespace, region } = keyOf(props);
  const log = engineLog(str(props.resourceUrn));
  try {
    await withNomadClient(connectionOf(props, namespace, region), (client) =>
      destroyJob(client, jobId, {
        purge: bool(props.purgeOnDestroy),
        namespace,
        region,
        timeoutMs: waitTimeoutMs(props.waitTimeout),
        stopChildren: props.stopChildren !== false,
        onProgress: log.progress,
      }),
    );
  } finally {
    await log.close();
  }
}
