/** `client.allocations` (`api/allocations.go`). */
import type { QueryOptions, QueryResponse, WriteOptions, WriteResponse } from "../query";
import type { Transport } from "../transport";
import type { Allocation, AllocationListStub, AllocStopResponse } from "../types/allocation";
import type { ServiceRegistration } from "../types/service";

/** The allocation endpoints. */
export class AllocationsEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/allocations` (`resources`/`taskStates` control the stub's detail). */
  list(opts: QueryOptions & { resources?: boolean; taskStates?: boolean } = {}): Promise<QueryResponse<AllocationListStub[]>> {
    return this.t.query(
      "/v1/allocations",
      { resources: opts.resources ? true : undefined, task_states: opts.taskStates === false ? false : undefined },
      opts,
    );
  }

  /** `GET /v1/allocation/:id`: the full allocation including its job. */
  info(id: string, opts: QueryOptions = {}): Promise<QueryResponse<Allocation>> {
    return this.t.query(`/v1/allocation/${encodeURIComponent(id)}`, {}, opts);
  }

  /** `GET /v1/allocation/:id/services`: the Nomad service registrations of an allocation (Nomad's `Allocations().Services`). */
  services(id: string, opts: QueryOptions = {}): Promise<QueryResponse<ServiceRegistration[]>> {
    return this.t.query(`/v1/allocation/${encodeURIComponent(id)}/services`, {}, opts);
  }

  /** `PUT /v1/allocation/:id/stop`: stops (and by default reschedules) an allocation. */
  stop(id: string, opts: WriteOptions & { noShutdownDelay?: boolean } = {}): Promise<WriteResponse<AllocStopResponse>> {
    return this.t.write(
      "PUT",
      `/v1/allocation/${encodeURIComponent(id)}/stop`,
      undefined,
      { no_shutdown_delay: opts.noShutdownDelay ? true : undefined },
      opts,
    );
  }

  /** `GET /v1/client/allocation/:id/gc`: garbage collects a terminal allocation on its client (refused for one still running). */
  gc(id: string, opts: QueryOptions = {}): Promise<QueryResponse<null>> {
    return this.t.query(`/v1/client/allocation/${encodeURIComponent(id)}/gc`, {}, opts);
  }

  /** `PUT /v1/client/allocation/:id/signal`: sends a signal to one task, or all when `task` is omitted. */
  signal(id: string, signal: string, opts: WriteOptions & { task?: string } = {}): Promise<WriteResponse<unknown>> {
    return this.t.write(
      "PUT",
      `/v1/client/allocation/${encodeURIComponent(id)}/signal`,
      { Task: opts.task ?? "", Signal: signal },
      {},
      opts,
    );
  }

  /** `PUT /v1/client/allocation/:id/restart`: restarts one task, or all tasks. */
  restart(id: string, opts: WriteOptions & { task?: string; allTasks?: boolean } = {}): Promise<WriteResponse<unknown>> {
    return this.t.write(
      "PUT",
      `/v1/client/allocation/${encodeURIComponent(id)}/restart`,
      { TaskName: opts.task ?? "", AllTasks: opts.allTasks ?? false },
      {},
      opts,
    );
  }
}
