/**
 * End-to-end: an agent with a data dir is killed with SIGKILL while a
 * raw_exec task runs; the restarted agent reattaches the same process (no
 * second copy, no restart), and stopping the job then kills it. A task whose
 * process died while the agent was down is restarted and says so.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, spawnAgentProcess, stopAgentProcess, waitFor, type AgentProcess } from "../../helpers/runtime";
import { processStartTicks } from "../../../lib/runtime/drivers/raw-exec";
import { AllocDirLayout } from "../../../lib/runtime/client/alloc-dir";
import { allocsOf, rawExecJob } from "./jobs";

/** Processes whose working directory is `dir` (the task's copies). */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (fs.readlinkSync(`/proc/${p}/cwd`) === dir && processStartTicks(Number(p)) !== "") out.push(Number(p));
    } catch {
      // gone or not ours
    }
  }
  return out;
}

describe("raw_exec reattach after an agent restart", () => {
  let dataDir: string;
  let agent: AgentProcess | null = null;
  const pids: number[] = [];

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-reattach-"));
  });
  afterAll(async () => {
    await stopAgentProcess(agent, "SIGKILL");
    for (const p of pids) {
      try {
        process.kill(-p, "SIGKILL");
      } catch {
        // already gone
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    agent = await spawnAgentProcess(["--dev", "--port", "0", "--data-dir", dataDir]);
    return agent.address;
  };
  const kill9 = async () => {
    agent!.child.kill("SIGKILL");
    await agent!.exited;
  };

  it("reattaches the running process (same pid, no restart) and can still stop it", async () => {
    let address = await start();
    const job = rawExecJob("keeper", "service", { command: "/bin/sh", args: ["-c", 'echo $$ > "$NOMAD_TASK_DIR/pid"; exec sleep 300'] });
    job.TaskGroups.push({
      ...job.TaskGroups[0],
      Name: "g2",
      Tasks: [
        { ...job.TaskGroups[0].Tasks[0], Config: { command: "/bin/sh", args: ["-c", 'echo $$ > "$NOMAD_TASK_DIR/pid"; exec sleep 300'] } },
      ],
    });
    job.TaskGroups[1].RestartPolicy = { Attempts: 3, Interval: 60e9, Delay: 10e6, Mode: "fail" };
    // An artifact fetched before the first start is not fetched again on reattach (its source is gone by then).
    const artifactSource = path.join(dataDir, "artifact.txt");
    fs.writeFileSync(artifactSource, "fetched once\n");
    job.TaskGroups[0].Tasks[0].Artifacts = [{ GetterSource: `file://${artifactSource}` }];
    expect((await api(address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const running = await waitFor(
      "two running allocations",
      async () => {
        const l = await allocsOf(address, "keeper");
        return l.length === 2 && l.every((a) => a.ClientStatus === "running") ? l : null;
      },
      20_000,
    );
    const byGroup = async (g: string) => {
      for (const a of running) {
        const f = (await api(address, "GET", `/v1/allocation/${a.ID}`)).body;
        if (f.TaskGroup === g) return f;
      }
      throw new Error(`no alloc of ${g}`);
    };
    const a1 = await byGroup("g");
    const a2 = await byGroup("g2");
    const dir1 = new AllocDirLayout(path.join(dataDir, "client"), a1.ID).taskDir("main");
    const dir2 = new AllocDirLayout(path.join(dataDir, "client"), a2.ID).taskDir("main");
    const pid1 = await waitFor("the first pid", () => Number(fs.readFileSync(path.join(dir1, "local", "pid"), "utf8").trim()) || null);
    const pid2 = await waitFor("the second pid", () => Number(fs.readFileSync(path.join(dir2, "local", "pid"), "utf8").trim()) || null);
    pids.push(pid1, pid2);

    expect(fs.readFileSync(path.join(dir1, "local", "artifact.txt"), "utf8")).toBe("fetched once\n");
    await kill9();
    fs.rmSync(artifactSource);
    // The tasks outlive the agent; the second one dies while the agent is down.
    expect(processStartTicks(pid1)).not.toBe("");
    process.kill(-pid2, "SIGKILL");
    await waitFor("the second process to be gone", () => processStartTicks(pid2) === "");

    address = await start();
    const after1 = await waitFor(
      "the first task to be running again after the restart",
      async () => {
        const f = (await api(address, "GET", `/v1/allocation/${a1.ID}`)).body;
        return f.ClientStatus === "running" && f.TaskStates?.main?.State === "running" ? f : null;
      },
      20_000,
    );
    const after2 = await waitFor(
      "the second task to be restarted",
      async () => {
        const f = (await api(address, "GET", `/v1/allocation/${a2.ID}`)).body;
        const types = (f.TaskStates?.main?.Events ?? []).map((e: { Type: string }) => e.Type);
        return f.TaskStates?.main?.State === "running" &&
          types.includes("Failed Restoring Task") &&
          types.lastIndexOf("Started") > types.indexOf("Failed Restoring Task")
          ? f
          : null;
      },
      20_000,
    );
    // Reattached: the same process, one copy, no new start, no restart.
    expect(processStartTicks(pid1)).not.toBe("");
    expect(processesIn(dir1)).toEqual([pid1]);
    expect(after1.TaskStates.main.Restarts).toBe(0);
    expect(after1.TaskStates.main.Events.map((e: { Type: string }) => e.Type)).toEqual([
      "Received",
      "Task Setup",
      "Downloading Artifacts",
      "Started",
    ]);
    // Restarted: recorded, and exactly one new process.
    expect(after2.TaskStates.main.Restarts).toBe(1);
    const newPid2 = await waitFor("the new pid", () => {
      const p = Number(fs.readFileSync(path.join(dir2, "local", "pid"), "utf8").trim());
      return p !== pid2 && processStartTicks(p) !== "" ? p : null;
    });
    pids.push(newPid2);
    expect(processesIn(dir2)).toEqual([newPid2]);
    expect((await allocsOf(address, "keeper")).filter((a) => a.DesiredStatus === "run")).toHaveLength(2);

    // Stopping the job kills the reattached process too.
    await api(address, "DELETE", "/v1/job/keeper");
    await waitFor(
      "both allocations complete",
      async () => (await allocsOf(address, "keeper")).every((a) => a.ClientStatus === "complete"),
      20_000,
    );
    await waitFor("the processes to be gone", () => processStartTicks(pid1) === "" && processStartTicks(newPid2) === "", 10_000);
    await kill9();
  });
});
