/** Nodes (`api.NodeListStub`, `api.Node`). */

/** One task driver as fingerprinted on a node (`api.DriverInfo`). */
export interface DriverInfo {
  /** Driver-specific attributes, e.g. `driver.raw_exec: "true"`. */
  Attributes?: Record<string, string> | null;
  /** The plugin was found on the node. */
  Detected: boolean;
  /** The driver can run tasks now. */
  Healthy: boolean;
  /** Why it is (un)healthy, for people. */
  HealthDescription?: string;
  /** RFC 3339 time of the last fingerprint. */
  UpdateTime?: string;
}

/** An active drain (`api.DrainStrategy`). */
export interface DrainStrategy {
  /** Nanoseconds; -1 forces immediately, 0 means no deadline. */
  Deadline: number;
  /** Leave system job allocations running. */
  IgnoreSystemJobs: boolean;
  /** RFC 3339 time when the deadline passes ("0001-01-01T00:00:00Z" for none). */
  ForceDeadline?: string;
  /** RFC 3339 time the drain started. */
  StartedAt?: string;
}

/** One event in a node's history (`api.NodeEvent`). */
export interface NodeEvent {
  /** What happened. */
  Message: string;
  /** The part of the node it concerns, e.g. "Cluster", "Driver". */
  Subsystem: string;
  /** Details by key. */
  Details: Record<string, string> | null;
  /** RFC 3339. */
  Timestamp: string;
  /** Raft index. */
  CreateIndex: number;
}

/** `api.NodeListStub`. */
export interface NodeListStub {
  /** UUID. */
  ID: string;
  /** Node name. */
  Name: string;
  /** IP address. */
  Address: string;
  /** Datacenter. */
  Datacenter: string;
  /** Node class. */
  NodeClass: string;
  /** Node pool, Nomad default "default". */
  NodePool?: string;
  /** Nomad version. */
  Version: string;
  /** Draining. */
  Drain: boolean;
  /** eligible or ineligible. */
  SchedulingEligibility: "eligible" | "ineligible";
  /** initializing, ready, down or disconnected. */
  Status: string;
  /** Status detail. */
  StatusDescription: string;
  /** Driver name → health. */
  Drivers?: Record<string, DriverInfo> | null;
  /** Attributes (with `?os=true`). */
  Attributes?: Record<string, string> | null;
  /** Resources (with `?resources=true`; shape as Nomad returns it). */
  NodeResources?: Record<string, unknown> | null;
  /** Reserved resources (with `?resources=true`). */
  ReservedResources?: Record<string, unknown> | null;
  /** The most recent drain (`DrainMetadata`: StartedAt, UpdatedAt, Status, AccessorID, Meta); null before any. */
  LastDrain?: unknown;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
}

/** `api.Node`: the full node (sanitized: no SecretID). */
export interface Node extends NodeListStub {
  /** Secret the node authenticates with; empty in responses. */
  SecretID?: string;
  /** host:port of the node's HTTP API. */
  HTTPAddr?: string;
  /** The node's HTTP API uses TLS. */
  TLSEnabled?: boolean;
  /** Fingerprinted attributes (`kernel.name`, `cpu.arch`, `driver.mock_driver`, `unique.hostname`, …). */
  Attributes: Record<string, string> | null;
  /** Operator metadata, `${meta.X}` in constraints. */
  Meta: Record<string, string> | null;
  /** Hash of the scheduling-relevant fields, "v1:<n>". */
  ComputedClass?: string;
  /** Current drain strategy, null when not draining. */
  DrainStrategy?: DrainStrategy | null;
  /** Unix seconds of the last status change. */
  StatusUpdatedAt?: number;
  /** Node history. */
  Events?: NodeEvent[] | null;
  /** Host volumes by name. */
  HostVolumes?: Record<string, { Path: string; ReadOnly: boolean }> | null;
}

/** `api.NodeDrainUpdateResponse` / eligibility response. */
export interface NodeUpdateResponse {
  /** Node modify index. */
  NodeModifyIndex: number;
  /** Evaluations created. */
  EvalIDs: string[] | null;
  /** Raft index of the evaluations. */
  EvalCreateIndex: number;
  /** Raft index. */
  Index?: number;
}

/** Drain spec (`api.DrainSpec`). */
export interface DrainSpec {
  /** Nanoseconds until remaining allocations are force-stopped; -1 forces now, 0 waits forever. */
  Deadline: number;
  /** Leave system job allocations running. */
  IgnoreSystemJobs: boolean;
}

/** A node pool (`api.NodePool`): a named set of client nodes jobs are placed in. */
export interface NodePool {
  /** Name (`[a-zA-Z0-9-_]{1,128}`); `all` and `default` are built in. */
  Name: string;
  /** Free text, at most 256 characters. */
  Description?: string;
  /** Free-form metadata. */
  Meta?: Record<string, string> | null;
  /** Per-pool scheduler settings (Nomad Enterprise). */
  SchedulerConfiguration?: { SchedulerAlgorithm?: string; MemoryOversubscriptionEnabled?: boolean | null } | null;
  /** How long node identities issued in the pool live: nanoseconds, or a Go duration string when sent ("24h" by default). */
  NodeIdentityTTL?: number | string;
  /** Raft index of creation. */
  CreateIndex?: number;
  /** Raft index of the last change. */
  ModifyIndex?: number;
}

/** A node's metadata as its client reports it (`api.NodeMetaResponse`, Nomad 1.5+). */
export interface NodeMetaResponse {
  /** The node's metadata: the static keys with the dynamic ones applied. */
  Meta: Record<string, string>;
  /** Keys set through the API; null marks a static key unset through it. */
  Dynamic: Record<string, string | null>;
  /** Keys from the agent's configuration. */
  Static: Record<string, string>;
}
