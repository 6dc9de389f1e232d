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
  Label: str().describe("Port label, referenced by services and driver config."),
  Value: intNum().describe("Static host port (ReservedPorts), 0 for a dynamic port."),
  To: intNum().describe("Port inside the task's network namespace; -1 maps to the same value as the host port. Default 0 (same as the host port)."),
  HostNetwork: str().describe('Host network to allocate the port on; the server defaults "" to "default".'),
  IgnoreCollision: bool().describe("Allow a static port already used by another allocation (only with the host network mode)."),
}).describe("Port: a labelled static or dynamic port (api.Port).");
/** A Port block. */
export type Port = z.infer<typeof PortSchema>;

/** DNS settings of a group network. */
export const DNSConfigSchema = block({
  Servers: strList().describe("Name server IP addresses."),
  Searches: strList().describe("Search domains."),
  Options: strList().describe("resolv.conf options."),
}).describe("DNSConfig: DNS settings of a network (api.DNSConfig).");
/** A DNSConfig block. */
export type DNSConfig = z.infer<typeof DNSConfigSchema>;

/** CNI arguments of a cni/* network. */
export const CNIConfigSchema = block({
  Args: strMap().describe("Arguments passed to the CNI plugins (CNI_ARGS)."),
}).describe("CNIConfig: CNI arguments (api.CNIConfig).");
/** A CNIConfig block. */
export type CNIConfig = z.infer<typeof CNIConfigSchema>;

/** A network of a group (or, deprecated, of a task). */
export const NetworkResourceSchema = block({
  Mode: str().describe('Network mode: "" or "host" (default host), "bridge", "none" or "cni/<name>".'),
  Device: str().describe("Deprecated; the agent does not forward it."),
  CIDR: str().describe("Server-set on allocations."),
  IP: str().describe("Server-set on allocations."),
  DNS: DNSConfigSchema.nullish(),
  ReservedPorts: listOf(PortSchema).describe("Static ports (HCL port blocks with static = N)."),
  DynamicPorts: listOf(PortSchema).describe("Dynamic ports (HCL port blocks without static)."),
  Hostname: str().describe("Hostname of the network namespace (bridge mode)."),
  MBits: intNum().describe("Deprecated bandwidth in Mbit/s; ignored."),
  CNI: CNIConfigSchema.nullish(),
}).describe("NetworkResource: a network and its ports (api.NetworkResource).");
/** A NetworkResource block. */
export type NetworkResource = z.infer<typeof NetworkResourceSchema>;

/** A device request (GPUs, FPGAs, ...). */
export const RequestedDeviceSchema = block({
  Name: str().describe('Device name: "<type>", "<vendor>/<type>" or "<vendor>/<type>/<model>".'),
  Count: uintNum().describe("How many instances; default 1."),
  Constraints: listOf(ConstraintSchema),
  Affinities: listOf(AffinitySchema),
}).describe("RequestedDevice: a device request (api.RequestedDevice).");
/** A RequestedDevice block. */
export type RequestedDevice = z.infer<typeof RequestedDeviceSchema>;

/** NUMA placement of a task (Enterprise). */
export const NUMAResourceSchema = block({
  Affinity: oneOf(["", ...NUMA_AFFINITIES]).describe('"none" (default), "prefer" or "require".'),
  Devices: strList().describe("Devices whose NUMA node the cores should share."),
}).describe("NUMAResource: NUMA-aware scheduling (api.NUMAResource, Enterprise).");
/** A NUMAResource block. */
export type NUMAResource = z.infer<typeof NUMAResourceSchema>;

/** What a task needs from a node. */
export const ResourcesSchema = block({
  CPU: intNum().describe("CPU in MHz; default 100 unless Cores is set; minimum 1."),
  Cores: intNum().describe("Whole reserved cores; mutually exclusive with CPU. Default 0."),
  MemoryMB: intNum().describe("Memory in MiB; default 300; minimum 10."),
  MemoryMaxMB: intNum().describe("Memory oversubscription limit in MiB; 0 (default) means MemoryMB; otherwise at least MemoryMB."),
  DiskMB: intNum().describe("Deprecated: the agent ignores it; use the group's EphemeralDisk.SizeMB."),
  Networks: listOf(NetworkResourceSchema).describe("Deprecated task networks; use the group's Networks."),
  Devices: listOf(RequestedDeviceSchema),
  NUMA: NUMAResourceSchema.nullish(),
  SecretsMB: intNum().describe("Size of the secrets directory in MiB (tmpfs where supported)."),
  IOPS: intNum().describe("Deprecated: ignored."),
}).describe("Resources: CPU, memory, devices and networks of a task (api.Resources).");
/** A Resources block. */
export type Resources = z.infer<typeof ResourcesSchema>;
