/**
 * The HTTP routes multiregion serving adds or answers differently:
 * `/v1/regions` (every region the agent serves, sorted) and
 * `/v1/deployment/unblock/:id` (Nomad Enterprise's unblock of a multiregion
 * deployment). The HTTP API puts them before the other routes, so they win.
 */
import { badRequest } from "../server/errors";
import type { RequestContext } from "../http/context";
import { READ, WRITE, type Route } from "../http/router";

function unblockBody(ctx: RequestContext): void {
  const b = ctx.rawBody.trim() ? ctx.json() : {};
  if (typeof b !== "object" || b === null || Array.isArray(b)) throw badRequest("Request body must be a JSON object");
  const id = (b as Record<string, unknown>).DeploymentID;
  if (id !== undefined && id !== ctx.params.id) throw badRequest("Deployment ID does not match");
}

/** The routes; `regionNames` lists the regions the agent serves. */
export function multiregionRoutes(regionNames: () => string[]): Route[] {
  return [
    { methods: READ, pattern: "/v1/regions", handler: () => ({ body: regionNames() }) },
    {
      methods: WRITE,
      pattern: "/v1/deployment/unblock/:id",
      handler: async (ctx) => {
        unblockBody(ctx);
        const r = await ctx.server.deploymentOps.unblock(ctx.params.id);
        return { body: r, index: r.Index };
      },
    },
  ];
}
