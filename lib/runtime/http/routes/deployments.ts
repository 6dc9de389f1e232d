/** `/v1/deployments` and `/v1/deployment/:id` (Nomad's `deployment_endpoint.go`). */
import { badRequest, notFound } from "../../server/errors";
import type { RequestContext } from "../context";
import { READ, WRITE, type Route } from "../router";
import { objectBody } from "../request-body";
import { allocListStub } from "../responses";
import { inNamespace, listReply } from "./list";
import { nsCapability } from "../route-acl";
import { deploymentNamespace } from "./acl-namespaces";

/** The body of a deployment write: an object, maybe empty, whose `DeploymentID` (if set) is the path's. */
function body(ctx: RequestContext): Record<string, unknown> {
  return objectBody(ctx, { emptyAllowed: true, idField: "DeploymentID", idName: "Deployment" });
}

function stringList(v: unknown, name: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw badRequest(`${name} must be a list of IDs`);
  return v as string[];
}

/** The deployment routes. */
export const deploymentRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/deployments",
    acl: nsCapability("read-job"),
    tables: ["deployment"],
    handler: (ctx) => {
      const list = [...ctx.server.store.deployments()]
        .filter((d) => inNamespace(ctx, d.Namespace))
        .sort((a, b) => a.CreateIndex - b.CreateIndex);
      return listReply(ctx, list, (d) => d.ID);
    },
  },
  {
    methods: READ,
    pattern: "/v1/deployment/allocations/:id",
    acl: nsCapability("read-job", deploymentNamespace),
    tables: ["allocs"],
    handler: (ctx) => ({ body: ctx.server.store.allocsByDeployment(ctx.params.id).map((a) => allocListStub(a)) }),
  },
  {
    methods: WRITE,
    pattern: "/v1/deployment/promote/:id",
    acl: nsCapability("submit-job", deploymentNamespace),
    handler: async (ctx) => {
      const b = body(ctx);
      const r = await ctx.server.deployments.promote(ctx.params.id, b.All === true, stringList(b.Groups, "Groups"));
      return { body: r, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/deployment/fail/:id",
    acl: nsCapability("submit-job", deploymentNamespace),
    handler: async (ctx) => {
      body(ctx);
      const r = await ctx.server.deployments.fail(ctx.params.id);
      return { body: r, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/deployment/pause/:id",
    acl: nsCapability("submit-job", deploymentNamespace),
    handler: async (ctx) => {
      const b = body(ctx);
      if (typeof b.Pause !== "boolean") throw badRequest("Pause must be a boolean");
      const r = await ctx.server.deployments.pause(ctx.params.id, b.Pause);
      return { body: r, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/deployment/allocation-health/:id",
    acl: nsCapability("submit-job", deploymentNamespace),
    handler: async (ctx) => {
      const b = body(ctx);
      const r = await ctx.server.deployments.setAllocHealth(
        ctx.params.id,
        stringList(b.HealthyAllocationIDs, "HealthyAllocationIDs"),
        stringList(b.UnhealthyAllocationIDs, "UnhealthyAllocationIDs"),
      );
      return { body: r, index: r.Index };
    },
  },
  {
    methods: READ,
    pattern: "/v1/deployment/:id",
    acl: nsCapability("read-job", deploymentNamespace),
    tables: ["deployment"],
    handler: (ctx) => {
      const d = ctx.server.store.deploymentByID(ctx.params.id);
      if (!d) throw notFound("deployment not found");
      return { body: d };
    },
  },
];
