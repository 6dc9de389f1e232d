/**
 * `PUT /v1/drover/sim-node/:id/down` and `PUT /v1/drover/sim-node/:id/up`:
 * drover-only routes (Nomad has none like them) that stop and resume the
 * heartbeats of a node this agent runs, to test what happens when a client
 * dies and comes back. `down?immediate=true` marks the node down at once
 * instead of after its heartbeat TTL. Both answer `{ NodeID, Status, Index }`.
 */
import { CodedError, notFound } from "../../server/errors";
import { resumeNodeHeartbeats, stopNodeHeartbeats } from "../../server/node-liveness";
import { flag, type RequestContext } from "../context";
import { WRITE, type Route } from "../router";
import { coarse } from "../route-acl";

function target(ctx: RequestContext) {
  const node = ctx.server.store.nodeByID(ctx.params.id);
  if (!node) throw notFound("node not found");
  const access = ctx.client;
  if (!access.setHeartbeating || access.clientNodeIDs?.().includes(node.ID) === false)
    throw new CodedError(400, `node ${node.ID} is not run by this agent's client runtime`);
  return { node, control: { setHeartbeating: access.setHeartbeating.bind(access), resyncNodes: access.resyncNodes?.bind(access) } };
}

/** The drover-only simulated node routes. */
export const simNodeRoutes: Route[] = [
  {
    methods: WRITE,
    pattern: "/v1/drover/sim-node/:id/down",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const { node, control } = target(ctx);
      const index = await stopNodeHeartbeats(ctx.server, control, [node.ID], flag(ctx.query, "immediate"));
      return { body: { NodeID: node.ID, Status: ctx.server.store.nodeByID(node.ID)?.Status ?? "", Index: index }, index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/drover/sim-node/:id/up",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const { node, control } = target(ctx);
      const index = await resumeNodeHeartbeats(ctx.server, control, [node.ID]);
      return { body: { NodeID: node.ID, Status: ctx.server.store.nodeByID(node.ID)?.Status ?? "", Index: index }, index };
    },
  },
];
