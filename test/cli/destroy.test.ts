/**
 * `drover destroy` end to end against the included runtime: a purge that
 * stops the job's real process (checked on the host), destroy of a program,
 * of a directory and of several job IDs, children stopped with their
 * periodic or parameterized parent (or kept with --keep-children), and
 * arguments that are neither a job nor a readable path.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { api, mockJob, rawExecJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { testIO } from "../plan/cli-io";

const DSL = path.resolve(__dirname, "..", "..", "lib", "dsl");

interface AllocStub {
  ID: string;
  JobID: string;
  ClientStatus: string;
  DesiredStatus: string;
}

/** True while the process runs (a zombie counts as gone: it no longer runs). */
function processRuns(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("drover destroy against the included runtime", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1, plugins: { raw_exec: { enabled: true } }, gc: { intervalMs: 0 } });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-destroy-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ NOMAD_ADDR: t.address });
  const allocs = async (id: string): Promise<AllocStub[]> =>
    (await api(t.address, "GET", `/v1/job/${encodeURIComponent(id)}/allocations`)).body;
  const running = (id: string, n = 1) =>
    waitFor(`${n} running allocations of ${id}`, async () => {
      const l = (await allocs(id)).filter((a) => a.DesiredStatus === "run" && a.ClientStatus === "running");
      return l.length >= n ? l : null;
    });
  const register = async (job: Record<string, unknown>) => expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);

  it("--purge of a running raw_exec job stops its process before it returns, and leaves no allocation running", async () => {
    const pidFile = path.join(dir, "pid");
    const script = "require('fs').writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000);";
    await register({
      ...rawExecJob("worker", "service", { command: process.execPath, args: ["-e", script, pidFile] }),
      Datacenters: ["*"],
      Constraints: [{ LTarget: "${attr.driver.raw_exec}", RTarget: "1", Operand: "=" }],
    });
    await running("worker");
    const pid = Number(await waitFor("the task's pid file", () => (fs.existsSync(pidFile) ? fs.readFileSync(pidFile, "utf8") : null)));
    expect(processRuns(pid)).toBe(true);

    const io = testIO(dir, env());
    expect(await main(["destroy", "--purge", "--yes", "worker"], io)).toBe(0);
    expect(io.stdout()).toContain('- Job: "worker" (service, 1 allocation running): purge');
    expect(io.stdout()).toContain('==> Job "worker" purged');
    expect(io.stdout()).toContain('Job "worker": all 1 allocation stopped');
    expect(io.stdout()).toContain("Destroyed 1 job.");
    expect(processRuns(pid)).toBe(false);
    const all = (await api(t.address, "GET", "/v1/allocations")).body as AllocStub[];
    expect(all.filter((a) => a.JobID === "worker" && (a.DesiredStatus === "run" || a.ClientStatus === "running"))).toEqual([]);
    expect((await api(t.address, "GET", "/v1/job/worker")).status).toBe(404);
  });

  it("destroys what a directory of job files and a program define; a second run has nothing to do", async () => {
    fs.mkdirSync(path.join(dir, "dist"));
    for (const id of ["dir-a", "dir-b"]) {
      await register(mockJob(id));
      fs.writeFileSync(path.join(dir, "dist", `${id}.json`), JSON.stringify({ Job: mockJob(id) }));
    }
    fs.writeFileSync(
      path.join(dir, "main.ts"),
      `import { App, Driver, Job } from ${JSON.stringify(DSL)};
const app = new App();
new Job(app, "from-program", { datacenters: ["dc1"] }).addGroup("g").addTask("t", { driver: Driver.mock({ runFor: "1h" }), resources: { cpu: 50, memoryMB: 32 } });
app.synth();
`,
    );
    await register({ ...mockJob("from-program", { group: "g" }) });
    await running("dir-a");
    await running("dir-b");
    await running("from-program");

    const io = testIO(dir, env());
    const code = await main(["destroy", "--yes", "dist", "main.ts"], io);
    expect(io.stderr()).toBe("");
    expect(code).toBe(0);
    expect(io.stdout()).toContain("Destroy: 3 jobs to stop.");
    for (const id of ["dir-a", "dir-b", "from-program"]) {
      expect(io.stdout()).toContain(`==> Job "${id}" stopped`);
      expect((await allocs(id)).every((a) => a.DesiredStatus === "stop" && a.ClientStatus === "complete")).toBe(true);
      expect((await api(t.address, "GET", `/v1/job/${id}`)).body.Stop).toBe(true);
    }
    const again = testIO(dir, env());
    expect(await main(["destroy", "--yes", "dist"], again)).toBe(0);
    expect(again.stdout()).toContain('- Job: "dir-a" (service, no allocation running): already stopped');
    expect(again.stdout()).toContain("Nothing to destroy.");
  });

  it.each([
    ["a running batch job", mockJob("batch-run", { type: "batch", count: 2, runFor: "1h" }), 2],
    ["a system job", mockJob("sys-run", { type: "system" }), 2],
  ])("--purge of %s stops every allocation before it returns", async (_what, job, n) => {
    const id = job.ID as string;
    await register(job);
    await running(id, n);
    const io = testIO(dir, env());
    expect(await main(["destroy", "--purge", "--yes", id], io)).toBe(0);
    expect(io.stdout()).toContain(`Job "${id}": all ${n} allocations stopped`);
    const all = (await api(t.address, "GET", "/v1/allocations")).body as AllocStub[];
    expect(all.filter((a) => a.JobID === id).map((a) => [a.DesiredStatus, a.ClientStatus])).toEqual(Array(n).fill(["stop", "complete"]));
  });

  it("a stopped job read by plan shows Stop going back to false, and apply starts it again", async () => {
    await register(mockJob("restart-me"));
    await running("restart-me");
    expect(await main(["destroy", "--yes", "restart-me"], testIO(dir, env()))).toBe(0);
    fs.writeFileSync(path.join(dir, "restart-me.json"), JSON.stringify({ Job: mockJob("restart-me") }));
    const plan = testIO(dir, env());
    expect(await main(["plan", "restart-me.json"], plan)).toBe(0);
    expect(plan.stdout()).toContain("~ Stop: true → false (the stopped job is started again)");
    expect(await main(["apply", "--yes", "restart-me.json"], testIO(dir, env()))).toBe(0);
    expect((await api(t.address, "GET", "/v1/job/restart-me")).body.Stop).toBe(false);
    await running("restart-me");
  });

  it("refuses an argument that is neither a job nor a readable path, and changes nothing", async () => {
    await register(mockJob("kept"));
    for (const arg of ["dist/", "jobs/main.ts", "no-such-job"]) {
      const io = testIO(dir, env());
      expect(await main(["destroy", "--yes", "kept", arg], io)).toBe(1);
      expect(io.stderr()).toContain(`drover destroy: ${arg}: neither a job in namespace "default" nor a readable file or directory`);
    }
    expect((await api(t.address, "GET", "/v1/job/kept")).body.Stop).toBe(false);
    expect(await main(["destroy"], testIO(dir, env()))).toBe(2);
  });

  it("stops the running children of a periodic and of a parameterized parent with it, unless --keep-children", async () => {
    const periodic = {
      ...mockJob("nightly", { type: "batch", runFor: "1h" }),
      Periodic: { Enabled: true, SpecType: "cron", Spec: "0 0 1 1 *", ProhibitOverlap: false },
    };
    const param = { ...mockJob("render", { type: "batch", runFor: "1h" }), ParameterizedJob: { Payload: "optional" } };
    await register(periodic);
    await register(param);
    expect((await api(t.address, "PUT", "/v1/job/nightly/periodic/force")).status).toBe(200);
    const d1 = (await api(t.address, "PUT", "/v1/job/render/dispatch", {})).body.DispatchedJobID as string;
    const d2 = (await api(t.address, "PUT", "/v1/job/render/dispatch", {})).body.DispatchedJobID as string;
    const launched = ((await api(t.address, "GET", "/v1/jobs?prefix=nightly/")).body as { ID: string }[]).map((j) => j.ID);
    for (const c of [...launched, d1, d2]) await running(c);

    const keep = testIO(dir, env());
    expect(await main(["destroy", "--yes", "--keep-children", "nightly"], keep)).toBe(0);
    expect(keep.stdout()).not.toContain("Child job");
    await running(launched[0]);

    const io = testIO(dir, env());
    expect(await main(["destroy", "--yes", "--purge", "nightly", "render"], io)).toBe(0);
    expect(io.stdout()).toContain(`  - Child job: "${launched[0]}" (running): purge`);
    expect(io.stdout()).toContain(`  - Child job: "${d1}" (running): purge`);
    expect(io.stdout()).toContain(`==> Job "${d2}" purged with its parent "render"`);
    for (const c of [...launched, d1, d2]) {
      expect((await allocs(c)).every((a) => a.DesiredStatus === "stop" && a.ClientStatus === "complete")).toBe(true);
      expect((await api(t.address, "GET", `/v1/job/${encodeURIComponent(c)}`)).status).toBe(404);
    }
  });
});
