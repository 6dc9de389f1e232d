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
  Namespace: str().describe("Consul namespace (Enterprise); default Job.ConsulNamespace."),
  Cluster: str().describe('Consul cluster from the agent config; default "default".'),
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
  MeshGateway: block({ Mode: str() }).nullish(),
  Config: anyMap(),
}).describe("ConsulUpstream: an upstream service of a Connect proxy (api.ConsulUpstream).");
/** A ConsulUpstream block. */
export type ConsulUpstream = z.infer<typeof ConsulUpstreamSchema>;

/** The Envoy sidecar proxy of a Connect service. */
export const ConsulProxySchema = block({
  LocalServiceAddress: str(),
  LocalServicePort: intNum(),
  Expose: anyMap().describe("Expose paths (api.ConsulExposeConfig)."),
  ExposeConfig: anyMap().describe("Deprecated alias of Expose."),
  Upstreams: listOf(ConsulUpstreamSchema),
  TransparentProxy: anyMap().describe("Transparent proxy settings (api.ConsulTransparentProxy)."),
  Config: anyMap().describe("Escape-hatch Envoy configuration."),
}).describe("ConsulProxy: a Connect sidecar proxy (api.ConsulProxy).");
/** A ConsulProxy block. */
export type ConsulProxy = z.infer<typeof ConsulProxySchema>;

/** The sidecar service Nomad registers for a Connect service. */
export const ConsulSidecarServiceSchema = block({
  Tags: strList(),
  Port: str().describe("Port label of the sidecar; default a dynamic port."),
  Proxy: ConsulProxySchema.nullish(),
  DisableDefaultTCPCheck: bool(),
  Meta: strMap(),
}).describe("ConsulSidecarService: a Connect sidecar service (api.ConsulSidecarService).");
/** A ConsulSidecarService block. */
export type ConsulSidecarService = z.infer<typeof ConsulSidecarServiceSchema>;

/** Overrides of the sidecar task Nomad injects. */
export const SidecarTaskSchema = block({
  Name: str(),
  Driver: str(),
  User: str(),
  Config: anyMap(),
  Env: strMap(),
  Resources: ResourcesSchema.nullish(),
  Meta: strMap(),
  KillTimeout: durationNs(),
  LogConfig: anyMap(),
  ShutdownDelay: durationNs(),
  KillSignal: str(),
  VolumeMounts: z.array(z.record(z.string(), z.unknown(), { error: objectError }), { error: listError }).nullish(),
  Identities: listOf(WorkloadIdentitySchema),
}).describe("SidecarTask: overrides of the injected Connect sidecar task (api.SidecarTask).");
/** A SidecarTask block. */
export type SidecarTask = z.infer<typeof SidecarTaskSchema>;

/** Consul Connect (service mesh) settings of a service. */
export const ConsulConnectSchema = block({
  Native: bool().describe("The task speaks Connect natively (no sidecar)."),
  Gateway: anyMap().describe("Ingress, terminating or mesh gateway (api.ConsulGateway), kept as an open object."),
  SidecarService: ConsulSidecarServiceSchema.nullish(),
  SidecarTask: SidecarTaskSchema.nullish(),
}).describe("ConsulConnect: Consul service mesh settings (api.ConsulConnect).");
/** A ConsulConnect block. */
export type ConsulConnect = z.infer<typeof ConsulConnectSchema>;
