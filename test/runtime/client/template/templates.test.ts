/**
 * End-to-end: templates as Nomad renders them, on raw_exec tasks of the
 * included runtime. A task waits for a missing variable with Nomad's
 * "Missing: nomad.var.block(…)" event, starts once the variable is put,
 * renders a variable and a Nomad service into config files and an
 * `env = true` file, and is restarted (change_mode restart) or signalled
 * (change_mode signal) when the variable is updated through the API.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { api, startTestAgent, waitFor, type TestAgent } from "../../../helpers/runtime";
import { allocsOf, rawExecJob, taskDirOf } from "../../drivers/jobs";

function readOr(file: string, fallback = ""): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

describe("templates over Nomad Variables and services", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const events = async (allocID: string) =>
    ((await api(t.address, "GET", `/v1/allocation/${allocID}`)).body.TaskStates?.main?.Events ?? []) as {
      Type: string;
      DisplayMessage: string;
    }[];

  it("waits for a missing variable, renders variable, service and env templates, and restarts on a variable change", async () => {
    const job = rawExecJob(
      "tmpl",
      "service",
      {
        command: "/bin/sh",
        args: ["-c", 'echo start >> "$NOMAD_ALLOC_DIR/starts"; echo "$DB_USER" >> "$NOMAD_ALLOC_DIR/users"; exec sleep 300'],
      },
      { Attempts: 3, Interval: 600e9, Delay: 10e6, Mode: "fail" },
    );
    const g = job.TaskGroups[0];
    g.Networks = [{ DynamicPorts: [{ Label: "http" }] }];
    g.Services = [{ Name: "tmpl-api", PortLabel: "http", Provider: "nomad" }];
    g.Tasks[0].Templates = [
      {
        DestPath: "local/app.conf",
        EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/tmpl" }}password={{ .password }}{{ end }}\n',
        ChangeMode: "restart",
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
      {
        DestPath: "local/services.conf",
        EmbeddedTmpl: '{{ range nomadService "tmpl-api" }}api={{ .Address }}:{{ .Port }}\n{{ end }}',
        ChangeMode: "noop",
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
      {
        DestPath: "secrets/db.env",
        EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/tmpl" }}DB_USER={{ .user | toUpper }}{{ end }}\n',
        Envvars: true,
        ChangeMode: "restart",
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
    ];
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "tmpl"))[0]);
    const waiting = await waitFor("the Missing event", async () => (await events(a.ID)).find((e) => e.Type === "Template"));
    expect(waiting.DisplayMessage).toBe("Missing: nomad.var.block(nomad/jobs/tmpl@default.global)");
    const taskDir = taskDirOf(t, a.ID, "main");
    const allocDir = path.join(path.dirname(taskDir), "alloc");
    expect(fs.existsSync(path.join(taskDir, "local", "app.conf"))).toBe(false);
    expect(fs.existsSync(path.join(allocDir, "starts"))).toBe(false);

    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/tmpl", { Items: { password: "p1", user: "u1" } })).status).toBe(200);
    await waitFor("the task to start", () => readOr(path.join(allocDir, "starts")) === "start\n");
    expect(readOr(path.join(taskDir, "local", "app.conf"))).toBe("password=p1\n");
    expect(readOr(path.join(allocDir, "users"))).toBe("U1\n");
    const port = await waitFor("the service in the rendered file", async () => {
      const regs = (await api(t.address, "GET", "/v1/service/tmpl-api")).body as { Address: string; Port: number }[];
      const want = regs[0] ? `api=${regs[0].Address}:${regs[0].Port}\n` : null;
      return want && readOr(path.join(taskDir, "local", "services.conf")) === want ? regs[0].Port : null;
    });
    expect(port).toBeGreaterThan(0);
    expect(readOr(path.join(allocDir, "starts"))).toBe("start\n"); // a noop template does not restart

    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/tmpl", { Items: { password: "p2", user: "u2" } })).status).toBe(200);
    await waitFor("the restart after the variable changed", () => readOr(path.join(allocDir, "starts")) === "start\nstart\n");
    expect(readOr(path.join(taskDir, "local", "app.conf"))).toBe("password=p2\n");
    await waitFor("the new environment", () => readOr(path.join(allocDir, "users")) === "U1\nU2\n");
    const ev = await events(a.ID);
    expect(ev.some((e) => e.Type === "Restart Signaled" && e.DisplayMessage === "Template with change_mode restart re-rendered")).toBe(
      true,
    );
  });

  it("signals the task on change with change_mode signal", async () => {
    await api(t.address, "PUT", "/v1/var/nomad/jobs/sig", { Items: { level: "info" } });
    const job = rawExecJob("sig", "service", {
      command: "/bin/sh",
      args: [
        "-c",
        'trap \'echo usr1 >> "$NOMAD_ALLOC_DIR/signals"\' USR1; echo start >> "$NOMAD_ALLOC_DIR/starts"; while true; do sleep 0.05; done',
      ],
    });
    job.TaskGroups[0].Tasks[0].Templates = [
      {
        DestPath: "local/log.conf",
        EmbeddedTmpl: '[[ (nomadVar "nomad/jobs/sig").level ]]',
        LeftDelim: "[[",
        RightDelim: "]]",
        ChangeMode: "signal",
        ChangeSignal: "SIGUSR1",
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
    ];
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "sig"))[0]);
    const taskDir = taskDirOf(t, a.ID, "main");
    const allocDir = path.join(path.dirname(taskDir), "alloc");
    await waitFor("the task to start", () => readOr(path.join(allocDir, "starts")) === "start\n");
    expect(readOr(path.join(taskDir, "local", "log.conf"))).toBe("info");
    await api(t.address, "PUT", "/v1/var/nomad/jobs/sig", { Items: { level: "debug" } });
    await waitFor("the signal", () => readOr(path.join(allocDir, "signals")) === "usr1\n");
    expect(readOr(path.join(taskDir, "local", "log.conf"))).toBe("debug");
    expect(readOr(path.join(allocDir, "starts"))).toBe("start\n");
    expect(
      (await events(a.ID)).some(
        (e) => e.Type === "Signaling" && e.DisplayMessage === "Task being sent signal SIGUSR1: Template re-rendered",
      ),
    ).toBe(true);
  });

  it("refuses a variable outside the task's implicit access and Consul functions with clear events", async () => {
    await api(t.address, "PUT", "/v1/var/other/secret", { Items: { k: "v" } });
    const job = rawExecJob("deny", "batch", { command: "/bin/true" });
    job.TaskGroups[0].Tasks[0].Templates = [{ DestPath: "local/x", EmbeddedTmpl: '{{ with nomadVar "other/secret" }}{{ .k }}{{ end }}' }];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "deny"))[0]);
    const killing = await waitFor("the Template failed event", async () => (await events(a.ID)).find((e) => e.Type === "Killing"));
    expect(killing.DisplayMessage).toContain(
      'Permission denied: a task of job "deny" may read only variables at nomad/jobs/deny and below',
    );

    const consul = rawExecJob("consul", "batch", { command: "/bin/true" });
    consul.TaskGroups[0].Tasks[0].Templates = [{ DestPath: "local/x", EmbeddedTmpl: '{{ key "app/config" }}' }];
    await api(t.address, "PUT", "/v1/jobs", { Job: consul });
    const c = await waitFor("the allocation", async () => (await allocsOf(t.address, "consul"))[0]);
    const k = await waitFor("the Template failed event", async () => (await events(c.ID)).find((e) => e.Type === "Killing"));
    expect(k.DisplayMessage).toContain("Consul is not configured on this agent");
  });
});
