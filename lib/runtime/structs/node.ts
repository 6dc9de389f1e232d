/**
 * A client node as the servers see it: Nomad's `structs.Node`, trimmed to what
 * drover's scheduler and API use. JSON keys are Nomad's.
 */

/** Node statuses (`structs.NodeStatus*`). */
export type NodeStatus = "initializing" | "ready" | "down" | "disconnected";

/** Whether the scheduler may place new allocations on a node. */
export type SchedulingEligibility = "eligible" | "ineligible";

/** One task driver as fingerprinted on a node (`structs.DriverInfo`). */
export interface DriverInfo {
  /** Driver-specific attributes, e.g. `driver.raw_exec: "true"`. */
  Attributes: Record<string, string>;
  /** The plugin was found on the node. */
  Detected: boolean;
  /** The driver can run tasks now. */
  Healthy: boolean;
  /** Why it is (un)healthy, for people. */
  HealthDescription: string;
  /** Unix nanoseconds of the last fingerprint. */
  UpdateTime: string;
}

/** One host network of a node (`structs.NodeNetworkResource`). */
export interface NodeNetworkResource {
  /** `host` for ordinary host networking. */
  Mode: string;
  Device: string;
  MacAddress?: string;
  Speed?: number;
  /** Addresses by host-network alias; the default alias is `default`. */
  Addresses: { Family: "ipv4" | "ipv6"; Alias: string; Address: string; ReservedPorts: string; Gateway: string }[];
}

/** What a node offers (`structs.NodeResources`). */
export interface NodeResources {
  /** Total CPU in MHz (Nomad's CpuShares). */
  Cpu: { CpuShares: number; TotalCpuCores?: number; ReservableCpuCores?: number[] };
  /** Total memory in MiB. */
  Memory: { MemoryMB: number };
  /** Total ephemeral disk in MiB. */
  Disk: { DiskMB: number };
  Networks: NodeNetworkResource[];
  /** First port of the dynamic port range (Nomad default 20000). */
  MinDynamicPort: number;
  /** Last port of the dynamic port range (Nomad default 32000). */
  MaxDynamicPort: number;
}

/** What the node keeps for itself (`structs.NodeReservedResources`). */
export interface NodeReservedResources {
  Cpu: { CpuShares: number };
  Memory: { MemoryMB: number };
  Disk: { DiskMB: number };
  /** Comma list of reserved host ports and ranges, e.g. "22,80,8000-8100". */
  Networks: { ReservedHostPorts: string };
}

/** An active drain (`structs.DrainStrategy`). */
export interface DrainStrategy {
  /** Nanoseconds; -1 forces immediately, 0 means no deadline. */
  Deadline: number;
  IgnoreSystemJobs: boolean;
  /** RFC 3339 time when the deadline passes ("0001-01-01T00:00:00Z" for none). */
  ForceDeadline: string;
  StartedAt: string;
}

/** One event in a node's history (`structs.NodeEvent`). */
export interface NodeEvent {
  Message: string;
  Subsystem: string;
  Details: Record<string, string> | null;
  /** RFC 3339. */
  Timestamp: string;
  CreateIndex: number;
}

/** A client node (`structs.Node`). */
export interface Node {
  ID: string;
  /** Secret used by the node to authenticate; never returned by the HTTP API. */
  SecretID: string;
  Datacenter: string;
  Name: string;
  /** host:port of the node's HTTP API. */
  HTTPAddr: string;
  TLSEnabled: boolean;
  /** Fingerprinted attributes (`kernel.name`, `cpu.arch`, `driver.mock_driver`, `unique.hostname`, …). */
  Attributes: Record<string, string>;
  /** Operator metadata, `${meta.X}` in constraints. */
  Meta: Record<string, string>;
  NodeClass: string;
  /** Node pool, Nomad default "default". */
  NodePool: string;
  /** Hash of the scheduling-relevant fields (see computeNodeClass), "v1:<n>". */
  ComputedClass: string;
  DrainStrategy: DrainStrategy | null;
  /** The most recent drain (`structs.DrainMetadata`: StartedAt, UpdatedAt, Status, AccessorID, Meta); absent before any. */
  LastDrain?: unknown;
  SchedulingEligibility: SchedulingEligibility;
  Status: NodeStatus;
  StatusDescription: string;
  /** Unix seconds of the last status change. */
  StatusUpdatedAt: number;
  Drivers: Record<string, DriverInfo>;
  NodeResources: NodeResources;
  ReservedResources: NodeReservedResources;
  Events: NodeEvent[];
  HostVolumes: Record<string, { Path: string; ReadOnly: boolean }> | null;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `structs.NodeListStub`: what `GET /v1/nodes` returns per node. */
export interface NodeListStub {
  Address: string;
  ID: string;
  Attributes?: Record<string, string>;
  Datacenter: string;
  Name: string;
  NodeClass: string;
  NodePool: string;
  Version: string;
  Drain: boolean;
  SchedulingEligibility: SchedulingEligibility;
  Status: NodeStatus;
  StatusDescription: string;
  Drivers: Record<string, DriverInfo>;
  NodeResources?: NodeResources;
  ReservedResources?: NodeReservedResources;
  LastDrain: unknown;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `Ready()` in Nomad: ready, not draining, eligible. Only such nodes take new placements. */
export function nodeIsReady(node: Node): boolean {
  return node.Status === "ready" && node.DrainStrategy === null && node.SchedulingEligibility === "eligible";
}

/** Nomad's default dynamic port range (`structs.DefaultMinDynamicPort`/`DefaultMaxDynamicPort`). */
export const DEFAULT_MIN_DYNAMIC_PORT = 20000;
export const DEFAULT_MAX_DYNAMIC_PORT = 32000;
