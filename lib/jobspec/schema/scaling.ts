/** Scaling policies (`api/scaling.go` ScalingPolicy). */
import { z } from "zod";
import { SCALING_POLICY_TYPES } from "../constants";
import { anyMap, block, bool, intNum, oneOf, str, strMap } from "./primitives";

/** A horizontal (group Count) or vertical (task resources, Enterprise) scaling policy. */
export const ScalingPolicySchema = block({
  /** Lowest count; default the group's Count. */
  Min: intNum().describe("Lowest count; default the group's Count."),
  /** Highest count; required. */
  Max: intNum().describe("Highest count; required."),
  /** Opaque configuration for the Nomad Autoscaler. */
  Policy: anyMap().describe("Opaque configuration for the Nomad Autoscaler."),
  /** Default true. */
  Enabled: bool().describe("Default true."),
  /** "horizontal" (group, default), "vertical_cpu" or "vertical_mem" (task). */
  Type: oneOf(["", ...SCALING_POLICY_TYPES]).describe('"horizontal" (group, default), "vertical_cpu" or "vertical_mem" (task).'),
  /** Server-set. */
  ID: str().describe("Server-set."),
  /** Server-set. */
  Namespace: str().describe("Server-set."),
  /** Server-set: Namespace, Job, Group[, Task]. */
  Target: strMap().describe("Server-set: Namespace, Job, Group[, Task]."),
  /** Server-set. */
  CreateIndex: intNum().describe("Server-set."),
  /** Server-set. */
  ModifyIndex: intNum().describe("Server-set."),
}).describe("ScalingPolicy: autoscaling bounds and policy (api.ScalingPolicy).");
/** A ScalingPolicy block. */
export type ScalingPolicy = z.infer<typeof ScalingPolicySchema>;
