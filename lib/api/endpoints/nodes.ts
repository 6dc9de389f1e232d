/** `client.nodes` (`api/nodes.go`). */
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { AllocationListStub } from "../types/allocation";
import type { DrainSpec, Node, NodeListStub, NodeUpdateResponse } from "../types/node";

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

  /** `GET /v1/node/:id/allocations`. */
  allocations(id: string, opts: QueryOptions = {}): Promise<QueryResponse<AllocationListStub[]>> {
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
}
