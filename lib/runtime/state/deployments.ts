/** Deployments (Nomad's `state_store.go` deployment functions). */
import type { Allocation, Deployment } from "../structs";

/**
 * The deployment with its counters moved for one allocation write, as
 * Nomad's state store does (`updateDeploymentWithAlloc`): a new allocation
 * counts as placed, a health decision as healthy or unhealthy, and the
 * progress deadline is pushed out. Null when nothing changes.
 */
export function deploymentWithAlloc(
  d: Deployment,
  existing: Allocation | undefined,
  a: Allocation,
): { next: Deployment; healthChanged: boolean } | null {
  const state = d.TaskGroups[a.TaskGroup];
  if (!state) return null;
  let placed = 0;
  let healthy = 0;
  let unhealthy = 0;
  if (!existing || existing.DeploymentID !== a.DeploymentID) placed = 1;
  const was = existing?.DeploymentID === a.DeploymentID ? existing.DeploymentStatus?.Healthy : undefined;
  const now = a.DeploymentStatus?.Healthy;
  if (now === true && was !== true) healthy = 1;
  if (now === false && was !== false) unhealthy = 1;
  if (!placed && !healthy && !unhealthy) return null;
  // RequireProgressBy: the first placement plus the progress deadline, pushed out by every healthy allocation.
  let requireBy = state.RequireProgressBy;
  if (state.ProgressDeadline > 0) {
    const zero = !requireBy || requireBy.startsWith("0001-");
    const baseMs = healthy && a.DeploymentStatus?.Timestamp ? Date.parse(a.DeploymentStatus.Timestamp) : a.ModifyTime / 1_000_000;
    const candidate = new Date(baseMs + state.ProgressDeadline / 1_000_000).toISOString();
    if ((placed && zero) || (healthy && (zero || candidate > requireBy))) requireBy = candidate;
  }
  const next = {
    ...d,
    TaskGroups: {
      ...d.TaskGroups,
      [a.TaskGroup]: {
        ...state,
        RequireProgressBy: requireBy,
        PlacedAllocs: state.PlacedAllocs + placed,
        HealthyAllocs: state.HealthyAllocs + healthy,
        UnhealthyAllocs: state.UnhealthyAllocs + unhealthy,
      },
    },
  };
  return { next, healthChanged: healthy + unhealthy > 0 };
}
