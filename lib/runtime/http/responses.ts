/**
 * The list shapes of the HTTP API (Nomad's `*ListStub` structs) and the
 * sanitized single-object shapes.
 */
import type { JobListStub as WireJobListStub } from "../../api/types/job";
import type { Allocation, JobSummary, Node, NodeListStub, StoredJob } from "../structs";

/** `structs.JobListStub`: the wire shape with the fields the runtime always sets. */
export interface JobListStub extends WireJobListStub {
  /** Datacenters; never null on the server. */
  Datacenters: string[];
  /** Node pool; always set on the server. */
  NodePool: string;
  /** The job's multiregion block, or null; always sent. */
  Multiregion: unknown;
  /** Allocation counts. */
  JobSummary: JobSummary | null;
}

/** A job's list stub. `withMeta` adds Meta (`?meta=true`). */
export function jobListStub(job: StoredJob, summary: JobSummary | undefined, withMeta: boolean): JobListStub {
  const periodic = job.Periodic as unknown;
  const stub: JobListStub = {
    ID: job.ID,
    ParentID: job.ParentID ?? "",
    Name: (job.Name as string) ?? job.ID,
    Namespace: job.Namespace,
    Datacenters: (job.Datacenters as string[]) ?? [],
    NodePool: (job.NodePool as string) ?? "default",
    Multiregion: job.Multiregion ?? null,
    Type: job.Type,
    Priority: (job.Priority as number) ?? 50,
    Periodic: periodic !== undefined && periodic !== null,
    ParameterizedJob: job.ParameterizedJob !== undefined && job.ParameterizedJob !== null && !job.Dispatched,
    Stop: Boolean(job.Stop),
    Status: job.Status,
    StatusDescription: job.StatusDescription,
    JobSummary: summary ?? null,
    CreateIndex: job.CreateIndex,
    ModifyIndex: job.ModifyIndex,
    JobModifyIndex: job.JobModifyIndex,
    SubmitTime: job.SubmitTime,
  };
  if (withMeta) stub.Meta = (job.Meta as Record<string, string>) ?? null;
  return stub;
}

export { allocListStub, type AllocListStubResponse } from "../structs";

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
    LastDrain: (n.LastDrain as NodeListStub["LastDrain"]) ?? null,
    CreateIndex: n.CreateIndex,
    ModifyIndex: n.ModifyIndex,
  };
  if (withResources) {
    stub.NodeResources = n.NodeResources;
    stub.ReservedResources = n.ReservedResources;
  }
  // Nomad's Node.Stub: `os=true` adds the one attribute os.name.
  if (withOS) stub.Attributes = { "os.name": n.Attributes["os.name"] ?? "" };
  return stub;
}

/** A node as `GET /v1/node/:id` returns it: without its SecretID, with the legacy `Drain` flag. */
export function sanitizedNode(n: Node): Omit<Node, "SecretID"> & { Drain: boolean; SecretID: string } {
  return { ...n, SecretID: "", Drain: n.DrainStrategy !== null };
}

/** Top-level job fields Nomad's read-back always carries (`structs.Job` has no omitempty), with their empty values. */
const JOB_READ_BACK_DEFAULTS: Record<string, unknown> = {
  ParentID: "",
  AllAtOnce: false,
  Constraints: null,
  Affinities: null,
  Spreads: null,
  Meta: null,
  Periodic: null,
  ParameterizedJob: null,
  Dispatched: false,
  Payload: null,
  Multiregion: null,
  NomadTokenID: "",
  UI: null,
  VersionTag: null,
};

/** A stored job in Nomad's read-back shape: the canonical job plus the empty top-level fields it omits. */
export function readBackJob(job: StoredJob): Record<string, unknown> {
  const out: Record<string, unknown> = { ...job };
  for (const [k, v] of Object.entries(JOB_READ_BACK_DEFAULTS)) if (out[k] === undefined) out[k] = v;
  return out;
}

/**
 * An allocation as `GET /v1/allocation/:id` returns it, with the legacy
 * resource fields Nomad still fills (`Resources`, `SharedResources`,
 * `TaskResources`, derived from AllocatedResources) and the job in read-back shape.
 */
export function allocationResponse(a: Allocation): Record<string, unknown> {
  const tasks = a.AllocatedResources?.Tasks ?? {};
  const taskResources: Record<string, unknown> = {};
  let cpu = 0;
  let mem = 0;
  for (const [name, t] of Object.entries(tasks)) {
    cpu += t.Cpu.CpuShares;
    mem += t.Memory.MemoryMB;
    taskResources[name] = {
      CPU: t.Cpu.CpuShares,
      Cores: 0,
      MemoryMB: t.Memory.MemoryMB,
      MemoryMaxMB: t.Memory.MemoryMaxMB,
      DiskMB: 0,
      IOPS: 0,
      Networks: t.Networks,
      Devices: t.Devices,
    };
  }
  const disk = a.AllocatedResources?.Shared?.DiskMB ?? 0;
  return {
    ...a,
    PreemptedAllocations: a.PreemptedAllocations ?? null,
    PreemptedByAllocation: a.PreemptedByAllocation ?? "",
    Job: readBackJob(a.Job),
    Resources: { CPU: cpu, Cores: 0, MemoryMB: mem, MemoryMaxMB: 0, DiskMB: disk, IOPS: 0, Networks: null, Devices: null },
    SharedResources: {
      CPU: 0,
      Cores: 0,
      MemoryMB: 0,
      MemoryMaxMB: 0,
      DiskMB: disk,
      IOPS: 0,
      Networks: a.AllocatedResources?.Shared?.Networks ?? null,
      Devices: null,
    },
    TaskResources: taskResources,
  };
}
