/**
 * NomadJob's provider through Pulumi's real dynamic-provider host, started
 * with the address of a small engine stand-in (as the engine starts it),
 * against the included runtime: progress in the engine's log, a purge that
 * stops the job's real process (checked on the host), children stopped with
 * their parent, and an interrupted wait that still records the job.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NomadClient } from "../../lib/api";
import { createNomadJobProvider } from "../../provider/shell";
import { api, mockJob, rawExecJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { HostError, serializeProvider, startEngineStandIn, startProviderHost, type EngineStandIn, type ProviderHost } from "./host";

type Obj = Record<string, any>;

const URN = "urn:pulumi:dev::shop::pulumi-nodejs:dynamic/drover:NomadJob::web";

/** A service on the mock driver whose deployment becomes healthy after `minHealthy` nanoseconds. */
function webJob(id: string, minHealthy = 50_000_000): Obj {
  const job = mockJob(id, { count: 2 }) as Obj;
  job.TaskGroups[0].Update = {
    MaxParallel: 2,
    HealthCheck: "task_states",
    MinHealthyTime: minHealthy,
    HealthyDeadline: 60e9,
    ProgressDeadline: 120e9,
  };
  return job;
}

function processRuns(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("NomadJob lifecycle through the dynamic-provider host and an engine stand-in", () => {
  let agent: TestAgent;
  let engine: EngineStandIn;
  let host: ProviderHost;
  let nomad: NomadClient;
  let dir: string;
  const inputs = (job: Obj, more: Obj = {}): Obj => ({ job, address: agent.address, waitTimeout: "30s", resourceUrn: URN, ...more });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-provider-"));
    agent = await startTestAgent({ simNodes: 1, plugins: { raw_exec: { enabled: true } }, gc: { intervalMs: 0 } });
    nomad = new NomadClient({ address: agent.address });
    engine = await startEngineStandIn();
    host = await startProviderHost(await serializeProvider(createNomadJobProvider()), { engineAddress: engine.address });
  });
  afterAll(async () => {
    await host?.close();
    await engine?.close();
    await nomad?.close();
    await agent?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function up(job: Obj, more: Obj = {}) {
    const checked = await host.check({}, inputs(job, more));
    expect(checked.failures).toEqual([]);
    return host.create(checked.inputs);
  }

  it("create reports the deployment's progress (placed, healthy) to the engine's log for the resource", async () => {
    engine.logs.length = 0;
    const created = await up(webJob("logged"));
    expect(created.properties.deploymentStatus).toBe("successful");
    const mine = engine.logs.filter((l) => l.urn === URN);
    expect(mine.length).toBeGreaterThan(2);
    expect(mine[0]).toMatchObject({ severity: 1, ephemeral: true });
    expect(mine[0].message).toMatch(/^Job "logged" registered \(modify index \d+, evaluation [0-9a-f]{8}\)$/);
    expect(mine.some((l) => /Deployment [0-9a-f]{8}: successful \(web: 2\/2 healthy, 2 placed\)/.test(l.message))).toBe(true);
    expect(mine[mine.length - 1]).toMatchObject({ message: 'Job "logged": deployed', ephemeral: false });
  });

  it("delete with purgeOnDestroy stops the job's process before it returns", async () => {
    const pidFile = path.join(dir, "pid");
    const script = "require('fs').writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000);";
    const job: Obj = {
      ...rawExecJob("proc", "service", { command: process.execPath, args: ["-e", script, pidFile] }),
      Datacenters: ["*"],
      Constraints: [{ LTarget: "${attr.driver.raw_exec}", RTarget: "1", Operand: "=" }],
    };
    job.TaskGroups[0].Update = { HealthCheck: "task_states", MinHealthyTime: 50_000_000, HealthyDeadline: 60e9, ProgressDeadline: 120e9 };
    const created = await up(job, { purgeOnDestroy: true });
    expect(created.properties.allocations).toMatchObject({ running: 1 });
    const pid = Number(await waitFor("the task's pid file", () => (fs.existsSync(pidFile) ? fs.readFileSync(pidFile, "utf8") : null)));
    expect(processRuns(pid)).toBe(true);
    engine.logs.length = 0;
    await host.delete(created.id, created.properties);
    expect(processRuns(pid)).toBe(false);
    await expect(nomad.jobs.info("proc")).rejects.toMatchObject({ status: 404 });
    const allocs = (await api(agent.address, "GET", "/v1/allocations")).body as Obj[];
    expect(allocs.filter((a) => a.JobID === "proc" && a.ClientStatus === "running")).toEqual([]);
    expect(engine.logs.map((l) => l.message)).toContain('Job "proc": all 1 allocation stopped');
  });

  it("delete of a periodic or parameterized parent stops (or purges) its running children unless stopChildren is false", async () => {
    const parent = (id: string) => ({
      ...mockJob(id, { type: "batch", runFor: "1h" }),
      Periodic: { Enabled: true, SpecType: "cron", Spec: "0 0 1 1 *", ProhibitOverlap: false },
    });
    const kept = await up(parent("cron-keep"), { stopChildren: false });
    const stopped = await up(parent("cron-stop"));
    for (const id of ["cron-keep", "cron-stop"]) expect((await api(agent.address, "PUT", `/v1/job/${id}/periodic/force`)).status).toBe(200);
    const childOf = async (id: string) => ((await nomad.jobs.list({ prefix: `${id}/` })).data ?? [])[0].ID;
    const keepChild = await childOf("cron-keep");
    const stopChild = await childOf("cron-stop");
    for (const c of [keepChild, stopChild])
      await waitFor(`${c} running`, async () => ((await nomad.jobs.allocations(c)).data ?? []).some((a) => a.ClientStatus === "running"));
    await host.delete(kept.id, kept.properties);
    await host.delete(stopped.id, stopped.properties);
    expect(((await nomad.jobs.allocations(keepChild)).data ?? []).map((a) => a.ClientStatus)).toEqual(["running"]);
    expect(((await nomad.jobs.allocations(stopChild)).data ?? []).map((a) => [a.DesiredStatus, a.ClientStatus])).toEqual([
      ["stop", "complete"],
    ]);
    expect((await nomad.jobs.info(stopChild)).data.Stop).toBe(true);

    // A parameterized parent purged with its dispatched jobs.
    const param = await up(
      { ...mockJob("render-p", { type: "batch", runFor: "1h" }), ParameterizedJob: { Payload: "optional" } },
      { purgeOnDestroy: true },
    );
    const dispatched = (await api(agent.address, "PUT", "/v1/job/render-p/dispatch", {})).body.DispatchedJobID as string;
    await waitFor(`${dispatched} running`, async () =>
      ((await nomad.jobs.allocations(dispatched)).data ?? []).some((a) => a.ClientStatus === "running"),
    );
    await host.delete(param.id, param.properties);
    expect(((await nomad.jobs.allocations(dispatched)).data ?? []).map((a) => [a.DesiredStatus, a.ClientStatus])).toEqual([
      ["stop", "complete"],
    ]);
    await expect(nomad.jobs.info(dispatched)).rejects.toMatchObject({ status: 404 });
  });

  it("preserveCounts: a count set by a scale is no change in the preview, and an update keeps it", async () => {
    const job = webJob("scaled-up");
    const created = await up(job, { preserveCounts: true });
    const scaled = await api(agent.address, "POST", "/v1/job/scaled-up/scale", { Count: 4, Target: { Group: "web" } });
    expect(scaled.status).toBe(200);
    await waitFor(
      "the scale's deployment done",
      async () => (await api(agent.address, "GET", "/v1/job/scaled-up/deployment")).body.Status === "successful",
    );
    // pulumi refresh reads the live job (count 4), then pulumi up compares it with the program's (count 2).
    const refreshed = await host.read(created.id, created.properties);
    const news = (await host.check(refreshed.inputs, inputs(job, { preserveCounts: true }))).inputs;
    expect(await host.diff(created.id, refreshed.properties, news)).toMatchObject({ changes: "none" });
    const withoutPreserve = (await host.check(refreshed.inputs, inputs(job))).inputs;
    expect(await host.diff(created.id, refreshed.properties, withoutPreserve)).toMatchObject({ changes: "some" });

    const changed = (await host.check(refreshed.inputs, inputs({ ...job, Meta: { release: "2" } }, { preserveCounts: true }))).inputs;
    const outs = await host.update(created.id, refreshed.properties, changed);
    expect(outs).toMatchObject({ version: 2 });
    const live = (await nomad.jobs.info("scaled-up")).data as Obj;
    expect(live.TaskGroups[0].Count).toBe(4);
    expect(live.Meta).toEqual({ release: "2" });
  });

  it("a run-once batch job that finished and was garbage-collected stays in the state and is not run again, unless rerunIfDead", async () => {
    const job = mockJob("report", { type: "batch", runFor: "20ms" });
    const created = await up(job);
    await waitFor("the batch job dead", async () => (await nomad.jobs.info("report")).data.Status === "dead");
    const read = await host.read(created.id, created.properties);
    expect(read.properties.status).toBe("dead");
    expect((await api(agent.address, "PUT", "/v1/system/gc")).status).toBe(200);
    await expect(nomad.jobs.info("report")).rejects.toMatchObject({ status: 404 });

    // pulumi refresh keeps it; the next pulumi up sees no change.
    const kept = await host.read(created.id, read.properties);
    expect(kept.id).toBe(created.id);
    const news = (await host.check(kept.inputs, inputs(job))).inputs;
    expect(await host.diff(created.id, kept.properties, news)).toMatchObject({ changes: "none" });

    // Asked to rerun: the update registers it again and it runs.
    const rerun = (await host.check(kept.inputs, inputs(job, { rerunIfDead: true }))).inputs;
    expect(await host.diff(created.id, kept.properties, rerun)).toMatchObject({ changes: "some" });
    const outs = await host.update(created.id, kept.properties, rerun);
    expect(outs.allocations).toMatchObject({ complete: 1 });
    expect((await nomad.jobs.info("report")).data.Version).toBe(0);
  });

  // Last: the host ends after an interrupt.
  it("an interrupted wait (the engine stops the host) still answers with the registered job, as a partial failure Pulumi keeps in state", async () => {
    const checked = (await host.check({}, inputs(webJob("slow", 30_000_000_000)))).inputs;
    const creating = host.create(checked);
    await waitFor("the job to be registered", async () => (await nomad.jobs.list({ prefix: "slow" })).data.length === 1);
    await waitFor("its deployment", async () => (await nomad.jobs.latestDeployment("slow")).data !== null);
    host.kill("SIGTERM");
    const err = (await creating.then(
      () => null,
      (e: unknown) => e,
    )) as HostError;
    expect(err).toBeInstanceOf(HostError);
    expect(err.initFailure?.id).toBe("slow@default");
    expect(err.initFailure?.properties).toMatchObject({ jobId: "slow", version: 0 });
    expect(err.initFailure?.reasons[0]).toMatch(
      /interrupted while waiting: the job is registered and Nomad goes on with it; follow it with `drover deployment status [0-9a-f-]{36}`/,
    );
    expect((await nomad.jobs.info("slow")).data.Stop).toBe(false);
  });
});
