/**
 * `/v1/namespaces` and `/v1/namespace/:name` (`command/agent/namespace_endpoint.go`):
 * list and read (only the namespaces the token has some capability in),
 * create or update and delete (management tokens).
 */
import { notFound } from "../../server/errors";
import { permissionDenied } from "../../server/acl-endpoint";
import { READ, WRITE, type Route } from "../router";
import { ACL_MANAGEMENT, ACL_TOKEN } from "../route-acl";

/** The namespace routes. */
export const namespaceRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/namespaces",
    acl: ACL_TOKEN,
    tables: ["namespaces"],
    handler: (ctx) => ({
      body: ctx.server.store
        .namespaces()
        .filter((n) => ctx.acl.allowNamespace(n.Name) && (!ctx.options.prefix || n.Name.startsWith(ctx.options.prefix))),
    }),
  },
  {
    methods: READ,
    pattern: "/v1/namespace/:name",
    acl: ACL_TOKEN,
    tables: ["namespaces"],
    handler: (ctx) => {
      if (!ctx.acl.allowNamespace(ctx.params.name)) throw permissionDenied();
      const n = ctx.server.store.namespace(ctx.params.name);
      if (!n) throw notFound("namespace not found");
      return { body: n };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/namespace",
    acl: ACL_MANAGEMENT,
    handler: async (ctx) => ({ body: null, index: await ctx.server.namespaces.upsert(ctx.json()) }),
  },
  {
    methods: WRITE,
    pattern: "/v1/namespace/:name",
    acl: ACL_MANAGEMENT,
    handler: async (ctx) => ({ body: null, index: await ctx.server.namespaces.upsert(ctx.json(), ctx.params.name) }),
  },
  {
    methods: ["DELETE"],
    pattern: "/v1/namespace/:name",
    acl: ACL_MANAGEMENT,
    handler: async (ctx) => ({ body: null, index: await ctx.server.namespaces.delete(ctx.params.name) }),
  },
];
