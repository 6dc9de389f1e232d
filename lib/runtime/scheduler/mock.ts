/**
 * Mock nodes, jobs and allocations in the shape of Nomad's `nomad/mock`
 * package, for scheduler and state tests and benchmarks.
 */
import type { Allocation, Node, StoredJob } from "../structs";
import { DEFAULT_MAX_DYNAMIC_PORT, DEFAULT_MIN_DYNAMIC_PORT } from "../structs";
import { computeNodeClass } from "../structs";
import type { JobView, TaskGroupView } from "./job-view";

let mockCounter = 0;

function mockUUID(): string {
  mockCounter++;
  const h = mockCounter.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${h}`;
}

/** Overrides for `mockNode`: top-level fields replace the defaults, except `Attributes` and `Meta`, which are merged over them. */
export type MockNodeOverrides = Partial<Node>;

/**
 * A ready, eligible node like Nomad's `mock.Node()`: 4000 MHz, 8192 MB memory,
 * 100 GiB disk (100/256/4096 reserved, port 22 reserved), dc1, pool "default",
 * node class "linux-medium-pci", drivers exec/raw_exec/mock_driver healthy,
 * kernel.name linux, and unique.* attributes derived from the ID. The computed
 * class is filled in.
 */
export function mockNode(overrides: MockNodeOverrides = {}): Node {
  const id = overrides.ID ?? mockUUID();
  const name = overrides.Name ?? `node-${id.slice(-6)}`;
  const driver = { Attributes: {}, Detected: true, Healthy: true, HealthDescription: "healthy", UpdateTime: "2026-01-01T00:00:00Z" };
  const node: Node = {
    ID: id,
    SecretID: `secret-${id}`,
    Datacenter: "dc1",
    Name: name,
    HTTPAddr: "127.0.0.1:4646",
    TLSEnabled: false,
    NodeClass: "linux-medium-pci",
    NodePool: "default",
    ComputedClass: "",
    DrainStrategy: null,
    SchedulingEligibility: "eligible",
    Status: "ready",
    StatusDescription: "",
    StatusUpdatedAt: 0,
    Drivers: { exec: { ...driver }, raw_exec: { ...driver }, mock_driver: { ...driver } },
    NodeResources: {
      Cpu: { CpuShares: 4000 },
      Memory: { MemoryMB: 8192 },
      Disk: { DiskMB: 100 * 1024 },
      Networks: [
        {
          Mode: "host",
          Device: "eth0",
          Addresses: [{ Family: "ipv4", Alias: "default", Address: "192.168.0.100", ReservedPorts: "", Gateway: "" }],
        },
      ],
      MinDynamicPort: DEFAULT_MIN_DYNAMIC_PORT,
      MaxDynamicPort: DEFAULT_MAX_DYNAMIC_PORT,
    },
    ReservedResources: {
      Cpu: { CpuShares: 100 },
      Memory: { MemoryMB: 256 },
      Disk: { DiskMB: 4 * 1024 },
      Networks: { ReservedHostPorts: "22" },
    },
    Events: [],
    HostVolumes: null,
    CreateIndex: 0,
    ModifyIndex: 0,
    ...overrides,
    Attributes: {
      "kernel.name": "linux",
      "cpu.arch": "amd64",
      arch: "x86",
      "nomad.version": "1.9.0",
      "driver.exec": "1",
      "driver.raw_exec": "1",
      "driver.mock_driver": "1",
      "unique.hostname": name,
      "unique.network.ip-address": "192.168.0.100",
      ...(overrides.Attributes ?? {}),
    },
    Meta: { "pci-dss": "true", database: "mysql", version: "5.6", ...(overrides.Meta ?? {}) },
  };
  node.ComputedClass = computeNodeClass(node);
  return node;
}

/** Overrides for `mockJob`: top-level job fields, plus `group` merged into the first task group. */
export type MockJobOverrides = Partial<JobView> & { group?: Partial<TaskGroupView> };

/**
 * A service job like Nomad's `mock.Job()`: ID "mock-job", dc1, group "web"
 * with count 10, one exec task asking 500 MHz / 256 MB, two dynamic ports
 * (http, admin), ephemeral disk 150 MB, a `${attr.kernel.name} = linux`
 * constraint, Version 0 and JobModifyIndex 1.
 */
export function mockJob(overrides: MockJobOverrides = {}): StoredJob {
  const { group, ...rest } = overrides;
  const tg: TaskGroupView = {
    Name: "web",
    Count: 10,
    Tasks: [{ Name: "web", Driver: "exec", Config: { command: "/bin/date" }, Env: { FOO: "bar" }, Resources: { CPU: 500, MemoryMB: 256 } }],
    Networks: [{ Mode: "host", DynamicPorts: [{ Label: "http" }, { Label: "admin" }] }],
    EphemeralDisk: { SizeMB: 150 },
    ReschedulePolicy: { Attempts: 2, Interval: 10 * 60e9, Delay: 5e9, DelayFunction: "constant", MaxDelay: 0, Unlimited: false },
    ...(group ?? {}),
  };
  const job: JobView & Record<string, unknown> = {
    ID: "mock-job",
    Name: "mock-job",
    Namespace: "default",
    Region: "global",
    Type: "service",
    Priority: 50,
    Datacenters: ["dc1"],
    NodePool: "default",
    Constraints: [{ LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" }],
    TaskGroups: [tg],
    Meta: { owner: "armon" },
    Version: 0,
    Status: "pending",
    StatusDescription: "",
    Stable: false,
    SubmitTime: 0,
    CreateIndex: 1,
    ModifyIndex: 1,
    JobModifyIndex: 1,
    ...rest,
  };
  // A test fixture: `rest` may override any field with a deliberately partial or malformed value.
  return job as unknown as StoredJob;
}

/** Overrides for `mockAlloc`: top-level fields replace the defaults. */
export type MockAllocOverrides = Partial<Allocation>;

/**
 * A pending allocation of `job`'s first group, like Nomad's `mock.Alloc()`:
 * index 0 (`<job>.<group>[0]`), on node "node-1" unless `NodeID` says
 * otherwise (`NodeName` follows it), desired "run", each of the group's tasks
 * allocated what it asks (default 100 MHz / 64 MB), 10 MB disk, no ports, and
 * indexes and times 0 for the state store to set.
 */
export function mockAlloc(job: StoredJob, overrides: MockAllocOverrides = {}): Allocation {
  const tg = (job.TaskGroups ?? [])[0] as TaskGroupView | undefined;
  const group = tg?.Name ?? "web";
  const tasks: Allocation["AllocatedResources"]["Tasks"] = {};
  for (const t of tg?.Tasks ?? [])
    tasks[t.Name] = {
      Cpu: { CpuShares: t.Resources?.CPU ?? 100, ReservedCores: null },
      Memory: { MemoryMB: t.Resources?.MemoryMB ?? 64, MemoryMaxMB: 0 },
      Networks: null,
      Devices: null,
    };
  const nodeID = overrides.NodeID ?? "node-1";
  return {
    ID: mockUUID(),
    Namespace: job.Namespace ?? "default",
    EvalID: "e1",
    Name: `${job.ID}.${group}[0]`,
    NodeID: nodeID,
    NodeName: nodeID,
    JobID: job.ID,
    Job: job,
    TaskGroup: group,
    AllocatedResources: { Tasks: tasks, Shared: { DiskMB: 10, Networks: null, Ports: null } },
    Metrics: null,
    DesiredStatus: "run",
    DesiredDescription: "",
    DesiredTransition: { Migrate: null, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null },
    ClientStatus: "pending",
    ClientDescription: "",
    TaskStates: null,
    PreviousAllocation: "",
    NextAllocation: "",
    DeploymentID: "",
    DeploymentStatus: null,
    RescheduleTracker: null,
    FollowupEvalID: "",
    CreateIndex: 0,
    ModifyIndex: 0,
    AllocModifyIndex: 0,
    CreateTime: 0,
    ModifyTime: 0,
    ...overrides,
  };
}
