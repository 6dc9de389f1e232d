/** `client.nodes` (`api/nodes.go`). */
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { Allocation } from "../types/allocation";
import type { DrainSpec, Node, NodeListStub, NodeMetaResponse, NodeUpdateResponse } from "../types/node";

/** The node endpoints. */
export class NodesEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/nodes` (`resources`, `os` add detail). */
  list(opts: QueryOptions & { resources?: boolean; os?: boolean } = {}): Promise<QueryResponse<NodeListStub[]>> {
    return this.t.query("/v1/nodes", { resources: opts.resources ? true : undefined, os: opts.os ? true : undefined }, opts);
  }

  /** `GET /v1/node/:id`. */
  info(id: string, opts: QueryOptions = {}): Promise<QueryResponse<Node>> {
    return this.t.query(`/v1/node/${encodeURIComponent(id)}`, {}, opts);
  }

  /** `GET /v1/node/:id/allocations`: the node's allocations in full (Nomad's API returns `[]*Allocation` here, each with its job). */
  allocations(id: string, opts: QueryOptions = {}): Promise<QueryResponse<Allocation[]>> {
    return this.t.query(`/v1/node/${encodeURIComponent(id)}/allocations`, {}, opts);
  }

  /** `PUT /v1/node/:id/eligibility`: makes a node eligible or ineligible for new placements. */
  toggleEligibility(id: string, eligible: boolean, opts: WriteOptions = {}): Promise<WriteResponse<NodeUpdateResponse>> {
    return this.t.write(
      "PUT",
      `/v1/node/${encodeURIComponent(id)}/eligibility`,
      { NodeID: id, Eligibility: eligible ? "eligible" : "ineligible" },
      {},
      opts,
    );
  }

  /** `PUT /v1/node/:id/drain`: starts a drain (`spec`), or cancels it (`spec` null). */
  drain(
    id: string,
    spec: DrainSpec | null,
    opts: WriteOptions & { markEligible?: boolean; meta?: Record<string, string> } = {},
  ): Promise<WriteResponse<NodeUpdateResponse>> {
    return this.t.write(
      "PUT",
      `/v1/node/${encodeURIComponent(id)}/drain`,
      { NodeID: id, DrainSpec: spec, MarkEligible: opts.markEligible ?? false, Meta: opts.meta },
      {},
      opts,
    );
  }

  /** `GET /v1/client/gc?node_id=`: garbage collects every terminal allocation of a node (the agent's own without `nodeID`). */
  gc(nodeID?: string, opts: QueryOptions = {}): Promise<QueryResponse<null>> {
    return this.t.query("/v1/client/gc", { node_id: nodeID }, opts);
  }

  /** `GET /v1/client/metadata?node_id=`: a node's metadata, dynamic and static (Nomad 1.5+; the agent's own node without `nodeID`). */
  readMeta(nodeID?: string, opts: QueryOptions = {}): Promise<QueryResponse<NodeMetaResponse>> {
    return this.t.query("/v1/client/metadata", { node_id: nodeID }, opts);
  }

  /**
   * `POST /v1/client/metadata`: sets (a string) or unsets (null) dynamic
   * metadata keys of a node (the agent's own without `nodeID`); the node's
   * constraints are evaluated again.
   */
  applyMeta(meta: Record<string, string | null>, opts: WriteOptions & { nodeID?: string } = {}): Promise<WriteResponse<NodeMetaResponse>> {
    return this.t.write("POST", "/v1/client/metadata", { NodeID: opts.nodeID ?? "", Meta: meta }, {}, opts);
  }
}
