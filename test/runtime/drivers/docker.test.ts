/**
 * End-to-end: the docker driver against podman's Docker Engine API (a local
 * busybox image; see test/helpers/podman.ts). Skips with a message when
 * podman is not installed (CI installs it: .ci/install-system-packages).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { BUSYBOX_IMAGE, podmanUnavailable, startPodman, type PodmanService } from "../../helpers/podman";
import { allocsOf, rawExecJob, taskDirOf } from "./jobs";
import { DockerDriver, demuxDockerStream, parseImage } from "../../../lib/runtime/drivers/docker";

const why = podmanUnavailable();
if (why) {
  console.warn(`docker driver end-to-end tests skipped: ${why}`);
}
const describeWithPodman = why ? describe.skip : describe;

describe("docker driver helpers", () => {
  it("splits image names and Docker's multiplexed log frames", () => {
    expect(parseImage("redis")).toEqual({ repo: "redis", tag: "latest" });
    expect(parseImage("localhost:5000/app:1.2")).toEqual({ repo: "localhost:5000/app", tag: "1.2" });
    const frame = (type: number, s: string) =>
      Buffer.concat([Buffer.from([type, 0, 0, 0]), Buffer.from([0, 0, 0, Buffer.byteLength(s)]), Buffer.from(s)]);
    const got: string[] = [];
    const rest = demuxDockerStream(Buffer.concat([frame(1, "out"), frame(2, "err"), frame(1, "par").subarray(0, 9)]), (s, d) =>
      got.push(`${s}:${d}`),
    );
    expect(got).toEqual(["stdout:out", "stderr:err"]);
    expect(rest.length).toBe(9);
  });

  it("is not fingerprinted when no engine answers", async () => {
    const d = new DockerDriver({ endpoint: "unix:///nonexistent/docker.sock" });
    expect(await d.fingerprint()).toMatchObject({ detected: false, healthy: false });
    await d.close();
  });
});

describeWithPodman("docker driver through podman", () => {
  let pod: PodmanService;
  let t: TestAgent;
  let hostDir: string;
  beforeAll(async () => {
    pod = await startPodman();
    hostDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-docker-hostvol-"));
    t = await startTestAgent({ plugins: { docker: { endpoint: pod.endpoint } }, localNode: { hostVolumes: { data: { path: hostDir } } } });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await pod?.stop();
    if (hostDir) fs.rmSync(hostDir, { recursive: true, force: true });
  });

  it("mounts a host volume at the volume_mount's destination; what the task writes outlives the allocation", async () => {
    const job = rawExecJob(
      "dockvol",
      "batch",
      { image: BUSYBOX_IMAGE, command: "sh", args: ["-c", "echo kept > /data/out"] },
      undefined,
      "docker",
    );
    job.TaskGroups[0].Volumes = { d: { Name: "d", Type: "host", Source: "data", ReadOnly: false } };
    job.TaskGroups[0].Tasks[0].VolumeMounts = [{ Volume: "d", Destination: "/data", ReadOnly: false }];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor(
      "the container to complete",
      async () => {
        const x = (await allocsOf(t.address, "dockvol"))[0];
        return x && (x.ClientStatus === "complete" || x.ClientStatus === "failed") ? x : null;
      },
      30_000,
    );
    expect(a.ClientStatus).toBe("complete");
    expect((await api(t.address, "DELETE", "/v1/job/dockvol?purge=true")).status).toBe(200);
    expect(fs.readFileSync(path.join(hostDir, "out"), "utf8")).toBe("kept\n");
  });

  const full = async (id: string) => (await api(t.address, "GET", `/v1/allocation/${id}`)).body;

  it("runs a template's change script in the container through the Engine's exec API", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/dockreload", { Items: { v: "1" } })).status).toBe(200);
    const job = rawExecJob(
      "dockreload",
      "service",
      { image: BUSYBOX_IMAGE, command: "sh", args: ["-c", "echo up > /alloc/up; exec sleep 300"] },
      undefined,
      "docker",
    );
    job.TaskGroups[0].Tasks[0].Templates = [
      {
        DestPath: "local/v.conf",
        EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/dockreload" }}{{ .v }}{{ end }}',
        ChangeMode: "script",
        ChangeScript: { Command: "sh", Args: ["-c", 'echo "$NOMAD_TASK_NAME $(cat /local/v.conf)" > /alloc/seen; exit 4'], Timeout: 10e9 },
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
    ];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "dockreload"))[0]);
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    await waitFor("the container to run", () => fs.existsSync(path.join(allocDir, "up")), 30_000);
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/dockreload", { Items: { v: "2" } })).status).toBe(200);
    const hook = await waitFor(
      "the script's exit",
      async () => (await full(a.ID)).TaskStates.main.Events.find((e: { Type: string }) => e.Type === "Task hook failed"),
      40_000,
    );
    expect(hook.DisplayMessage).toBe(
      `Template ran script sh with arguments [-c echo "$NOMAD_TASK_NAME $(cat /local/v.conf)" > /alloc/seen; exit 4] on change but it exited with code: 4`,
    );
    expect(fs.readFileSync(path.join(allocDir, "seen"), "utf8")).toBe("main 2\n");
    expect((await api(t.address, "DELETE", "/v1/job/dockreload?purge=true")).status).toBe(200);
  }, 90_000);

  it("fingerprints the engine on the node", async () => {
    const node = (await api(t.address, "GET", `/v1/node/${t.agent.localNodeID}`)).body;
    expect(node.Drivers.docker).toMatchObject({ Detected: true, Healthy: true, HealthDescription: "Healthy" });
    expect(node.Attributes["driver.docker"]).toBe("1");
  });

  it("runs a batch container: env, task dirs mounted, logs in the task's log files, exit code", async () => {
    const job = rawExecJob(
      "dock",
      "batch",
      {
        image: BUSYBOX_IMAGE,
        command: "sh",
        args: [
          "-c",
          'echo "hello from $NOMAD_TASK_NAME in $NOMAD_ALLOC_ID"; echo oops >&2; echo data > /local/written; ls -d /alloc /secrets; exit 0',
        ],
        labels: { team: "drover" },
      },
      undefined,
      "docker",
    );
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor(
      "the container to complete",
      async () => {
        const x = (await allocsOf(t.address, "dock"))[0];
        return x && (x.ClientStatus === "complete" || x.ClientStatus === "failed") ? x : null;
      },
      30_000,
    );
    const f = await full(a.ID);
    expect(f.TaskStates.main.Events.map((e: { Type: string }) => e.Type)).toEqual(["Received", "Task Setup", "Started", "Terminated"]);
    expect(a.ClientStatus).toBe("complete");
    const dir = taskDirOf(t, a.ID, "main");
    const logs = path.join(path.dirname(dir), "alloc", "logs");
    await waitFor(
      "the logs to arrive",
      () =>
        fs.existsSync(path.join(logs, "main.stderr.0")) && fs.readFileSync(path.join(logs, "main.stdout.0"), "utf8").includes("/secrets"),
      10_000,
    );
    expect(fs.readFileSync(path.join(logs, "main.stdout.0"), "utf8")).toBe(`hello from main in ${a.ID}\n/alloc\n/secrets\n`);
    expect(fs.readFileSync(path.join(logs, "main.stderr.0"), "utf8")).toBe("oops\n");
    expect(fs.readFileSync(path.join(dir, "local", "written"), "utf8")).toBe("data\n");
  });

  it("reports a failing container's exit code, and stops a running one with kill signal and timeout", async () => {
    await api(t.address, "PUT", "/v1/jobs", {
      Job: rawExecJob("dockfail", "batch", { image: BUSYBOX_IMAGE, command: "sh", args: ["-c", "exit 7"] }, undefined, "docker"),
    });
    const failed = await waitFor(
      "the failed container",
      async () => {
        const x = (await allocsOf(t.address, "dockfail"))[0];
        return x?.ClientStatus === "failed" ? x : null;
      },
      30_000,
    );
    const ev = (await full(failed.ID)).TaskStates.main.Events;
    expect(ev.find((e: { Type: string }) => e.Type === "Terminated").DisplayMessage).toBe("Exit Code: 7");

    const svc = rawExecJob("docksvc", "service", { image: BUSYBOX_IMAGE, command: "sleep", args: ["300"] }, undefined, "docker");
    svc.TaskGroups[0].Tasks[0].KillTimeout = 500e6;
    await api(t.address, "PUT", "/v1/jobs", { Job: svc });
    const running = await waitFor(
      "the service container to run",
      async () => {
        const x = (await allocsOf(t.address, "docksvc"))[0];
        return x?.ClientStatus === "running" ? x : null;
      },
      30_000,
    );
    expect(pod.podman(["ps", "--format", "{{.Names}}"])).toContain(`main-${running.ID}`);
    await api(t.address, "DELETE", "/v1/job/docksvc");
    const done = await waitFor(
      "the container to be stopped",
      async () => {
        const x = await full(running.ID);
        return x.ClientStatus === "complete" ? x : null;
      },
      30_000,
    );
    expect(done.TaskStates.main.Events.map((e: { Type: string }) => e.Type).slice(-2)).toEqual(["Killing", "Killed"]);
    await waitFor("the container to be removed", () => !pod.podman(["ps", "-a", "--format", "{{.Names}}"]).includes(running.ID), 10_000);
  });

  it("maps the group's port to the container and mounts volumes relative to the task dir", async () => {
    const job = rawExecJob(
      "dockweb",
      "service",
      {
        image: BUSYBOX_IMAGE,
        command: "httpd",
        args: ["-f", "-p", "8080", "-h", "/site"],
        ports: ["http"],
        volumes: ["local/site:/site:ro"],
      },
      undefined,
      "docker",
    );
    job.TaskGroups[0].Networks = [{ Mode: "host", DynamicPorts: [{ Label: "http", To: 8080 }] }];
    job.TaskGroups[0].Tasks[0].Templates = [
      { DestPath: "local/site/index.html", EmbeddedTmpl: 'hello from {{ env "NOMAD_TASK_NAME" }} behind port ${NOMAD_PORT_http}\n' },
    ];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor(
      "the web container to run",
      async () => {
        const x = (await allocsOf(t.address, "dockweb"))[0];
        return x?.ClientStatus === "running" ? x : null;
      },
      30_000,
    );
    const f = await full(a.ID);
    const port = f.AllocatedResources.Shared.Ports.find((p: { Label: string }) => p.Label === "http");
    expect(port).toMatchObject({ To: 8080, Value: expect.any(Number) });
    const body = await waitFor(
      "the page through the mapped host port",
      async () => {
        const res = await fetch(`http://127.0.0.1:${port.Value}/index.html`);
        return res.ok ? res.text() : null;
      },
      15_000,
    );
    expect(body).toBe("hello from main behind port 8080\n");
    await api(t.address, "DELETE", "/v1/job/dockweb");
    await waitFor("the web container to stop", async () => (await full(a.ID)).ClientStatus === "complete", 30_000);
  });

  it("reattaches a running container after an agent restart with a data dir", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-docker-reattach-"));
    let a1: TestAgent | null = await startTestAgent({ dataDir, plugins: { docker: { endpoint: pod.endpoint } } });
    let a2: TestAgent | null = null;
    try {
      await api(a1.address, "PUT", "/v1/jobs", {
        Job: rawExecJob(
          "dockkeep",
          "service",
          { image: BUSYBOX_IMAGE, command: "sh", args: ["-c", "echo started; exec sleep 300"] },
          undefined,
          "docker",
        ),
      });
      const a = await waitFor(
        "the container to run",
        async () => {
          const x = (await allocsOf(a1!.address, "dockkeep"))[0];
          return x?.ClientStatus === "running" ? x : null;
        },
        30_000,
      );
      // Only the containers of this allocation (by the label the driver sets), not whatever else runs on the host.
      const ours = (all = false) =>
        pod.podman(["ps", ...(all ? ["-a"] : []), "-q", "--no-trunc", "--filter", `label=com.hashicorp.nomad.alloc_id=${a.ID}`]).trim();
      const idsBefore = ours();
      expect(idsBefore).not.toBe("");
      await a1.stop();
      a1 = null;
      // The container keeps running while no agent runs.
      expect(ours()).toBe(idsBefore);
      a2 = await startTestAgent({ dataDir, plugins: { docker: { endpoint: pod.endpoint } } });
      const after = await waitFor(
        "the task to run after the restart",
        async () => {
          const f = (await api(a2!.address, "GET", `/v1/allocation/${a.ID}`)).body;
          return f.ClientStatus === "running" && f.TaskStates?.main?.State === "running" ? f : null;
        },
        30_000,
      );
      expect(after.TaskStates.main.Restarts).toBe(0);
      expect(after.TaskStates.main.Events.map((e: { Type: string }) => e.Type)).not.toContain("Failed Restoring Task");
      expect(ours()).toBe(idsBefore);
      await api(a2.address, "DELETE", "/v1/job/dockkeep");
      await waitFor("the container to be gone", () => ours(true) === "", 30_000);
    } finally {
      await a1?.stop();
      await a2?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("fails the start recoverably when the image is missing and cannot be pulled", async () => {
    await api(t.address, "PUT", "/v1/jobs", {
      Job: rawExecJob("docknoimg", "batch", { image: "localhost/not-there:1" }, undefined, "docker"),
    });
    const a = await waitFor(
      "the alloc to fail",
      async () => {
        const x = (await allocsOf(t.address, "docknoimg"))[0];
        return x?.ClientStatus === "failed" ? x : null;
      },
      30_000,
    );
    const ev = (await full(a.ID)).TaskStates.main.Events;
    expect(ev.find((e: { Type: string }) => e.Type === "Driver")).toMatchObject({
      DisplayMessage: "Downloading image localhost/not-there:1",
    });
    const failure = ev.find((e: { Type: string }) => e.Type === "Driver Failure");
    expect(failure.DisplayMessage).toMatch(/^Failed to pull `localhost\/not-there:1`/);
  });

  it("refuses a host path outside the task directory unless the plugin enables volumes, as Nomad does", async () => {
    const job = rawExecJob(
      "dockhostpath",
      "batch",
      { image: BUSYBOX_IMAGE, command: "cat", args: ["/host/passwd"], volumes: ["/etc:/host:ro"] },
      undefined,
      "docker",
    );
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor(
      "the alloc to fail",
      async () => {
        const x = (await allocsOf(t.address, "dockhostpath"))[0];
        return x?.ClientStatus === "failed" ? x : null;
      },
      30_000,
    );
    const failure = (await full(a.ID)).TaskStates.main.Events.find((e: { Type: string }) => e.Type === "Driver Failure");
    expect(failure.DisplayMessage).toContain('volumes are not enabled; cannot mount host paths: "/etc"');
    expect(pod.podman(["ps", "-a", "--format", "{{.Names}}"])).not.toContain(a.ID);
  });
});
