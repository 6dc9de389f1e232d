/**
 * ACL operations (`nomad/acl_endpoint.go`): the bootstrap, policies, tokens
 * and roles, and the resolution of a request's secret into an {@link ACL}.
 * Secrets are stored only as their SHA-256 hash and compared in constant
 * time; no message this file produces contains a secret.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseGoDuration } from "../../jobspec/duration";
import { ACL } from "../acl/acl";
import { parsePolicy, PolicyError, type PolicyRules } from "../acl/policy";
import type { ACLPolicy, ACLRole, ACLTokenView, StoredACLToken } from "../structs";
import { aclTokenView } from "../structs";
import { badRequest, CodedError, formatMultiError, notFound } from "./errors";
import type { Server } from "./server";

/** The file in the server's data dir whose content allows bootstrapping again (Nomad's `acl-bootstrap-reset`). */
const ACL_BOOTSTRAP_RESET_FILE = "acl-bootstrap-reset";
/** Shortest token TTL (Nomad's `ACLTokenMinExpirationTTL`). */
const ACL_TOKEN_MIN_TTL_MS = 60_000;
/** Longest token TTL (Nomad's `ACLTokenMaxExpirationTTL`). */
const ACL_TOKEN_MAX_TTL_MS = 24 * 3_600_000;

/** ACL settings of the server. */
export interface ACLOptions {
  /** Enforce ACLs (`acl { enabled = true }`, `--acl-enabled`). Default false: every request is allowed, as in Nomad. */
  enabled: boolean;
  /** The server's data dir, where Nomad's bootstrap reset file is read (`<data-dir>/server`); none without a data dir. */
  dataDir?: string;
}

/** 403 with Nomad's text. */
export function permissionDenied(): CodedError {
  return new CodedError(403, "Permission denied");
}

/** The hex SHA-256 of a secret. */
function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A token as the API shows it (`structs.ACLToken`); declared with the stored token in structs/acl.ts. */
export type { ACLTokenView } from "../structs";

/** The result of resolving a request's token. */
export interface ResolvedToken {
  /** What the token may do. */
  acl: ACL;
  /** The token, or undefined for the anonymous token. */
  token?: StoredACLToken;
}

/** ACL policies, tokens and roles. */
export class ACLEndpoint {
  /** True when ACLs are enforced. */
  readonly enabled: boolean;
  private readonly compiled = new Map<string, { modifyIndex: number; rules: PolicyRules | null }>();

  constructor(
    private readonly server: Server,
    private readonly options: ACLOptions = { enabled: false },
  ) {
    this.enabled = options.enabled;
  }

  /** Forgets the compiled policies (a snapshot restore replaced the policy table: a name and index may now hold other rules). */
  forgetCompiledPolicies(): void {
    this.compiled.clear();
  }

  private requireEnabled(): void {
    if (!this.enabled) throw badRequest("ACL support disabled");
  }

  /** The view of a stored token; `secret` is filled in only by callers that know it. */
  view(t: StoredACLToken, secret = ""): ACLTokenView {
    return aclTokenView(t, secret);
  }

  private nowIso(): string {
    return new Date(this.server.clock.nowMs()).toISOString();
  }

  /** True when the token's expiration time has passed. */
  expired(t: StoredACLToken): boolean {
    return t.ExpirationTime !== null && Date.parse(t.ExpirationTime) <= this.server.clock.nowMs();
  }

  /**
   * Resolves a request's secret. Without ACLs: everything allowed. The empty
   * secret is the anonymous token (the `anonymous` policy, if there is one).
   * An unknown secret is 403 `ACL token not found`, an expired one 403 `ACL
   * token expired`.
   */
  resolve(secret: string): ResolvedToken {
    if (!this.enabled) return { acl: ACL.MANAGEMENT };
    if (secret === "") return { acl: this.compile(["anonymous"]) };
    const hash = hashSecret(secret);
    const token = this.server.store.aclTokenBySecretHash(hash);
    if (!token || !timingSafeEqual(Buffer.from(token.SecretHash, "hex"), Buffer.from(hash, "hex")))
      throw new CodedError(403, "ACL token not found");
    if (this.expired(token)) throw new CodedError(403, "ACL token expired");
    if (token.Type === "management") return { acl: ACL.MANAGEMENT, token };
    const names = new Set(token.Policies);
    for (const link of token.Roles) {
      const role = (link.ID && this.server.store.aclRole(link.ID)) || this.server.store.aclRoleByName(link.Name);
      for (const p of role?.Policies ?? []) names.add(p.Name);
    }
    return { acl: this.compile([...names]), token };
  }

  /** The ACL of a set of policies (missing policies grant nothing). */
  private compile(names: readonly string[]): ACL {
    const rules: PolicyRules[] = [];
    for (const name of names) {
      const p = this.server.store.aclPolicy(name);
      if (!p) continue;
      let cached = this.compiled.get(name);
      if (!cached || cached.modifyIndex !== p.ModifyIndex) {
        let parsed: PolicyRules | null = null;
        try {
          parsed = parsePolicy(p.Rules);
        } catch {
          parsed = null; // stored policies were validated; a policy that no longer parses grants nothing
        }
        this.compiled.set(name, (cached = { modifyIndex: p.ModifyIndex, rules: parsed }));
      }
      if (cached.rules) rules.push(cached.rules);
    }
    return rules.length === 0 ? ACL.DENY_ALL : new ACL(false, rules);
  }

  private resetIndexFromFile(): number {
    if (!this.options.dataDir) return 0;
    let raw: string;
    try {
      raw = fs.readFileSync(path.join(this.options.dataDir, ACL_BOOTSTRAP_RESET_FILE), "utf8");
    } catch {
      return 0;
    }
    const m = /^\s*(\d+)/.exec(raw);
    return m ? Number(m[1]) : 0;
  }

  /** `POST /v1/acl/bootstrap`: the first management token, once (again only through the reset file). */
  async bootstrap(bootstrapSecret: string): Promise<{ token: ACLTokenView; index: number }> {
    this.requireEnabled();
    const done = this.server.store.aclBootstrapIndex();
    if (done > 0) {
      const specified = this.resetIndexFromFile();
      if (specified === 0) throw badRequest(`ACL bootstrap already done (reset index: ${done})`);
      if (specified !== done) throw badRequest(`Invalid bootstrap reset index (specified ${specified}, reset index: ${done})`);
    }
    if (bootstrapSecret !== "" && !UUID.test(bootstrapSecret)) throw badRequest("invalid acl token");
    const secret = bootstrapSecret || randomUUID();
    if (this.server.store.aclTokenBySecretHash(hashSecret(secret))) throw badRequest("invalid acl token");
    const token: StoredACLToken = {
      AccessorID: randomUUID(),
      SecretHash: hashSecret(secret),
      Name: "Bootstrap Token",
      Type: "management",
      Policies: [],
      Roles: [],
      Global: true,
      CreateTime: this.nowIso(),
      ExpirationTime: null,
      ExpirationTTL: 0,
      CreateIndex: 0,
      ModifyIndex: 0,
    };
    const { index, durable } = this.server.store.write((txn) => {
      txn.putACLToken(token);
      txn.markACLBootstrapped();
    });
    await durable;
    return { token: this.view(token, secret), index };
  }

  /** `POST /v1/acl/policy/:name`: creates or updates a policy after parsing its rules. */
  async upsertPolicy(name: string, body: unknown): Promise<number> {
    this.requireEnabled();
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const policyName = typeof b.Name === "string" && b.Name !== "" ? b.Name : name;
    if (policyName !== name) throw badRequest("ACL policy name does not match request path");
    if (!/^[a-zA-Z0-9-]{1,128}$/.test(name)) throw badRequest(`invalid name '${name}'`);
    if (b.Description !== undefined && typeof b.Description !== "string") throw badRequest("Description must be a string");
    const description = (b.Description as string | undefined) ?? "";
    if (description.length > 256) throw badRequest("description longer than 256");
    if (typeof b.Rules !== "string") throw badRequest("Rules must be a string with the policy");
    try {
      parsePolicy(b.Rules);
    } catch (err) {
      if (err instanceof PolicyError) throw badRequest(`policy ${JSON.stringify(name)}: ${err.message}`);
      throw err;
    }
    const jobACL = typeof b.JobACL === "object" && b.JobACL !== null ? (b.JobACL as ACLPolicy["JobACL"]) : null;
    const policy: ACLPolicy = { Name: name, Description: description, Rules: b.Rules, JobACL: jobACL, CreateIndex: 0, ModifyIndex: 0 };
    const { index, durable } = this.server.store.write((txn) => txn.putACLPolicy(policy));
    await durable;
    return index;
  }

  /** `DELETE /v1/acl/policy/:name`. */
  async deletePolicy(name: string): Promise<number> {
    this.requireEnabled();
    if (!this.server.store.aclPolicy(name)) throw notFound(`ACL policy not found: ${name}`);
    const { index, durable } = this.server.store.write((txn) => txn.deleteACLPolicy(name));
    await durable;
    return index;
  }

  /** Reads ExpirationTTL as Nomad's API sends it (a Go duration string, or nanoseconds). */
  private ttlNs(v: unknown): number {
    if (v === undefined || v === null || v === "" || v === 0) return 0;
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string") {
      try {
        return parseGoDuration(v);
      } catch (err) {
        throw badRequest(`ExpirationTTL: ${(err as Error).message}`);
      }
    }
    throw badRequest("ExpirationTTL must be a duration");
  }

  /**
   * `POST /v1/acl/token` (create) and `POST /v1/acl/token/:accessor`
   * (update). Returns the token with its secret on create (the only time it
   * is shown), without it on update.
   */
  async upsertToken(body: unknown, accessorID?: string): Promise<{ token: ACLTokenView; index: number }> {
    this.requireEnabled();
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Request body must be a token object");
    const b = body as Record<string, unknown>;
    const existing = accessorID ? this.server.store.aclTokenByAccessor(accessorID) : undefined;
    if (accessorID && !existing) throw notFound(`ACL token not found: ${accessorID}`);
    if (accessorID && typeof b.AccessorID === "string" && b.AccessorID !== "" && b.AccessorID !== accessorID)
      throw badRequest("Token AccessorID does not match request path");
    const errors: string[] = [];
    const name = b.Name === undefined ? (existing?.Name ?? "") : b.Name;
    if (typeof name !== "string") errors.push("token name must be a string");
    else if (name.length > 256) errors.push("token name too long");
    const type = b.Type === undefined || b.Type === "" ? (existing?.Type ?? "client") : b.Type;
    const policies = b.Policies === undefined || b.Policies === null ? [] : b.Policies;
    if (!Array.isArray(policies) || policies.some((p) => typeof p !== "string")) errors.push("Policies must be a list of names");
    const rolesIn = b.Roles === undefined || b.Roles === null ? [] : b.Roles;
    if (!Array.isArray(rolesIn)) errors.push("Roles must be a list");
    const roles: { ID: string; Name: string }[] = [];
    for (const r of Array.isArray(rolesIn) ? rolesIn : []) {
      const link = (typeof r === "object" && r !== null ? r : {}) as Record<string, unknown>;
      const role =
        (typeof link.ID === "string" && link.ID && this.server.store.aclRole(link.ID)) ||
        (typeof link.Name === "string" && link.Name && this.server.store.aclRoleByName(link.Name)) ||
        undefined;
      if (!role) errors.push(`cannot find role ${JSON.stringify(link.ID || link.Name || "")}`);
      else roles.push({ ID: role.ID, Name: role.Name });
    }
    const policyList = Array.isArray(policies) ? (policies as string[]) : [];
    if (type === "client") {
      if (policyList.length === 0 && roles.length === 0) errors.push("client token missing policies or roles");
    } else if (type === "management") {
      if (policyList.length > 0 || roles.length > 0) errors.push("management token cannot be associated with policies or roles");
    } else errors.push("token type must be client or management");
    for (const p of policyList) if (!this.server.store.aclPolicy(p)) errors.push(`cannot find policy ${p}`);
    const global = b.Global === undefined ? (existing?.Global ?? false) : b.Global;
    if (typeof global !== "boolean") errors.push("Global must be a boolean");
    else if (existing && global !== existing.Global) errors.push("cannot toggle global mode");
    const now = this.server.clock.nowMs();
    let ttl = 0;
    let expiration: string | null = existing?.ExpirationTime ?? null;
    try {
      ttl = this.ttlNs(b.ExpirationTTL);
    } catch (err) {
      errors.push((err as Error).message);
    }
    if (ttl < 0) errors.push(`token expiration TTL '${b.ExpirationTTL as string}' should not be negative`);
    if (existing && ttl !== 0 && ttl !== existing.ExpirationTTL) errors.push("cannot update expiration TTL");
    if (!existing) {
      if (typeof b.ExpirationTime === "string" && b.ExpirationTime !== "" && !b.ExpirationTime.startsWith("0001-")) {
        const t = Date.parse(b.ExpirationTime);
        if (Number.isNaN(t)) errors.push(`ExpirationTime: not an RFC 3339 time: ${JSON.stringify(b.ExpirationTime)}`);
        else expiration = new Date(t).toISOString();
      } else if (ttl > 0) expiration = new Date(now + Math.floor(ttl / 1e6)).toISOString();
      if (expiration !== null) {
        const left = Date.parse(expiration) - now;
        if (left < 0) errors.push("expiration time cannot be before create time");
        else if (left > ACL_TOKEN_MAX_TTL_MS) errors.push(`expiration time cannot be more than 24h0m0s in the future (was ${expiration})`);
        else if (left < ACL_TOKEN_MIN_TTL_MS) errors.push(`expiration time cannot be less than 1m0s in the future (was ${expiration})`);
      }
    }
    if (errors.length > 0) throw badRequest(formatMultiError(errors));
    let secret = "";
    let token: StoredACLToken;
    if (existing) {
      token = { ...existing, Name: name as string, Type: type as "client" | "management", Policies: policyList, Roles: roles };
    } else {
      secret = randomUUID();
      token = {
        AccessorID: randomUUID(),
        SecretHash: hashSecret(secret),
        Name: name as string,
        Type: type as "client" | "management",
        Policies: policyList,
        Roles: roles,
        Global: global as boolean,
        CreateTime: new Date(now).toISOString(),
        ExpirationTime: expiration,
        ExpirationTTL: ttl,
        CreateIndex: 0,
        ModifyIndex: 0,
      };
    }
    const { index, durable } = this.server.store.write((txn) => txn.putACLToken(token));
    await durable;
    return { token: this.view(token, secret), index };
  }

  /** `DELETE /v1/acl/token/:accessor`. */
  async deleteToken(accessorID: string): Promise<number> {
    this.requireEnabled();
    if (!this.server.store.aclTokenByAccessor(accessorID)) throw notFound(`Cannot delete nonexistent tokens: ${accessorID}`);
    const { index, durable } = this.server.store.write((txn) => txn.deleteACLToken(accessorID));
    await durable;
    return index;
  }

  /** `POST /v1/acl/role` (create) and `POST /v1/acl/role/:id` (update). */
  async upsertRole(body: unknown, id?: string): Promise<{ role: ACLRole; index: number }> {
    this.requireEnabled();
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Request body must be a role object");
    const b = body as Record<string, unknown>;
    const existing = id ? this.server.store.aclRole(id) : undefined;
    if (id && !existing) throw notFound(`ACL role not found: ${id}`);
    if (id && typeof b.ID === "string" && b.ID !== "" && b.ID !== id) throw badRequest("ACL role ID does not match request path");
    const errors: string[] = [];
    const name = b.Name;
    if (typeof name !== "string" || !/^[a-zA-Z0-9-_]{1,128}$/.test(name)) errors.push(`invalid name '${String(name ?? "")}'`);
    const description = b.Description ?? "";
    if (typeof description !== "string") errors.push("Description must be a string");
    else if (description.length > 256) errors.push("description longer than 256");
    const links = Array.isArray(b.Policies) ? b.Policies : [];
    if (b.Policies !== undefined && b.Policies !== null && !Array.isArray(b.Policies)) errors.push("Policies must be a list");
    const policies: { Name: string }[] = [];
    for (const l of links) {
      const n = typeof l === "object" && l !== null ? (l as Record<string, unknown>).Name : undefined;
      if (typeof n !== "string" || n === "") errors.push("policy link without a Name");
      else if (!this.server.store.aclPolicy(n)) errors.push(`cannot find policy ${n}`);
      else policies.push({ Name: n });
    }
    if (policies.length === 0 && errors.length === 0) errors.push("at least one policy should be specified");
    const sameName = typeof name === "string" ? this.server.store.aclRoleByName(name) : undefined;
    if (sameName && sameName.ID !== id) errors.push(`role with name ${name as string} already exists`);
    if (errors.length > 0) throw badRequest(formatMultiError(errors));
    const role: ACLRole = {
      ID: existing?.ID ?? randomUUID(),
      Name: name as string,
      Description: description as string,
      Policies: policies,
      CreateIndex: 0,
      ModifyIndex: 0,
    };
    const { index, durable } = this.server.store.write((txn) => txn.putACLRole(role));
    await durable;
    return { role, index };
  }

  /** `DELETE /v1/acl/role/:id`. */
  async deleteRole(id: string): Promise<number> {
    this.requireEnabled();
    if (!this.server.store.aclRole(id)) throw notFound(`ACL role not found: ${id}`);
    const { index, durable } = this.server.store.write((txn) => txn.deleteACLRole(id));
    await durable;
    return index;
  }
}
