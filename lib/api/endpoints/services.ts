/** `client.services`: Nomad's native service discovery (`api/services.go`). */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";
import type { ServiceRegistration, ServiceRegistrationListStub } from "../types/service";

/** Service registration endpoints. */
export class ServicesEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/services`: service names and tags per namespace. */
  list(opts: QueryOptions = {}): Promise<QueryResponse<ServiceRegistrationListStub[]>> {
    return this.t.query("/v1/services", {}, opts);
  }

  /** `GET /v1/service/:name`: the registered instances of a service. */
  get(name: string, opts: QueryOptions = {}): Promise<QueryResponse<ServiceRegistration[]>> {
    return this.t.query(`/v1/service/${encodeURIComponent(name)}`, {}, opts);
  }
}
