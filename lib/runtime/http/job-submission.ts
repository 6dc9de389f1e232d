/**
 * Where a job submission (register, plan, validate) goes, as Nomad's agent
 * decides it (`regionForJob` and `apiJobAndRequestToStructs` in
 * `command/agent/job_endpoint.go`), for an agent serving several regions.
 */
import type { RequestContext } from "./context";
import { multiregionOf, regionCopy } from "../structs";
import type { RegionRegistry } from "../multiregion/registry";
import { isObject } from "./request-body";

/**
 * Nomad's `regionForJob`: the region a job submission goes to (the `region`
 * parameter, else the request body's `Region`, else the job's `Region`; ""
 * and "global" mean the agent's own) and the region the job is stored
 * with. A multiregion job is stored with "global" and goes to the
 * requested region when it lists it, else to its first region.
 */
function regionForJob(
  job: Record<string, unknown>,
  queryRegion: string,
  bodyRegion: string,
  agentRegion: string,
): { requestRegion: string; jobRegion: string } {
  let request = queryRegion || bodyRegion || (typeof job.Region === "string" ? job.Region : "");
  if (request === "" || request === "global") request = agentRegion;
  const mr = multiregionOf(job);
  if (!mr) return { requestRegion: request, jobRegion: request };
  return { requestRegion: mr.Regions.some((r) => r.Name === request) ? request : mr.Regions[0].Name, jobRegion: "global" };
}

/**
 * True for the requests that submit a job: `/v1/jobs`, `/v1/job/:id`,
 * `/v1/job/:id/plan` and `/v1/validate/job` (PUT or POST). For them the
 * agent reads the region "global" as its own region; any other request
 * naming a region it does not serve finds no path.
 */
export function submitsJob(method: string, path: string): boolean {
  if (method !== "PUT" && method !== "POST") return false;
  return path === "/v1/jobs" || path === "/v1/validate/job" || /^\/v1\/job\/[^/]+(\/plan)?$/.test(path);
}

/**
 * Sends a job submission to its region (`ctx.server`) and sets the
 * submitted job's `Region` to the one it is stored with. A plan of a
 * multiregion job plans the copy of the region it goes to (Nomad's
 * `Job.Plan` interpolates the job for its region). A body that is not a
 * JSON object with a `Job` object is left to the route to refuse.
 */
export function routeJobSubmission(ctx: RequestContext, path: string, regions: RegionRegistry): void {
  let body: unknown;
  try {
    body = ctx.json();
  } catch {
    return;
  }
  if (!isObject(body) || !isObject(body.Job)) return;
  const job = body.Job;
  const { requestRegion, jobRegion } = regionForJob(
    job,
    ctx.query.get("region") ?? "",
    typeof body.Region === "string" ? body.Region : "",
    regions.home,
  );
  ctx.server = regions.serverOrThrow(requestRegion);
  job.Region = jobRegion;
  if (path.endsWith("/plan")) {
    const region = multiregionOf(job)?.Regions.find((r) => r.Name === requestRegion);
    if (region) body.Job = regionCopy(job, region);
  }
}
