/** `client.scaling` (`api/scaling.go`). */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";
import type { ScalingPolicy, ScalingPolicyListStub } from "../types/scaling";

/** Scaling policy endpoints. */
export class ScalingEndpoint {
  constructor(private readonly t: Transport) {}

  /**
   * `GET /v1/scaling/policies` (Nomad's `Scaling().ListPolicies`): the
   * policies of a namespace (`namespace: "*"` for all), only one job's with
   * `job`, only one type with `type`, IDs starting with `prefix`.
   */
  listPolicies(opts: QueryOptions & { job?: string; type?: string } = {}): Promise<QueryResponse<ScalingPolicyListStub[]>> {
    return this.t.query("/v1/scaling/policies", { job: opts.job, type: opts.type }, opts);
  }

  /** Same as `listPolicies` (its earlier name). */
  policies(opts: QueryOptions & { job?: string; type?: string } = {}): Promise<QueryResponse<ScalingPolicyListStub[]>> {
    return this.listPolicies(opts);
  }

  /** `GET /v1/scaling/policy/:id` (Nomad's `Scaling().GetPolicy`): one policy; a 404 `policy not found` when there is none. */
  policy(id: string, opts: QueryOptions = {}): Promise<QueryResponse<ScalingPolicy>> {
    return this.t.query(`/v1/scaling/policy/${encodeURIComponent(id)}`, {}, opts);
  }
}
