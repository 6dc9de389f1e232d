/**
 * Consul integration (`api/consul.go`): the Consul block of groups and
 * tasks, and Consul Connect. Connect is modelled far enough to validate
 * Nomad's examples; gateways and proxy internals are open objects.
 */
import { z } from "zod";
import { anyMap, block, bool, durationNs, intNum, listError, listOf, objectError, str, strList, strMap } from "./primitives";
import { ResourcesSchema } from "./resources";
import { WorkloadIdentitySchema } from "./identity";

/** Which Consul (cluster, namespace, admin partition) a group or task uses. */
export const ConsulSchema = block({
  /** Consul namespace (Enterprise); default Job.ConsulNamespace. */
  Namespace: str().describe("Consul namespace (Enterprise); default Job.ConsulNamespace."),
  /** Consul cluster from the agent config; default "default". */
  Cluster: str().describe('Consul cluster from the agent config; default "default".'),
  /** Consul admin partition (Enterprise). */
  Partition: str().describe("Consul admin partition (Enterprise)."),
}).describe("Consul: the Consul cluster, namespace and partition (api.Consul).");
/** A Consul block. */
export type Consul = z.infer<typeof ConsulSchema>;

/** A Connect upstream of a sidecar proxy. */
export const ConsulUpstreamSchema = block({
  DestinationName: str(),
  DestinationNamespace: str(),
  DestinationPeer: str(),
  DestinationPartition: str(),
  DestinationType: str(),
  LocalBindPort: intNum(),
  Datacenter: str(),
  LocalBindAddress: str(),
  LocalBindSocketPath: str(),
  LocalBindSocketMode: str(),
  /** Mesh gateway mode of the upstream. */
  MeshGateway: block({ Mode: str() }).nullish().describe("Mesh gateway mode of the upstream."),
  /** Opaque configuration (keys as in HCL). */
  Config: anyMap().describe("Opaque configuration (keys as in HCL)."),
}).describe("ConsulUpstream: an upstream service of a Connect proxy (api.ConsulUpstream).");
/** A ConsulUpstream block. */
export type ConsulUpstream = z.infer<typeof ConsulUpstreamSchema>;

/** The Envoy sidecar proxy of a Connect service. */
export const ConsulProxySchema = block({
  LocalServiceAddress: str(),
  LocalServicePort: intNum(),
  /** Expose paths (api.ConsulExposeConfig). */
  Expose: anyMap().describe("Expose paths (api.ConsulExposeConfig)."),
  /** Deprecated alias of Expose. */
  ExposeConfig: anyMap().describe("Deprecated alias of Expose."),
  /** Services this proxy connects to. */
  Upstreams: listOf(ConsulUpstreamSchema).describe("Services this proxy connects to."),
  /** Transparent proxy settings (api.ConsulTransparentProxy). */
  TransparentProxy: anyMap().describe("Transparent proxy settings (api.ConsulTransparentProxy)."),
  /** Escape-hatch Envoy configuration. */
  Config: anyMap().describe("Escape-hatch Envoy configuration."),
}).describe("ConsulProxy: a Connect sidecar proxy (api.ConsulProxy).");
/** A ConsulProxy block. */
export type ConsulProxy = z.infer<typeof ConsulProxySchema>;

/** The sidecar service Nomad registers for a Connect service. */
export const ConsulSidecarServiceSchema = block({
  /** Tags registered with the service. */
  Tags: strList().describe("Tags registered with the service."),
  /** Port label of the sidecar; default a dynamic port. */
  Port: str().describe("Port label of the sidecar; default a dynamic port."),
  /** The Envoy sidecar proxy. */
  Proxy: ConsulProxySchema.nullish().describe("The Envoy sidecar proxy."),
  DisableDefaultTCPCheck: bool(),
  /** Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}. */
  Meta: strMap().describe("Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}."),
}).describe("ConsulSidecarService: a Connect sidecar service (api.ConsulSidecarService).");
/** A ConsulSidecarService block. */
export type ConsulSidecarService = z.infer<typeof ConsulSidecarServiceSchema>;

/** Overrides of the sidecar task Nomad injects. */
export const SidecarTaskSchema = block({
  Name: str(),
  Driver: str(),
  User: str(),
  /** Opaque configuration (keys as in HCL). */
  Config: anyMap().describe("Opaque configuration (keys as in HCL)."),
  /** Environment variables. */
  Env: strMap().describe("Environment variables."),
  /** CPU, memory, devices; defaults CPU 100 MHz and 300 MiB. */
  Resources: ResourcesSchema.nullish().describe("CPU, memory, devices; defaults CPU 100 MHz and 300 MiB."),
  /** Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}. */
  Meta: strMap().describe("Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}."),
  KillTimeout: durationNs(),
  /** Log rotation; default 10 files of 10 MiB. */
  LogConfig: anyMap().describe("Log rotation; default 10 files of 10 MiB."),
  ShutdownDelay: durationNs(),
  KillSignal: str(),
  /** Group volumes mounted into the task. */
  VolumeMounts: z
    .array(z.record(z.string(), z.unknown(), { error: objectError }), { error: listError })
    .nullish()
    .describe("Group volumes mounted into the task."),
  /** Additional workload identities (the default one is Identity). */
  Identities: listOf(WorkloadIdentitySchema).describe("Additional workload identities (the default one is Identity)."),
}).describe("SidecarTask: overrides of the injected Connect sidecar task (api.SidecarTask).");
/** A SidecarTask block. */
export type SidecarTask = z.infer<typeof SidecarTaskSchema>;

/** Consul Connect (service mesh) settings of a service. */
export const ConsulConnectSchema = block({
  /** The task speaks Connect natively (no sidecar). */
  Native: bool().describe("The task speaks Connect natively (no sidecar)."),
  /** Ingress, terminating or mesh gateway (api.ConsulGateway), kept as an open object. */
  Gateway: anyMap().describe("Ingress, terminating or mesh gateway (api.ConsulGateway), kept as an open object."),
  /** The sidecar service registered for the Connect service. */
  SidecarService: ConsulSidecarServiceSchema.nullish().describe("The sidecar service registered for the Connect service."),
  /** Overrides of the injected sidecar task. */
  SidecarTask: SidecarTaskSchema.nullish().describe("Overrides of the injected sidecar task."),
}).describe("ConsulConnect: Consul service mesh settings (api.ConsulConnect).");
/** A ConsulConnect block. */
export type ConsulConnect = z.infer<typeof ConsulConnectSchema>;
