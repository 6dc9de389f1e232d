/**
 * The schema of drover's state store: every table, declared once, named as
 * Nomad's memdb tables are (`nomad/state/schema.go`), with its primary key
 * and its secondary indexes. Each table has its own latest-write index,
 * which is what `X-Nomad-Index` reports for a read of that table.
 *
 * To add a table: add its name to `TableName` and `ALL_TABLES`, its row type
 * and declaration to `StateTables` and `createTables`, then its reads and
 * apply functions in a file of its own (see jobs.ts, evals.ts, ...), its
 * writes in txn.ts and its loading in load.ts.
 */
import {
  allocTerminal,
  type ACLBootstrap,
  type ACLPolicy,
  type ACLRole,
  type Allocation,
  type Namespace,
  type StoredACLToken,
  type Deployment,
  type Evaluation,
  type JobSummary,
  type Node,
  type NodePool,
  type SchedulerConfiguration,
  type ScalingPolicy,
  type ServiceRegistration,
  type StoredJob,
  type VariableEncrypted,
} from "../structs";
import { Table, type ChangeLog } from "./table";

/** A state table. */
export type TableName =
  | "jobs"
  | "job_version"
  | "job_summary"
  | "evals"
  | "allocs"
  | "deployment"
  | "nodes"
  | "node_pools"
  | "scheduler_config"
  | "scaling_event"
  | "scaling_policy"
  | "periodic_launch"
  | "acl_policy"
  | "acl_token"
  | "acl_role"
  | "acl_bootstrap"
  | "namespaces"
  | "variables"
  | "service_registrations";

/** Every table, in a stable order. */
export const ALL_TABLES: readonly TableName[] = [
  "jobs",
  "job_version",
  "job_summary",
  "evals",
  "allocs",
  "deployment",
  "nodes",
  "node_pools",
  "scheduler_config",
  "scaling_event",
  "scaling_policy",
  "periodic_launch",
  "acl_policy",
  "acl_token",
  "acl_role",
  "acl_bootstrap",
  "namespaces",
  "variables",
  "service_registrations",
];

/** Nomad keeps this many versions of each job (`structs.JobDefaultTrackedVersions`). */
export const JOB_TRACKED_VERSIONS = 6;

/** The key of a namespaced object (jobs, summaries, job versions). */
export function nsKey(namespace: string, id: string): string {
  return `${namespace}\u0000${id}`;
}

/** The key of one stored version of a job. */
export function versionKey(namespace: string, id: string, version: number): string {
  return `${namespace}\u0000${id}\u0000${version}`;
}

/** One scaling event of a task group (`structs.ScalingEvent`). */
export interface ScalingEvent {
  /** Unix nanoseconds. */
  Time: number;
  /** The new count, or null when only a message was recorded. */
  Count: number | null;
  /** The count before the change. */
  PreviousCount: number;
  /** What happened. */
  Message: string;
  /** True when the event reports an error. */
  Error: boolean;
  /** Free-form details. */
  Meta: Record<string, unknown> | null;
  /** The evaluation the change created, if any. */
  EvalID: string | null;
  /** The index it was recorded at. */
  CreateIndex: number;
}

/** The scaling events of one job by group, newest first (a row of `scaling_event`, Nomad's `structs.JobScalingEvents`). */
export interface JobScalingEvents {
  /** The job's namespace. */
  Namespace: string;
  /** The job. */
  JobID: string;
  /** Group → events, newest first. */
  Groups: Record<string, ScalingEvent[]>;
}

/**
 * The last launch of a periodic job (`structs.PeriodicLaunch`). The first
 * record of a job holds the time it was registered, as Nomad overloads it.
 */
export interface PeriodicLaunch {
  /** The periodic job. */
  ID: string;
  /** Its namespace. */
  Namespace: string;
  /** RFC 3339 time of the last launch. */
  Launch: string;
  /** The index it was first written at. */
  CreateIndex: number;
  /** The index it was last written at. */
  ModifyIndex: number;
}

/** Every table of the store. */
export interface StateTables {
  /** The current version of each job; `parent` indexes periodic and dispatched children by their parent. */
  jobs: Table<StoredJob, "parent">;
  /** The stored versions of each job; `job` lists them newest first. */
  job_version: Table<StoredJob, "job">;
  /** Allocation counts per job. */
  job_summary: Table<JobSummary>;
  /** Evaluations; `job` indexes them by job. */
  evals: Table<Evaluation, "job">;
  /** Allocations, indexed by job (its current incarnation), node, evaluation and deployment. */
  allocs: Table<Allocation, "job" | "node" | "eval" | "deployment">;
  /** Deployments; `job` lists a job's newest first. */
  deployment: Table<Deployment, "job">;
  /** Client nodes. */
  nodes: Table<Node>;
  /** Node pools by name (the built-in `all` and `default` exist without a row). */
  node_pools: Table<NodePool>;
  /** The one scheduler configuration row. */
  scheduler_config: Table<SchedulerConfiguration>;
  /** Scaling events per job. */
  scaling_event: Table<JobScalingEvents>;
  /** Scaling policies by ID; `job` lists a job's by target (namespace and job). */
  scaling_policy: Table<ScalingPolicy, "job">;
  /** Last launch per periodic job. */
  periodic_launch: Table<PeriodicLaunch>;
  /** ACL policies by name. */
  acl_policy: Table<ACLPolicy>;
  /** ACL tokens by accessor ID; `secret` finds one by the hash of its secret. */
  acl_token: Table<StoredACLToken, "secret">;
  /** ACL roles by ID; `name` finds one by name. */
  acl_role: Table<ACLRole, "name">;
  /** The one row recording the ACL bootstrap. */
  acl_bootstrap: Table<ACLBootstrap>;
  /** Namespaces by name (the default namespace exists without a row). */
  namespaces: Table<Namespace>;
  /** Nomad Variables, items encrypted (`variables`); `namespace` groups them by namespace. */
  variables: Table<VariableEncrypted, "namespace">;
  /**
   * Nomad service registrations by ID (the allocation's ID is part of it);
   * `service` groups them by namespace and service name, `alloc` by
   * allocation (both ordered by ID), `node` by node.
   */
  service_registrations: Table<ServiceRegistration, "service" | "alloc" | "node">;
}

/** Rows ordered by their `ID` (as memdb iterates an index whose key ends with the ID). */
function byID(a: { ID: string }, b: { ID: string }): number {
  return a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0;
}

/** The primary key of the one scheduler configuration row. */
export const SCHEDULER_CONFIG_ID = "config";

/** Creates the empty tables of a store; their writes go to `log` when given. */
export function createTables(log?: ChangeLog): StateTables {
  const jobs = new Table<StoredJob, "parent">(
    {
      name: "jobs",
      id: (j) => nsKey(j.Namespace, j.ID),
      indexes: { parent: { key: (j) => (j.ParentID ? nsKey(j.Namespace, j.ParentID) : undefined) } },
    },
    log,
  );
  return {
    jobs,
    job_version: new Table<StoredJob, "job">(
      {
        name: "job_version",
        id: (j) => versionKey(j.Namespace, j.ID, j.Version),
        indexes: { job: { key: (j) => nsKey(j.Namespace, j.ID), order: (a, b) => b.Version - a.Version } },
      },
      log,
    ),
    job_summary: new Table<JobSummary>({ name: "job_summary", id: (s) => nsKey(s.Namespace, s.JobID) }, log),
    evals: new Table<Evaluation, "job">(
      { name: "evals", id: (e) => e.ID, indexes: { job: { key: (e) => nsKey(e.Namespace, e.JobID) } } },
      log,
    ),
    allocs: new Table<Allocation, "job" | "node" | "eval" | "deployment">(
      {
        name: "allocs",
        id: (a) => a.ID,
        indexes: {
          // Listed under the job, as in Nomad: the current incarnation's allocations, and an earlier (purged)
          // incarnation's until they are terminal, so that the deregistration's evaluation finds and stops them.
          // A job purged and registered again does not list the old incarnation's terminal allocations.
          job: {
            key: (a) => {
              const current = jobs.get(nsKey(a.Namespace, a.JobID));
              return !current || a.Job.CreateIndex >= current.CreateIndex || !allocTerminal(a) ? nsKey(a.Namespace, a.JobID) : undefined;
            },
          },
          node: { key: (a) => a.NodeID },
          eval: { key: (a) => a.EvalID },
          deployment: { key: (a) => a.DeploymentID },
        },
      },
      log,
    ),
    deployment: new Table<Deployment, "job">(
      {
        name: "deployment",
        id: (d) => d.ID,
        indexes: { job: { key: (d) => nsKey(d.Namespace, d.JobID), order: (a, b) => b.CreateIndex - a.CreateIndex } },
      },
      log,
    ),
    nodes: new Table<Node>({ name: "nodes", id: (n) => n.ID }, log),
    node_pools: new Table<NodePool>({ name: "node_pools", id: (p) => p.Name }, log),
    scheduler_config: new Table<SchedulerConfiguration>({ name: "scheduler_config", id: () => SCHEDULER_CONFIG_ID }, log),
    scaling_event: new Table<JobScalingEvents>({ name: "scaling_event", id: (s) => nsKey(s.Namespace, s.JobID) }, log),
    scaling_policy: new Table<ScalingPolicy, "job">(
      {
        name: "scaling_policy",
        id: (p) => p.ID,
        indexes: { job: { key: (p) => nsKey(p.Target.Namespace ?? "", p.Target.Job ?? "") } },
      },
      log,
    ),
    periodic_launch: new Table<PeriodicLaunch>({ name: "periodic_launch", id: (l) => nsKey(l.Namespace, l.ID) }, log),
    acl_policy: new Table<ACLPolicy>({ name: "acl_policy", id: (p) => p.Name }, log),
    acl_token: new Table<StoredACLToken, "secret">(
      {
        name: "acl_token",
        id: (t) => t.AccessorID,
        indexes: { secret: { key: (t) => t.SecretHash } },
      },
      log,
    ),
    acl_role: new Table<ACLRole, "name">({ name: "acl_role", id: (r) => r.ID, indexes: { name: { key: (r) => r.Name } } }, log),
    acl_bootstrap: new Table<ACLBootstrap>({ name: "acl_bootstrap", id: (b) => b.ID }),
    namespaces: new Table<Namespace>({ name: "namespaces", id: (n) => n.Name }),
    variables: new Table<VariableEncrypted, "namespace">(
      {
        name: "variables",
        id: (v) => nsKey(v.Namespace, v.Path),
        indexes: { namespace: { key: (v) => v.Namespace } },
      },
      log,
    ),
    service_registrations: new Table<ServiceRegistration, "service" | "alloc" | "node">(
      {
        name: "service_registrations",
        id: (r) => r.ID,
        indexes: {
          service: { key: (r) => nsKey(r.Namespace, r.ServiceName), order: byID },
          alloc: { key: (r) => r.AllocID, order: byID },
          node: { key: (r) => r.NodeID },
        },
      },
      log,
    ),
  };
}
