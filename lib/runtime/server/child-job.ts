/**
 * The children of a job: a periodic job's launches and a parameterized job's
 * dispatches are new jobs copied from their parent, as Nomad derives them.
 */
import type { StoredJob } from "../structs";

/**
 * Copies `parent` into a new child job `childID`, written at store index
 * `index` at time `now` (nanoseconds): a fresh version 0, pending and not
 * stable, with `ParentID` set. `fields` are the fields the kind of child sets
 * over the parent's (a periodic launch clears `Periodic`; a dispatch sets
 * `Dispatched`, its meta and payload). The parent is not changed.
 */
export function newChildJob(parent: StoredJob, childID: string, index: number, now: number, fields: Record<string, unknown>): StoredJob {
  const copy = JSON.parse(JSON.stringify(parent)) as StoredJob;
  return Object.assign(copy, {
    ID: childID,
    Name: childID,
    ParentID: parent.ID,
    ...fields,
    Version: 0,
    Status: "pending",
    StatusDescription: "",
    Stable: false,
    SubmitTime: now,
    CreateIndex: index,
    ModifyIndex: index,
    JobModifyIndex: index,
  });
}
