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
});
