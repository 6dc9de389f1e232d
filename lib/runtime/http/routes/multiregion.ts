/**
 * The HTTP routes multiregion serving adds or answers differently:
 * `/v1/regions` (every region the agent serves, sorted),
 * `/v1/deployment/unblock/:id` (Nomad Enterprise's unblock of a multiregion
 * deployment) and `DELETE /v1/job/:id?global=true` (stops a multiregion job
 * in every region it lists; without `global`, the job routes answer). The
 * HTTP API puts them before the other routes, so they win.
 */
import { badRequest } from "../../server/errors";
import { flag, type RequestContext } from "../context";
import { objectBody } from "../request-body";
import { READ, WRITE, type Reply, type Route } from "../router";
import { jobRoutes } from "./jobs";
import { multiregionOf } from "../../structs";
import type { RegionRegistry } from "../../multiregion/registry";
import { ACL_NONE, nsCapability } from "../route-acl";
import { deploymentNamespace } from "./acl-namespaces";

function unblockBody(ctx: RequestContext): void {
  objectBody(ctx, { emptyAllowed: true, idField: "DeploymentID", idName: "Deployment" });
}

/** The job routes' own deregister, which answers everything but a global stop. */
const localDeregister = jobRoutes.find((r) => r.pattern === "/v1/job/:id+" && r.methods.includes("DELETE"));

/** `DELETE /v1/job/:id?global=true` of a multiregion job: deregisters it in every region it lists that the agent serves. */
async function deregisterEverywhere(ctx: RequestContext, regions: RegionRegistry | undefined): Promise<Reply | null> {
  if (!regions || !flag(ctx.query, "global")) return null;
  const job = ctx.server.store.jobByID(ctx.options.namespace, ctx.params.id);
  const mr = job ? multiregionOf(job) : null;
  if (!mr) return null;
  const priorityText = ctx.query.get("eval_priority");
  const evalPriority = priorityText ? Number(priorityText) : undefined;
  if (evalPriority !== undefined && (!Number.isInteger(evalPriority) || evalPriority < 1 || evalPriority > 100))
    throw badRequest("Eval priority must be between 1 and 100 inclusively");
  let reply: Reply | null = null;
  for (const r of mr.Regions) {
    const server = regions.server(r.Name);
    if (!server) continue;
    const res = await server.jobs.deregister(ctx.options.namespace, ctx.params.id, { purge: flag(ctx.query, "purge"), evalPriority });
    if (server === ctx.server) reply = { body: res, index: res.Index };
  }
  return reply;
}

/**
 * `DELETE /v1/job/:id+` with `global=true` for multiregion jobs; every other
 * deregister goes to the job routes' own. Its place is right before the job
 * routes (after the routes of longer `/v1/job/:id+/…` paths).
 */
export function globalStopRoutes(regions: () => RegionRegistry | undefined): Route[] {
  return [
    {
      methods: ["DELETE"],
      pattern: "/v1/job/:id+",
      acl: nsCapability("submit-job"),
      handler: async (ctx) => {
        const global = await deregisterEverywhere(ctx, regions());
        if (global) return global;
        if (!localDeregister) throw new Error("the job routes have no deregister route");
        return localDeregister.handler(ctx);
      },
    },
  ];
}

/** The routes that win over every other: `regionNames` lists the regions the agent serves. */
export function multiregionRoutes(regionNames: () => string[]): Route[] {
  return [
    { methods: READ, pattern: "/v1/regions", acl: ACL_NONE, handler: () => ({ body: regionNames() }) },
    {
      methods: WRITE,
      pattern: "/v1/deployment/unblock/:id",
      acl: nsCapability("submit-job", deploymentNamespace),
      handler: async (ctx) => {
        unblockBody(ctx);
        const r = await ctx.server.deployments.unblock(ctx.params.id);
        return { body: r, index: r.Index };
      },
    },
  ];
}
