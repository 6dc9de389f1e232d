/**
 * The list shapes of the HTTP API (Nomad's `*ListStub` structs) and the
 * sanitized single-object shapes.
 */
import type { Allocation, AllocationListStub, JobSummary, Node, NodeListStub, StoredJob } from "../structs";

/** `structs.JobListStub`. */
export interface JobListStub {
  ID: string;
  ParentID: string;
  Name: string;
  Namespace: string;
  Datacenters: string[];
  NodePool: string;
  Multiregion: unknown;
  Type: string;
  Priority: number;
  Periodic: boolean;
  ParameterizedJob: boolean;
  Stop: boolean;
  Status: string;
  StatusDescription: string;
  JobSummary: JobSummary | null;
  CreateIndex: number;
  ModifyIndex: number;
  JobModifyIndex: number;
  SubmitTime: number;
  Meta?: Record<string, string> | null;
}

/** A job's list stub. `withMeta` adds Meta (`?meta=true`). */
export function jobListStub(job: StoredJob, summary: JobSummary | undefined, withMeta: boolean): JobListStub {
  const j = job as unknown as Record<string, unknown>;
  const periodic = j.Periodic as { Enabled?: boolean | null } | null | undefined;
  const stub: JobListStub = {
    ID: job.ID,
    ParentID: job.ParentID ?? "",
    Name: (j.Name as string) ?? job.ID,
    Namespace: job.Namespace,
    Datacenters: (j.Datacenters as string[]) ?? [],
    NodePool: (j.NodePool as string) ?? "default",
    Multiregion: j.Multiregion ?? null,
    Type: job.Type,
    Priority: (j.Priority as number) ?? 50,
    Periodic: Boolean(periodic && periodic.Enabled !== false),
    ParameterizedJob: j.ParameterizedJob !== undefined && j.ParameterizedJob !== null,
    Stop: Boolean(j.Stop),
    Status: job.Status,
    StatusDescription: job.StatusDescription,
    JobSummary: summary ?? null,
    CreateIndex: job.CreateIndex,
    ModifyIndex: job.ModifyIndex,
    JobModifyIndex: job.JobModifyIndex,
    SubmitTime: job.SubmitTime,
  };
  if (withMeta) stub.Meta = (j.Meta as Record<string, string>) ?? null;
  return stub;
}

/** An allocation's list stub. `withResources` keeps AllocatedResources (`?resources=true`), `taskStates` false drops them. */
export function allocListStub(a: Allocation, withResources = false, taskStates = true): AllocationListStub {
  return {
    ID: a.ID,
    EvalID: a.EvalID,
    Name: a.Name,
    Namespace: a.Namespace,
    NodeID: a.NodeID,
    NodeName: a.NodeName,
    JobID: a.JobID,
    JobType: a.Job.Type,
    JobVersion: a.Job.Version,
    TaskGroup: a.TaskGroup,
    AllocatedResources: withResources ? a.AllocatedResources : null,
    DesiredStatus: a.DesiredStatus,
    DesiredDescription: a.DesiredDescription,
    ClientStatus: a.ClientStatus,
    ClientDescription: a.ClientDescription,
    DesiredTransition: a.DesiredTransition,
    TaskStates: taskStates ? a.TaskStates : null,
    DeploymentStatus: a.DeploymentStatus,
    FollowupEvalID: a.FollowupEvalID,
    RescheduleTracker: a.RescheduleTracker,
    PreemptedAllocations: null,
    PreemptedByAllocation: "",
    CreateIndex: a.CreateIndex,
    ModifyIndex: a.ModifyIndex,
    CreateTime: a.CreateTime,
    ModifyTime: a.ModifyTime,
  };
}

/** A node's list stub. `withResources` adds NodeResources/ReservedResources, `withOS` adds Attributes. */
export function nodeListStub(n: Node, withResources = false, withOS = false): NodeListStub {
  const stub: NodeListStub = {
    Address: n.HTTPAddr.split(":")[0] ?? "",
    ID: n.ID,
    Datacenter: n.Datacenter,
    Name: n.Name,
    NodeClass: n.NodeClass,
    NodePool: n.NodePool,
    Version: n.Attributes["nomad.version"] ?? "",
    Drain: n.DrainStrategy !== null,
    SchedulingEligibility: n.SchedulingEligibility,
    Status: n.Status,
    StatusDescription: n.StatusDescription,
    Drivers: n.Drivers,
    LastDrain: null,
    CreateIndex: n.CreateIndex,
    ModifyIndex: n.ModifyIndex,
  };
  if (withResources) {
    stub.NodeResources = n.NodeResources;
    stub.ReservedResources = n.ReservedResources;
  }
  if (withOS) stub.Attributes = { "os.name": n.Attributes["os.name"] ?? "", "os.version": n.Attributes["os.version"] ?? "" };
  return stub;
}

/** A node as `GET /v1/node/:id` returns it: without its SecretID, with the legacy `Drain` flag. */
export function sanitizedNode(n: Node): Omit<Node, "SecretID"> & { Drain: boolean; SecretID: string } {
  return { ...n, SecretID: "", Drain: n.DrainStrategy !== null };
}
