/**
 * End-to-end: the exec driver runs a task in its own UTS/mount/IPC
 * namespaces with a cgroup memory limit, where the host allows it (root,
 * unshare); otherwise the node does not offer it and the test says why.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { ExecDriver } from "../../../lib/runtime/drivers/exec";
import { allocsOf, rawExecJob, taskDirOf } from "./jobs";

const fp = new ExecDriver().fingerprint();
if (!fp.detected) console.warn(`exec driver end-to-end tests skipped: ${fp.description}`);
const describeExec = fp.detected ? describe : describe.skip;

describe("exec fingerprint", () => {
  it("is undetected when disabled", () => {
    expect(new ExecDriver({ enabled: false }).fingerprint()).toEqual({
      attributes: {},
      detected: false,
      healthy: false,
      description: "disabled",
    });
  });
});

describeExec("exec driver", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({});
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("isolates the hostname, limits memory through a cgroup, and logs like raw_exec", async () => {
    const script = 'hostname drover-exec-test; hostname; cat /proc/self/cgroup | grep memory; echo "$NOMAD_TASK_NAME"';
    await api(t.address, "PUT", "/v1/jobs", {
      Job: rawExecJob("isolated", "batch", { command: "/bin/sh", args: ["-c", script] }, undefined, "exec"),
    });
    const a = await waitFor("the exec task to complete", async () => {
      const x = (await allocsOf(t.address, "isolated"))[0];
      return x && (x.ClientStatus === "complete" || x.ClientStatus === "failed") ? x : null;
    });
    const logs = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc", "logs");
    const out = fs.readFileSync(path.join(logs, "main.stdout.0"), "utf8").split("\n");
    expect(a.ClientStatus).toBe("complete");
    expect(out[0]).toBe("drover-exec-test");
    expect(os.hostname()).not.toBe("drover-exec-test");
    if (fp.attributes["driver.exec.memory_limits"] === "true") expect(out[1]).toMatch(/memory:\/drover\//);
    expect(out).toContain("main");
  });

  it("runs the task as `user` after entering its namespaces", async () => {
    const job = rawExecJob(
      "asnobody",
      "batch",
      { command: "/bin/sh", args: ["-c", "id -u; hostname isolated-too && hostname"] },
      undefined,
      "exec",
    );
    job.TaskGroups[0].Tasks[0].User = "nobody";
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the task to end", async () => {
      const x = (await allocsOf(t.address, "asnobody"))[0];
      return x && (x.ClientStatus === "complete" || x.ClientStatus === "failed") ? x : null;
    });
    const logs = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc", "logs");
    const uid = fs
      .readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith("nobody:"))!
      .split(":")[2];
    // Dropped privileges: the UID is nobody's and changing the hostname is refused.
    expect(fs.readFileSync(path.join(logs, "main.stdout.0"), "utf8").split("\n")[0]).toBe(uid);
    expect(a.ClientStatus).toBe("failed");
  });
  it("runs a template's change script inside the task's namespaces (nsenter), in the task directory", async () => {
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/nsreload", { Items: { v: "1" } })).status).toBe(200);
    const job = rawExecJob(
      "nsreload",
      "service",
      { command: "/bin/sh", args: ["-c", 'hostname inside-task && echo up > "$NOMAD_ALLOC_DIR/up" && exec sleep 300'] },
      undefined,
      "exec",
    );
    job.TaskGroups[0].Tasks[0].Templates = [
      {
        DestPath: "local/v.conf",
        EmbeddedTmpl: '{{ with nomadVar "nomad/jobs/nsreload" }}{{ .v }}{{ end }}',
        ChangeMode: "script",
        ChangeScript: {
          Command: "/bin/sh",
          Args: ["-c", 'echo "$(hostname) $(cat local/v.conf)" > "$NOMAD_ALLOC_DIR/seen"'],
          Timeout: 5e9,
        },
        Splay: 0,
        Wait: { Min: 0, Max: 0 },
      },
    ];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the allocation", async () => (await allocsOf(t.address, "nsreload"))[0]);
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    await waitFor("the task to run", () => fs.existsSync(path.join(allocDir, "up")));
    expect((await api(t.address, "PUT", "/v1/var/nomad/jobs/nsreload", { Items: { v: "2" } })).status).toBe(200);
    // The script sees the hostname the task set in its own UTS namespace.
    const seen = await waitFor("the script's output", () => {
      const text = fs.existsSync(path.join(allocDir, "seen")) ? fs.readFileSync(path.join(allocDir, "seen"), "utf8") : "";
      return text.endsWith("\n") ? text : null;
    });
    expect(seen).toBe("inside-task 2\n");
    expect(os.hostname()).not.toBe("inside-task");
    await api(t.address, "DELETE", "/v1/job/nsreload?purge=true");
  });
});
