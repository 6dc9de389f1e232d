/**
 * The task runner's `exec` (Nomad's `TaskRunner.Exec`, used by template
 * change scripts): through the driver while the task runs; "Task not
 * running" otherwise; and the refusal of a driver that cannot run commands
 * in a task, as Nomad's drivers without `ExecTask` answer.
 */
import type { TaskConfig } from "../../../lib/runtime/drivers/driver";
import { MockDriver } from "../../../lib/runtime/drivers/mock";
import { TaskRunner, type TaskRunnerHost } from "../../../lib/runtime/client/task-runner";

function host(): TaskRunnerHost {
  return {
    nowMs: () => Date.now(),
    changed: () => {},
    prepare: async (spec, n): Promise<TaskConfig> => ({
      id: `a1/${spec.Name}/${n}`,
      name: spec.Name,
      allocID: "a1",
      allocName: "j.g[0]",
      jobID: "j",
      groupName: "g",
      namespace: "default",
      config: spec.Config ?? {},
      env: {},
      user: "",
      dirs: null,
      logs: { stdoutPath: null, stderrPath: null, write: () => {} },
      resources: { cpuMHz: 100, memoryMB: 64, memoryMaxMB: 0 },
      ports: [],
    }),
    persist: () => {},
    waitForTemplateChange: () => Promise.resolve(),
  };
}

const policy = { attempts: 0, intervalMs: 60_000, delayMs: 10, mode: "fail" };

async function running(r: TaskRunner): Promise<void> {
  for (let i = 0; i < 200 && r.state.State !== "running"; i++) await new Promise((res) => setTimeout(res, 5));
  expect(r.state.State).toBe("running");
}

describe("TaskRunner.exec", () => {
  it("runs through the driver while the task runs, and refuses once it is dead", async () => {
    const r = new TaskRunner(
      host(),
      { Name: "web", Driver: "mock_driver", Config: { run_for: "1h" }, KillTimeout: 1e6 },
      new MockDriver(),
      policy,
      "service",
    );
    await expect(r.exec(1000, ["true"])).rejects.toThrow("Task not running");
    r.begin();
    await running(r);
    expect((await r.exec(1000, ["true"])).exitCode).toBe(0);
    await r.kill();
    await expect(r.exec(1000, ["true"])).rejects.toThrow("Task not running");
  });

  it("a driver that cannot run commands in a task is refused with Nomad's wording", async () => {
    const driver = new MockDriver();
    Object.defineProperty(driver, "exec", { value: undefined });
    const r = new TaskRunner(
      host(),
      { Name: "web", Driver: "mock_driver", Config: { run_for: "1h" }, KillTimeout: 1e6 },
      driver,
      policy,
      "service",
    );
    r.begin();
    await running(r);
    await expect(r.exec(1000, ["true"])).rejects.toThrow("mock_driver driver can't execute commands");
    await r.kill();
  });
});
