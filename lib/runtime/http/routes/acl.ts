/**
 * The ACL API (`command/agent/acl_endpoint.go`): bootstrap, policies,
 * tokens and roles. ACL state lives in the agent's own region
 * (`ctx.authority`), as Nomad keeps it in the authoritative region. A
 * token's secret is in a response only on bootstrap and create (the one
 * time Nomad shows it to its creator) and on `token/self`, whose caller
 * sent it.
 */
import { badRequest, CodedError, notFound } from "../../server/errors";
import { permissionDenied, type ACLTokenView } from "../../server/acl-endpoint";
import type { ACLPolicy, ACLRole, StoredACLToken } from "../../structs";
import type { RequestContext } from "../context";
import { READ, WRITE, type Route } from "../router";
import { ACL_MANAGEMENT, ACL_NONE, ACL_TOKEN } from "../route-acl";

function isManagement(ctx: RequestContext): boolean {
  return ctx.acl.management;
}

/** The policy names a token holds, directly and through its roles. */
function tokenPolicyNames(ctx: RequestContext, t: StoredACLToken | undefined): Set<string> {
  const names = new Set<string>(t?.Policies ?? []);
  for (const link of t?.Roles ?? []) {
    const role = (link.ID && ctx.authority.store.aclRole(link.ID)) || ctx.authority.store.aclRoleByName(link.Name);
    for (const p of role?.Policies ?? []) names.add(p.Name);
  }
  if (!t) names.add("anonymous");
  return names;
}

function policyStub(p: ACLPolicy) {
  return { Name: p.Name, Description: p.Description, JobACL: p.JobACL, CreateIndex: p.CreateIndex, ModifyIndex: p.ModifyIndex };
}

function tokenStub(v: ACLTokenView) {
  return {
    AccessorID: v.AccessorID,
    Name: v.Name,
    Type: v.Type,
    Policies: v.Policies,
    Roles: v.Roles,
    Global: v.Global,
    Hash: v.Hash,
    CreateTime: v.CreateTime,
    ExpirationTime: v.ExpirationTime,
    CreateIndex: v.CreateIndex,
    ModifyIndex: v.ModifyIndex,
  };
}

function roleVisible(ctx: RequestContext, r: ACLRole): boolean {
  return isManagement(ctx) || (ctx.aclToken?.Roles ?? []).some((l) => l.ID === r.ID || l.Name === r.Name);
}

function body(ctx: RequestContext): unknown {
  const b = ctx.json();
  if (b === undefined) throw badRequest("Request body is empty");
  return b;
}

/** The ACL routes, each answering `ACL support disabled` (400) when ACLs are off, as Nomad's do. */
export const aclRoutes: Route[] = (
  [
    {
      methods: WRITE,
      pattern: "/v1/acl/bootstrap",
      acl: ACL_NONE,
      handler: async (ctx) => {
        const b = ctx.json();
        const secret =
          typeof b === "object" && b !== null && typeof (b as { BootstrapSecret?: unknown }).BootstrapSecret === "string"
            ? (b as { BootstrapSecret: string }).BootstrapSecret
            : "";
        const r = await ctx.authority.acl.bootstrap(secret);
        return { body: r.token, index: r.index };
      },
    },
    {
      methods: READ,
      pattern: "/v1/acl/policies",
      acl: ACL_TOKEN,
      tables: ["acl_policy"],
      handler: (ctx) => {
        const mine = tokenPolicyNames(ctx, ctx.aclToken);
        const list = ctx.authority.store.aclPolicies().filter((p) => isManagement(ctx) || mine.has(p.Name));
        return {
          body: list.filter((p) => !ctx.options.prefix || p.Name.startsWith(ctx.options.prefix)).map(policyStub),
          index: ctx.authority.store.indexOf(["acl_policy"]),
        };
      },
    },
    {
      methods: READ,
      pattern: "/v1/acl/policy/:name",
      acl: ACL_TOKEN,
      tables: ["acl_policy"],
      handler: (ctx) => {
        if (!isManagement(ctx) && !tokenPolicyNames(ctx, ctx.aclToken).has(ctx.params.name)) throw permissionDenied();
        const p = ctx.authority.store.aclPolicy(ctx.params.name);
        if (!p) throw notFound("ACL policy not found");
        return { body: p, index: ctx.authority.store.indexOf(["acl_policy"]) };
      },
    },
    {
      methods: WRITE,
      pattern: "/v1/acl/policy/:name",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => ({ body: null, index: await ctx.authority.acl.upsertPolicy(ctx.params.name, body(ctx)) }),
    },
    {
      methods: ["DELETE"],
      pattern: "/v1/acl/policy/:name",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => ({ body: null, index: await ctx.authority.acl.deletePolicy(ctx.params.name) }),
    },
    {
      methods: READ,
      pattern: "/v1/acl/tokens",
      acl: ACL_MANAGEMENT,
      tables: ["acl_token"],
      handler: (ctx) => {
        const list = ctx.authority.store.aclTokens().filter((t) => !ctx.options.prefix || t.AccessorID.startsWith(ctx.options.prefix));
        return { body: list.map((t) => tokenStub(ctx.authority.acl.view(t))), index: ctx.authority.store.indexOf(["acl_token"]) };
      },
    },
    {
      methods: WRITE,
      pattern: "/v1/acl/token",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => {
        const r = await ctx.authority.acl.upsertToken(body(ctx));
        return { body: r.token, index: r.index };
      },
    },
    {
      methods: READ,
      pattern: "/v1/acl/token/self",
      acl: ACL_TOKEN,
      handler: (ctx) => {
        if (!ctx.authority.acl.enabled) throw badRequest("ACL support disabled");
        if (!ctx.aclToken) throw new CodedError(403, "ACL token not found");
        return { body: ctx.authority.acl.view(ctx.aclToken, ctx.options.token) };
      },
    },
    {
      methods: READ,
      pattern: "/v1/acl/token/:accessor",
      acl: ACL_TOKEN,
      tables: ["acl_token"],
      handler: (ctx) => {
        const own = ctx.aclToken?.AccessorID === ctx.params.accessor;
        if (!isManagement(ctx) && !own) throw permissionDenied();
        const t = ctx.authority.store.aclTokenByAccessor(ctx.params.accessor);
        if (!t) throw notFound("ACL token not found");
        return { body: ctx.authority.acl.view(t, own ? ctx.options.token : ""), index: ctx.authority.store.indexOf(["acl_token"]) };
      },
    },
    {
      methods: WRITE,
      pattern: "/v1/acl/token/:accessor",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => {
        // Nomad's one-time tokens (`/v1/acl/token/onetime`) are not implemented: say so rather than read "onetime" as an accessor.
        if (ctx.params.accessor === "onetime")
          throw badRequest(
            "one-time tokens are not supported by this agent (drover implements ACL tokens, policies and roles; see lib/runtime/README.md)",
          );
        const r = await ctx.authority.acl.upsertToken(body(ctx), ctx.params.accessor);
        return { body: r.token, index: r.index };
      },
    },
    {
      methods: ["DELETE"],
      pattern: "/v1/acl/token/:accessor",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => ({ body: null, index: await ctx.authority.acl.deleteToken(ctx.params.accessor) }),
    },
    {
      methods: READ,
      pattern: "/v1/acl/roles",
      acl: ACL_TOKEN,
      tables: ["acl_role"],
      handler: (ctx) => {
        const list = ctx.authority.store
          .aclRoles()
          .filter((r) => roleVisible(ctx, r) && (!ctx.options.prefix || r.ID.startsWith(ctx.options.prefix)));
        return { body: list, index: ctx.authority.store.indexOf(["acl_role"]) };
      },
    },
    {
      methods: WRITE,
      pattern: "/v1/acl/role",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => {
        const r = await ctx.authority.acl.upsertRole(body(ctx));
        return { body: r.role, index: r.index };
      },
    },
    {
      methods: READ,
      pattern: "/v1/acl/role/name/:name",
      acl: ACL_TOKEN,
      tables: ["acl_role"],
      handler: (ctx) => {
        const r = ctx.authority.store.aclRoleByName(ctx.params.name);
        if (r && !roleVisible(ctx, r)) throw permissionDenied();
        if (!r) throw notFound("ACL role not found");
        return { body: r, index: ctx.authority.store.indexOf(["acl_role"]) };
      },
    },
    {
      methods: READ,
      pattern: "/v1/acl/role/:id",
      acl: ACL_TOKEN,
      tables: ["acl_role"],
      handler: (ctx) => {
        const r = ctx.authority.store.aclRole(ctx.params.id);
        if (r && !roleVisible(ctx, r)) throw permissionDenied();
        if (!r) throw notFound("ACL role not found");
        return { body: r, index: ctx.authority.store.indexOf(["acl_role"]) };
      },
    },
    {
      methods: WRITE,
      pattern: "/v1/acl/role/:id",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => {
        const r = await ctx.authority.acl.upsertRole(body(ctx), ctx.params.id);
        return { body: r.role, index: r.index };
      },
    },
    {
      methods: ["DELETE"],
      pattern: "/v1/acl/role/:id",
      acl: ACL_MANAGEMENT,
      handler: async (ctx) => ({ body: null, index: await ctx.authority.acl.deleteRole(ctx.params.id) }),
    },
  ] as Route[]
).map((r) => ({
  ...r,
  handler: (ctx: RequestContext) => {
    if (!ctx.authority.acl.enabled) throw badRequest("ACL support disabled");
    return r.handler(ctx);
  },
}));
