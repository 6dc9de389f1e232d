/**
 * End-to-end: lib/plan and the CLI against drover's included runtime (a Nomad
 * in one process, lib/runtime). Skipped only while the runtime's agent module
 * does not exist yet.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NomadApiError, NomadClient } from "../../lib/api";
import type { Job } from "../../lib/jobspec";
import { applyJob, ConcurrentModificationError, destroyJob, planJob } from "../../lib/plan";
import { main } from "../../lib/cli/main";
import { testIO } from "./cli-io";

type Obj = Record<string, any>;

const AGENT_MODULE = path.join(__dirname, "..", "..", "lib", "runtime", "agent.ts");
const HELPERS_MODULE = path.join(__dirname, "..", "helpers", "runtime.ts");
const runtimeReady = fs.existsSync(AGENT_MODULE);

/** Starts the included runtime: test/helpers/runtime.ts `startTestAgent` when present, else `startAgent` on a free port. */
async function startRuntime(): Promise<TestAgent> {
  if (fs.existsSync(HELPERS_MODULE)) {
    const helpers = require(HELPERS_MODULE) as { startTestAgent(o?: unknown): Promise<TestAgent> };
    return helpers.startTestAgent();
  }
  const agent = require(AGENT_MODULE) as { startAgent(o: { port: number; bind: string }): Promise<TestAgent> };
  return agent.startAgent({ port: 0, bind: "127.0.0.1" });
}
const maybe = runtimeReady ? describe : describe.skip;

interface TestAgent {
  address: string;
  stop(): Promise<void>;
}

/** A service job on the mock driver that becomes healthy fast. */
function webJob(id = "web"): Obj {
  return {
    ID: id,
    Type: "service",
    Datacenters: ["*"],
    Update: {
      MaxParallel: 1,
      HealthCheck: "task_states",
      MinHealthyTime: 100_000_000,
      HealthyDeadline: 30_000_000_000,
      ProgressDeadline: 60_000_000_000,
    },
    TaskGroups: [
      {
        Name: "cache",
        Count: 2,
        Tasks: [
          { Name: "redis", Driver: "mock_driver", Config: { run_for: "10m" }, Env: { MODE: "a" }, Resources: { CPU: 100, MemoryMB: 64 } },
        ],
      },
    ],
  };
}

maybe("end to end against the included runtime", () => {
  let agent: TestAgent;
  let client: NomadClient;
  // Most steps return once the evaluation is done; one test follows a deployment to the end.
  const opts = { timeoutMs: 15_000, waitMs: 2_000, detach: true };

  beforeAll(async () => {
    // Loaded lazily so that this file compiles and skips while the runtime is being written.
    agent = await startRuntime();
    client = new NomadClient({ address: agent.address });
  });
  afterAll(async () => {
    await client?.close();
    await agent?.stop();
  });

  it("creates, re-applies with no diff, updates in place and destructively", async () => {
    const created = await planJob(client, webJob() as Job);
    expect(created.action).toBe("create");
    expect(created.desiredTGUpdates.cache?.Place).toBe(2);
    await applyJob(client, created, opts);

    const again = await planJob(client, webJob() as Job);
    expect(again.changes).toEqual([]);
    expect(again.action).toBe("noop");
    expect(again.serverDiff?.Type ?? "None").toBe("None");

    const inPlace = webJob();
    inPlace.TaskGroups[0].Tasks[0].KillTimeout = 9_000_000_000;
    const p1 = await planJob(client, inPlace as Job);
    expect(p1.action).toBe("update");
    expect(p1.changes.map((c) => `${c.path}:${c.effect}`)).toEqual(["TaskGroups[cache].Tasks[redis].KillTimeout:in-place"]);
    expect(p1.desiredTGUpdates.cache?.InPlaceUpdate).toBe(2);
    await applyJob(client, p1, opts);

    const destructive = structuredClone(inPlace);
    destructive.TaskGroups[0].Tasks[0].Env.MODE = "b";
    const p2 = await planJob(client, destructive as Job);
    expect(p2.changes.map((c) => `${c.path}:${c.effect}`)).toEqual(["TaskGroups[cache].Tasks[redis].Env.MODE:destructive"]);
    // A rolling update replaces MaxParallel (1) allocations at a time; the rest wait (Nomad's reconciler does the same).
    expect(p2.desiredTGUpdates.cache?.DestructiveUpdate).toBe(1);
    expect(p2.desiredTGUpdates.cache?.Ignore).toBe(1);
    const res = await applyJob(client, p2, opts);
    expect(res.outcome).toBe("detached");
    expect((await planJob(client, destructive as Job)).action).toBe("noop");
  });

  it("follows a deployment until it succeeds", async () => {
    const res = await applyJob(client, await planJob(client, webJob("rollout") as Job), { ...opts, detach: false });
    expect(res.outcome).toBe("deployed");
    expect(res.deploymentId).toBeTruthy();
    await destroyJob(client, "rollout", { purge: true });
  });

  it("refuses a concurrent modification", async () => {
    const mine = webJob("conc");
    await applyJob(client, await planJob(client, mine as Job), opts);
    const change = structuredClone(mine);
    change.TaskGroups[0].Count = 3;
    const plan = await planJob(client, change as Job);
    const theirs = structuredClone(mine);
    theirs.Priority = 60;
    await client.jobs.register(theirs as Job);
    await expect(applyJob(client, plan, opts)).rejects.toThrow(ConcurrentModificationError);
    await destroyJob(client, "conc", { purge: true });
  });

  it("replaces a job whose ID changed", async () => {
    await applyJob(client, await planJob(client, webJob("old-id") as Job), opts);
    const plan = await planJob(client, webJob("new-id") as Job, { previous: { id: "old-id" } });
    expect(plan.action).toBe("replace");
    expect(plan.replacementReasons[0]).toMatch(/ID changes from "old-id" to "new-id"/);
    await applyJob(client, plan, opts);
    await expect(client.jobs.info("old-id")).rejects.toThrow(NomadApiError);
    expect((await client.jobs.info("new-id")).data.ID).toBe("new-id");
    await destroyJob(client, "new-id", { purge: true });
  });

  it("destroys with and without purge", async () => {
    await applyJob(client, await planJob(client, webJob("gone") as Job), opts);
    await destroyJob(client, "gone");
    expect((await client.jobs.info("gone")).data.Stop).toBe(true);
    await destroyJob(client, "gone", { purge: true });
    const err = (await client.jobs.info("gone").catch((e: unknown) => e)) as NomadApiError;
    expect(err.status).toBe(404);
  });

  it("does the same through the CLI", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-e2e-"));
    try {
      fs.writeFileSync(path.join(dir, "cli.json"), JSON.stringify({ Job: webJob("cli") }));
      const env = { NOMAD_ADDR: agent.address };
      const plan = testIO(dir, env);
      expect(await main(["plan", "--detailed-exitcode", "cli.json"], plan)).toBe(2);
      expect(plan.stdout()).toContain('+ Job: "cli"');
      const apply = testIO(dir, env);
      expect(await main(["apply", "--yes", "--detach", "cli.json"], apply)).toBe(0);
      expect(apply.stdout()).toContain('==> Job "cli" registered');
      const again = testIO(dir, env);
      expect(await main(["plan", "--detailed-exitcode", "cli.json"], again)).toBe(0);
      expect(again.stdout()).toContain("No changes.");
      expect(await main(["destroy", "--purge", "--yes", "cli"], testIO(dir, env))).toBe(0);
      const after = testIO(dir, env);
      expect(await main(["plan", "cli.json"], after)).toBe(0);
      expect(after.stdout()).toContain('+ Job: "cli"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

if (!runtimeReady) {
  describe("end to end against the included runtime", () => {
    it.todo("runs once lib/runtime/agent.ts (startAgent) exists");
  });
}
