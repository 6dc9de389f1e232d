/**
 * Node pool writes (`nomad/node_pool_endpoint.go` and
 * `state_store_node_pools.go`), with Nomad's rules and texts: the built-in
 * `all` and `default` cannot be changed (400 `modifying node pool "all" is
 * not allowed`) or deleted (500 `deleting node pool "all" is not allowed`);
 * a pool with nodes or jobs that are not dead is not deleted (500, a
 * multierror naming the regions); scheduler settings per pool are Nomad
 * Enterprise and refused.
 */
import { parseGoDuration } from "../../jobspec/duration";
import {
  DEFAULT_NODE_IDENTITY_TTL,
  isBuiltInNodePool,
  MAX_NODE_POOL_DESCRIPTION_LENGTH,
  VALID_NODE_POOL_NAME,
  type NodePool,
} from "../structs";
import { badRequest, CodedError, formatMultiError } from "./errors";
import type { Server } from "./server";

/** Node pools. */
export class NodePoolEndpoint {
  constructor(private readonly server: Server) {}

  /**
   * `PUT /v1/node/pools` and `PUT /v1/node/pool/:name`: creates or replaces a
   * pool. Returns the index of the write.
   */
  async upsert(body: unknown, pathName?: string): Promise<number> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Request body must be a node pool object");
    const b = body as Record<string, unknown>;
    const name = typeof b.Name === "string" ? b.Name : "";
    if (b.Name !== undefined && typeof b.Name !== "string") throw badRequest("Name must be a string");
    if (pathName !== undefined && name !== pathName) throw badRequest("Node pool name does not match request path");
    const description = b.Description ?? "";
    if (typeof description !== "string") throw badRequest("Description must be a string");
    const meta = b.Meta ?? null;
    if (meta !== null && (typeof meta !== "object" || Array.isArray(meta) || Object.values(meta).some((v) => typeof v !== "string")))
      throw badRequest("Meta must be a map of strings");
    const ttl = nodeIdentityTTL(b.NodeIdentityTTL);
    // validateLicense (node_pool_endpoint_ce.go): per-pool scheduler settings are Nomad Enterprise.
    if (b.SchedulerConfiguration !== undefined && b.SchedulerConfiguration !== null)
      throw new CodedError(500, 'Feature "Node Pools Governance" is unlicensed');
    const problems: string[] = [];
    if (!VALID_NODE_POOL_NAME.test(name))
      problems.push(`invalid name ${JSON.stringify(name)}, must match regex ${VALID_NODE_POOL_NAME.source}`);
    if (description.length > MAX_NODE_POOL_DESCRIPTION_LENGTH) problems.push(`description longer than ${MAX_NODE_POOL_DESCRIPTION_LENGTH}`);
    if (problems.length > 0) throw badRequest(`invalid node pool ${JSON.stringify(name)}: ${formatMultiError(problems)}`);
    if (isBuiltInNodePool(name)) throw badRequest(`modifying node pool ${JSON.stringify(name)} is not allowed`);
    const pool: NodePool = {
      Name: name,
      Description: description,
      Meta: meta as Record<string, string> | null,
      SchedulerConfiguration: null,
      NodeIdentityTTL: ttl,
      CreateIndex: 0,
      ModifyIndex: 0,
    };
    const { index, durable } = this.server.store.write((txn) => txn.putNodePool(pool));
    await durable;
    return index;
  }

  /** `DELETE /v1/node/pool/:name`. Returns the index of the write. */
  async delete(name: string): Promise<number> {
    if (name === "") throw badRequest("node pool name is empty");
    const store = this.server.store;
    const region = this.server.region;
    const problems: string[] = [];
    const nodes = name === "all" ? [] : store.nodesInPool(name);
    if (store.jobs("*").some((j) => (j.NodePool ?? "default") === name && j.Status !== "dead"))
      problems.push(`node pool ${JSON.stringify(name)} has non-terminal jobs in regions: [${region}]`);
    if (nodes.length > 0) problems.push(`node pool ${JSON.stringify(name)} has nodes in regions: [${region}]`);
    if (problems.length > 0) throw new CodedError(500, formatMultiError(problems));
    if (!store.nodePool(name)) throw new CodedError(500, `node pool ${name} not found`);
    if (isBuiltInNodePool(name)) throw new CodedError(500, `deleting node pool ${JSON.stringify(name)} is not allowed`);
    const { index, durable } = store.write((txn) => txn.deleteNodePool(name));
    await durable;
    return index;
  }
}

/** `NodeIdentityTTL` as Nomad decodes it: a Go duration string or nanoseconds; 0 or absent means 24h. */
function nodeIdentityTTL(v: unknown): number {
  if (v === undefined || v === null || v === "" || v === 0) return DEFAULT_NODE_IDENTITY_TTL;
  if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return v;
  if (typeof v === "string") {
    try {
      const ns = parseGoDuration(v);
      if (ns > 0) return ns;
    } catch {
      // reported below
    }
  }
  throw badRequest(`NodeIdentityTTL must be a positive duration ("24h") or nanoseconds, got ${JSON.stringify(v)}`);
}
