/**
 * End-to-end: raw_exec tasks through the agent's HTTP API run real
 * processes (environment, interpolation, task dirs, logs), die by their
 * kill signal and then SIGKILL with their whole process group, restart per
 * their restart policy, and leave no zombies or descriptors behind.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { api, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { processStartTicks } from "../../../lib/runtime/drivers/raw-exec";
import { rawExecJob, taskDirOf, allocsOf } from "./jobs";

describe("raw_exec", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } }, localNode: { meta: { rack: "r7" } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const alloc = async (jobID: string) => (await allocsOf(t.address, jobID))[0];
  const full = async (id: string) => (await api(t.address, "GET", `/v1/allocation/${id}`)).body;

  it("runs a batch sh -c task with Nomad's environment and interpolation; it completes once", async () => {
    const job = rawExecJob("envjob", "batch", {
      command: "/bin/sh",
      args: [
        "-c",
        'printf "%s|%s|%s|%s|%s|%s\\n" "$NOMAD_ALLOC_ID" "$NOMAD_JOB_NAME" "$NOMAD_GROUP_NAME" "$NOMAD_META_OWNER" "$GREETING" "$1" > "$NOMAD_TASK_DIR/out.txt"; echo hello-out; echo hello-err >&2; pwd',
        "sh",
        "${node.datacenter}/${meta.rack}",
      ],
    });
    job.Meta = { owner: "ops" };
    (job.TaskGroups as any)[0].Tasks[0].Env = { GREETING: "hi ${NOMAD_TASK_NAME} on ${attr.kernel.name}" };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the batch alloc to complete", async () => {
      const x = await alloc("envjob");
      return x?.ClientStatus === "complete" ? x : null;
    });
    const dir = taskDirOf(t, a.ID, "main");
    const out = fs.readFileSync(path.join(dir, "local", "out.txt"), "utf8").trim();
    expect(out).toBe(`${a.ID}|envjob|g|ops|hi main on linux|dc1/r7`);
    const logs = path.join(path.dirname(dir), "alloc", "logs");
    expect(fs.readFileSync(path.join(logs, "main.stdout.0"), "utf8")).toBe(`hello-out\n${dir}\n`);
    expect(fs.readFileSync(path.join(logs, "main.stderr.0"), "utf8")).toBe("hello-err\n");
    const f = await full(a.ID);
    expect(f.TaskStates.main).toMatchObject({ State: "dead", Failed: false, Restarts: 0 });
    expect(f.TaskStates.main.Events.map((e: { Type: string }) => e.Type)).toEqual(["Received", "Task Setup", "Started", "Terminated"]);
    expect(f.TaskStates.main.Events[3].DisplayMessage).toBe("Exit Code: 0");
    // Ran once: no second allocation appears once the client has reported and the server has nothing left to schedule.
    await t.agent.client!.sync();
    await t.agent.server.whenIdle();
    expect(await allocsOf(t.address, "envjob")).toHaveLength(1);
  });

  it("restarts a failing service per its restart policy, then fails it with Nomad's message", async () => {
    const job = rawExecJob(
      "flaky",
      "service",
      { command: "/bin/sh", args: ["-c", "echo run >> $NOMAD_ALLOC_DIR/runs; exit 3"] },
      { Attempts: 2, Interval: 60e9, Delay: 20e6, Mode: "fail" },
    );
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the alloc to fail", async () => {
      const x = await alloc("flaky");
      return x?.ClientStatus === "failed" ? x : null;
    });
    const s = (await full(a.ID)).TaskStates.main;
    expect(s).toMatchObject({ State: "dead", Failed: true, Restarts: 2 });
    const types = s.Events.map((e: { Type: string }) => e.Type);
    expect(types.filter((x: string) => x === "Started")).toHaveLength(3);
    expect(types.filter((x: string) => x === "Restarting")).toHaveLength(2);
    expect(s.Events.find((e: { Type: string }) => e.Type === "Terminated").DisplayMessage).toBe("Exit Code: 3");
    expect(s.Events[s.Events.length - 1]).toMatchObject({
      Type: "Not Restarting",
      DisplayMessage: 'Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"',
      FailsTask: true,
    });
    const runs = fs.readFileSync(path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc", "runs"), "utf8");
    expect(runs).toBe("run\nrun\nrun\n");
  });

  it("a service that exhausts its restarts fails, and the server reschedules it per its reschedule policy", async () => {
    const job = rawExecJob(
      "resched",
      "service",
      { command: "/bin/sh", args: ["-c", "exit 4"] },
      { Attempts: 1, Interval: 60e9, Delay: 20e6, Mode: "fail" },
    );
    job.TaskGroups[0].ReschedulePolicy = { Attempts: 1, Interval: 3600e9, Delay: 5e9, DelayFunction: "constant", Unlimited: false };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const first = await waitFor("the first allocation to fail", async () => {
      const x = (await allocsOf(t.address, "resched")).find((a) => a.ClientStatus === "failed");
      return x ? full(x.ID) : null;
    });
    expect(first.TaskStates.main).toMatchObject({ Failed: true, Restarts: 1 });
    // Nomad's minimum reschedule delay is 5 s: the replacement comes after it.
    const second = await waitFor(
      "the replacement allocation",
      async () => {
        const x = (await allocsOf(t.address, "resched")).find((a) => a.ID !== first.ID);
        return x ? full(x.ID) : null;
      },
      15_000,
    );
    expect(second.PreviousAllocation).toBe(first.ID);
    expect(second.Name).toBe(first.Name);
    expect(second.RescheduleTracker.Events).toHaveLength(1);
    expect(second.RescheduleTracker.Events[0]).toMatchObject({ PrevAllocID: first.ID, PrevNodeID: first.NodeID });
    expect((await full(first.ID)).NextAllocation).toBe(second.ID);
  });

  it("restarts a service task after exit 0 too (batch tasks complete instead)", async () => {
    const job = rawExecJob(
      "svc0",
      "service",
      { command: "/bin/sh", args: ["-c", "exit 0"] },
      { Attempts: 1, Interval: 60e9, Delay: 10e6, Mode: "fail" },
    );
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the service alloc to fail", async () => {
      const x = await alloc("svc0");
      return x?.ClientStatus === "failed" ? x : null;
    });
    const s = (await full(a.ID)).TaskStates.main;
    expect(s.Restarts).toBe(1);
    expect(
      s.Events.filter((e: { Type: string }) => e.Type === "Terminated").map((e: { DisplayMessage: string }) => e.DisplayMessage),
    ).toEqual(["Exit Code: 0", "Exit Code: 0"]);
    expect(s.Events[s.Events.length - 1].DisplayMessage).toBe('Exceeded allowed attempts 1 in interval 1m0s and mode is "fail"');
  });

  it("stops with the kill signal, then SIGKILLs the whole process group after kill_timeout", async () => {
    // The shell and its child both ignore SIGINT (Nomad's default kill signal for raw_exec).
    const script = 'trap "" INT; sleep 300 & echo $! > "$NOMAD_TASK_DIR/child.pid"; echo $$ > "$NOMAD_TASK_DIR/leader.pid"; wait';
    const job = rawExecJob("stubborn", "service", { command: "/bin/sh", args: ["-c", script] });
    (job.TaskGroups as any)[0].Tasks[0].KillTimeout = 300e6;
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the task to run", async () => {
      const x = await alloc("stubborn");
      return x?.ClientStatus === "running" ? x : null;
    });
    const dir = taskDirOf(t, a.ID, "main");
    const pids = await waitFor("both pid files", () => {
      try {
        return [
          fs.readFileSync(path.join(dir, "local", "leader.pid"), "utf8"),
          fs.readFileSync(path.join(dir, "local", "child.pid"), "utf8"),
        ].map((x) => Number(x.trim()));
      } catch {
        return null;
      }
    });
    expect(pids.every((p) => processStartTicks(p) !== "")).toBe(true);
    expect((await api(t.address, "DELETE", "/v1/job/stubborn")).status).toBe(200);
    const done = await waitFor("the alloc to be complete", async () => {
      const x = await full(a.ID);
      return x.ClientStatus === "complete" ? x : null;
    });
    const events = done.TaskStates.main.Events;
    expect(events.map((e: { Type: string }) => e.Type).slice(-2)).toEqual(["Killing", "Killed"]);
    expect(events[events.length - 2].DisplayMessage).toBe("Sent interrupt. Waiting 300ms before force killing");
    expect(pids.map((p) => processStartTicks(p))).toEqual(["", ""]);
  });

  it("signals, restarts on request (not counted against the policy) and lists the pids of a running task", async () => {
    const script = 'echo $$ >> "$NOMAD_TASK_DIR/pids"; trap "echo got-hup" HUP; while true; do sleep 0.05; done';
    await api(t.address, "PUT", "/v1/jobs", { Job: rawExecJob("ctl", "service", { command: "/bin/sh", args: ["-c", script] }) });
    const a = await waitFor("the task to run", async () => {
      const x = await alloc("ctl");
      return x?.ClientStatus === "running" ? x : null;
    });
    const dir = taskDirOf(t, a.ID, "main");
    const pidFile = path.join(dir, "local", "pids");
    const first = await waitFor("the first pid", () => fs.existsSync(pidFile) && Number(fs.readFileSync(pidFile, "utf8").trim()));
    const client = t.agent.client!;
    expect(client.taskPids(a.ID, "main")[0]).toBe(first);
    await client.signalTask(a.ID, "main", "SIGHUP");
    const stdout = path.join(path.dirname(dir), "alloc", "logs", "main.stdout.0");
    await waitFor("the trap's output", () => fs.existsSync(stdout) && fs.readFileSync(stdout, "utf8").includes("got-hup"));
    await expect(client.signalTask(a.ID, "main", "SIGNOPE")).rejects.toThrow(/unknown signal/);
    await client.restartTask(a.ID, "main");
    const pids = await waitFor("a second process", () => {
      const l = fs.readFileSync(pidFile, "utf8").trim().split("\n").map(Number);
      return l.length === 2 ? l : null;
    });
    expect(processStartTicks(pids[0])).toBe("");
    const s = await waitFor("the restarted task", async () => {
      const x = (await full(a.ID)).TaskStates.main;
      return x.State === "running" && x.Restarts === 1 ? x : null;
    });
    const types = s.Events.map((e: { Type: string }) => e.Type);
    expect(types).toEqual(expect.arrayContaining(["Signaling", "Restart Signaled", "Terminated", "Restarting"]));
    expect(types[types.length - 1]).toBe("Started");
    await api(t.address, "DELETE", "/v1/job/ctl");
    await waitFor("the job's process to be gone", () => processStartTicks(pids[1]) === "");
  });

  it("fails tasks with a bad config or a missing command with a clear Driver Failure, and keeps serving", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: rawExecJob("nocmd", "batch", { args: ["x"] }) });
    await api(t.address, "PUT", "/v1/jobs", { Job: rawExecJob("missing", "batch", { command: "/definitely/not/here" }) });
    const failure = async (job: string) => {
      const a = await waitFor(`${job} to fail`, async () => {
        const x = await alloc(job);
        return x?.ClientStatus === "failed" ? x : null;
      });
      return (await full(a.ID)).TaskStates.main.Events.find((e: { Type: string }) => e.Type === "Driver Failure").DisplayMessage;
    };
    expect(await failure("nocmd")).toBe('raw_exec config: "command" must be a non-empty string');
    expect(await failure("missing")).toMatch(/^failed to launch command with executor: spawn \/definitely\/not\/here ENOENT/);
    expect((await api(t.address, "GET", "/v1/agent/self")).status).toBe(200);
  });

  it('filters a node without the driver out with "missing drivers"', async () => {
    const other = await startTestAgent({});
    try {
      const reg = await api(other.address, "PUT", "/v1/jobs", { Job: rawExecJob("nodriver", "batch", { command: "/bin/true" }) });
      const ev = await waitFor("the eval to finish", async () => {
        const e = (await api(other.address, "GET", `/v1/evaluation/${reg.body.EvalID}`)).body;
        return e.Status === "complete" ? e : null;
      });
      expect(ev.FailedTGAllocs.g).toMatchObject({ NodesEvaluated: 1, NodesFiltered: 1 });
      expect(ev.FailedTGAllocs.g.ConstraintFiltered).toEqual({ "missing drivers": 1 });
      const node = (await api(other.address, "GET", `/v1/node/${other.agent.localNodeID}`)).body;
      expect(node.Drivers.raw_exec).toMatchObject({ Detected: false, Healthy: false, HealthDescription: "disabled" });
      expect(node.Attributes["driver.raw_exec"]).toBeUndefined();
    } finally {
      await other.stop();
    }
  });
});
