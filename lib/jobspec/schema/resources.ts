/**
 * Resources and networking (`api/resources.go`): Resources,
 * RequestedDevice, NUMA, NetworkResource, Port, DNSConfig and CNIConfig.
 */
import { z } from "zod";
import { NUMA_AFFINITIES } from "../constants";
import { AffinitySchema, ConstraintSchema } from "./constraint";
import { block, bool, intNum, listOf, oneOf, str, strList, strMap, uintNum } from "./primitives";

/** A port: a label, and a static value or a dynamic one. */
export const PortSchema = block({
  /** Port label, referenced by services and driver config. */
  Label: str().describe("Port label, referenced by services and driver config."),
  /** Static host port (ReservedPorts), 0 for a dynamic port. */
  Value: intNum().describe("Static host port (ReservedPorts), 0 for a dynamic port."),
  /** Port inside the task's network namespace; -1 maps to the same value as the host port. Default 0 (same as the host port). */
  To: intNum().describe(
    "Port inside the task's network namespace; -1 maps to the same value as the host port. Default 0 (same as the host port).",
  ),
  /** Host network to allocate the port on; the server defaults "" to "default". */
  HostNetwork: str().describe('Host network to allocate the port on; the server defaults "" to "default".'),
  /** Allow a static port already used by another allocation (only with the host network mode). */
  IgnoreCollision: bool().describe("Allow a static port already used by another allocation (only with the host network mode)."),
}).describe("Port: a labelled static or dynamic port (api.Port).");
/** A Port block. */
export type Port = z.infer<typeof PortSchema>;

/** DNS settings of a group network. */
export const DNSConfigSchema = block({
  /** Name server IP addresses. */
  Servers: strList().describe("Name server IP addresses."),
  /** Search domains. */
  Searches: strList().describe("Search domains."),
  /** resolv.conf options. */
  Options: strList().describe("resolv.conf options."),
}).describe("DNSConfig: DNS settings of a network (api.DNSConfig).");
/** A DNSConfig block. */
export type DNSConfig = z.infer<typeof DNSConfigSchema>;

/** CNI arguments of a cni/* network. */
export const CNIConfigSchema = block({
  /** Arguments passed to the CNI plugins (CNI_ARGS). */
  Args: strMap().describe("Arguments passed to the CNI plugins (CNI_ARGS)."),
}).describe("CNIConfig: CNI arguments (api.CNIConfig).");
/** A CNIConfig block. */
export type CNIConfig = z.infer<typeof CNIConfigSchema>;

/** A network of a group (or, deprecated, of a task). */
export const NetworkResourceSchema = block({
  /** Network mode: "" or "host" (default host), "bridge", "none" or "cni/<name>". */
  Mode: str().describe('Network mode: "" or "host" (default host), "bridge", "none" or "cni/<name>".'),
  /** Deprecated; the agent does not forward it. */
  Device: str().describe("Deprecated; the agent does not forward it."),
  /** Server-set on allocations. */
  CIDR: str().describe("Server-set on allocations."),
  /** Server-set on allocations. */
  IP: str().describe("Server-set on allocations."),
  /** DNS settings of the network namespace. */
  DNS: DNSConfigSchema.nullish().describe("DNS settings of the network namespace."),
  /** Static ports (HCL port blocks with static = N). */
  ReservedPorts: listOf(PortSchema).describe("Static ports (HCL port blocks with static = N)."),
  /** Dynamic ports (HCL port blocks without static). */
  DynamicPorts: listOf(PortSchema).describe("Dynamic ports (HCL port blocks without static)."),
  /** Hostname of the network namespace (bridge mode). */
  Hostname: str().describe("Hostname of the network namespace (bridge mode)."),
  /** Deprecated bandwidth in Mbit/s; ignored. */
  MBits: intNum().describe("Deprecated bandwidth in Mbit/s; ignored."),
  /** CNI arguments (cni/* modes). */
  CNI: CNIConfigSchema.nullish().describe("CNI arguments (cni/* modes)."),
}).describe("NetworkResource: a network and its ports (api.NetworkResource).");
/** A NetworkResource block. */
export type NetworkResource = z.infer<typeof NetworkResourceSchema>;

/** A device request (GPUs, FPGAs, ...). */
export const RequestedDeviceSchema = block({
  /** Device name: "<type>", "<vendor>/<type>" or "<vendor>/<type>/<model>". */
  Name: str().describe('Device name: "<type>", "<vendor>/<type>" or "<vendor>/<type>/<model>".'),
  /** How many instances; default 1. */
  Count: uintNum().describe("How many instances; default 1."),
  /** Hard placement rules; every one must hold on the node. */
  Constraints: listOf(ConstraintSchema).describe("Hard placement rules; every one must hold on the node."),
  /** Soft placement preferences, scored by weight. */
  Affinities: listOf(AffinitySchema).describe("Soft placement preferences, scored by weight."),
}).describe("RequestedDevice: a device request (api.RequestedDevice).");
/** A RequestedDevice block. */
export type RequestedDevice = z.infer<typeof RequestedDeviceSchema>;

/** NUMA placement of a task (Enterprise). */
export const NUMAResourceSchema = block({
  /** "none" (default), "prefer" or "require". */
  Affinity: oneOf(["", ...NUMA_AFFINITIES]).describe('"none" (default), "prefer" or "require".'),
  /** Devices whose NUMA node the cores should share. */
  Devices: strList().describe("Devices whose NUMA node the cores should share."),
}).describe("NUMAResource: NUMA-aware scheduling (api.NUMAResource, Enterprise).");
/** A NUMAResource block. */
export type NUMAResource = z.infer<typeof NUMAResourceSchema>;

/** What a task needs from a node. */
export const ResourcesSchema = block({
  /** CPU in MHz; default 100 unless Cores is set; minimum 1. */
  CPU: intNum().describe("CPU in MHz; default 100 unless Cores is set; minimum 1."),
  /** Whole reserved cores; mutually exclusive with CPU. Default 0. */
  Cores: intNum().describe("Whole reserved cores; mutually exclusive with CPU. Default 0."),
  /** Memory in MiB; default 300; minimum 10. */
  MemoryMB: intNum().describe("Memory in MiB; default 300; minimum 10."),
  /** Memory oversubscription limit in MiB; 0 (default) means MemoryMB; otherwise at least MemoryMB. */
  MemoryMaxMB: intNum().describe("Memory oversubscription limit in MiB; 0 (default) means MemoryMB; otherwise at least MemoryMB."),
  /** Deprecated: the agent ignores it; use the group's EphemeralDisk.SizeMB. */
  DiskMB: intNum().describe("Deprecated: the agent ignores it; use the group's EphemeralDisk.SizeMB."),
  /** Deprecated task networks; use the group's Networks. */
  Networks: listOf(NetworkResourceSchema).describe("Deprecated task networks; use the group's Networks."),
  /** Devices (GPUs, FPGAs ...) the task needs. */
  Devices: listOf(RequestedDeviceSchema).describe("Devices (GPUs, FPGAs ...) the task needs."),
  /** NUMA-aware placement (Enterprise). */
  NUMA: NUMAResourceSchema.nullish().describe("NUMA-aware placement (Enterprise)."),
  /** Size of the secrets directory in MiB (tmpfs where supported). */
  SecretsMB: intNum().describe("Size of the secrets directory in MiB (tmpfs where supported)."),
  /** Deprecated: ignored. */
  IOPS: intNum().describe("Deprecated: ignored."),
}).describe("Resources: CPU, memory, devices and networks of a task (api.Resources).");
/** A Resources block. */
export type Resources = z.infer<typeof ResourcesSchema>;
