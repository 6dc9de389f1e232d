/** `client.nodePools` (`api/node_pools.go`). */
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { JobListStub } from "../types/job";
import type { NodeListStub, NodePool } from "../types/node";

/** The node pool endpoints. */
export class NodePoolsEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/node/pools`: every pool the token may read (`prefix` on the name). */
  list(opts: QueryOptions = {}): Promise<QueryResponse<NodePool[]>> {
    return this.t.query("/v1/node/pools", {}, opts);
  }

  /** `GET /v1/node/pool/:name`; a 404 `node pool not found` when there is none. */
  info(name: string, opts: QueryOptions = {}): Promise<QueryResponse<NodePool>> {
    return this.t.query(`/v1/node/pool/${encodeURIComponent(name)}`, {}, opts);
  }

  /** `PUT /v1/node/pools`: creates or replaces a pool (`Register` in Nomad's API client). */
  register(pool: NodePool, opts: WriteOptions = {}): Promise<WriteResponse<null>> {
    return this.t.write("PUT", "/v1/node/pools", pool, {}, opts);
  }

  /** `DELETE /v1/node/pool/:name`: refused while the pool has nodes or jobs that are not dead. */
  delete(name: string, opts: WriteOptions = {}): Promise<WriteResponse<null>> {
    return this.t.write("DELETE", `/v1/node/pool/${encodeURIComponent(name)}`, undefined, {}, opts);
  }

  /** `GET /v1/node/pool/:name/nodes` (`resources`, `os` add detail, as for the node list). */
  nodes(name: string, opts: QueryOptions & { resources?: boolean; os?: boolean } = {}): Promise<QueryResponse<NodeListStub[]>> {
    return this.t.query(
      `/v1/node/pool/${encodeURIComponent(name)}/nodes`,
      { resources: opts.resources ? true : undefined, os: opts.os ? true : undefined },
      opts,
    );
  }

  /** `GET /v1/node/pool/:name/jobs` (`namespace: "*"` for every namespace, `meta` adds each job's Meta). */
  jobs(name: string, opts: QueryOptions & { meta?: boolean } = {}): Promise<QueryResponse<JobListStub[]>> {
    return this.t.query(`/v1/node/pool/${encodeURIComponent(name)}/jobs`, { meta: opts.meta ? true : undefined }, opts);
  }
}
