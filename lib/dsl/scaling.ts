import { block, jsonCopy, JsonObject } from "./json";

/**
 * The `scaling` block of a group: the bounds (and the autoscaler policy)
 * within which the group's count may be changed by `nomad job scale` or the
 * Nomad Autoscaler.
 */
export interface ScalingProps {
  /** The smallest count. @default the group's count */
  readonly min?: number;
  /** The largest count (required by Nomad). */
  readonly max: number;
  /** Whether the autoscaler acts on this policy. @default true */
  readonly enabled?: boolean;
  /** The autoscaler policy, opaque to Nomad (`evaluation_interval`, `check` blocks, …), in the autoscaler's own snake_case keys. */
  readonly policy?: Readonly<Record<string, unknown>>;
}

/** Renders the scaling block as Nomad's `ScalingPolicy` (type horizontal). */
export function renderScaling(s: ScalingProps | undefined): JsonObject | undefined {
  if (s === undefined) return undefined;
  return block({ Min: s.min, Max: s.max, Policy: jsonCopy(s.policy), Enabled: s.enabled }) ?? {};
}
