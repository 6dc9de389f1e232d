/**
 * Finding what a status command names by a unique ID prefix, as Nomad's CLI
 * does: an exact ID wins, one prefix match is taken, several are listed and
 * refused, none is an error.
 */
import type { CommandIO } from "../command";
import type { AllocationListStub, JobListStub, NomadClient } from "../../api";
import { reportError } from "../report-error";
import { formatList, shortID } from "./status-format";
import { renderJobList } from "./status-job";

/** A lookup that found nothing or too much; the message is for the user (exit code 1). */
export class LookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LookupError";
  }
}

/**
 * Reports a status command's failure and returns its exit code: a failed
 * lookup prints its message alone (as Nomad's CLI does) and exits 1, other
 * errors are reported as `reportError` does for `command`.
 */
export function reportStatusError(err: unknown, io: CommandIO, command: string): number {
  if (!(err instanceof LookupError)) return reportError(err, io, command);
  io.err.write(`${err.message}\n`);
  return 1;
}

/** The job whose ID is `idOrPrefix` or uniquely starts with it. */
export async function resolveJob(client: NomadClient, idOrPrefix: string): Promise<JobListStub> {
  const jobs = (await client.jobs.list({ prefix: idOrPrefix })).data;
  const exact = jobs.find((j) => j.ID === idOrPrefix);
  if (exact) return exact;
  if (jobs.length === 0) throw new LookupError(`No job(s) with prefix or ID "${idOrPrefix}" found`);
  if (jobs.length > 1) throw new LookupError(`Prefix matched multiple jobs\n\n${renderJobList(jobs, false).trimEnd()}`);
  return jobs[0];
}

/** The allocation whose ID is `idOrPrefix` or uniquely starts with it (at least two characters, as Nomad requires). */
export async function resolveAlloc(client: NomadClient, idOrPrefix: string): Promise<AllocationListStub> {
  if (idOrPrefix.length < 2) throw new LookupError("Alloc ID must contain at least two characters.");
  const allocs = (await client.allocations.list({ prefix: idOrPrefix, taskStates: false })).data;
  const exact = allocs.find((a) => a.ID === idOrPrefix);
  if (exact) return exact;
  if (allocs.length === 0) throw new LookupError(`No allocation(s) with prefix or id "${idOrPrefix}" found`);
  if (allocs.length > 1) {
    const rows = ["ID|Node ID|Task Group|Version|Desired|Status"];
    for (const a of allocs)
      rows.push(`${shortID(a.ID)}|${shortID(a.NodeID)}|${a.TaskGroup}|${a.JobVersion}|${a.DesiredStatus}|${a.ClientStatus}`);
    throw new LookupError(`Prefix matched multiple allocations\n\n${formatList(rows)}`);
  }
  return allocs[0];
}
