/**
 * A client node's own endpoints (Nomad's `command/agent/alloc_endpoint.go`
 * `ClientGCRequest`/`allocGC` and `meta_endpoint.go`): garbage collection of
 * terminal allocations, one or all of a node's, and the node's dynamic
 * metadata (Nomad 1.5+). The node is `?node_id=`, else the agent's local node.
 */
import { nodeMetaApplyProblem } from "../../client/node-meta";
import { badRequest, CodedError, notFound } from "../../server/errors";
import type { RequestContext } from "../context";
import { requestAlloc } from "../client-access";
import { READ, WRITE, type Route } from "../router";
import { coarse, nsCapability } from "../route-acl";
import { allocNamespace } from "./acl-namespaces";

/** Nomad's answer when a node is known to the server but no client of this agent serves it (`structs.ErrNoNodeConn`). */
const NO_NODE_CONN = "No path to node";

/** The node a client request is for: `node_id` (or the body's `NodeID`), else the local node, checked to exist and be served here. */
function requestNode(ctx: RequestContext, bodyNodeID?: unknown): string {
  const nodeID = ctx.query.get("node_id") || (typeof bodyNodeID === "string" ? bodyNodeID : "") || ctx.agent.nodeID;
  if (!nodeID) throw badRequest("No local Node and node_id not provided");
  if (!ctx.server.store.nodeByID(nodeID)) throw new CodedError(500, `Unknown node ${JSON.stringify(nodeID)}`);
  if (!(ctx.client.clientNodeIDs?.() ?? []).includes(nodeID)) throw notFound(NO_NODE_CONN);
  return nodeID;
}

/** The client node routes. */
export const clientNodeRoutes: Route[] = [
  {
    // Nomad's agent takes any method here (its API client sends GET).
    methods: ["GET", "PUT", "POST"],
    pattern: "/v1/client/allocation/:alloc/gc",
    acl: nsCapability("submit-job", allocNamespace),
    handler: async (ctx) => {
      const a = requestAlloc(ctx);
      if (!(ctx.client.clientNodeIDs?.() ?? []).includes(a.NodeID)) throw notFound(NO_NODE_CONN);
      if (!ctx.client.collectAllocation) throw new CodedError(501, "garbage collection is not supported by this agent's client runtime");
      if (!(await ctx.client.collectAllocation(a.ID)))
        throw new CodedError(500, "No such allocation on client, or allocation not eligible for GC");
      return { body: null };
    },
  },
  {
    methods: ["GET", "PUT", "POST"],
    pattern: "/v1/client/gc",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const nodeID = requestNode(ctx);
      if (!ctx.client.collectAllAllocations)
        throw new CodedError(501, "garbage collection is not supported by this agent's client runtime");
      await ctx.client.collectAllAllocations(nodeID);
      return { body: null };
    },
  },
  {
    methods: READ,
    pattern: "/v1/client/metadata",
    acl: coarse("node", "read"),
    tables: ["nodes"],
    handler: (ctx) => {
      const nodeID = requestNode(ctx);
      const meta = ctx.client.readNodeMeta?.(nodeID);
      if (!meta) throw notFound(NO_NODE_CONN);
      return { body: meta };
    },
  },
  {
    methods: WRITE.filter((m) => m === "POST"),
    pattern: "/v1/client/metadata",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const body = ctx.json();
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Request body must be a JSON object");
      const b = body as Record<string, unknown>;
      const nodeID = requestNode(ctx, b.NodeID);
      const problem = nodeMetaApplyProblem(b.Meta);
      if (problem) throw badRequest(problem);
      if (!ctx.client.applyNodeMeta) throw new CodedError(501, "dynamic node metadata is not supported by this agent's client runtime");
      const reply = await ctx.client.applyNodeMeta(nodeID, b.Meta as Record<string, string | null>);
      if (!reply) throw notFound(NO_NODE_CONN);
      return { body: reply };
    },
  },
];
