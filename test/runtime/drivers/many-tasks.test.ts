/**
 * End-to-end: 200 short raw_exec batch tasks run to completion and leave no
 * zombie children, no processes and no open descriptors behind.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { api, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { openFds, processesUnder, zombieChildren } from "../../helpers/proc";
import { allocsOf } from "./jobs";

describe("many short raw_exec tasks", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } }, localNode: { cpuMHz: 1_000_000, memoryMB: 1_000_000 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("runs 200 tasks through with no leaked processes, zombies or descriptors, keeping the newest 50 allocation dirs", async () => {
    const clientDir = t.agent.client!.clientDir;
    const before = openFds();
    const task = (name: string) => ({
      Name: name,
      Driver: "raw_exec",
      Config: { command: "/bin/sh", args: ["-c", "echo $NOMAD_ALLOC_INDEX $NOMAD_TASK_NAME"] },
      Resources: { CPU: 10, MemoryMB: 10 },
    });
    const job = {
      ID: "many",
      Name: "many",
      Type: "batch",
      Datacenters: ["dc1"],
      TaskGroups: [
        { Name: "g", Count: 100, RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: "fail" }, Tasks: [task("a"), task("b")] },
      ],
    };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const done = await waitFor(
      "100 complete allocations",
      async () => {
        const l = await allocsOf(t.address, "many");
        return l.length === 100 && l.every((a) => a.ClientStatus === "complete" || a.ClientStatus === "failed") ? l : null;
      },
      60_000,
      100,
    );
    expect(done.filter((a) => a.ClientStatus !== "complete")).toEqual([]);
    await waitFor("no zombie children", () => zombieChildren().length === 0, 10_000);
    expect(processesUnder(clientDir)).toEqual([]);
    const after = await waitFor(
      "descriptors back to the start",
      () => {
        const now = openFds();
        return now.length <= before.length + 10 ? now : null;
      },
      10_000,
    );
    expect(after.filter((f) => f.startsWith(clientDir))).toEqual([]);
    // Nomad's gc_max_allocs (50): older terminal allocations' directories are removed.
    await waitFor("50 allocation dirs", () => fs.readdirSync(path.join(clientDir, "alloc")).length === 50, 10_000);
  });
});
