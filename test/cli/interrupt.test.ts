/**
 * Ctrl-C ends the wait, not the change: `drover apply` as a child process
 * that receives a real SIGINT while it follows a deployment, and `drover
 * destroy` and `drover job scale` interrupted in process, against the
 * included runtime.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { api, mockJob, REPO_ROOT, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { testIO } from "../plan/cli-io";

/** A service whose deployment stays running for a minute (min_healthy_time 30s). */
function slowJob(id: string): Record<string, any> {
  const job = mockJob(id, { count: 1 }) as Record<string, any>;
  job.TaskGroups[0].Update = {
    MaxParallel: 1,
    HealthCheck: "task_states",
    MinHealthyTime: 30e9,
    HealthyDeadline: 60e9,
    ProgressDeadline: 120e9,
  };
  return job;
}

describe("interrupting a command that waits", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-interrupt-"));
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("SIGINT during drover apply prints what was registered and the follow-up command, exits 130 and leaves the job registered", async () => {
    fs.writeFileSync(path.join(dir, "slow.json"), JSON.stringify({ Job: slowJob("slow") }));
    const script = `require(${JSON.stringify(path.join(REPO_ROOT, "lib", "cli", "main.ts"))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
    const child = spawn(process.execPath, ["--import", "tsx", "-e", script, "apply", "--yes", path.join(dir, "slow.json")], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "", NOMAD_ADDR: t.address },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor("apply to follow the deployment", () => /Deployment [0-9a-f]{8}: running/.test(out) || child.exitCode !== null, 30_000);
      expect(err).toBe("");
      child.kill("SIGINT");
      expect(await exited).toBe(130);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    const deployment = (await api(t.address, "GET", "/v1/job/slow/deployment")).body;
    expect(deployment.Status).toBe("running");
    expect(err).toContain("drover apply: interrupted: stopped waiting; nothing that was sent to Nomad is undone.");
    expect(err).toMatch(/Job "slow" is registered \(modify index \d+\)\./);
    expect(err).toContain(`deployment ${deployment.ID} go`);
    expect(err).toContain(`Follow it with: drover deployment status ${deployment.ID}`);
    const job = await api(t.address, "GET", "/v1/job/slow");
    expect(job.body).toMatchObject({ Stop: false, Version: 0 });
  });

  it("an interrupt during drover job scale and drover destroy ends the wait with exit 130 and says what goes on", async () => {
    // A batch job: scale follows its allocations until they complete, which these never do.
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("scaled", { type: "batch", runFor: "1h" }) });
    await waitFor(
      "scaled placed",
      async () => ((await api(t.address, "GET", "/v1/job/scaled/allocations")).body as unknown[]).length === 1,
    );
    const ctl = new AbortController();
    const io = { ...testIO(dir, { NOMAD_ADDR: t.address }), interrupt: ctl.signal };
    const scaling = main(["job", "scale", "scaled", "2"], io);
    await waitFor("the scale to be followed", () => /Allocations \(2 wanted\)/.test(io.stdout()) || io.stderr() !== "", 10_000);
    ctl.abort();
    expect(await scaling).toBe(130);
    expect(io.stderr()).toMatch(
      /drover job scale: interrupted: stopped waiting; the change to job "scaled" was made and evaluation [0-9a-f-]{36} goes on in Nomad; follow it with: drover status scaled/,
    );
    expect((await api(t.address, "GET", "/v1/job/scaled")).body.TaskGroups[0].Count).toBe(2);

    const stop = new AbortController();
    stop.abort();
    const dio = { ...testIO(dir, { NOMAD_ADDR: t.address }), interrupt: stop.signal };
    expect(await main(["destroy", "--yes", "scaled"], dio)).toBe(130);
    expect(dio.stderr()).toContain("drover destroy: interrupted: stopped waiting; nothing that was sent to Nomad is undone.");
  });
});
