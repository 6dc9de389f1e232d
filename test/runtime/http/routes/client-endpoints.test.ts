/** The client endpoints with tasks that really run: raw_exec output while it runs and after it exits, stats of its process, signal and restart; mock task output kept in memory without a data dir. */
import { NomadClient } from "../../../../lib/api";
import { api, mockJob, rawExecJob, startTestAgent, waitFor, type TestAgent } from "../../../helpers/runtime";

/** A raw_exec job running `script` in /bin/sh. */
function shellJob(id: string, type: string, script: string): Record<string, unknown> {
  return rawExecJob(id, type, { command: "/bin/sh", args: ["-c", script] });
}

async function runningAlloc(t: TestAgent, job: string): Promise<string> {
  const a = await waitFor(`${job} running`, async () =>
    ((await api(t.address, "GET", `/v1/job/${job}/allocations`)).body as { ID: string; ClientStatus: string }[]).find(
      (x) => x.ClientStatus === "running",
    ),
  );
  return a.ID;
}

async function plainLog(t: TestAgent, allocID: string, type = "stdout"): Promise<string> {
  const r = await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=main&type=${type}&plain=true`);
  return r.status === 200 ? r.text : "";
}

describe("client endpoints with raw_exec tasks", () => {
  let t: TestAgent;
  let client: NomadClient;
  beforeAll(async () => {
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } } });
    client = new NomadClient({ address: t.address });
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
  });

  it("serves the output of a running task, its process stats, and delivers signals and restarts", async () => {
    const script = 'echo "started $$"; echo warn >&2; trap "echo got USR1" USR1; while true; do sleep 0.05; done';
    await api(t.address, "PUT", "/v1/jobs", { Job: shellJob("loop", "service", script) });
    const allocID = await runningAlloc(t, "loop");
    await waitFor("the first line", async () => /^started \d+\n/.test(await plainLog(t, allocID)));
    expect(await plainLog(t, allocID, "stderr")).toBe("warn\n");

    const stats = (await client.client.allocationStats(allocID)).data;
    const usage = stats.Tasks.main;
    expect(usage.Pids).not.toBeNull();
    expect(Object.keys(usage.Pids ?? {}).length).toBeGreaterThanOrEqual(1);
    expect(usage.ResourceUsage.MemoryStats.RSS).toBeGreaterThan(0);
    expect(usage.ResourceUsage.MemoryStats.Measured).toEqual(["RSS", "Swap"]);
    expect(stats.ResourceUsage.MemoryStats.RSS).toBeGreaterThan(0);

    const sig = await api(t.address, "PUT", `/v1/client/allocation/${allocID}/signal`, { Task: "main", Signal: "SIGUSR1" });
    expect(sig.status).toBe(200);
    await waitFor("the trapped signal", async () => (await plainLog(t, allocID)).includes("got USR1\n"));
    expect((await api(t.address, "PUT", `/v1/client/allocation/${allocID}/signal`, { Task: "main", Signal: "not a signal" })).status).toBe(
      400,
    );
    expect((await api(t.address, "PUT", `/v1/client/allocation/${allocID}/signal`, { Task: "nope", Signal: "SIGUSR1" })).status).toBe(400);

    const restart = await api(t.address, "PUT", `/v1/client/allocation/${allocID}/restart`, { TaskName: "main" });
    expect(restart.status).toBe(200);
    await waitFor(
      "a second start in the log",
      async () => ((await plainLog(t, allocID)).match(/^started \d+$/gm) ?? []).length === 2,
      10_000,
    );
    // The client reports task events to the server on its own sync interval: the log can show the new start first.
    const eventTypes = async (): Promise<string[]> =>
      ((await api(t.address, "GET", `/v1/allocation/${allocID}`)).body.TaskStates.main.Events as { Type: string }[]).map((e) => e.Type);
    await waitFor("the restart event on the server", async () => (await eventTypes()).includes("Restart Signaled"));
    expect(await eventTypes()).toContain("Restart Signaled");
    await api(t.address, "DELETE", "/v1/job/loop");
  });

  it("fails a service check when the task's process stops answering, and passes it again when it answers", async () => {
    const server = `require("http").createServer((q, s) => s.end("ok")).listen(Number(process.env.NOMAD_PORT_http), "127.0.0.1", () => console.log("listening"))`;
    const job = shellJob("answering", "service", "") as { TaskGroups: Record<string, any>[] };
    const tg = job.TaskGroups[0];
    tg.Networks = [{ Mode: "host", DynamicPorts: [{ Label: "http" }] }];
    tg.Tasks[0].Config = { command: process.execPath, args: ["-e", server] };
    tg.Services = [
      {
        Name: "answering",
        PortLabel: "http",
        Provider: "nomad",
        Checks: [{ Name: "up", Type: "http", Path: "/", Interval: 1e9, Timeout: 1e9 }],
      },
    ];
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const allocID = await runningAlloc(t, "answering");
    const check = async () => Object.values((await client.client.allocationChecks(allocID)).data)[0];
    await waitFor("the check to pass", async () => (await check())?.Status === "success", 10_000);
    const reg = (await client.services.get("answering")).data[0];
    expect(reg.Port).toBeGreaterThan(0);
    // Stop the process without ending it: the port stays open but nothing answers.
    const [pid] = t.agent.client!.taskPids(allocID, "main");
    process.kill(pid, "SIGSTOP");
    try {
      const failed = await waitFor("the check to fail", async () => ((await check())?.Status === "failure" ? await check() : null), 10_000);
      expect(failed?.Output).toContain("deadline exceeded");
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await waitFor("the check to pass again", async () => (await check())?.Status === "success", 10_000);
    await api(t.address, "DELETE", "/v1/job/answering");
  });

  it("keeps the output readable after the task exited", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: shellJob("once", "batch", "echo one; echo two; exit 0") });
    const done = await waitFor("the batch allocation to complete", async () =>
      ((await api(t.address, "GET", "/v1/job/once/allocations")).body as { ID: string; ClientStatus: string }[]).find(
        (a) => a.ClientStatus === "complete",
      ),
    );
    expect(await plainLog(t, done.ID)).toBe("one\ntwo\n");
    // A follow of a finished task ends by itself with everything it wrote.
    const frames: string[] = [];
    for await (const f of client.client.fs.logs(done.ID, "main", { follow: true })) frames.push(f.Data.toString());
    expect(frames.join("")).toBe("one\ntwo\n");
    const stats = (await client.client.allocationStats(done.ID)).data;
    expect(stats.Tasks.main.Pids).toBeNull();
    expect(stats.Tasks.main.ResourceUsage.MemoryStats.Measured).toEqual([]);
  });
});

describe("client endpoints without a data directory", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent();
  });
  afterAll(async () => {
    await t.stop();
  });

  it("serves a mock task's stdout_string kept in memory", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("mem", { config: { stdout_string: "hello from memory\n" } }) });
    const allocID = await runningAlloc(t, "mem");
    await waitFor("the in-memory output", async () => (await plainLog(t, allocID)) === "hello from memory\n");
    const tail = await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=main&type=stdout&plain=true&origin=end&offset=7`);
    expect(tail.text).toBe("memory\n");
    // The task has a stderr stream that holds nothing (as Nomad's empty stderr file).
    const stderr = await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=main&type=stderr&plain=true`);
    expect([stderr.status, stderr.text]).toEqual([200, ""]);
    expect((await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=other&type=stdout&plain=true`)).status).toBe(404);
  });
});
