/**
 * `/v1/system/gc` and `/v1/system/reconcile/summaries` (Nomad's
 * `system_endpoint.go`), and the node operations that go with garbage
 * collection: `/v1/node/:id/purge` and `/v1/node/:id/evaluate`
 * (`node_endpoint.go` `Deregister` and `Evaluate`).
 */
import { WRITE, type Route } from "../router";
import { ACL_MANAGEMENT, coarse } from "../route-acl";

/** The system routes. */
export const systemRoutes: Route[] = [
  {
    methods: WRITE,
    pattern: "/v1/system/gc",
    acl: ACL_MANAGEMENT,
    handler: async (ctx) => {
      const r = ctx.server.gc.collect(true);
      await r.durable;
      return { body: null, index: r.index || ctx.server.store.latestIndex() };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/system/reconcile/summaries",
    acl: ACL_MANAGEMENT,
    handler: async (ctx) => {
      const store = ctx.server.store;
      const { index, durable } = store.write((txn) => {
        for (const j of store.jobs("*")) txn.reconcileJobSummary(j.Namespace, j.ID);
      });
      await durable;
      return { body: null, index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/node/:id/purge",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const r = await ctx.server.nodes.purge(ctx.params.id);
      return { body: r, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/node/:id/evaluate",
    acl: coarse("node", "write"),
    handler: async (ctx) => {
      const r = await ctx.server.nodes.evaluate(ctx.params.id);
      return { body: r, index: r.Index };
    },
  },
];
