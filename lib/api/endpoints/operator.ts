/** `client.operator` (`api/operator.go`): the scheduler configuration. */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";
import type { SchedulerConfiguration, SchedulerConfigurationResponse, SchedulerSetConfigurationResponse } from "../types/operator";

/** The operator endpoints. */
export class OperatorEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/operator/scheduler/configuration`. */
  schedulerConfiguration(opts: QueryOptions = {}): Promise<QueryResponse<SchedulerConfigurationResponse>> {
    return this.t.query("/v1/operator/scheduler/configuration", {}, opts);
  }

  /**
   * `PUT /v1/operator/scheduler/configuration`: replaces the settings; with
   * `cas` (a `ModifyIndex`), only if they have not changed since (else `Updated` is false).
   */
  async setSchedulerConfiguration(
    config: Omit<SchedulerConfiguration, "CreateIndex" | "ModifyIndex">,
    cas?: number,
  ): Promise<SchedulerSetConfigurationResponse> {
    return (await this.t.write<SchedulerSetConfigurationResponse>("PUT", "/v1/operator/scheduler/configuration", config, { cas })).data;
  }
}
