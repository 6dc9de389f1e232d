/** `client.namespaces` (`api/namespace.go`). */
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { Namespace } from "../types/acl";

/** The namespace endpoints. */
export class NamespacesEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/namespaces`: the namespaces the token may see. */
  list(opts: QueryOptions = {}): Promise<QueryResponse<Namespace[]>> {
    return this.t.query("/v1/namespaces", {}, opts);
  }

  /** `GET /v1/namespace/:name`. */
  info(name: string, opts: QueryOptions = {}): Promise<QueryResponse<Namespace>> {
    return this.t.query(`/v1/namespace/${encodeURIComponent(name)}`, {}, opts);
  }

  /** `PUT /v1/namespace/:name`: creates or updates a namespace. */
  register(ns: Namespace, opts: WriteOptions = {}): Promise<WriteResponse<unknown>> {
    return this.t.write("PUT", `/v1/namespace/${encodeURIComponent(ns.Name)}`, ns, {}, opts);
  }

  /** `DELETE /v1/namespace/:name`. */
  delete(name: string, opts: WriteOptions = {}): Promise<WriteResponse<unknown>> {
    return this.t.write("DELETE", `/v1/namespace/${encodeURIComponent(name)}`, undefined, {}, opts);
  }
}
