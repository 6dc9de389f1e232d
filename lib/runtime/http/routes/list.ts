/**
 * Shared list handling: ID prefix, filter, and pagination with
 * `per_page`/`next_token` (the token is the key of the first item of the
 * next page, returned in `X-Nomad-NextToken`).
 */
import type { RequestContext } from "../context";
import { compileFilter } from "../filter";
import type { Reply } from "../router";

/** Applies prefix (on `key`), filter and pagination to `items` (already in list order). */
export function listReply<T>(
  ctx: RequestContext,
  items: T[],
  key: (item: T) => string,
  prefixOf: ((item: T) => string) | null = key,
): Reply {
  const filter = compileFilter(ctx.options.filter);
  let out = items.filter((i) => (!prefixOf || !ctx.options.prefix || prefixOf(i).startsWith(ctx.options.prefix)) && filter(i));
  if (ctx.options.reverse) out = out.reverse();
  if (ctx.options.nextToken) {
    const at = out.findIndex((i) => key(i) === ctx.options.nextToken);
    out = at >= 0 ? out.slice(at) : [];
  }
  const headers: Record<string, string> = {};
  if (ctx.options.perPage > 0 && out.length > ctx.options.perPage) {
    headers["X-Nomad-NextToken"] = key(out[ctx.options.perPage]);
    out = out.slice(0, ctx.options.perPage);
  }
  return { body: out, headers };
}

/**
 * True when an object's namespace is selected by the request (`*` selects
 * all) and the request's token may see it (`capability` there, default
 * `read-job`), so that lists never show another namespace's objects.
 */
export function inNamespace(ctx: RequestContext, ns: string, capability = "read-job"): boolean {
  return (ctx.options.namespace === "*" || ctx.options.namespace === ns) && ctx.acl.allowNamespaceOperation(ns, capability);
}
