/**
 * Reads of Nomad's native service registrations (Nomad's
 * `state_store_service_registration.go`): by ID, by allocation, by node, and
 * listed by namespace or by service name.
 */
import type { ServiceRegistration } from "../structs";
import { nsKey, type StateTables } from "./schema";

/** Registrations ordered as Nomad's service list reads them: by service name, then ID. */
function byServiceThenID(a: ServiceRegistration, b: ServiceRegistration): number {
  if (a.ServiceName !== b.ServiceName) return a.ServiceName < b.ServiceName ? -1 : 1;
  return a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0;
}

/** The registrations of a namespace ("*" for every namespace), ordered by service name then ID. */
export function serviceRegistrationsIn(t: StateTables, namespace: string): ServiceRegistration[] {
  const rows = [...t.service_registrations.values()];
  return (namespace === "*" ? rows : rows.filter((r) => r.Namespace === namespace)).sort(byServiceThenID);
}

/** The registrations of one service in a namespace ("*" for every namespace), ordered by ID. */
export function serviceRegistrationsByName(t: StateTables, namespace: string, name: string): readonly ServiceRegistration[] {
  if (namespace !== "*") return t.service_registrations.index("service").get(nsKey(namespace, name));
  return serviceRegistrationsIn(t, "*").filter((r) => r.ServiceName === name);
}
