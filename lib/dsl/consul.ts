import { block, JsonObject } from "./json";

/** The `consul` block of a group or task: which Consul cluster, namespace and partition it uses. */
export interface ConsulProps {
  /** The Consul namespace (Consul Enterprise). @default the job's consul namespace, else Consul's default */
  readonly namespace?: string;
  /** The name of the Consul cluster in the Nomad agent's configuration. @default "default" */
  readonly cluster?: string;
  /** The Consul admin partition (Consul Enterprise). */
  readonly partition?: string;
}

/** Renders the consul block as Nomad's `Consul`. */
export function renderConsul(c: ConsulProps | undefined): JsonObject | undefined {
  if (c === undefined) return undefined;
  return block({ Namespace: c.namespace, Cluster: c.cluster, Partition: c.partition }) ?? {};
}
