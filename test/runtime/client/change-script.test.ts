/**
 * End-to-end: a template's `change_mode = "script"` on raw_exec tasks, as
 * Nomad's template manager runs it. A variable update re-renders the
 * template and runs the change script inside the task (its working
 * directory and environment), with Nomad's "Task hook message" event; a
 * failing script with `fail_on_error` kills the task, which fails, with
 * "Task hook failed" and "Template script failed, task is being killed".
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { allocsOf, rawExecJob, taskDirOf } from "../drivers/jobs";

function readOr(file: string, fallback = ""): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

interface Ev {
  Type: string;
  DisplayMessage: string;
  FailsTask: boolean;
}

describe('template change_mode "script"', () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const alloc = async (id: string) => (await api(t.address, "GET", `/v1/allocation/${id}`)).body;
  const events = async (id: string): Promise<Ev[]> => (await alloc(id)).TaskStates?.main?.Events ?? [];

  function scriptJob(id: string, script: Record<string, unknown>) {
    const job = rawExecJob(
      id,
      "service",
      { command: "/bin/sh", args: ["-c", 'echo start >> "$NOMAD_ALLOC_DIR/starts"; exec sleep 300'] },
      { Attempts: 0, Interval: 600e9, Delay: 10e6, Mode: "fail" },
    );
    job.TaskGroups[0].Tasks[0].Env = { GREETING: "hello" };
    job.TaskGroups[0].Tasks[0].Templates = [
      {
        DestPath: "local/app.conf",
        EmbeddedTmpl: `{{ with nomadVar "nomad/jobs/${id}" }}level={{ .level }}{{ end }}\n`,
        ChangeMode: "script",
        ChangeScript: script,
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
    ];
    return job;
  }

  it("runs the script inside the task on a re-render, in its directory and environment", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/reload", { Items: { level: "info" } })).status).toBe(200);
    const job = scriptJob("reload", {
      Command: "/bin/sh",
      Args: ["-c", 'echo "$GREETING $(cat local/app.conf) $NOMAD_TASK_NAME" >> "$NOMAD_ALLOC_DIR/reloads"'],
      Timeout: 5e9,
      FailOnError: false,
    });
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "reload"))[0]);
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    await waitFor("the task to start", () => readOr(path.join(allocDir, "starts")) === "start\n");
    // The first rendering runs no script (run_on_first_render is false).
    expect(fs.existsSync(path.join(allocDir, "reloads"))).toBe(false);

    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/reload", { Items: { level: "debug" } })).status).toBe(200);
    await waitFor("the script's side effect", () => readOr(path.join(allocDir, "reloads")) === "hello level=debug main\n");
    const ok = await waitFor("the hook message", async () => (await events(a.ID)).find((e) => e.Type === "Task hook message"));
    expect(ok.DisplayMessage).toBe(
      `Template successfully ran script /bin/sh with arguments: [-c echo "$GREETING $(cat local/app.conf) $NOMAD_TASK_NAME" >> "$NOMAD_ALLOC_DIR/reloads"]. Exit code: 0`,
    );
    // Neither restarted nor signalled.
    expect(readOr(path.join(allocDir, "starts"))).toBe("start\n");
    expect((await alloc(a.ID)).ClientStatus).toBe("running");
  });

  it("run_on_first_render runs the script once the task has started", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/first", { Items: { level: "info" } })).status).toBe(200);
    const job = scriptJob("first", {
      Command: "/bin/sh",
      Args: ["-c", 'cat local/app.conf >> "$NOMAD_ALLOC_DIR/reloads"'],
      Timeout: 5e9,
      RunOnFirstRender: true,
    });
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "first"))[0]);
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    await waitFor("the first-render script", () => readOr(path.join(allocDir, "reloads")) === "level=info\n");
    expect(readOr(path.join(allocDir, "starts"))).toBe("start\n");
  });

  it("a change that arrives while the task is still starting is rendered, and its script run, once it runs", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/slowstart", { Items: { v: "1" } })).status).toBe(200);
    // mock_driver's start_block_for keeps the task starting (its templates already rendered) for a while.
    const job = mockJob("slowstart", { config: { start_block_for: "1500ms" } }) as any;
    job.TaskGroups[0].Tasks[0].Templates = [
      {
        DestPath: "local/v.conf",
        EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/slowstart" }}{{ .v }}{{ end }}',
        ChangeMode: "script",
        ChangeScript: { Command: "/bin/reload", Args: ["now"], Timeout: 5e9 },
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
    ];
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "slowstart"))[0]);
    const file = path.join(taskDirOf(t, a.ID, "main"), "local", "v.conf");
    await waitFor("the first rendering", () => readOr(file) === "1");
    expect((await alloc(a.ID)).TaskStates?.main?.State ?? "pending").toBe("pending");
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/slowstart", { Items: { v: "2" } })).status).toBe(200);
    const ok = await waitFor("the script after the start", async () => (await events(a.ID)).find((e) => e.Type === "Task hook message"));
    expect(ok.DisplayMessage).toBe("Template successfully ran script /bin/reload with arguments: [now]. Exit code: 0");
    expect(readOr(file)).toBe("2");
  });

  it("a failing script with fail_on_error kills the task, which fails", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/strict", { Items: { level: "info" } })).status).toBe(200);
    const job = scriptJob("strict", { Command: "/bin/sh", Args: ["-c", "exit 3"], Timeout: 5e9, FailOnError: true });
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "strict"))[0]);
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    await waitFor("the task to start", () => readOr(path.join(allocDir, "starts")) === "start\n");

    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/strict", { Items: { level: "warn" } })).status).toBe(200);
    const failed = await waitFor("the failed allocation", async () => {
      const body = await alloc(a.ID);
      return body.ClientStatus === "failed" ? body : null;
    });
    const ev: Ev[] = failed.TaskStates.main.Events;
    expect(failed.TaskStates.main).toMatchObject({ State: "dead", Failed: true });
    expect(ev.find((e) => e.Type === "Task hook failed")?.DisplayMessage).toBe(
      "Template ran script /bin/sh with arguments [-c exit 3] on change but it exited with code: 3",
    );
    expect(ev.find((e) => e.Type === "Killing" && e.FailsTask)?.DisplayMessage).toBe("Template script failed, task is being killed");
    expect(ev.some((e) => e.Type === "Restarting")).toBe(false);
  });

  it("a script that cannot run, without fail_on_error, leaves the task running with the event", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/missing", { Items: { level: "info" } })).status).toBe(200);
    const job = scriptJob("missing", { Command: "/nonexistent/reload", Args: [], Timeout: 5e9, FailOnError: false });
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "missing"))[0]);
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    await waitFor("the task to start", () => readOr(path.join(allocDir, "starts")) === "start\n");
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/missing", { Items: { level: "warn" } })).status).toBe(200);
    const hook = await waitFor("the hook failure", async () => (await events(a.ID)).find((e) => e.Type === "Task hook failed"));
    expect(hook.DisplayMessage).toMatch(
      /^Template failed to run script \/nonexistent\/reload with arguments \[\] on change: .*ENOENT.*\. Exit code: 0$/,
    );
    expect((await alloc(a.ID)).ClientStatus).toBe("running");
  });

  it("a script past its timeout is killed and reported as exit code -1", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/slow", { Items: { level: "info" } })).status).toBe(200);
    const job = scriptJob("slow", { Command: "/bin/sh", Args: ["-c", "sleep 30"], Timeout: 200e6, FailOnError: false });
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "slow"))[0]);
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    await waitFor("the task to start", () => readOr(path.join(allocDir, "starts")) === "start\n");
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/slow", { Items: { level: "warn" } })).status).toBe(200);
    const hook = await waitFor("the hook failure", async () => (await events(a.ID)).find((e) => e.Type === "Task hook failed"));
    expect(hook.DisplayMessage).toBe("Template ran script /bin/sh with arguments [-c sleep 30] on change but it exited with code: -1");
  });
});
