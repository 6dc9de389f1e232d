/**
 * The route table of the HTTP API: each route is a method list, a path
 * pattern and a handler; reads may name the state tables they depend on,
 * which makes them blocking queries (`?index=&wait=`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TableName } from "../state";
import type { RequestContext } from "./context";
import { badRequest } from "../server/errors";

/** Percent-decodes a path parameter; a malformed escape or bytes that are not UTF-8 are a 400 that says so. */
function decodePathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(
      `Invalid percent-encoding in the request path: ${JSON.stringify(raw.length > 200 ? raw.slice(0, 200) + "…" : raw)} is not a percent-encoded UTF-8 string`,
    );
  }
}
import type { RouteACL } from "./route-acl";

/** What a handler returns: a JSON body, and optionally a status and an index for `X-Nomad-Index`. */
export interface Reply {
  body: unknown;
  status?: number;
  /** Overrides the index header (writes return the index they committed at). */
  index?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Writes the response itself (streams, plain-text bodies); `body` is then ignored. */
  stream?: (res: ServerResponse, req: IncomingMessage) => Promise<void>;
}

/** One route. */
export interface Route {
  /** Accepted methods (writes accept PUT and POST, as Nomad does). */
  methods: readonly string[];
  /**
   * Path pattern: literal segments, `:name` for one segment and `:name+` for
   * the rest of the path (job IDs of dispatched jobs contain slashes).
   */
  pattern: string;
  /**
   * What the request's ACL token needs (Nomad's "ACL Required" for the
   * endpoint), checked before the handler when ACLs are enabled. Required:
   * a route cannot be added without declaring it.
   */
  acl: RouteACL;
  /** State tables the route reads; makes the route a blocking query and sets `X-Nomad-Index`. */
  tables?: readonly TableName[];
  /**
   * The request body is binary (a snapshot file): it is handed over as
   * bytes (`ctx.bodyBytes`), not decoded as UTF-8 JSON, and may be up to
   * `maxBytes` long instead of the agent's JSON body limit.
   */
  binaryBody?: { maxBytes: number };
  /** Handles the request. */
  handler(ctx: RequestContext): Reply | Promise<Reply>;
}

/** A compiled route. */
interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** Matches request paths against the route table. */
export class Router {
  private readonly compiled: Compiled[] = [];

  /** Every route, in match order. */
  routes(): Route[] {
    return this.compiled.map((c) => c.route);
  }

  /** Adds routes; earlier routes win when several match. */
  add(routes: readonly Route[]): void {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.pattern
        .split("/")
        .map((seg) => {
          if (seg.startsWith(":")) {
            const greedy = seg.endsWith("+");
            names.push(greedy ? seg.slice(1, -1) : seg.slice(1));
            return greedy ? "(.+?)" : "([^/]+)";
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      this.compiled.push({ route, regex: new RegExp(`^${source}$`), names });
    }
  }

  /**
   * Finds the route for a request. Returns `{ route, params }`, or
   * `{ methodNotAllowed: true }` when the path exists with other methods,
   * or undefined when no route has the path. Throws a 400 when a path
   * parameter is not validly percent-encoded.
   */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      if (!c.route.methods.includes(method)) {
        pathMatched = true;
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = decodePathSegment(m[i + 1]);
      });
      return { route: c.route, params };
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}

/** Methods of a read. */
export const READ = ["GET"] as const;
/** Methods of a write (Nomad accepts both). */
export const WRITE = ["PUT", "POST"] as const;
