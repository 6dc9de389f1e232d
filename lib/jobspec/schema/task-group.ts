/** Task groups (`api/tasks.go` TaskGroup, VolumeRequest; `api/csi.go` CSIMountOptions). */
import { z } from "zod";
import { VOLUME_TYPES } from "../constants";
import { AffinitySchema, ConstraintSchema, SpreadSchema } from "./constraint";
import { ConsulSchema } from "./consul";
import { DisconnectStrategySchema, EphemeralDiskSchema, MigrateStrategySchema, ReschedulePolicySchema, RestartPolicySchema, UpdateStrategySchema } from "./policies";
import { block, bool, durationNs, intNum, listOf, mapOf, oneOf, str, strList, strMap } from "./primitives";
import { NetworkResourceSchema } from "./resources";
import { ScalingPolicySchema } from "./scaling";
import { ServiceSchema } from "./service";
import { TaskSchema } from "./task";

/** Mount options of a CSI volume. */
export const CSIMountOptionsSchema = block({
  FSType: str().describe("File system type."),
  MountFlags: strList().describe("Mount flags."),
}).describe("CSIMountOptions: CSI mount options (api.CSIMountOptions).");
/** A CSIMountOptions block. */
export type CSIMountOptions = z.infer<typeof CSIMountOptionsSchema>;

/** A host or CSI volume requested by a group. */
export const VolumeRequestSchema = block({
  Name: str().describe("Volume name (the map key in HCL)."),
  Type: oneOf(["", ...VOLUME_TYPES]).describe('"host" or "csi"; the agent drops volumes of any other type.'),
  Source: str().describe("Host volume or CSI volume ID; required."),
  ReadOnly: bool(),
  Sticky: bool().describe("Keep the same host volume across reschedules."),
  AccessMode: str().describe("CSI access mode, e.g. single-node-writer."),
  AttachmentMode: str().describe('CSI attachment mode: "file-system" or "block-device".'),
  MountOptions: CSIMountOptionsSchema.nullish(),
  PerAlloc: bool().describe("Append [N] (the allocation index) to Source."),
}).describe("VolumeRequest: a host or CSI volume (api.VolumeRequest).");
/** A VolumeRequest block. */
export type VolumeRequest = z.infer<typeof VolumeRequestSchema>;

/** A group of tasks placed together on one node. */
export const TaskGroupSchema = block({
  Name: str().describe("Group name; required, unique in the job."),
  Count: intNum().describe("Allocations to run; default Scaling.Min, else 1. System jobs: 0 or 1."),
  Constraints: listOf(ConstraintSchema),
  Affinities: listOf(AffinitySchema),
  Tasks: listOf(TaskSchema).describe("At least one task."),
  Spreads: listOf(SpreadSchema),
  Volumes: mapOf(VolumeRequestSchema).describe("Volumes by name."),
  RestartPolicy: RestartPolicySchema.nullish(),
  Disconnect: DisconnectStrategySchema.nullish(),
  ReschedulePolicy: ReschedulePolicySchema.nullish(),
  EphemeralDisk: EphemeralDiskSchema.nullish(),
  Update: UpdateStrategySchema.nullish().describe("Merged over Job.Update; service and system jobs only."),
  Migrate: MigrateStrategySchema.nullish().describe("Merged over Job.Migrate; service jobs only."),
  Networks: listOf(NetworkResourceSchema),
  Meta: strMap(),
  Services: listOf(ServiceSchema),
  ShutdownDelay: durationNs().describe("Delay (ns) between service deregistration and stopping the tasks."),
  MaxRunDuration: durationNs().describe("Stop the allocation after running this long (ns); batch and sysbatch only, > 0."),
  StopAfterClientDisconnect: durationNs().describe("Deprecated: ignored since Nomad 1.10; use Disconnect.StopOnClientAfter."),
  MaxClientDisconnect: durationNs().describe("Deprecated: ignored since Nomad 1.10; use Disconnect.LostAfter."),
  Scaling: ScalingPolicySchema.nullish(),
  Consul: ConsulSchema.nullish(),
  PreventRescheduleOnLost: bool().describe("Deprecated: ignored since Nomad 1.10; use Disconnect.Replace."),
}).describe("TaskGroup: tasks placed together (api.TaskGroup).");
/** A TaskGroup block. */
export type TaskGroup = z.infer<typeof TaskGroupSchema>;
