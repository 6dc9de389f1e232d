/**
 * `/v1/vars` and `/v1/var/:path`: Nomad Variables (`command/agent/variable_endpoint.go`).
 * Reads are blocking queries on the `variables` table. Writes take
 * `?cas=N` (check-and-set) or one of `?lock-acquire`, `?lock-renew`,
 * `?lock-release`; a conflict is a 409 whose body is the current variable
 * (or only its namespace and path when it cannot be shown), as Nomad answers.
 */
import { parseLockDuration, variableJSON, variableMetadataJSON, type VariableLock } from "../../structs";
import { badRequest, CodedError } from "../../server/errors";
import type { VariableApplyResult, VariableOp, VariableRequest } from "../../server/variables-endpoint";
import type { RequestContext } from "../context";
import { compileFilter } from "../filter";
import { isObject } from "../request-body";
import { READ, type Reply, type Route } from "../router";
import { ACL_TOKEN } from "../route-acl";
import { permissionDenied } from "../../server/acl-endpoint";

/** The value of `key` in a decoded body, matched case-insensitively as Go's JSON decoder does; the same key in two cases is refused. */
function field(body: Record<string, unknown>, key: string): unknown {
  const hits = Object.keys(body).filter((k) => k.toLowerCase() === key.toLowerCase());
  if (hits.length > 1) throw badRequest(`request body sets ${hits.map((h) => JSON.stringify(h)).join(" and ")}: use one ${key}`);
  return hits.length ? body[hits[0]] : undefined;
}

/** The variable in a write's body (`structs.VariableDecrypted`), with its path from the URL. */
function variableBody(ctx: RequestContext, path: string): VariableRequest {
  const raw = ctx.rawBody.trim() ? ctx.json() : {};
  if (!isObject(raw)) throw badRequest("Request body must be a JSON object");
  const req: VariableRequest = { Namespace: ctx.options.namespace, Path: path };
  const items = field(raw, "Items");
  if (items !== undefined && items !== null) {
    if (!isObject(items)) throw badRequest("Items: must be an object of strings");
    for (const [k, v] of Object.entries(items))
      if (typeof v !== "string") throw badRequest(`Items[${JSON.stringify(k)}]: must be a string, got ${JSON.stringify(v)}`);
    req.Items = items as Record<string, string>;
  }
  const lock = field(raw, "Lock");
  if (lock !== undefined && lock !== null) {
    if (!isObject(lock)) throw badRequest("Lock: must be an object");
    const l: Partial<VariableLock> = {};
    try {
      const id = field(lock, "ID");
      if (id !== undefined && typeof id !== "string") throw new Error("Lock.ID: must be a string");
      if (id) l.ID = id as string;
      l.TTL = parseLockDuration(field(lock, "TTL"), "TTL");
      l.LockDelay = parseLockDuration(field(lock, "LockDelay"), "LockDelay");
    } catch (err) {
      throw badRequest((err as Error).message);
    }
    req.Lock = l;
  }
  return req;
}

/** `?cas=N`, or undefined when absent (`parseCAS`). */
function casIndex(ctx: RequestContext): number | undefined {
  const cas = ctx.query.get("cas");
  if (cas === null || cas === "") return undefined;
  if (!/^\d+$/.test(cas)) throw badRequest(`can not parse cas: strconv.ParseUint: parsing ${JSON.stringify(cas)}: invalid syntax`);
  return Number(cas);
}

/** The lock operation named by the query, if any (`getLockOperation`). */
function lockOperation(ctx: RequestContext): "lock-acquire" | "lock-renew" | "lock-release" | undefined {
  const ops = (["lock-acquire", "lock-renew", "lock-release"] as const).filter((o) => ctx.query.has(o));
  if (ops.length > 1) throw badRequest("multiple lock operations");
  return ops[0];
}

/**
 * The HTTP answer to an apply: the output, or a 409 with the conflicting
 * variable. As Nomad's `makeVariablesApplyResponse`, the output shows the
 * variable's lock only to its holder (the request named the lock's ID, or
 * acquired it) or a management token.
 */
function applyReply(out: VariableApplyResult, deleted = false, showLock = true): Reply {
  if (out.result === "conflict") return { status: 409, body: variableJSON(out.conflict), index: out.index };
  if (deleted) return { status: 204, body: null, index: out.index };
  if (!out.output) return { body: null, index: out.index };
  const { Lock: _lock, ...withoutLock } = out.output;
  return { body: variableJSON(showLock ? out.output : withoutLock), index: out.index };
}

/** The path of `/v1/var/<path>` (missing: a 400). */
function varPath(ctx: RequestContext): string {
  const p = ctx.params.path ?? "";
  if (!p) throw badRequest("missing variable path");
  return p;
}

/**
 * Requires variables capability `cap` (Nomad's `read`, `write`, `destroy`)
 * on the variable's path in its namespace: the `variables { path … }` rules
 * of the token's namespace policy (any token is let through to the handler).
 */
function requireVariable(ctx: RequestContext, path: string, cap: "read" | "write" | "destroy"): void {
  if (!ctx.acl.allowVariableOperation(ctx.options.namespace, path, cap)) throw permissionDenied();
}

/** The variables routes. */
export const variableRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/vars",
    // Any token: the list holds only the variables whose path it may list.
    acl: ACL_TOKEN,
    tables: ["variables"],
    handler: (ctx) => {
      const filter = compileFilter(ctx.options.filter);
      let items = ctx.server.variables
        .list(ctx.options.namespace, ctx.options.prefix)
        .filter((v) => ctx.acl.allowVariableOperation(v.Namespace, v.Path, "list") && filter(variableMetadataJSON(v)));
      // Nomad's NamespaceIDTokenizer: the token is "<namespace>.<path>", and a page starts at the first item at or after it.
      const token = (v: { Namespace: string; Path: string }) => `${v.Namespace}.${v.Path}`;
      if (ctx.options.nextToken) items = items.filter((v) => token(v) >= ctx.options.nextToken);
      const headers: Record<string, string> = {};
      if (ctx.options.perPage > 0 && items.length > ctx.options.perPage) {
        headers["X-Nomad-NextToken"] = token(items[ctx.options.perPage]);
        items = items.slice(0, ctx.options.perPage);
      }
      // As Nomad's Variables.List: locks are listed for management tokens only (every request, without ACLs).
      const shown = ctx.acl.management ? items : items.map(({ Lock: _lock, ...rest }) => rest);
      return { body: shown.map(variableMetadataJSON), headers };
    },
  },
  {
    methods: READ,
    pattern: "/v1/var/",
    acl: ACL_TOKEN,
    handler: () => {
      throw badRequest("missing variable path");
    },
  },
  {
    methods: READ,
    pattern: "/v1/var/:path+",
    acl: ACL_TOKEN,
    tables: ["variables"],
    handler: (ctx) => {
      requireVariable(ctx, varPath(ctx), "read");
      const v = ctx.server.variables.read(ctx.options.namespace, varPath(ctx));
      if (!v) throw new CodedError(404, "variable not found");
      // Nomad's Variables.Read shows a variable's lock to management tokens only (every request, without ACLs).
      if (!ctx.acl.management) delete v.Lock;
      return { body: variableJSON(v) };
    },
  },
  {
    methods: ["PUT", "POST", "DELETE"],
    pattern: "/v1/var/:path+",
    acl: ACL_TOKEN,
    handler: async (ctx) => {
      const path = varPath(ctx);
      requireVariable(ctx, path, ctx.method === "DELETE" ? "destroy" : "write");
      const vars = ctx.server.variables;
      if (ctx.method === "DELETE") {
        const cas = casIndex(ctx);
        const op: VariableOp = cas === undefined ? "delete" : "delete-cas";
        const req: VariableRequest = { Namespace: ctx.options.namespace, Path: path, ModifyIndex: cas };
        return applyReply(await vars.apply(op, req), true);
      }
      const lockOp = lockOperation(ctx);
      const cas = casIndex(ctx);
      if (cas !== undefined && lockOp) throw badRequest("CAS can't be used with lock operations");
      const req = variableBody(ctx, path);
      if (lockOp === "lock-renew") {
        const meta = vars.renewLock(req.Namespace, path, req.Lock?.ID ?? "");
        return { body: variableMetadataJSON(meta), index: meta.ModifyIndex };
      }
      const requestedLockID = req.Lock?.ID ?? "";
      const holder = (out: VariableApplyResult) =>
        ctx.acl.management ||
        (out.result === "ok" && !!out.output?.Lock && (lockOp === "lock-acquire" || out.output.Lock.ID === requestedLockID));
      if (lockOp) {
        const out = await vars.apply(lockOp, req);
        return applyReply(out, false, holder(out));
      }
      if (!req.Items || Object.keys(req.Items).length === 0) throw badRequest("variable missing required Items object");
      if (cas !== undefined) req.ModifyIndex = cas;
      const out = await vars.apply(cas === undefined ? "set" : "cas", req);
      return applyReply(out, false, holder(out));
    },
  },
];
