/** Job builders and lookups shared by the driver tests. */
import * as path from "node:path";
import { api, type TestAgent } from "../../helpers/runtime";
import { AllocDirLayout } from "../../../lib/runtime/client/alloc-dir";

/** Re-exported for the driver tests: the one-task job builder lives with the other test helpers. */
export { rawExecJob } from "../../helpers/runtime";

/** The allocations of a job (stubs). */
export async function allocsOf(address: string, jobID: string): Promise<{ ID: string; ClientStatus: string; DesiredStatus: string }[]> {
  return (await api(address, "GET", `/v1/job/${jobID}/allocations`)).body;
}

/** A task's directory on an in-process agent's local node. */
export function taskDirOf(t: TestAgent, allocID: string, task: string): string {
  const clientDir = t.agent.client!.clientDir;
  return new AllocDirLayout(clientDir, allocID).taskDir(task);
}

/** The allocation directory of a task dir. */
export function allocDirOf(taskDir: string): string {
  return path.dirname(taskDir);
}
