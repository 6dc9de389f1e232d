/**
 * Canaries of a deployment, read from its per-group state the way Nomad's
 * deployment watcher reads them: a group with `DesiredCanaries > 0` that is
 * not `Promoted` holds its rollout until its canaries are healthy and it is
 * promoted, by hand (`nomad job promote`) or, when every such group sets
 * `auto_promote`, by the watcher.
 */
import type { AllocationListStub, Deployment, DeploymentState } from "../api";

/** The canary state of one group that has canaries. */
export interface CanaryGroupState {
  /** Group name. */
  group: string;
  /** Canaries wanted. */
  desired: number;
  /** Canaries placed. */
  placed: number;
  /**
   * Healthy canaries: from the canary allocations' deployment health when
   * `canaryStatus` is given the deployment's allocations, else the group's
   * HealthyAllocs (before promotion Nomad places only canaries for the
   * deployment, so that counts healthy canaries too).
   */
  healthy: number;
  /** Unhealthy canaries, counted the same way. */
  unhealthy: number;
  /** Already promoted. */
  promoted: boolean;
  /** The group's update block sets `auto_promote`. */
  autoPromote: boolean;
}

/** What a deployment's canaries wait for. */
export type CanaryPhase =
  /** No group has unpromoted canaries. */
  | "none"
  /** Some unpromoted canaries are not yet placed or healthy. */
  | "placing"
  /** Every unpromoted canary is healthy and some group needs a manual promotion. */
  | "awaiting-promotion"
  /** Every unpromoted canary is healthy and every such group auto-promotes: the watcher will promote. */
  | "auto-promoting";

/** The canary state of a deployment. */
export interface CanaryStatus {
  /** The phase. */
  phase: CanaryPhase;
  /** The groups that have canaries (promoted or not), by name. */
  groups: CanaryGroupState[];
  /** The groups still waiting for promotion. */
  unpromoted: string[];
}

function groupState(group: string, s: DeploymentState, health: Map<string, boolean | null> | undefined): CanaryGroupState {
  const placed = s.PlacedCanaries ?? [];
  const count = (want: boolean) => placed.filter((id) => health?.get(id) === want).length;
  return {
    group,
    desired: s.DesiredCanaries,
    placed: placed.length,
    healthy: health ? count(true) : s.HealthyAllocs,
    unhealthy: health ? count(false) : s.UnhealthyAllocs,
    promoted: s.Promoted,
    autoPromote: s.AutoPromote === true,
  };
}

/** True when the group's canaries are all placed and healthy. */
export function canariesHealthy(g: CanaryGroupState): boolean {
  return g.placed >= g.desired && g.healthy >= g.desired;
}

/**
 * Reads the canary state of a deployment. With `allocations` (the
 * deployment's, from `/v1/deployment/allocations/:id`), canaries count as
 * healthy by their own deployment health, which is what Nomad checks before
 * it promotes; without, by the groups' counters.
 */
export function canaryStatus(d: Deployment, allocations?: AllocationListStub[]): CanaryStatus {
  const health = allocations ? new Map(allocations.map((a) => [a.ID, a.DeploymentStatus?.Healthy ?? null] as const)) : undefined;
  const groups = Object.entries(d.TaskGroups ?? {})
    .filter(([, s]) => s.DesiredCanaries > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, s]) => groupState(name, s, health));
  const waiting = groups.filter((g) => !g.promoted);
  let phase: CanaryPhase = "none";
  if (waiting.length) {
    if (!waiting.every(canariesHealthy)) phase = "placing";
    else phase = waiting.every((g) => g.autoPromote) ? "auto-promoting" : "awaiting-promotion";
  }
  return { phase, groups, unpromoted: waiting.map((g) => g.group) };
}

/** `web 1/1, api 2/2`: healthy canaries per group. */
export function formatCanaryGroups(groups: CanaryGroupState[]): string {
  return groups.map((g) => `${g.group} ${Math.min(g.healthy, g.desired)}/${g.desired}`).join(", ");
}

/**
 * The message shown when a deployment stops at its canaries, e.g.
 * `1 canary healthy (web 1/1); promote with \`drover job promote web\``.
 */
export function awaitingPromotionMessage(jobId: string, status: CanaryStatus): string {
  const waiting = status.groups.filter((g) => !g.promoted);
  const n = waiting.reduce((sum, g) => sum + g.desired, 0);
  return `${n} ${n === 1 ? "canary" : "canaries"} healthy (${formatCanaryGroups(waiting)}); promote with \`drover job promote ${jobId}\``;
}
