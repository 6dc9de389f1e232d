/**
 * What each route requires of the request's ACL token: every route declares
 * it (`Route.acl` is required, so a route without one is a type error), and
 * the HTTP server checks it before the handler runs. The capabilities are
 * the "ACL Required" column of Nomad's API documentation for each endpoint.
 * A denied request is answered 403 `Permission denied`, an unknown token
 * 403 `ACL token not found`, an expired one 403 `ACL token expired`, as
 * Nomad answers them.
 *
 * Routes that read one object of a namespace (an allocation, an
 * evaluation, a deployment) check the capability in that object's
 * namespace; lists check it in the requested namespace, or for
 * `namespace=*` in at least one namespace, and their handlers then drop
 * what the token may not see (`visibleNamespace` in routes/list.ts).
 */
import type { ACL } from "../acl/acl";
import { permissionDenied } from "../server/acl-endpoint";
import type { RequestContext } from "./context";

/** A route's ACL requirement. */
export type RouteACL =
  /** No token needed (status, health, regions, the ACL bootstrap). */
  | { readonly kind: "none" }
  /** Any valid token, anonymous included; the handler decides what it shows (ACL policy and role reads, token self). */
  | { readonly kind: "token" }
  /** A management token. */
  | { readonly kind: "management" }
  /** A namespace capability (any of those listed), in the namespace `namespace` returns (default: the request's). */
  | {
      readonly kind: "namespace";
      readonly capabilities: readonly string[];
      readonly namespace?: (ctx: RequestContext) => string | undefined;
    }
  /** A coarse policy (`node`, `agent`, `operator`) at least at `level`. */
  | { readonly kind: "coarse"; readonly area: "node" | "agent" | "operator"; readonly level: "read" | "write" };

/** No token needed. */
export const ACL_NONE: RouteACL = { kind: "none" };
/** Any token (the handler filters). */
export const ACL_TOKEN: RouteACL = { kind: "token" };
/** A management token. */
export const ACL_MANAGEMENT: RouteACL = { kind: "management" };

/** A namespace capability (or any of several), in the request's namespace or the one `namespace` finds. */
export function nsCapability(capabilities: string | readonly string[], namespace?: (ctx: RequestContext) => string | undefined): RouteACL {
  return { kind: "namespace", capabilities: typeof capabilities === "string" ? [capabilities] : capabilities, namespace };
}

/** `node:read`, `agent:write`, `operator:read`, … */
export function coarse(area: "node" | "agent" | "operator", level: "read" | "write"): RouteACL {
  return { kind: "coarse", area, level };
}

/** A short text of a requirement, for tests and documentation ("namespace:read-job", "node:write", "management"). */
export function describeRouteACL(r: RouteACL): string {
  switch (r.kind) {
    case "namespace":
      return `namespace:${r.capabilities.join("|")}`;
    case "coarse":
      return `${r.area}:${r.level}`;
    default:
      return r.kind;
  }
}

/** True when `acl` meets `r` for this request. */
function routeAllowed(r: RouteACL, acl: ACL, ctx: RequestContext, management: boolean): boolean {
  switch (r.kind) {
    case "none":
    case "token":
      return true;
    case "management":
      return management;
    case "coarse":
      return acl.allow(r.area, r.level);
    case "namespace": {
      const ns = r.namespace?.(ctx) ?? ctx.options.namespace;
      if (ns === "*") return r.capabilities.some((c) => acl.allowAnyNamespaceOperation(c));
      return r.capabilities.some((c) => acl.allowNamespaceOperation(ns, c));
    }
  }
}

/** Throws 403 `Permission denied` unless `acl` meets `r`. */
export function enforceRouteACL(r: RouteACL, acl: ACL, ctx: RequestContext, management: boolean): void {
  if (!routeAllowed(r, acl, ctx, management)) throw permissionDenied();
}
