/** `POST /v1/search` and `/v1/search/fuzzy` (Nomad's `command/agent/search_endpoint.go`). */
import { badRequest } from "../../server/errors";
import type { RequestContext } from "../context";
import { WRITE, type Route } from "../router";
import { ACL_TOKEN } from "../route-acl";
import type { SearchVisibility } from "../../server/search-endpoint";

/** What the request's token may see in search results (Nomad filters each context by the token's capabilities). */
function visibility(ctx: RequestContext): SearchVisibility {
  return { namespace: (ns) => ctx.acl.allowNamespaceOperation(ns, "read-job"), nodes: ctx.acl.allow("node", "read") };
}

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
    // Any token: the results are filtered to what it may read.
    acl: ACL_TOKEN,
    handler: (ctx) => {
      const b = body(ctx);
      const r = ctx.server.search.fuzzy(b, namespaceOf(ctx, b), visibility(ctx));
      return { body: { ...r, KnownLeader: true, LastContact: 0 }, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/search",
    acl: ACL_TOKEN,
    handler: (ctx) => {
      const b = body(ctx);
      const r = ctx.server.search.prefix(b, namespaceOf(ctx, b), visibility(ctx));
      return { body: { ...r, KnownLeader: true, LastContact: 0 }, index: r.Index };
    },
  },
];
