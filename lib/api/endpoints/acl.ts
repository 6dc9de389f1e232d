/** `client.acl` (`api/acl.go`): bootstrap, policies, tokens and roles. */
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { ACLPolicy, ACLPolicyListStub, ACLRole, ACLToken, ACLTokenListStub, ACLTokenRequest } from "../types/acl";

/** The ACL endpoints. */
export class ACLEndpoint {
  constructor(private readonly t: Transport) {}

  /** `POST /v1/acl/bootstrap`: the first management token (optionally with a chosen secret, a UUID). */
  bootstrap(bootstrapSecret = "", opts: WriteOptions = {}): Promise<WriteResponse<ACLToken>> {
    return this.t.write("POST", "/v1/acl/bootstrap", bootstrapSecret ? { BootstrapSecret: bootstrapSecret } : {}, {}, opts);
  }

  /** `GET /v1/acl/policies`. */
  policies(opts: QueryOptions = {}): Promise<QueryResponse<ACLPolicyListStub[]>> {
    return this.t.query("/v1/acl/policies", {}, opts);
  }

  /** `GET /v1/acl/policy/:name`. */
  policy(name: string, opts: QueryOptions = {}): Promise<QueryResponse<ACLPolicy>> {
    return this.t.query(`/v1/acl/policy/${encodeURIComponent(name)}`, {}, opts);
  }

  /** `POST /v1/acl/policy/:name`: creates or updates a policy. */
  upsertPolicy(policy: ACLPolicy, opts: WriteOptions = {}): Promise<WriteResponse<unknown>> {
    return this.t.write("POST", `/v1/acl/policy/${encodeURIComponent(policy.Name)}`, policy, {}, opts);
  }

  /** `DELETE /v1/acl/policy/:name`. */
  deletePolicy(name: string, opts: WriteOptions = {}): Promise<WriteResponse<unknown>> {
    return this.t.write("DELETE", `/v1/acl/policy/${encodeURIComponent(name)}`, undefined, {}, opts);
  }

  /** `GET /v1/acl/tokens`. */
  tokens(opts: QueryOptions = {}): Promise<QueryResponse<ACLTokenListStub[]>> {
    return this.t.query("/v1/acl/tokens", {}, opts);
  }

  /** `GET /v1/acl/token/:accessor`. */
  token(accessorID: string, opts: QueryOptions = {}): Promise<QueryResponse<ACLToken>> {
    return this.t.query(`/v1/acl/token/${encodeURIComponent(accessorID)}`, {}, opts);
  }

  /** `GET /v1/acl/token/self`: the token the client sends. */
  self(opts: QueryOptions = {}): Promise<QueryResponse<ACLToken>> {
    return this.t.query("/v1/acl/token/self", {}, opts);
  }

  /** `POST /v1/acl/token`: creates a token; the answer carries its secret. */
  createToken(token: ACLTokenRequest, opts: WriteOptions = {}): Promise<WriteResponse<ACLToken>> {
    return this.t.write("POST", "/v1/acl/token", token, {}, opts);
  }

  /** `POST /v1/acl/token/:accessor`: updates a token. */
  updateToken(accessorID: string, token: ACLTokenRequest, opts: WriteOptions = {}): Promise<WriteResponse<ACLToken>> {
    return this.t.write("POST", `/v1/acl/token/${encodeURIComponent(accessorID)}`, { ...token, AccessorID: accessorID }, {}, opts);
  }

  /** `DELETE /v1/acl/token/:accessor`. */
  deleteToken(accessorID: string, opts: WriteOptions = {}): Promise<WriteResponse<unknown>> {
    return this.t.write("DELETE", `/v1/acl/token/${encodeURIComponent(accessorID)}`, undefined, {}, opts);
  }

  /** `GET /v1/acl/roles`. */
  roles(opts: QueryOptions = {}): Promise<QueryResponse<ACLRole[]>> {
    return this.t.query("/v1/acl/roles", {}, opts);
  }

  /** `GET /v1/acl/role/:id`. */
  role(id: string, opts: QueryOptions = {}): Promise<QueryResponse<ACLRole>> {
    return this.t.query(`/v1/acl/role/${encodeURIComponent(id)}`, {}, opts);
  }

  /** `GET /v1/acl/role/name/:name`. */
  roleByName(name: string, opts: QueryOptions = {}): Promise<QueryResponse<ACLRole>> {
    return this.t.query(`/v1/acl/role/name/${encodeURIComponent(name)}`, {}, opts);
  }

  /** `POST /v1/acl/role` (create, without ID) or `POST /v1/acl/role/:id` (update). */
  upsertRole(role: ACLRole, opts: WriteOptions = {}): Promise<WriteResponse<ACLRole>> {
    return this.t.write("POST", role.ID ? `/v1/acl/role/${encodeURIComponent(role.ID)}` : "/v1/acl/role", role, {}, opts);
  }

  /** `DELETE /v1/acl/role/:id`. */
  deleteRole(id: string, opts: WriteOptions = {}): Promise<WriteResponse<unknown>> {
    return this.t.write("DELETE", `/v1/acl/role/${encodeURIComponent(id)}`, undefined, {}, opts);
  }
}
