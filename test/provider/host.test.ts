/**
 * NomadJob's provider through Pulumi's real dynamic-provider host over gRPC
 * (what the engine does during preview, up, refresh and destroy), against
 * drover's included runtime running mock_driver jobs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { NomadClient } from "../../lib/api";
import type { Job } from "../../lib/jobspec";
import { createNomadJobProvider } from "../../provider/shell";
import { UNKNOWN } from "../../provider/props";
import { HostError, serializeProvider, startProviderHost, type ProviderHost } from "./host";

type Obj = Record<string, any>;

interface TestAgent {
  address: string;
  stop(): Promise<void>;
}

const HELPERS = path.resolve(__dirname, "..", "helpers", "runtime.ts");
const AGENT = path.resolve(__dirname, "..", "..", "lib", "runtime", "agent.ts");
const runtimeReady = fs.existsSync(HELPERS) || fs.existsSync(AGENT);

/** The included runtime: test/helpers `startTestAgent` when present, else `startAgent` on a free port. */
async function startRuntime(): Promise<TestAgent> {
  if (fs.existsSync(HELPERS)) return (require(HELPERS) as { startTestAgent(): Promise<TestAgent> }).startTestAgent();
  return (require(AGENT) as { startAgent(o: object): Promise<TestAgent> }).startAgent({ port: 0, bind: "127.0.0.1" });
}

/** A service job on the mock driver whose deployment becomes healthy within a second. */
function webJob(id: string, count = 2): Obj {
  return {
    ID: id,
    Type: "service",
    Datacenters: ["*"],
    TaskGroups: [
      {
        Name: "cache",
        Count: count,
        Update: {
          MaxParallel: 2,
          HealthCheck: "task_states",
          MinHealthyTime: 50_000_000,
          HealthyDeadline: 30_000_000_000,
          ProgressDeadline: 60_000_000_000,
        },
        Tasks: [
          { Name: "redis", Driver: "mock_driver", Config: { run_for: "10m" }, Env: { MODE: "a" }, Resources: { CPU: 100, MemoryMB: 64 } },
        ],
      },
    ],
  };
}

const maybe = runtimeReady ? describe : describe.skip;
if (!runtimeReady) it.todo("runs once lib/runtime/agent.ts (the included runtime) exists");

maybe("NomadJob through Pulumi's dynamic-provider host", () => {
  let agent: TestAgent;
  let host: ProviderHost;
  let nomad: NomadClient;
  /** Inputs as the program gives them, with the agent's address. */
  const inputs = (job: Obj, more: Obj = {}): Obj => ({ job, address: agent.address, waitTimeout: "20s", ...more });

  beforeAll(async () => {
    agent = await startRuntime();
    nomad = new NomadClient({ address: agent.address });
    host = await startProviderHost(await serializeProvider(createNomadJobProvider()));
  });
  afterAll(async () => {
    await host?.close();
    await nomad?.close();
    await agent?.stop();
  });

  /** check then create, as `pulumi up` does for a new resource. */
  async function up(job: Obj, more: Obj = {}) {
    const checked = await host.check({}, inputs(job, more));
    expect(checked.failures).toEqual([]);
    const created = await host.create(checked.inputs);
    return { checked: checked.inputs, ...created };
  }

  it("check: normalizes a valid job (bare or wrapped) and reports every problem with its path", async () => {
    const ok = await host.check({}, inputs({ Job: webJob("checked") }));
    expect(ok.failures).toEqual([]);
    expect(ok.inputs.job).toMatchObject({ ID: "checked", Namespace: "default", Priority: 50, Region: "global" });
    expect((ok.inputs.job as Obj).TaskGroups[0].RestartPolicy).toBeDefined(); // Nomad's defaults filled in

    const bad = webJob("bad");
    bad.TaskGroups[0].Count = -1;
    delete bad.TaskGroups[0].Tasks[0].Driver;
    const res = await host.check({}, inputs(bad, { waitTimeout: "soon" }));
    const reasons = res.failures.map((f) => `${f.property} ${f.reason}`);
    expect(reasons.some((r) => r.startsWith("job Job.TaskGroups[0].Count:"))).toBe(true);
    expect(reasons.some((r) => r.startsWith("job Job.TaskGroups[0].Tasks[0].Driver:"))).toBe(true);
    expect(reasons.some((r) => r.startsWith('waitTimeout invalid duration "soon"'))).toBe(true);
  });

  it("check: does not validate values unknown during a preview", async () => {
    const res = await host.check({}, inputs({ ID: "later", TaskGroups: UNKNOWN }));
    expect(res.failures).toEqual([]);
    expect(res.inputs.job).toEqual({ ID: "later", TaskGroups: UNKNOWN });
    const diff = await host.diff("x@default", { job: webJob("later") }, inputs({ ID: "later", TaskGroups: UNKNOWN }));
    expect(diff).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
  });

  it("check: a namespace input conflicting with the job's Namespace is a failure", async () => {
    const res = await host.check({}, inputs({ ...webJob("ns"), Namespace: "prod" }, { namespace: "dev" }));
    expect(res.failures).toEqual([
      { property: "namespace", reason: 'the namespace input "dev" differs from the job\'s Namespace "prod": set only one of them' },
    ]);
  });

  it("create waits for the deployment; diff after create and after refresh is empty", async () => {
    const { checked, id, properties } = await up(webJob("web"));
    expect(id).toBe("web@default");
    expect(properties).toMatchObject({
      jobId: "web",
      namespace: "default",
      region: "global",
      version: 0,
      status: "running",
      deploymentStatus: "successful",
    });
    expect(properties.allocations).toEqual({ pending: 0, running: 2, complete: 0, failed: 0, lost: 0, unknown: 0 });
    expect(properties.deploymentId).toMatch(/^[0-9a-f-]{36}$/);

    expect(await host.diff(id, properties, checked)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
    // The next run checks the program's inputs again: still nothing to do.
    const again = await host.check(checked, inputs(webJob("web")));
    expect((await host.diff(id, properties, again.inputs)).changes).toBe("none");
    // A refresh reads the live job back (server defaults, read-back shape): no phantom diff.
    const refreshed = await host.read(id, properties, checked);
    expect(refreshed.id).toBe(id);
    expect((await host.diff(id, refreshed.properties, again.inputs)).changes).toBe("none");
  });

  it("diff: an in-place change, a setting change, and replacements with and without deleteBeforeReplace", async () => {
    const old = (await host.check({}, inputs(webJob("d")))).inputs;
    const changed = webJob("d");
    changed.TaskGroups[0].Tasks[0].Env.MODE = "b";
    expect(await host.diff("d@default", old, inputs(changed))).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    expect((await host.diff("d@default", old, { ...old, detach: true })).changes).toBe("some");

    const renamed = (await host.check({}, inputs(webJob("d2")))).inputs;
    expect(await host.diff("d@default", old, renamed)).toEqual({ changes: "some", replaces: ["job"], deleteBeforeReplace: false });

    const batch = webJob("d");
    batch.Type = "batch";
    delete batch.TaskGroups[0].Update;
    const retyped = (await host.check({}, inputs(batch))).inputs;
    expect(await host.diff("d@default", old, retyped)).toEqual({ changes: "some", replaces: ["job"], deleteBeforeReplace: true });
  });

  it("update registers the new version and returns the full outputs", async () => {
    const { checked, id, properties } = await up(webJob("upd"));
    // A scale-up: two allocations are updated in place, one is placed; update waits for the deployment.
    const bigger = (await host.check(checked, inputs(webJob("upd", 3)))).inputs;
    const outs = await host.update(id, properties, bigger);
    expect(outs).toMatchObject({ jobId: "upd", version: 1, status: "running", deploymentStatus: "successful", address: agent.address });
    expect(outs.deploymentId).not.toBe(properties.deploymentId);
    expect(outs.jobModifyIndex).toBeGreaterThan(properties.jobModifyIndex as number);
    expect(outs.allocations).toMatchObject({ pending: 0, running: 3 });
    expect(outs.job).toEqual(bigger.job);
  });

  it("refuses to update a job changed outside Pulumi; a refresh shows the drift and the next update wins", async () => {
    const { checked, id, properties } = await up(webJob("drift"), { detach: true });
    const theirs = webJob("drift");
    theirs.Priority = 70;
    await nomad.jobs.register(theirs as Job);

    const bigger = (await host.check(checked, inputs(webJob("drift", 3)))).inputs;
    const refused = await host.update(id, properties, bigger).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HostError);
    expect((refused as HostError).message).toMatch(
      /job "drift" was changed by someone else since the plan \(modify index \d+ → \d+\) outside Pulumi: run `pulumi refresh`/,
    );

    const refreshed = await host.read(id, properties, checked);
    expect(refreshed.properties.job).toMatchObject({ Priority: 70 });
    expect(refreshed.inputs.job).toMatchObject({ Priority: 70 });
    expect(refreshed.properties.version).toBe(1);
    expect((await host.diff(id, refreshed.properties, checked)).changes).toBe("some");

    const outs = await host.update(id, refreshed.properties, checked);
    expect(outs.version).toBe(2);
    expect((await nomad.jobs.info("drift")).data.Priority).toBe(50);
  });

  it("delete stops the job (read then finds no resource); with purgeOnDestroy it is gone from Nomad", async () => {
    const stopped = await up(webJob("stop-me"), { detach: true });
    await host.delete(stopped.id, stopped.properties);
    expect((await nomad.jobs.info("stop-me")).data.Stop).toBe(true);
    expect((await host.read(stopped.id, stopped.properties)).id).toBe("");

    const purged = await up(webJob("purge-me"), { detach: true, purgeOnDestroy: true });
    await host.delete(purged.id, purged.properties);
    await expect(nomad.jobs.info("purge-me")).rejects.toMatchObject({ status: 404 });
    expect((await host.read(purged.id, purged.properties)).id).toBe("");
    // Deleting again (already gone) is fine.
    await host.delete(purged.id, purged.properties);
  });

  it("create refuses an existing job unless adopt is set, and then takes it over", async () => {
    await nomad.jobs.register(webJob("legacy") as Job);
    const checked = (await host.check({}, inputs(webJob("legacy", 3), { detach: true }))).inputs;
    await expect(host.create(checked)).rejects.toThrow(/job "legacy" already exists in namespace "default" \(version 0\): set adopt: true/);

    const adopted = await host.create({ ...checked, adopt: true });
    expect(adopted.id).toBe("legacy@default");
    expect(adopted.properties).toMatchObject({ jobId: "legacy", version: 1 });
    expect(((await nomad.jobs.info("legacy")).data as Obj).TaskGroups[0].Count).toBe(3);
  });

  it("create registers a stopped job of the same ID again (what a replacement does after deleting it)", async () => {
    const first = await up(webJob("again"), { detach: true });
    await host.delete(first.id, first.properties);
    const second = await up(webJob("again"), { detach: true });
    expect(second.properties).toMatchObject({ jobId: "again", version: 1 });
    expect((await nomad.jobs.info("again")).data.Stop).toBe(false);
  });

  it("a replacement under the same ID (service → batch): delete first, then create registers the new type", async () => {
    const first = await up(webJob("kind"), { detach: true });
    const batch = webJob("kind", 1);
    batch.Type = "batch";
    delete batch.TaskGroups[0].Update;
    batch.TaskGroups[0].Tasks[0].Config = { run_for: "100ms" };
    const next = (await host.check(first.checked, inputs(batch, { detach: true }))).inputs;
    const d = await host.diff(first.id, first.properties, next);
    expect(d).toEqual({ changes: "some", replaces: ["job"], deleteBeforeReplace: true });
    // What the engine does with deleteBeforeReplace: delete the old resource, then create the new one.
    await host.delete(first.id, first.properties);
    const second = await host.create(next);
    expect(second.id).toBe(first.id);
    expect(second.properties).toMatchObject({ jobId: "kind", version: 0 });
    expect((await nomad.jobs.info("kind")).data).toMatchObject({ Type: "batch", Stop: false });
  });

  it("a failed deployment is a partial failure with the failing allocations: Pulumi keeps the job in state", async () => {
    const job = webJob("boom", 1);
    const group = job.TaskGroups[0];
    group.RestartPolicy = { Attempts: 0, Mode: "fail", Interval: 60_000_000_000, Delay: 1_000_000_000 };
    group.ReschedulePolicy = { Attempts: 0, Unlimited: false };
    group.Tasks[0].Config = { start_error: "image not found" };
    const checked = (await host.check({}, inputs(job))).inputs;
    const err = await host.create(checked).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    const failure = (err as HostError).initFailure;
    expect(failure?.id).toBe("boom@default");
    expect(failure?.properties).toMatchObject({ jobId: "boom", version: 0, deploymentStatus: "failed", job: checked.job });
    expect(failure?.reasons[0]).toMatch(/^job "boom": deployment [0-9a-f]{8} failed: /);
    expect(failure?.reasons[0]).toContain("Driver Failure: image not found");
  });

  it("a job registered but unable to run is a partial failure: Pulumi keeps it in state", async () => {
    const job = webJob("huge", 1);
    job.TaskGroups[0].Tasks[0].Resources = { CPU: 10_000_000, MemoryMB: 64 };
    const checked = (await host.check({}, inputs(job))).inputs;
    const err = await host.create(checked).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    const failure = (err as HostError).initFailure;
    expect(failure?.id).toBe("huge@default");
    expect(failure?.properties).toMatchObject({ jobId: "huge", version: 0 });
    expect(failure?.reasons[0]).toMatch(/job "huge": the scheduler could not place all allocations/);
  });
});
