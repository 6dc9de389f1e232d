/**
 * A client node as the servers see it: Nomad's `structs.Node`, trimmed to what
 * drover's scheduler and API use. JSON keys are Nomad's.
 */
import type {
  DrainStrategy as WireDrainStrategy,
  DriverInfo as WireDriverInfo,
  Node as WireNode,
  NodeEvent,
  NodeListStub as WireNodeListStub,
} from "../../api/types/node";

/** Node statuses (`structs.NodeStatus*`). */
export type NodeStatus = "initializing" | "ready" | "down" | "disconnected";

/** Whether the scheduler may place new allocations on a node. */
export type SchedulingEligibility = WireNodeListStub["SchedulingEligibility"];

/** One task driver as fingerprinted on a node (`structs.DriverInfo`): the wire shape with every field set. */
export interface DriverInfo extends Required<WireDriverInfo> {
  /** Driver-specific attributes; never null on the server. */
  Attributes: Record<string, string>;
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

/** An active drain (`structs.DrainStrategy`): the wire shape with every field set. */
export type DrainStrategy = Required<WireDrainStrategy>;

/** One event in a node's history (`structs.NodeEvent`, the wire type). */
export type { NodeEvent };

/** Wire fields of a node that the server computes for responses only, and those it types more precisely. */
type ServerTyped =
  "Address" | "Version" | "Drain" | "Attributes" | "Meta" | "NodeResources" | "ReservedResources" | "LastDrain" | "Events" | "HostVolumes";

/** A client node (`structs.Node`): the wire shape with every field set. */
export interface Node extends Required<Omit<WireNode, ServerTyped>> {
  /** Secret used by the node to authenticate; never returned by the HTTP API. */
  SecretID: string;
  /** Fingerprinted attributes; never null on the server. */
  Attributes: Record<string, string>;
  /** Operator metadata; never null on the server. */
  Meta: Record<string, string>;
  /** Node status. */
  Status: NodeStatus;
  /** Driver name → fingerprint; never null on the server. */
  Drivers: Record<string, DriverInfo>;
  /** What the node offers. */
  NodeResources: NodeResources;
  /** What the node keeps for itself. */
  ReservedResources: NodeReservedResources;
  /** Current drain strategy, null when not draining. */
  DrainStrategy: DrainStrategy | null;
  /** The most recent drain; absent before any. */
  LastDrain?: unknown;
  /** Node history; never null on the server. */
  Events: NodeEvent[];
  /** Host volumes by name. */
  HostVolumes: Record<string, { Path: string; ReadOnly: boolean }> | null;
}

/** `structs.NodeListStub`: what `GET /v1/nodes` returns per node; the wire shape with every field set but the optional ones. */
export interface NodeListStub extends Required<Omit<WireNodeListStub, "Attributes" | "NodeResources" | "ReservedResources">> {
  /** Attributes (with `?os=true`). */
  Attributes?: Record<string, string>;
  /** Node status. */
  Status: NodeStatus;
  /** Driver name → fingerprint; never null on the server. */
  Drivers: Record<string, DriverInfo>;
  /** Resources (with `?resources=true`). */
  NodeResources?: NodeResources;
  /** Reserved resources (with `?resources=true`). */
  ReservedResources?: NodeReservedResources;
}

/** `Ready()` in Nomad: ready, not draining, eligible. Only such nodes take new placements. */
export function nodeIsReady(node: Node): boolean {
  return node.Status === "ready" && node.DrainStrategy === null && node.SchedulingEligibility === "eligible";
}

/** Nomad's default dynamic port range (`structs.DefaultMinDynamicPort`/`DefaultMaxDynamicPort`). */
export const DEFAULT_MIN_DYNAMIC_PORT = 20000;
export const DEFAULT_MAX_DYNAMIC_PORT = 32000;
