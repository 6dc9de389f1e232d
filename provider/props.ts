/**
 * The plain-data shapes a `NomadJob` stores in Pulumi's state: its inputs
 * (after `check`) and its outputs. Types only, plus the few constants the
 * provider shares with its tests; nothing here is captured by the
 * serialized provider.
 */

/** Pulumi's placeholder for a value not known during a preview (`pulumi.runtime` `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The type token of `NomadJob` resources: `pulumi-nodejs:dynamic/<module>:<type>`. */
export const NOMAD_JOB_TYPE = "pulumi-nodejs:dynamic/drover:NomadJob";

/** The type token of `NomadApp` components. */
export const NOMAD_APP_TYPE = "drover:index:NomadApp";

/**
 * How the provider reaches Nomad. Every field defaults to the NOMAD_*
 * environment of the process that runs the provider (as `nomad` and
 * lib/api's `NomadClient.fromEnv` do), then to Nomad's defaults.
 */
export interface NomadConnectionProps {
  /** Agent address, e.g. `http://127.0.0.1:4646` (NOMAD_ADDR). Default NOMAD_ADDR, else http://127.0.0.1:4646. */
  address?: string;
  /** ACL token secret ID (NOMAD_TOKEN); stored as a Pulumi secret. Default: NOMAD_TOKEN, else anonymous. */
  token?: string;
  /**
   * Region the job goes to when the job itself sets none (NOMAD_REGION is
   * not used for that, so that the stored job does not depend on the
   * machine running the preview). Check stores the job's region here. Default:
   * the job's Region, else "global" (the agent's own).
   */
  region?: string;
  /** Namespace the job goes to when the job itself sets none; check stores the job's namespace here. Default: the job's Namespace, else "default". */
  namespace?: string;
  /** Path of the PEM CA certificate that signed the agent's certificate (NOMAD_CACERT). */
  caCert?: string;
  /** Path of the PEM client certificate for mutual TLS (NOMAD_CLIENT_CERT). */
  clientCert?: string;
  /** Path of the PEM private key of `clientCert` (NOMAD_CLIENT_KEY). */
  clientKey?: string;
  /** Name the agent's certificate must carry, when it differs from the address host (NOMAD_TLS_SERVER_NAME). */
  tlsServerName?: string;
  /** Do not verify the agent's certificate (NOMAD_SKIP_VERIFY). Default false; never in production. */
  skipVerify?: boolean;
}

/** How the provider deploys and removes the job. */
export interface NomadJobBehaviourProps {
  /** Return once the evaluation is done instead of waiting for the deployment (as `nomad job run -detach`). Default false. */
  detach?: boolean;
  /**
   * Purge the job on destroy (as `nomad job stop -purge`) instead of leaving
   * it stopped. Either way destroy waits (up to `waitTimeout`, unless
   * `detach`) until every allocation of the job is stopped. Default false.
   */
  purgeOnDestroy?: boolean;
  /**
   * On destroy of a periodic or parameterized job, stop (or purge, with
   * `purgeOnDestroy`) its running children too: periodic launches and
   * dispatched jobs, which Nomad itself leaves running. Default true.
   */
  stopChildren?: boolean;
  /**
   * Keep the current count of every group that exists already (set by an
   * autoscaler or `drover job scale`): the job is registered with Nomad's
   * `PreserveCounts`, and a count that differs from the program's is no
   * change in the preview. New groups take the program's count. Default false.
   */
  preserveCounts?: boolean;
  /**
   * Run a batch job again on the next `pulumi up` once it has finished (even
   * when its spec is unchanged, or Nomad has garbage-collected it). Default
   * false: a finished batch job stays as it is, and a refresh keeps it in the
   * state after Nomad has collected it (terraform-provider-nomad #635).
   */
  rerunIfDead?: boolean;
  /** How long create and update wait for the evaluation and deployment, as a Go duration. Default "5m". */
  waitTimeout?: string;
  /** Take over a running job of the same ID and namespace instead of failing create. Default false. */
  adopt?: boolean;
  /**
   * Promote the deployment's canaries once they are healthy and wait for the
   * rest of the rollout (as `drover apply --promote`). Default false: create
   * and update return when the canaries are healthy and a group needs a manual
   * promotion (`deploymentStatus` stays "running"; promote with
   * `drover job promote JOB`). Groups with `auto_promote` are waited for either way.
   */
  promote?: boolean;
}

/** Inputs `NomadJob` sets itself. */
export interface NomadJobInternalProps {
  /** The resource's URN, which the provider's progress lines in the engine's log name (Pulumi's dynamic-provider host does not pass it). Set by `NomadJob`. */
  resourceUrn?: string;
}

/** A job in Nomad's API JSON shape (a bare job, as the provider stores it). */
export type JobObject = Record<string, unknown>;

/** The inputs of a `NomadJob` as the provider receives them (after `check`: the job bare and normalized). */
export interface NomadJobInputs extends NomadConnectionProps, NomadJobBehaviourProps, NomadJobInternalProps {
  /** The job: bare, normalized with lib/plan `normalizeDesired` (Nomad's defaults filled in). */
  job: JobObject;
}

/** Allocation counts by client status, of the allocations Nomad wants running (DesiredStatus "run"). */
export interface AllocationStatusCounts {
  /** pending. */
  pending: number;
  /** running. */
  running: number;
  /** complete. */
  complete: number;
  /** failed. */
  failed: number;
  /** lost. */
  lost: number;
  /** unknown (disconnected clients). */
  unknown: number;
}

/** What a `NomadJob` reports after create, update and refresh (plus all its inputs). */
export interface NomadJobOutputs extends NomadJobInputs {
  /** The job's ID. */
  jobId: string;
  /** The job's namespace (the job's Namespace, else the `namespace` input, else "default"). */
  namespace: string;
  /** The region the job is stored in (the agent's when the job says "global"). */
  region: string;
  /** The job's version (0 for the first registration; each change adds one). */
  version: number;
  /** The job's JobModifyIndex: the Raft index of its last registration; update enforces it. */
  jobModifyIndex: number;
  /** The job's status: "pending", "running" or "dead". */
  status: string;
  /** The latest deployment's ID, or null when the job has none (batch, system, detach before one exists). */
  deploymentId: string | null;
  /** The latest deployment's status ("running", "successful", "failed", …), or null. */
  deploymentStatus: string | null;
  /** Allocation counts by client status. */
  allocations: AllocationStatusCounts;
  /**
   * True while the latest deployment is running with healthy canaries that
   * wait for a manual promotion (auto_promote false and `promote` not set):
   * promote with `drover job promote JOB`, or set `promote: true`.
   */
  awaitingPromotion: boolean;
}

/** The keys of `NomadJobOutputs` that are outputs only (present as `undefined` in the resource's props). */
export const OUTPUT_ONLY_KEYS = [
  "jobId",
  "version",
  "jobModifyIndex",
  "status",
  "deploymentId",
  "deploymentStatus",
  "allocations",
  "awaitingPromotion",
] as const satisfies readonly Exclude<keyof NomadJobOutputs, keyof NomadJobInputs>[];

/** Inputs whose change updates the stored settings but is no change to the job itself. */
export const SETTING_KEYS = [
  "address",
  "token",
  "caCert",
  "clientCert",
  "clientKey",
  "tlsServerName",
  "skipVerify",
  "detach",
  "purgeOnDestroy",
  "stopChildren",
  "preserveCounts",
  "rerunIfDead",
  "waitTimeout",
  "adopt",
  "promote",
] as const;
