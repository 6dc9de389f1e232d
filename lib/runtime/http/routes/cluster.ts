/**
 * `/v1/node/pools`, `/v1/node/pool/:name` and `/v1/agent/servers`: the
 * fixed answers of a single-region, single-server cluster.
 */
import { notFound } from "../../server/errors";
import { permissionDenied } from "../../server/acl-endpoint";
import type { RequestContext } from "../context";
import { READ, type Route } from "../router";
import { ACL_TOKEN, coarse } from "../route-acl";

function pool(name: string) {
  const description = name === "all" ? "Node pool with all nodes in the cluster." : name === "default" ? "Default node pool." : "";
  return { Name: name, Description: description, Meta: null, SchedulerConfiguration: null, CreateIndex: 1, ModifyIndex: 1 };
}

function poolNames(ctx: RequestContext): string[] {
  const names = new Set(["all", "default"]);
  for (const n of ctx.server.store.nodes()) names.add(n.NodePool);
  return [...names].sort();
}

/** The cluster routes. */
export const clusterRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/node/pools",
    acl: ACL_TOKEN,
    tables: ["nodes"],
    handler: (ctx) => ({
      body: poolNames(ctx)
        .filter((n) => ctx.acl.allowNodePoolOperation(n, "read"))
        .map(pool),
    }),
  },
  {
    methods: READ,
    pattern: "/v1/node/pool/:name",
    acl: ACL_TOKEN,
    tables: ["nodes"],
    handler: (ctx) => {
      if (!ctx.acl.allowNodePoolOperation(ctx.params.name, "read")) throw permissionDenied();
      if (!poolNames(ctx).includes(ctx.params.name)) throw notFound("node pool not found");
      return { body: pool(ctx.params.name) };
    },
  },
  { methods: READ, pattern: "/v1/agent/servers", acl: coarse("agent", "read"), handler: (ctx) => ({ body: [ctx.agent.rpcAddr] }) },
];
