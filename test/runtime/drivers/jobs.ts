/** Job builders and lookups shared by the driver tests. */
import * as path from "node:path";
import { api, type TestAgent } from "../../helpers/runtime";
import { AllocDirLayout } from "../../../lib/runtime/client/alloc-dir";

/** A one-task job (group "g", task "main") for a real driver. */
export function rawExecJob(id: string, type: string, config: Record<string, unknown>, restart?: Record<string, unknown>, driver = "raw_exec"): Record<string, any> {
  return {
    ID: id,
    Name: id,
    Type: type,
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "g",
        Count: 1,
        RestartPolicy: restart ?? { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: "fail" },
        ReschedulePolicy: { Attempts: 0, Unlimited: false },
        Tasks: [{ Name: "main", Driver: driver, Config: config, KillTimeout: 2e9, Resources: { CPU: 20, MemoryMB: 32 } }],
      },
    ],
  };
}

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
