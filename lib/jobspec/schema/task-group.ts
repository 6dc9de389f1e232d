/** Task groups (`api/tasks.go` TaskGroup, VolumeRequest; `api/csi.go` CSIMountOptions). */
import { z } from "zod";
import { VOLUME_TYPES } from "../constants";
import { AffinitySchema, ConstraintSchema, SpreadSchema } from "./constraint";
import { ConsulSchema } from "./consul";
import {
  DisconnectStrategySchema,
  EphemeralDiskSchema,
  MigrateStrategySchema,
  ReschedulePolicySchema,
  RestartPolicySchema,
  UpdateStrategySchema,
} from "./policies";
import { block, bool, durationNs, intNum, listOf, mapOf, oneOf, str, strList, strMap } from "./primitives";
import { NetworkResourceSchema } from "./resources";
import { ScalingPolicySchema } from "./scaling";
import { ServiceSchema } from "./service";
import { TaskSchema } from "./task";

/** Mount options of a CSI volume. */
export const CSIMountOptionsSchema = block({
  /** File system type. */
  FSType: str().describe("File system type."),
  /** Mount flags. */
  MountFlags: strList().describe("Mount flags."),
}).describe("CSIMountOptions: CSI mount options (api.CSIMountOptions).");
/** A CSIMountOptions block. */
export type CSIMountOptions = z.infer<typeof CSIMountOptionsSchema>;

/** A host or CSI volume requested by a group. */
export const VolumeRequestSchema = block({
  /** Volume name (the map key in HCL). */
  Name: str().describe("Volume name (the map key in HCL)."),
  /** "host" or "csi"; the agent drops volumes of any other type. */
  Type: oneOf(["", ...VOLUME_TYPES]).describe('"host" or "csi"; the agent drops volumes of any other type.'),
  /** Host volume or CSI volume ID; required. */
  Source: str().describe("Host volume or CSI volume ID; required."),
  /** Mount read-only; default false. */
  ReadOnly: bool().describe("Mount read-only; default false."),
  /** Keep the same host volume across reschedules. */
  Sticky: bool().describe("Keep the same host volume across reschedules."),
  /** CSI access mode, e.g. single-node-writer. */
  AccessMode: str().describe("CSI access mode, e.g. single-node-writer."),
  /** CSI attachment mode: "file-system" or "block-device". */
  AttachmentMode: str().describe('CSI attachment mode: "file-system" or "block-device".'),
  /** CSI mount options. */
  MountOptions: CSIMountOptionsSchema.nullish().describe("CSI mount options."),
  /** Append [N] (the allocation index) to Source. */
  PerAlloc: bool().describe("Append [N] (the allocation index) to Source."),
}).describe("VolumeRequest: a host or CSI volume (api.VolumeRequest).");
/** A VolumeRequest block. */
export type VolumeRequest = z.infer<typeof VolumeRequestSchema>;

/** A group of tasks placed together on one node. */
export const TaskGroupSchema = block({
  /** Group name; required, unique in the job. */
  Name: str().describe("Group name; required, unique in the job."),
  /** Allocations to run; default Scaling.Min, else 1. System jobs: 0 or 1. */
  Count: intNum().describe("Allocations to run; default Scaling.Min, else 1. System jobs: 0 or 1."),
  /** Hard placement rules; every one must hold on the node. */
  Constraints: listOf(ConstraintSchema).describe("Hard placement rules; every one must hold on the node."),
  /** Soft placement preferences, scored by weight. */
  Affinities: listOf(AffinitySchema).describe("Soft placement preferences, scored by weight."),
  /** At least one task. */
  Tasks: listOf(TaskSchema).describe("At least one task."),
  /** Spread allocations over the values of node attributes. */
  Spreads: listOf(SpreadSchema).describe("Spread allocations over the values of node attributes."),
  /** Volumes by name. */
  Volumes: mapOf(VolumeRequestSchema).describe("Volumes by name."),
  /** Local restarts of failed tasks; defaults depend on the job type. */
  RestartPolicy: RestartPolicySchema.nullish().describe("Local restarts of failed tasks; defaults depend on the job type."),
  /** What happens when the client of an allocation disconnects. */
  Disconnect: DisconnectStrategySchema.nullish().describe("What happens when the client of an allocation disconnects."),
  /** Rescheduling of failed allocations; merged over Job.Reschedule; not for system/sysbatch. */
  ReschedulePolicy: ReschedulePolicySchema.nullish().describe(
    "Rescheduling of failed allocations; merged over Job.Reschedule; not for system/sysbatch.",
  ),
  /** The allocation's local disk; default 300 MiB. */
  EphemeralDisk: EphemeralDiskSchema.nullish().describe("The allocation's local disk; default 300 MiB."),
  /** Merged over Job.Update; service and system jobs only. */
  Update: UpdateStrategySchema.nullish().describe("Merged over Job.Update; service and system jobs only."),
  /** Merged over Job.Migrate; service jobs only. */
  Migrate: MigrateStrategySchema.nullish().describe("Merged over Job.Migrate; service jobs only."),
  /** Networks with their ports (one group network in practice). */
  Networks: listOf(NetworkResourceSchema).describe("Networks with their ports (one group network in practice)."),
  /** Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}. */
  Meta: strMap().describe("Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}."),
  /** Service registrations (Consul or Nomad). */
  Services: listOf(ServiceSchema).describe("Service registrations (Consul or Nomad)."),
  /** Delay (ns) between service deregistration and stopping the tasks. */
  ShutdownDelay: durationNs().describe("Delay (ns) between service deregistration and stopping the tasks."),
  /** Stop the allocation after running this long (ns); batch and sysbatch only, > 0. */
  MaxRunDuration: durationNs().describe("Stop the allocation after running this long (ns); batch and sysbatch only, > 0."),
  /** Deprecated: ignored since Nomad 1.10; use Disconnect.StopOnClientAfter. */
  StopAfterClientDisconnect: durationNs().describe("Deprecated: ignored since Nomad 1.10; use Disconnect.StopOnClientAfter."),
  /** Deprecated: ignored since Nomad 1.10; use Disconnect.LostAfter. */
  MaxClientDisconnect: durationNs().describe("Deprecated: ignored since Nomad 1.10; use Disconnect.LostAfter."),
  /** Horizontal scaling bounds for the autoscaler; Count defaults to its Min. */
  Scaling: ScalingPolicySchema.nullish().describe("Horizontal scaling bounds for the autoscaler; Count defaults to its Min."),
  /** Consul cluster, namespace and partition. */
  Consul: ConsulSchema.nullish().describe("Consul cluster, namespace and partition."),
  /** Deprecated: ignored since Nomad 1.10; use Disconnect.Replace. */
  PreventRescheduleOnLost: bool().describe("Deprecated: ignored since Nomad 1.10; use Disconnect.Replace."),
}).describe("TaskGroup: tasks placed together (api.TaskGroup).");
/** A TaskGroup block. */
export type TaskGroup = z.infer<typeof TaskGroupSchema>;
