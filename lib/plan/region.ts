/**
 * Nomad's "global" region: a job that says "global" (or nothing) goes to the
 * region of the agent it is sent to (`command/agent/job_endpoint.go`
 * `regionForJob`), so requests for it carry no region.
 */

/** The region Nomad's agent uses for a job without one of its own. */
export const GLOBAL_REGION = "global";

/** The region to send with a request about a job of region `region`: undefined for "global", empty or none (the agent's own). */
export function requestRegion(region: unknown): string | undefined {
  return typeof region === "string" && region !== "" && region !== GLOBAL_REGION ? region : undefined;
}
