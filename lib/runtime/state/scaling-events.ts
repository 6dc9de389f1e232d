/** Scaling events of task groups (Nomad's `state_store.go` scaling event functions). */
import { nsKey, type ScalingEvent, type StateTables } from "./schema";

/** Nomad keeps this many scaling events per group (`structs.JobTrackedScalingEvents`). */
export const JOB_TRACKED_SCALING_EVENTS = 20;

/** Scaling events of a job by group. */
export function scalingEventsOf(t: StateTables, namespace: string, jobID: string): Record<string, ScalingEvent[]> {
  return t.scaling_event.get(nsKey(namespace, jobID))?.Groups ?? {};
}

/** Records a scaling event of a group, keeping the newest 20. */
export function applyScalingEvent(t: StateTables, namespace: string, jobID: string, group: string, ev: ScalingEvent): void {
  let row = t.scaling_event.get(nsKey(namespace, jobID));
  if (!row) t.scaling_event.put((row = { Namespace: namespace, JobID: jobID, Groups: {} }));
  const list = (row.Groups[group] ??= []);
  list.unshift(ev);
  if (list.length > JOB_TRACKED_SCALING_EVENTS) list.length = JOB_TRACKED_SCALING_EVENTS;
}
