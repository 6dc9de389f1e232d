/**
 * `/v1/services`, `/v1/service/:name`, `DELETE /v1/service/:name/:id` and
 * `/v1/allocation/:id/services`: Nomad's built-in service discovery
 * (`command/agent/service_registration_endpoint.go`, `alloc_endpoint.go`).
 * The reads are blocking queries on the `service_registrations` table: with
 * `?index=N` they answer once a registration changed above N (or after `wait`).
 */
import { badRequest, notFound } from "../../server/errors";
import { READ, type Route } from "../router";
import { nsCapability } from "../route-acl";

/** The service registration routes. */
export const serviceRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/services",
    acl: nsCapability("read-job"),
    tables: ["service_registrations"],
    handler: (ctx) => {
      const byNs = new Map<string, Map<string, Set<string>>>();
      for (const r of ctx.server.services.list(ctx.options.namespace)) {
        if (!ctx.acl.allowNamespaceOperation(r.Namespace, "read-job")) continue;
        const ns = byNs.get(r.Namespace) ?? new Map<string, Set<string>>();
        const tags = ns.get(r.ServiceName) ?? new Set<string>();
        for (const t of r.Tags) tags.add(t);
        ns.set(r.ServiceName, tags);
        byNs.set(r.Namespace, ns);
      }
      const body = [...byNs.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([Namespace, services]) => ({
          Namespace,
          Services: [...services.entries()].map(([ServiceName, tags]) => ({ ServiceName, Tags: [...tags].sort() })),
        }));
      return { body };
    },
  },
  {
    methods: READ,
    pattern: "/v1/service/:name",
    acl: nsCapability("read-job"),
    tables: ["service_registrations"],
    handler: (ctx) => {
      if (!ctx.params.name) throw badRequest("missing service name");
      return {
        body: ctx.server.services
          .byName(ctx.options.namespace, ctx.params.name)
          .filter((r) => ctx.acl.allowNamespaceOperation(r.Namespace, "read-job")),
      };
    },
  },
  {
    methods: ["DELETE"],
    pattern: "/v1/service/:name/:id",
    acl: nsCapability("submit-job"),
    handler: async (ctx) => {
      const d = ctx.server.services;
      const r = d
        .byName(ctx.options.namespace, ctx.params.name)
        .find((x) => x.ID === ctx.params.id && ctx.acl.allowNamespaceOperation(x.Namespace, "submit-job"));
      const deleted = r ? d.delete(r.ID) : undefined;
      if (!deleted) throw notFound("service registration not found");
      await deleted.durable;
      return { body: null, index: deleted.index };
    },
  },
  {
    methods: READ,
    pattern: "/v1/allocation/:id/services",
    // As Nomad: read-job in the request's namespace; an allocation of another namespace is not found.
    acl: nsCapability("read-job"),
    tables: ["service_registrations"],
    handler: (ctx) => {
      const a = ctx.server.store.allocByID(ctx.params.id);
      if (!a || a.Namespace !== ctx.options.namespace) throw notFound("allocation not found");
      return { body: ctx.server.services.byAllocID(a.ID) };
    },
  },
];
