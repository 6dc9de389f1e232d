/**
 * The alloc runner's task lifecycle with mock tasks: prestart (ephemeral and
 * sidecar), poststart and poststop hooks, leader tasks, sibling failure,
 * mock output to log files (created only when written) or memory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AllocRunner } from "../../../lib/runtime/client/alloc-runner";
import { MockDriver } from "../../../lib/runtime/drivers/mock";
import type { ClientAllocUpdate } from "../../../lib/runtime/server/node-endpoint";
import type { Allocation, StoredJob, TaskEvent } from "../../../lib/runtime/structs";

interface T {
  name: string;
  config: Record<string, unknown>;
  hook?: string;
  sidecar?: boolean;
  leader?: boolean;
}

function allocOf(type: string, tasks: T[], id = "a1"): Allocation {
  const job = {
    ID: "j",
    Namespace: "default",
    Type: type,
    Version: 0,
    TaskGroups: [
      {
        Name: "g",
        RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 10e6, Mode: "fail" },
        Tasks: tasks.map((t) => ({
          Name: t.name,
          Driver: "mock_driver",
          Config: t.config,
          KillTimeout: 20e6,
          Leader: t.leader ?? false,
          Lifecycle: t.hook ? { Hook: t.hook, Sidecar: t.sidecar ?? false } : null,
        })),
      },
    ],
  } as unknown as StoredJob;
  return {
    ID: id,
    Name: "j.g[0]",
    Namespace: "default",
    JobID: "j",
    Job: job,
    TaskGroup: "g",
    DeploymentID: "",
    DeploymentStatus: null,
    TaskStates: null,
  } as unknown as Allocation;
}

function run(alloc: Allocation, opts: ConstructorParameters<typeof AllocRunner>[3] = {}) {
  const updates: ClientAllocUpdate[] = [];
  const runner = new AllocRunner(alloc, new Map([["mock_driver", new MockDriver()]]), (u) => updates.push(u), opts);
  runner.run();
  const last = () => updates[updates.length - 1];
  return { runner, updates, last };
}

const until = async (what: string, fn: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

const startedAt = (u: ClientAllocUpdate, task: string) => {
  const e = u.TaskStates?.[task].Events.find((x: TaskEvent) => x.Type === "Started");
  return e ? e.Time : Infinity;
};
const types = (u: ClientAllocUpdate, task: string) => (u.TaskStates?.[task].Events ?? []).map((e) => e.Type);

describe("task lifecycle", () => {
  it("runs prestart before main, poststart after main started, poststop after everything; sidecars are killed when main ends", async () => {
    const r = run(
      allocOf("batch", [
        { name: "init", hook: "prestart", config: { run_for: "30ms" } },
        { name: "side", hook: "prestart", sidecar: true, config: { run_for: "1h" } },
        { name: "main", config: { run_for: "60ms" } },
        { name: "after", hook: "poststart", config: { run_for: "5ms" } },
        { name: "cleanup", hook: "poststop", config: { run_for: "5ms" } },
      ]),
    );
    await until("complete", () => r.last()?.ClientStatus === "complete");
    const u = r.last();
    for (const t of ["init", "side", "main", "after", "cleanup"]) expect(u.TaskStates?.[t]).toMatchObject({ State: "dead", Failed: false });
    // main waited for the ephemeral prestart task to finish.
    const initDone = u.TaskStates!.init.Events.find((e) => e.Type === "Terminated")!.Time;
    expect(startedAt(u, "main")).toBeGreaterThanOrEqual(initDone);
    expect(startedAt(u, "after")).toBeGreaterThanOrEqual(startedAt(u, "main"));
    expect(types(u, "side")).toEqual(["Received", "Task Setup", "Started", "Main Tasks Dead", "Killing", "Killed"]);
    expect(u.TaskStates!.side.Events[3].DisplayMessage).toBe("Main tasks in the group died");
    const sideKilled = u.TaskStates!.side.Events[5].Time;
    expect(startedAt(u, "cleanup")).toBeGreaterThanOrEqual(sideKilled);
    // Ephemeral hooks never restart after a successful exit.
    expect(u.TaskStates!.init.Restarts).toBe(0);
  });

  it("a failed prestart task fails the allocation: main never starts, poststop still runs", async () => {
    const r = run(
      allocOf("service", [
        { name: "init", hook: "prestart", config: { run_for: "5ms", exit_code: 2 } },
        { name: "main", config: { run_for: "1h" } },
        { name: "cleanup", hook: "poststop", config: { run_for: "5ms" } },
      ]),
    );
    await until("failed and cleanup done", () => r.last()?.ClientStatus === "failed" && r.last()?.TaskStates?.cleanup.State === "dead");
    const u = r.last();
    expect(u.TaskStates!.init).toMatchObject({ State: "dead", Failed: true });
    expect(types(u, "main")).not.toContain("Started");
    expect(types(u, "main")).toContain("Sibling Task Failed");
    expect(u.TaskStates!.main.Events.find((e) => e.Type === "Sibling Task Failed")!.DisplayMessage).toBe('Task\'s sibling "init" failed');
    expect(types(u, "cleanup")).toContain("Started");
  });

  it("the leader's exit kills the other tasks with Leader Task Dead", async () => {
    const r = run(
      allocOf("batch", [
        { name: "lead", leader: true, config: { run_for: "20ms" } },
        { name: "helper", config: { run_for: "1h" } },
      ]),
    );
    await until("complete", () => r.last()?.ClientStatus === "complete");
    expect(types(r.last(), "helper")).toEqual(["Received", "Task Setup", "Started", "Leader Task Dead", "Killing", "Killed"]);
    expect(r.last().TaskStates!.helper.Events[3].DisplayMessage).toBe("Leader Task in Group dead");
  });

  it("a failing main task kills its running sibling (Sibling Task Failed) and fails the allocation", async () => {
    const r = run(
      allocOf("service", [
        { name: "bad", config: { run_for: "20ms", exit_code: 1 } },
        { name: "good", config: { run_for: "1h" } },
      ]),
    );
    await until("failed", () => r.last()?.ClientStatus === "failed" && r.last()?.TaskStates?.good.State === "dead");
    expect(types(r.last(), "good").slice(-3)).toEqual(["Sibling Task Failed", "Killing", "Killed"]);
    expect(r.last().TaskStates!.bad.Events.at(-1)).toMatchObject({ Type: "Not Restarting", DisplayMessage: "Policy allows no restarts" });
  });
});

describe("restarting the whole allocation (nomad alloc restart -all-tasks)", () => {
  const tasks: T[] = [
    { name: "init", hook: "prestart", config: { run_for: "20ms" } },
    { name: "main", config: { run_for: "1h" } },
    { name: "after", hook: "poststart", config: { run_for: "5ms" } },
    { name: "cleanup", hook: "poststop", config: { run_for: "5ms" } },
  ];
  const started = (u: ClientAllocUpdate, task: string) =>
    (u.TaskStates?.[task].Events ?? []).filter((e) => e.Type === "Started").map((e) => e.Time);
  const settled = (u: ClientAllocUpdate | undefined, runs: number) =>
    !!u &&
    u.ClientStatus === "running" &&
    started(u, "main").length === runs &&
    u.TaskStates?.main.State === "running" &&
    ["init", "after"].every((t) => u.TaskStates?.[t].State === "dead" && started(u, t).length === runs);

  it("runs the completed prestart and poststart tasks again, in lifecycle order, and restarts main; poststop stays for the end", async () => {
    const r = run(allocOf("service", tasks));
    await until("running, hooks done", () => settled(r.last(), 1));
    await r.runner.restartAll("User requested all tasks to restart");
    await until("the second run", () => settled(r.last(), 2));
    const u = r.last();
    for (const t of ["init", "main", "after"]) {
      expect(u.TaskStates![t].Restarts).toBe(1);
      const signaled = u.TaskStates![t].Events.find((e) => e.Type === "Restart Signaled");
      expect(signaled?.RestartReason).toBe("User requested all tasks to restart");
    }
    // The lifecycle ran again: main started after init's second run ended, poststart after main's second start.
    const initSecondEnd = u.TaskStates!.init.Events.filter((e) => e.Type === "Terminated").at(-1)!.Time;
    expect(started(u, "main")[1]).toBeGreaterThanOrEqual(initSecondEnd);
    expect(started(u, "after")[1]).toBeGreaterThanOrEqual(started(u, "main")[1]);
    expect(u.TaskStates!.cleanup).toMatchObject({ State: "pending", Restarts: 0 });
    r.runner.stop();
    await until("stopped", () => r.last()?.TaskStates?.cleanup.State === "dead");
  });

  it("restarting only the running tasks leaves completed hooks alone", async () => {
    const r = run(allocOf("service", tasks), {});
    await until("running, hooks done", () => settled(r.last(), 1));
    await Promise.all(
      r.runner.taskRunners.filter((t) => t.state.State === "running").map((t) => t.restart("User requested running tasks to restart")),
    );
    await until("main again", () => started(r.last(), "main").length === 2 && r.last().TaskStates?.main.State === "running");
    expect(r.last().TaskStates!.init.Restarts).toBe(0);
    expect(started(r.last(), "init")).toHaveLength(1);
    r.runner.stop();
    await until("stopped", () => r.last()?.TaskStates?.cleanup.State === "dead");
  });

  it("refuses an allocation that is stopping", async () => {
    const r = run(allocOf("service", tasks));
    await until("running, hooks done", () => settled(r.last(), 1));
    r.runner.stop();
    await expect(r.runner.restartAll("x")).rejects.toThrow("restart of an alloc that should not run");
    await until("stopped", () => r.last()?.TaskStates?.cleanup.State === "dead");
  });
});

describe("unsupported task features", () => {
  it("fails a task whose artifact uses a getter drover lacks with a Failed Artifact Download event that says why", async () => {
    const alloc = allocOf("batch", [{ name: "fetch", config: { run_for: "1ms" } }]);
    (alloc.Job.TaskGroups as any)[0].Tasks[0].Artifacts = [{ GetterSource: "s3::https://bucket.example/app.tgz" }];
    const r = run(alloc);
    await until("failed", () => r.last()?.ClientStatus === "failed");
    const ev = r.last().TaskStates!.fetch.Events;
    expect(ev.map((e) => e.Type)).toEqual([
      "Received",
      "Task Setup",
      "Downloading Artifacts",
      "Failed Artifact Download",
      "Not Restarting",
    ]);
    expect(ev[2].DisplayMessage).toBe("Client is downloading artifacts");
    expect(ev[3].DisplayMessage).toMatch(/^failed to download artifact "s3::https:\/\/bucket.example\/app.tgz": .*not supported by drover/);
    expect(ev[3].DownloadError).toBe(ev[3].DisplayMessage);
  });
});

describe("templates", () => {
  it('a template that cannot be rendered kills and fails the task with Nomad\'s "Template failed" message', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "drover-tmpl-"));
    try {
      const alloc = allocOf("batch", [{ name: "web", config: { run_for: "1ms" } }]);
      (alloc.Job.TaskGroups as any)[0].Tasks[0].Templates = [{ DestPath: "local/x.conf", EmbeddedTmpl: '{{ key "app/config" }}' }];
      const r = run(alloc, { clientDir: () => root });
      await until("failed", () => r.last()?.ClientStatus === "failed");
      const ev = r.last().TaskStates!.web.Events;
      expect(ev.map((e) => e.Type)).toEqual(["Received", "Task Setup", "Killing"]);
      expect(ev[2].DisplayMessage).toBe(
        'Template failed: template "local/x.conf": template: local/x.conf:1: executing "local/x.conf" at line 1: error calling key: Consul is not configured on this agent',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("mock task output", () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "drover-mocklogs-"));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("goes to the task's log file (repeated per stdout_repeat), and tasks without output create no files", async () => {
    const r = run(
      allocOf("batch", [
        { name: "talker", config: { run_for: "80ms", stdout_string: "tick\n", stdout_repeat: 2, stdout_repeat_duration: "10ms" } },
        { name: "quiet", config: { run_for: "10ms" } },
      ]),
      { clientDir: () => root, persistent: true },
    );
    await until("complete", () => r.last()?.ClientStatus === "complete");
    const logs = path.join(root, "alloc", "a1", "alloc", "logs");
    expect(fs.readFileSync(path.join(logs, "talker.stdout.0"), "utf8")).toBe("tick\ntick\ntick\n");
    expect(fs.readdirSync(logs)).toEqual(["talker.stdout.0"]);
    expect(fs.existsSync(path.join(root, "alloc", "a1", "quiet"))).toBe(false);
    expect(fs.existsSync(path.join(root, "state"))).toBe(false);
  });

  it("stays in memory without a data dir (no files at all)", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "drover-mocklogs-none-"));
    try {
      const r = run(allocOf("batch", [{ name: "talker", config: { run_for: "5ms", stdout_string: "hello" } }], "a2"), {
        clientDir: () => empty,
        memoryLogs: true,
      });
      await until("complete", () => r.last()?.ClientStatus === "complete");
      expect(r.runner.memoryLog("talker")?.read("stdout").toString()).toBe("hello");
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
