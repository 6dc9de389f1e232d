/** `client.system` (`api/system.go`): garbage collection and job summary reconciliation. */
import type { WriteOptions } from "../query";
import type { Transport } from "../transport";

/** The system endpoints (management token when ACLs are on). */
export class SystemEndpoint {
  constructor(private readonly t: Transport) {}

  /** `PUT /v1/system/gc`: collects terminal jobs, evaluations, allocations, deployments and down nodes now. */
  async garbageCollect(opts: WriteOptions = {}): Promise<{ index: number }> {
    return (await this.t.write<unknown>("PUT", "/v1/system/gc", undefined, {}, opts)).meta;
  }

  /** `PUT /v1/system/reconcile/summaries`: recounts every job's summary from its allocations. */
  async reconcileSummaries(opts: WriteOptions = {}): Promise<{ index: number }> {
    return (await this.t.write<unknown>("PUT", "/v1/system/reconcile/summaries", undefined, {}, opts)).meta;
  }
}
