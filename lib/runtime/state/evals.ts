/** Evaluations (Nomad's `state_store.go` evaluation functions). */
import type { Evaluation } from "../structs";
import { nsKey, type StateTables } from "./schema";

/** Evaluations of a job. */
export function evalsOfJob(t: StateTables, namespace: string, jobID: string): Evaluation[] {
  return [...t.evals.index("job").get(nsKey(namespace, jobID))];
}
