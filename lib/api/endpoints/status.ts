/** `client.status` (`api/status.go`, `api/regions.go`). */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";

/** Cluster status endpoints. */
export class StatusEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/status/leader`: the leader's RPC address, e.g. "127.0.0.1:4647". */
  leader(opts: QueryOptions = {}): Promise<QueryResponse<string>> {
    return this.t.query("/v1/status/leader", {}, opts);
  }

  /** `GET /v1/status/peers`: the Raft peers' RPC addresses. */
  peers(opts: QueryOptions = {}): Promise<QueryResponse<string[]>> {
    return this.t.query("/v1/status/peers", {}, opts);
  }

  /** `GET /v1/regions`: the known regions. */
  regions(opts: QueryOptions = {}): Promise<QueryResponse<string[]>> {
    return this.t.query("/v1/regions", {}, opts);
  }
}
