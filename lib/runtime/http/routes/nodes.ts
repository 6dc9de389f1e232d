/** `/v1/nodes` and `/v1/node/:id/…` (Nomad's `node_endpoint.go`). */
import type { Node } from "../../structs";
import { badRequest, notFound } from "../../server/errors";
import { flag, type RequestContext } from "../context";
import { READ, WRITE, type Route } from "../router";
import { objectBody, isObject } from "../request-body";
import { allocationResponse, nodeListStub, sanitizedNode } from "../responses";
import { listReply } from "./list";
import { coarse } from "../route-acl";

/** A node by full ID or unique prefix (Nomad's CLI resolves prefixes; the API takes full IDs, and so do we, plus prefixes for convenience). */
function node(ctx: RequestContext): Node {
  const n = ctx.server.store.nodeByID(ctx.params.id);
  if (!n) throw notFound("node not found");
  return n;
}

/** The node routes. */
export const nodeRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/nodes",
    acl: coarse("node", "read"),
    tables: ["nodes"],
    handler: (ctx) => {
      const resources = flag(ctx.query, "resources");
      const os = flag(ctx.query, "os");
      return listReply(
        ctx,
        ctx.server.store.nodes().map((n) => nodeListStub(n, resources, os)),
        (n) => n.ID,
      );
    },
  },
  {
    methods: READ,
    pattern: "/v1/node/:id/allocations",
    acl: coarse("node", "read"),
    tables: ["allocs"],
    handler: (ctx) => {
      node(ctx);
      return {
        body: [...ctx.server.store.allocsByNode(ctx.params.id)]
          .filter((a) => ctx.acl.allowNamespaceOperation(a.Namespace, "read-job"))
          .sort((a, b) => a.CreateIndex - b.CreateIndex)
          .map(allocationResponse),
      };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/node/:id/eligibility",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const body = objectBody(ctx, { idField: "NodeID", idName: "Node" });
      if (typeof body.Eligibility !== "string") throw badRequest('Eligibility must be "eligible" or "ineligible"');
      const r = await ctx.server.nodes.updateEligibility(ctx.params.id, body.Eligibility);
      return { body: r, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/node/:id/drain",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const body = objectBody(ctx, { idField: "NodeID", idName: "Node" });
      const spec = body.DrainSpec;
      if (spec !== undefined && spec !== null && !isObject(spec)) throw badRequest("DrainSpec must be an object or null");
      if (isObject(spec) && spec.Deadline !== undefined && typeof spec.Deadline !== "number")
        throw badRequest("DrainSpec.Deadline must be nanoseconds");
      const r = await ctx.server.nodes.updateDrain(ctx.params.id, {
        DrainSpec: isObject(spec)
          ? { Deadline: spec.Deadline as number | undefined, IgnoreSystemJobs: spec.IgnoreSystemJobs === true }
          : null,
        MarkEligible: body.MarkEligible === true,
        Meta: isObject(body.Meta) ? (body.Meta as Record<string, string>) : null,
      });
      return { body: r, index: r.Index };
    },
  },
  {
    methods: READ,
    pattern: "/v1/node/:id",
    acl: coarse("node", "read"),
    tables: ["nodes"],
    handler: (ctx) => ({ body: sanitizedNode(node(ctx)) }),
  },
];
