/**
 * The mock driver's answer to a command run inside a task (Nomad's mock
 * `ExecTask`): at once, exit code 0, its output naming the task and the
 * command; a task that is not running is refused.
 */
import type { TaskConfig } from "../../../lib/runtime/drivers/driver";
import { MockDriver } from "../../../lib/runtime/drivers/mock";

function mockTask(id: string, config: Record<string, unknown>): TaskConfig {
  return {
    id,
    name: "web",
    allocID: "a1",
    allocName: "j.g[0]",
    jobID: "j",
    groupName: "g",
    namespace: "default",
    config,
    env: {},
    user: "",
    dirs: null,
    logs: { stdoutPath: null, stderrPath: null, write: () => {} },
    resources: { cpuMHz: 100, memoryMB: 64, memoryMaxMB: 0 },
    ports: [],
  };
}

describe("mock_driver exec", () => {
  it("answers at once with exit code 0 and Nomad's Exec(...) output; refuses a task that is gone", async () => {
    const d = new MockDriver();
    await d.start(mockTask("t1", { run_for: "1h" }));
    const r = await d.exec("t1", ["/bin/reload", "-now"]);
    expect(r.exitCode).toBe(0);
    expect(r.output.toString()).toBe('Exec("web", ["/bin/reload" "-now"])');
    await d.stop("t1", 0, "SIGINT");
    await expect(d.exec("t1", ["x"])).rejects.toThrow("task not found for given id");
    await d.destroy("t1");
    await expect(d.exec("t1", ["x"])).rejects.toThrow("task not found for given id");
  });
});
