/** The client's alloc runner with the mock driver: task states, events, restarts and deployment health. */
import { AllocRunner } from "../../../lib/runtime/client/alloc-runner";
import { MockDriver, parseMockConfig } from "../../../lib/runtime/drivers/mock";
import type { ClientAllocUpdate } from "../../../lib/runtime/server/node-endpoint";
import type { Allocation, StoredJob } from "../../../lib/runtime/structs";

function allocFor(type: string, config: Record<string, unknown>, group: Record<string, unknown> = {}, deploymentID = ""): Allocation {
  const job = {
    ID: "j",
    Namespace: "default",
    Type: type,
    Version: 0,
    TaskGroups: [{ Name: "g", Tasks: [{ Name: "t", Driver: "mock_driver", Config: config, KillTimeout: 50_000_000 }], ...group }],
  } as unknown as StoredJob;
  return { ID: "a1", Job: job, TaskGroup: "g", DeploymentID: deploymentID, DeploymentStatus: null } as unknown as Allocation;
}

function run(alloc: Allocation): { updates: ClientAllocUpdate[]; runner: AllocRunner; last: () => ClientAllocUpdate } {
  const updates: ClientAllocUpdate[] = [];
  const runner = new AllocRunner(alloc, new Map([["mock_driver", new MockDriver()]]), (u) => updates.push(u));
  runner.run();
  return { updates, runner, last: () => updates[updates.length - 1] };
}

const until = async (what: string, fn: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

const types = (u: ClientAllocUpdate) => (u.TaskStates?.t.Events ?? []).map((e) => e.Type);

describe("mock driver config", () => {
  it("parses Go durations and numbers, and names the key of a bad value", () => {
    expect(parseMockConfig({ run_for: "1m30s", exit_code: 2, kill_after: "250ms" })).toMatchObject({
      runForMs: 90_000,
      exitCode: 2,
      killAfterMs: 250,
    });
    expect(parseMockConfig({}).runForMs).toBe(0);
    expect(() => parseMockConfig({ run_for: "soon" })).toThrow(/run_for/);
    expect(() => parseMockConfig({ exit_code: "x" })).toThrow(/exit_code/);
  });
});

describe("AllocRunner", () => {
  it("runs a batch task to completion: pending → running → complete", async () => {
    const r = run(allocFor("batch", { run_for: "20ms" }));
    await until("complete", () => r.last()?.ClientStatus === "complete");
    expect(r.updates.map((u) => u.ClientStatus)).toContain("running");
    expect(types(r.last())).toEqual(["Received", "Task Setup", "Started", "Terminated"]);
    expect(r.last().TaskStates?.t).toMatchObject({ State: "dead", Failed: false });
  });

  it("fails on an unrecoverable start error", async () => {
    const r = run(allocFor("batch", { start_error: "no such image" }));
    await until("failed", () => r.last()?.ClientStatus === "failed");
    expect(types(r.last())).toEqual(["Received", "Task Setup", "Driver Failure", "Not Restarting"]);
    expect(r.last().TaskStates?.t.Events[2].DisplayMessage).toBe("no such image");
  });

  it("restarts per the restart policy, then gives up with Nomad's message", async () => {
    const r = run(
      allocFor("service", { run_for: "5ms", exit_code: 1 }, { RestartPolicy: { Attempts: 2, Interval: 60e9, Delay: 10e6, Mode: "fail" } }),
    );
    await until("failed", () => r.last()?.ClientStatus === "failed");
    const s = r.last().TaskStates?.t;
    expect(s?.Restarts).toBe(2);
    const last = s?.Events[s.Events.length - 1];
    expect(last?.Type).toBe("Not Restarting");
    expect(last?.DisplayMessage).toBe('Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"');
  });

  it("reports deployment health after min_healthy_time of every task running", async () => {
    const r = run(allocFor("service", { run_for: "1h" }, { Update: { HealthCheck: "task_states", MinHealthyTime: 30e6 } }, "d1"));
    await until("running", () => r.last()?.ClientStatus === "running");
    expect(r.last().DeploymentStatus ?? null).toBeNull();
    await until("healthy", () => r.last()?.DeploymentStatus?.Healthy === true);
    r.runner.destroy();
  });

  it("kills tasks on stop with Killing and Killed events and reports complete", async () => {
    const r = run(allocFor("service", { run_for: "1h", kill_after: "10ms" }));
    await until("running", () => r.last()?.ClientStatus === "running");
    r.runner.stop();
    await until("complete", () => r.last()?.ClientStatus === "complete");
    expect(types(r.last()).slice(-2)).toEqual(["Killing", "Killed"]);
  });
});
