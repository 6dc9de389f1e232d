/** `POST /v1/search` and `/v1/search/fuzzy` (Nomad's `command/agent/search_endpoint.go`). */
import { badRequest } from "../../server/errors";
import type { RequestContext } from "../context";
import { WRITE, type Route } from "../router";

/** The request body as an object (a missing body is an empty request). */
function body(ctx: RequestContext): Record<string, unknown> {
  const b = ctx.json();
  if (b === undefined || b === null) return {};
  if (typeof b !== "object" || Array.isArray(b)) throw badRequest("request body must be a JSON object");
  return b as Record<string, unknown>;
}

/** The namespace searched: the body's `Namespace`, else the `namespace` parameter. */
function namespaceOf(ctx: RequestContext, b: Record<string, unknown>): string {
  if (b.Namespace !== undefined && typeof b.Namespace !== "string") throw badRequest("Namespace must be a string");
  return (b.Namespace as string | undefined) || ctx.options.namespace;
}

/** The search routes. */
export const searchRoutes: Route[] = [
  {
    methods: WRITE,
    pattern: "/v1/search/fuzzy",
    handler: (ctx) => {
      const b = body(ctx);
      const r = ctx.server.search.fuzzy(b, namespaceOf(ctx, b));
      return { body: { ...r, KnownLeader: true, LastContact: 0 }, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/search",
    handler: (ctx) => {
      const b = body(ctx);
      const r = ctx.server.search.prefix(b, namespaceOf(ctx, b));
      return { body: { ...r, KnownLeader: true, LastContact: 0 }, index: r.Index };
    },
  },
];
