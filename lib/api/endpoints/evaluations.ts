/** `client.evaluations` (`api/evaluations.go`). */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";
import type { AllocationListStub } from "../types/allocation";
import type { Evaluation } from "../types/evaluation";

/** The evaluation endpoints. */
export class EvaluationsEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/evaluations`, filtered by `job` and `status` when given. */
  list(opts: QueryOptions & { job?: string; status?: string } = {}): Promise<QueryResponse<Evaluation[]>> {
    return this.t.query("/v1/evaluations", { job: opts.job, status: opts.status }, opts);
  }

  /** `GET /v1/evaluation/:id` (with `related`, adds RelatedEvals). */
  info(id: string, opts: QueryOptions & { related?: boolean } = {}): Promise<QueryResponse<Evaluation>> {
    return this.t.query(`/v1/evaluation/${encodeURIComponent(id)}`, { related: opts.related ? true : undefined }, opts);
  }

  /** `GET /v1/evaluation/:id/allocations`: allocations the evaluation created or changed. */
  allocations(id: string, opts: QueryOptions = {}): Promise<QueryResponse<AllocationListStub[]>> {
    return this.t.query(`/v1/evaluation/${encodeURIComponent(id)}/allocations`, {}, opts);
  }
}
