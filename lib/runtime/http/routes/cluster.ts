/**
 * `/v1/namespaces`, `/v1/namespace/:name`, `/v1/node/pools`,
 * `/v1/node/pool/:name` and `/v1/agent/servers`: the fixed answers of a
 * single-region, single-server cluster without namespaces beyond the ones
 * its objects use.
 */
import { notFound } from "../../server/errors";
import type { RequestContext } from "../context";
import { READ, type Route } from "../router";

function namespaceNames(ctx: RequestContext): string[] {
  const names = new Set(["default"]);
  for (const j of ctx.server.store.jobs("*")) names.add(j.Namespace);
  return [...names].sort();
}

function namespace(name: string, index: number) {
  return { Name: name, Description: name === "default" ? "Default shared namespace" : "", Quota: "", Meta: null, Capabilities: null, NodePoolConfiguration: null, CreateIndex: 1, ModifyIndex: index };
}

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
  { methods: READ, pattern: "/v1/namespaces", tables: ["jobs"], handler: (ctx) => ({ body: namespaceNames(ctx).map((n) => namespace(n, 1)) }) },
  {
    methods: READ,
    pattern: "/v1/namespace/:name",
    tables: ["jobs"],
    handler: (ctx) => {
      if (!namespaceNames(ctx).includes(ctx.params.name)) throw notFound("namespace not found");
      return { body: namespace(ctx.params.name, 1) };
    },
  },
  { methods: READ, pattern: "/v1/node/pools", tables: ["nodes"], handler: (ctx) => ({ body: poolNames(ctx).map(pool) }) },
  {
    methods: READ,
    pattern: "/v1/node/pool/:name",
    tables: ["nodes"],
    handler: (ctx) => {
      if (!poolNames(ctx).includes(ctx.params.name)) throw notFound("node pool not found");
      return { body: pool(ctx.params.name) };
    },
  },
  { methods: READ, pattern: "/v1/agent/servers", handler: (ctx) => ({ body: [ctx.agent.rpcAddr] }) },
];
