/**
 * Node pools (`structs.NodePool`): named sets of client nodes that jobs are
 * placed in. Two are built in and cannot be changed or deleted: `all` (every
 * node) and `default` (the nodes that name no pool). Others are created by
 * an operator, or by a node registering into a pool that does not exist yet.
 */

/** The built-in pool of every node (`structs.NodePoolAll`). */
export const NODE_POOL_ALL = "all";
/** The built-in pool of nodes that name none (`structs.NodePoolDefault`). */
export const NODE_POOL_DEFAULT = "default";

/** Nomad's rule for pool names (`validNodePoolName`). */
export const VALID_NODE_POOL_NAME = /^[a-zA-Z0-9-_]{1,128}$/;

/** The longest description Nomad accepts (`maxNodePoolDescriptionLength`). */
export const MAX_NODE_POOL_DESCRIPTION_LENGTH = 256;

/** The TTL of a node's identity in a pool that sets none, in nanoseconds (`DefaultNodePoolNodeIdentityTTL`, 24h). */
export const DEFAULT_NODE_IDENTITY_TTL = 24 * 3600 * 1_000_000_000;

/** A node pool as the servers store it, in Nomad's JSON field order. */
export interface NodePool {
  /** Its name (`[a-zA-Z0-9-_]{1,128}`). */
  Name: string;
  /** Free text, at most 256 characters ("" by default). */
  Description: string;
  /** Free-form metadata (null by default). */
  Meta: Record<string, string> | null;
  /** Per-pool scheduler settings: Nomad Enterprise ("Node Pools Governance"), always null here. */
  SchedulerConfiguration: null;
  /** How long a node identity issued in the pool lives, in nanoseconds (default 24h). */
  NodeIdentityTTL: number;
  /** The index it was created at (1 for the built-in pools). */
  CreateIndex: number;
  /** The index it last changed at. */
  ModifyIndex: number;
}

/** True for `all` and `default` (`NodePool.IsBuiltIn`). */
export function isBuiltInNodePool(name: string): boolean {
  return name === NODE_POOL_ALL || name === NODE_POOL_DEFAULT;
}

/** A built-in pool as Nomad's state store creates it at index 1 (`nodePoolInit`). */
export function builtInNodePool(name: typeof NODE_POOL_ALL | typeof NODE_POOL_DEFAULT): NodePool {
  return {
    Name: name,
    Description: name === NODE_POOL_ALL ? "Node pool with all nodes in the cluster." : "Default node pool.",
    Meta: null,
    SchedulerConfiguration: null,
    NodeIdentityTTL: DEFAULT_NODE_IDENTITY_TTL,
    CreateIndex: 1,
    ModifyIndex: 1,
  };
}

/** The pool a node registering into `name` creates when it does not exist (`fetchOrCreateNodePoolTxn`). */
export function implicitNodePool(name: string): NodePool {
  return {
    Name: name,
    Description: "",
    Meta: null,
    SchedulerConfiguration: null,
    NodeIdentityTTL: DEFAULT_NODE_IDENTITY_TTL,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}
