/** `client.scaling` (`api/scaling.go`). */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";
import type { ScalingPolicy, ScalingPolicyListStub } from "../types/scaling";

/** Scaling policy endpoints. */
export class ScalingEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/scaling/policies` (filter with `job` and `type`). */
  policies(opts: QueryOptions & { job?: string; type?: string } = {}): Promise<QueryResponse<ScalingPolicyListStub[]>> {
    return this.t.query("/v1/scaling/policies", { job: opts.job, type: opts.type }, opts);
  }

  /** `GET /v1/scaling/policy/:id`. */
  policy(id: string, opts: QueryOptions = {}): Promise<QueryResponse<ScalingPolicy>> {
    return this.t.query(`/v1/scaling/policy/${encodeURIComponent(id)}`, {}, opts);
  }
}
