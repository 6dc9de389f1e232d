/**
 * `/v1/node/pools` and `/v1/node/pool/:name[/nodes|/jobs]` (Nomad's
 * `command/agent/node_pool_endpoint.go`): list, read, create or update,
 * delete, and the nodes and jobs of a pool. What a token may do is its
 * `node_pool` rules (read, write, delete), as Nomad checks them per pool.
 */
import { permissionDenied } from "../../server/acl-endpoint";
import { badRequest, notFound } from "../../server/errors";
import { flag, type RequestContext } from "../context";
import { READ, WRITE, type Route } from "../router";
import { jobListStub, nodeListStub } from "../responses";
import { ACL_TOKEN } from "../route-acl";
import { listReply } from "./list";

/** Throws 403 unless the token has `capability` on the pool. */
function requirePool(ctx: RequestContext, name: string, capability: "read" | "write" | "delete"): void {
  if (!ctx.acl.allowNodePoolOperation(name, capability)) throw permissionDenied();
}

/** The sub-lists of a pool take no `prefix`: Nomad refuses it as ambiguous (the pool's name, or the listed IDs?). */
function refusePrefix(ctx: RequestContext): void {
  if (ctx.options.prefix) throw badRequest("prefix argument not allowed");
}

/** The node pool routes (before `/v1/node/:id`, which would take `pools` for a node ID). */
export const nodePoolRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/node/pools",
    acl: ACL_TOKEN,
    tables: ["node_pools"],
    handler: (ctx) =>
      listReply(
        ctx,
        ctx.server.store.nodePools().filter((p) => ctx.acl.allowNodePoolOperation(p.Name, "read")),
        (p) => p.Name,
      ),
  },
  {
    methods: WRITE,
    pattern: "/v1/node/pools",
    acl: ACL_TOKEN,
    handler: async (ctx) => {
      const body = ctx.json() as { Name?: unknown } | null;
      requirePool(ctx, typeof body?.Name === "string" ? body.Name : "", "write");
      return { body: null, index: await ctx.server.nodePools.upsert(body) };
    },
  },
  {
    methods: READ,
    pattern: "/v1/node/pool/:name/nodes",
    acl: ACL_TOKEN,
    tables: ["nodes", "node_pools"],
    handler: (ctx) => {
      if (!ctx.acl.allow("node", "read")) throw permissionDenied();
      requirePool(ctx, ctx.params.name, "read");
      refusePrefix(ctx);
      const resources = flag(ctx.query, "resources");
      const os = flag(ctx.query, "os");
      const store = ctx.server.store;
      // A pool that does not exist has no nodes (an empty list, as in Nomad).
      const nodes = store.nodePool(ctx.params.name) ? store.nodesInPool(ctx.params.name) : [];
      return listReply(
        ctx,
        nodes.map((n) => nodeListStub(n, resources, os)),
        (n) => n.ID,
        null,
      );
    },
  },
  {
    methods: READ,
    pattern: "/v1/node/pool/:name/jobs",
    acl: ACL_TOKEN,
    tables: ["jobs", "job_summary", "node_pools"],
    handler: (ctx) => {
      requirePool(ctx, ctx.params.name, "read");
      refusePrefix(ctx);
      const store = ctx.server.store;
      const name = ctx.params.name;
      const withMeta = flag(ctx.query, "meta");
      const namespace = ctx.options.namespace;
      const jobs = store.nodePool(name)
        ? store
            .jobs(namespace)
            .filter((j) => (j.NodePool ?? "default") === name && ctx.acl.allowNamespaceOperation(j.Namespace, "list-jobs"))
        : [];
      return listReply(
        ctx,
        jobs.map((j) => jobListStub(j, store.jobSummary(j.Namespace, j.ID), withMeta)),
        (j) => `${j.Namespace}.${j.ID}`,
        null,
      );
    },
  },
  {
    methods: READ,
    pattern: "/v1/node/pool/:name",
    acl: ACL_TOKEN,
    tables: ["node_pools"],
    handler: (ctx) => {
      requirePool(ctx, ctx.params.name, "read");
      const pool = ctx.server.store.nodePool(ctx.params.name);
      if (!pool) throw notFound("node pool not found");
      return { body: pool };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/node/pool/:name",
    acl: ACL_TOKEN,
    handler: async (ctx) => {
      requirePool(ctx, ctx.params.name, "write");
      return { body: null, index: await ctx.server.nodePools.upsert(ctx.json(), ctx.params.name) };
    },
  },
  {
    methods: ["DELETE"],
    pattern: "/v1/node/pool/:name",
    acl: ACL_TOKEN,
    handler: async (ctx) => {
      requirePool(ctx, ctx.params.name, "delete");
      return { body: null, index: await ctx.server.nodePools.delete(ctx.params.name) };
    },
  },
];
