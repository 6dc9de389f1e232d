/** Nodes (`api.NodeListStub`, `api.Node`). */

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
  /** Node pool. */
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
  Drivers?: Record<string, { Detected: boolean; Healthy: boolean; HealthDescription?: string }> | null;
  /** Attributes (with `?os=true`). */
  Attributes?: Record<string, string> | null;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
}

/** `api.Node`: the full node (sanitized: no SecretID). */
export interface Node extends NodeListStub {
  /** Fingerprinted attributes. */
  Attributes: Record<string, string> | null;
  /** Node meta. */
  Meta: Record<string, string> | null;
  /** Resources (shape as Nomad returns it). */
  NodeResources?: Record<string, unknown> | null;
  /** Reserved resources. */
  ReservedResources?: Record<string, unknown> | null;
  /** Current drain strategy, null when not draining. */
  DrainStrategy?: { Deadline: number; IgnoreSystemJobs: boolean; ForceDeadline?: string } | null;
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
