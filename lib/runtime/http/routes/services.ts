/**
 * `/v1/services`, `/v1/service/:name` and `DELETE /v1/service/:name/:id`:
 * Nomad's built-in service discovery (`command/agent/service_registration_endpoint.go`).
 * The reads are blocking queries on the registrations: with `?index=N` they
 * answer once a registration changed above N (or after `wait`).
 */
import { badRequest, notFound } from "../../server/errors";
import { jitteredWait, MAX_BLOCKING_WAIT_MS } from "../../state";
import type { ServiceDiscovery } from "../../services/discovery";
import type { RequestContext } from "../context";
import { READ, type Route } from "../router";
import { nsCapability } from "../route-acl";

/** The service discovery of the request's server, after waiting out a blocking query (`?index=&wait=`) on the registrations. */
async function discovery(ctx: RequestContext): Promise<ServiceDiscovery> {
  const d = ctx.server.services;
  if (ctx.options.index > 0)
    await d.waitForChange(ctx.options.index, jitteredWait(Math.min(ctx.options.waitMs, MAX_BLOCKING_WAIT_MS), ctx.server.random));
  return d;
}

/** The service registration routes. */
export const serviceRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/services",
    acl: nsCapability("read-job"),
    handler: async (ctx) => {
      const d = await discovery(ctx);
      const byNs = new Map<string, Map<string, Set<string>>>();
      for (const r of d.list(ctx.options.namespace)) {
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
      return { body, index: d.index };
    },
  },
  {
    methods: READ,
    pattern: "/v1/service/:name",
    acl: nsCapability("read-job"),
    handler: async (ctx) => {
      const d = await discovery(ctx);
      if (!ctx.params.name) throw badRequest("missing service name");
      return {
        body: d.byName(ctx.options.namespace, ctx.params.name).filter((r) => ctx.acl.allowNamespaceOperation(r.Namespace, "read-job")),
        index: d.index,
      };
    },
  },
  {
    methods: ["DELETE"],
    pattern: "/v1/service/:name/:id",
    acl: nsCapability("submit-job"),
    handler: (ctx) => {
      const d = ctx.server.services;
      const r = d
        .byName(ctx.options.namespace, ctx.params.name)
        .find((x) => x.ID === ctx.params.id && ctx.acl.allowNamespaceOperation(x.Namespace, "submit-job"));
      if (!r || !d.delete(r.ID)) throw notFound("service registration not found");
      return { body: null, index: d.index };
    },
  },
];
