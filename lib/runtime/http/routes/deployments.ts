/** `/v1/deployments` and `/v1/deployment/:id` (Nomad's `deployment_endpoint.go`). */
import { notFound } from "../../server/errors";
import { READ, type Route } from "../router";
import { allocListStub } from "../stubs";
import { inNamespace, listReply } from "./list";

/** The deployment routes. */
export const deploymentRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/deployments",
    tables: ["deployment"],
    handler: (ctx) => {
      const list = [...ctx.server.store.deployments()].filter((d) => inNamespace(ctx, d.Namespace)).sort((a, b) => a.CreateIndex - b.CreateIndex);
      return listReply(ctx, list, (d) => d.ID);
    },
  },
  {
    methods: READ,
    pattern: "/v1/deployment/allocations/:id",
    tables: ["allocs"],
    handler: (ctx) => ({ body: ctx.server.store.allocsByDeployment(ctx.params.id).map((a) => allocListStub(a)) }),
  },
  {
    methods: READ,
    pattern: "/v1/deployment/:id",
    tables: ["deployment"],
    handler: (ctx) => {
      const d = ctx.server.store.deploymentByID(ctx.params.id);
      if (!d) throw notFound("deployment not found");
      return { body: d };
    },
  },
];
