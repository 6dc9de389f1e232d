/**
 * Service registrations of Nomad's built-in service discovery as the servers
 * store them (`nomad/structs/service_registration.go`): one row of the
 * `service_registrations` table per `provider = "nomad"` service of a
 * running allocation.
 */
import type { ServiceRegistration as WireServiceRegistration } from "../../api/types/service";

/** One registered instance of a service (`structs.ServiceRegistration`): the wire shape with tags always set. */
export interface ServiceRegistration extends WireServiceRegistration {
  /** Tags (canary tags while the allocation is a canary); never null on the server. */
  Tags: string[];
}
