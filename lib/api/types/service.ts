/** Nomad service discovery (`api.ServiceRegistration`, `api.ServiceRegistrationListStub`). */

/** One registered instance of a service (`api.ServiceRegistration`). */
export interface ServiceRegistration {
  /** Registration ID, `_nomad-task-<alloc>-<task or group-<group>>-<service>-<port label>`. */
  ID: string;
  /** The service's name. */
  ServiceName: string;
  /** Namespace of the job. */
  Namespace: string;
  /** Node running the allocation. */
  NodeID: string;
  /** Datacenter of that node. */
  Datacenter: string;
  /** Job ID. */
  JobID: string;
  /** Allocation ID. */
  AllocID: string;
  /** Tags (canary tags while the allocation is a canary). */
  Tags: string[] | null;
  /** Address to reach the service at. */
  Address: string;
  /** Port to reach it at (0 without a port). */
  Port: number;
  /** Raft index of creation. */
  CreateIndex: number;
  /** Raft index of last change. */
  ModifyIndex: number;
}

/** Services of one namespace (`api.ServiceRegistrationListStub`). */
export interface ServiceRegistrationListStub {
  /** Namespace. */
  Namespace: string;
  /** Services: name and tags. */
  Services: { ServiceName: string; Tags: string[] | null }[] | null;
}
