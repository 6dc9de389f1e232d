/** Nomad service discovery (`api.ServiceRegistration`, `api.ServiceRegistrationListStub`). */

/** One registered instance of a service (`api.ServiceRegistration`). */
export interface ServiceRegistration {
  /** Registration ID. */
  ID: string;
  /** Service name. */
  ServiceName: string;
  /** Namespace. */
  Namespace: string;
  /** Node ID. */
  NodeID: string;
  /** Datacenter. */
  Datacenter: string;
  /** Job ID. */
  JobID: string;
  /** Allocation ID. */
  AllocID: string;
  /** Tags. */
  Tags: string[] | null;
  /** Address. */
  Address: string;
  /** Port. */
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
