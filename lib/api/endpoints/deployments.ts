/** `client.deployments` (`api/deployments.go`). */
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { AllocationListStub } from "../types/allocation";
import type { Deployment, DeploymentUpdateResponse } from "../types/deployment";

/** The deployment endpoints. */
export class DeploymentsEndpoint {
  constructor(private readonly t: Transport) {}

  private path(action: string, id: string): string {
    return `/v1/deployment/${action}/${encodeURIComponent(id)}`;
  }

  /** `GET /v1/deployments`. */
  list(opts: QueryOptions = {}): Promise<QueryResponse<Deployment[]>> {
    return this.t.query("/v1/deployments", {}, opts);
  }

  /** `GET /v1/deployment/:id`. */
  info(id: string, opts: QueryOptions = {}): Promise<QueryResponse<Deployment>> {
    return this.t.query(`/v1/deployment/${encodeURIComponent(id)}`, {}, opts);
  }

  /** `GET /v1/deployment/allocations/:id`. */
  allocations(id: string, opts: QueryOptions = {}): Promise<QueryResponse<AllocationListStub[]>> {
    return this.t.query(this.path("allocations", id), {}, opts);
  }

  /** `PUT /v1/deployment/promote/:id` with All: promotes the canaries of every group. */
  promoteAll(id: string, opts: WriteOptions = {}): Promise<WriteResponse<DeploymentUpdateResponse>> {
    return this.t.write("PUT", this.path("promote", id), { DeploymentID: id, All: true }, {}, opts);
  }

  /** `PUT /v1/deployment/promote/:id` with Groups: promotes the canaries of the named groups. */
  promoteGroups(id: string, groups: string[], opts: WriteOptions = {}): Promise<WriteResponse<DeploymentUpdateResponse>> {
    return this.t.write("PUT", this.path("promote", id), { DeploymentID: id, Groups: groups }, {}, opts);
  }

  /** `PUT /v1/deployment/fail/:id`: marks the deployment failed (auto-revert applies). */
  fail(id: string, opts: WriteOptions = {}): Promise<WriteResponse<DeploymentUpdateResponse>> {
    return this.t.write("PUT", this.path("fail", id), { DeploymentID: id }, {}, opts);
  }

  /** `PUT /v1/deployment/pause/:id`: pauses (`pause` true) or resumes it. */
  pause(id: string, pause: boolean, opts: WriteOptions = {}): Promise<WriteResponse<DeploymentUpdateResponse>> {
    return this.t.write("PUT", this.path("pause", id), { DeploymentID: id, Pause: pause }, {}, opts);
  }

  /**
   * `PUT /v1/deployment/unblock/:id`: marks a multiregion deployment that is
   * blocked waiting for its peer regions successful (Nomad Enterprise).
   */
  unblock(id: string, opts: WriteOptions = {}): Promise<WriteResponse<DeploymentUpdateResponse>> {
    return this.t.write("PUT", this.path("unblock", id), { DeploymentID: id }, {}, opts);
  }

  /** Resumes a paused deployment. */
  resume(id: string, opts: WriteOptions = {}): Promise<WriteResponse<DeploymentUpdateResponse>> {
    return this.pause(id, false, opts);
  }

  /** `PUT /v1/deployment/allocation-health/:id`: sets allocations' health for manual health checks. */
  setAllocHealth(
    id: string,
    healthy: string[],
    unhealthy: string[],
    opts: WriteOptions = {},
  ): Promise<WriteResponse<DeploymentUpdateResponse>> {
    return this.t.write(
      "PUT",
      this.path("allocation-health", id),
      { DeploymentID: id, HealthyAllocationIDs: healthy, UnhealthyAllocationIDs: unhealthy },
      {},
      opts,
    );
  }
}
