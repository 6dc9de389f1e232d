/** `/v1/allocations` and `/v1/allocation/:id` (Nomad's `alloc_endpoint.go`). */
import { notFound } from "../../server/errors";
import { flag } from "../context";
import { READ, WRITE, type Route } from "../router";
import { allocListStub, allocationResponse } from "../responses";
import { inNamespace, listReply } from "./list";
import { nsCapability } from "../route-acl";
import { allocNamespace } from "./acl-namespaces";

/** The allocation routes. */
export const allocationRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/allocations",
    acl: nsCapability("read-job"),
    tables: ["allocs"],
    handler: (ctx) => {
      const resources = flag(ctx.query, "resources");
      const taskStates = ctx.query.get("task_states") !== "false";
      const allocs = [...ctx.server.store.allocs()].filter((a) => inNamespace(ctx, a.Namespace)).sort((a, b) => (a.ID < b.ID ? -1 : 1));
      return listReply(
        ctx,
        allocs.map((a) => allocListStub(a, resources, taskStates)),
        (a) => a.ID,
      );
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/allocation/:id/stop",
    acl: nsCapability("alloc-lifecycle", allocNamespace),
    handler: async (ctx) => {
      const r = await ctx.server.allocs.stop(ctx.params.id, { noShutdownDelay: flag(ctx.query, "no_shutdown_delay") });
      return { body: r, index: r.Index };
    },
  },
  {
    methods: READ,
    pattern: "/v1/allocation/:id",
    acl: nsCapability("read-job", allocNamespace),
    tables: ["allocs"],
    handler: (ctx) => {
      const a = ctx.server.store.allocByID(ctx.params.id);
      if (!a) throw notFound("alloc not found");
      return { body: allocationResponse(a) };
    },
  },
];
