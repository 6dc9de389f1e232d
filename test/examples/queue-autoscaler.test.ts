/**
 * examples/queue-autoscaler against the included runtime: the spool-directory
 * queue, and the scaler moving a group within its scaling block's min and max,
 * honouring the cooldown (also across restarts), with Nomad's scaling events
 * carrying its message and meta.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NomadClient } from "../../lib/api";
import { DirectoryQueue } from "../../examples/queue-autoscaler/queue";
import { QueueBasedScaler } from "../../examples/queue-autoscaler/scaler";
import type { ScaleAction, ScaleSkip } from "../../examples/queue-autoscaler/scaler";
import { demoWorkersJob, main, parseArgs } from "../../examples/queue-autoscaler/main";
import { api, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";

type Obj = Record<string, any>;

function fill(dir: string, n: number): void {
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `${i}.msg`), "work");
}

describe("DirectoryQueue", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-queue-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("counts finished message files, not ones being written", async () => {
    const q = new DirectoryQueue(dir);
    expect(await q.depth()).toBe(0);
    await q.push("a");
    await q.push("b");
    fs.writeFileSync(path.join(dir, ".half-written"), "x");
    fs.writeFileSync(path.join(dir, "upload.tmp"), "x");
    fs.mkdirSync(path.join(dir, "archive"));
    expect(await q.depth()).toBe(2);
    expect(q.name).toBe(`dir:${path.resolve(dir)}`);
  });

  it("names a missing directory", async () => {
    await expect(new DirectoryQueue(path.join(dir, "nope")).depth()).rejects.toThrow(
      `cannot read the queue directory ${path.join(dir, "nope")}: ENOENT`,
    );
  });
});

describe("QueueBasedScaler (against the included runtime)", () => {
  let t: TestAgent;
  let client: NomadClient;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-queue-"));
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
    client = new NomadClient({ address: t.address, retry: { maxAttempts: 1 } });
    await client.jobs.register(demoWorkersJob("workers", { min: 1, max: 5 }) as never);
    await settled();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await client.close();
    await t.stop();
  });

  /** Waits until the latest deployment is over (Nomad refuses to scale during an active one). */
  async function settled(): Promise<void> {
    await waitFor(
      "the deployment to finish",
      async () => (await api(t.address, "GET", "/v1/job/workers/deployment")).body?.Status === "successful",
      20_000,
    );
  }
  const count = async () => (await api(t.address, "GET", "/v1/job/workers")).body.TaskGroups[0].Count as number;

  it("scales from the queue depth within the scaling block, after each cooldown", async () => {
    let clock = Date.now() + 3_600_000;
    const lines: string[] = [];
    const scaler = new QueueBasedScaler(client, {
      jobId: "workers",
      group: "worker",
      source: new DirectoryQueue(dir),
      messagesPerWorker: 10,
      cooldownMs: 60_000,
      now: () => clock,
      log: (l) => lines.push(l),
    });

    fill(dir, 25);
    expect(await scaler.scale()).toMatchObject({ previous: 1, next: 3, depth: 25 });
    expect(await count()).toBe(3);
    expect(lines[0]).toBe(`scaling workers/worker: 1 -> 3 (25 messages in dir:${path.resolve(dir)}; 1..5 from the scaling block)`);
    const event = (await api(t.address, "GET", "/v1/job/workers/scale")).body.TaskGroups.worker.Events[0] as Obj;
    expect(event).toMatchObject({
      PreviousCount: 1,
      Count: 3,
      Message: `Queue scaler: 25 messages in dir:${path.resolve(dir)}`,
      Meta: { queue_depth: 25, messages_per_worker: 10, previous_count: 1 },
    });

    // Within the cooldown nothing happens, whatever the queue says.
    fill(dir, 100);
    clock += 59_000;
    expect(await scaler.scale()).toEqual({ skipped: "cooldown", remainingMs: 1_000 });
    expect(await count()).toBe(3);

    // After it: 100 messages ask for 11 workers; the scaling block's max is 5.
    await settled();
    clock += 1_000;
    expect(await scaler.scale()).toMatchObject({ previous: 3, next: 5, depth: 100 });
    await settled();

    // An empty queue goes down to the min, then there is nothing to do.
    fill(dir, 0);
    clock += 60_000;
    expect(await scaler.scale()).toMatchObject({ previous: 5, next: 1, depth: 0 });
    await settled();
    clock += 60_000;
    expect(await scaler.scale()).toEqual({ skipped: "unchanged", count: 1, depth: 0 });
    await waitFor(
      "one worker left",
      async () =>
        ((await api(t.address, "GET", "/v1/job/workers/allocations")).body as Obj[]).filter((a) => a.DesiredStatus === "run").length === 1,
      20_000,
    );
  });

  it("a restarted scaler honours the cooldown from Nomad's latest scaling event", async () => {
    fill(dir, 30);
    const fresh = new QueueBasedScaler(client, {
      jobId: "workers",
      group: "worker",
      source: new DirectoryQueue(dir),
      messagesPerWorker: 10,
      cooldownMs: 60_000,
    });
    const r = (await fresh.scale()) as Extract<ScaleSkip, { skipped: "cooldown" }>;
    expect(r.skipped).toBe("cooldown");
    expect(r.remainingMs).toBeGreaterThan(0);
    expect(await count()).toBe(1);
  });

  it("run() scales in a loop until aborted, and keeps going after errors", async () => {
    const rounds: (ScaleAction | ScaleSkip | Error)[] = [];
    const broken = new QueueBasedScaler(client, {
      jobId: "workers",
      group: "worker",
      source: new DirectoryQueue(path.join(dir, "missing")),
      cooldownMs: 0,
    });
    const stopBroken = new AbortController();
    const brokenRun = broken.run({ intervalMs: 10, signal: stopBroken.signal, onRound: (r) => rounds.push(r) });
    await waitFor("two failed rounds", () => rounds.length >= 2, 10_000);
    stopBroken.abort();
    await brokenRun;
    expect(rounds.every((r) => r instanceof Error && r.message.startsWith("cannot read the queue directory"))).toBe(true);

    fill(dir, 12);
    const actions: ScaleAction[] = [];
    const scaler = new QueueBasedScaler(client, {
      jobId: "workers",
      group: "worker",
      source: new DirectoryQueue(dir),
      messagesPerWorker: 10,
      cooldownMs: 0,
    });
    const stop = new AbortController();
    const running = scaler.run({ intervalMs: 20, signal: stop.signal, onRound: (r) => void ("next" in r && actions.push(r)) });
    await waitFor("a scaling action", () => actions.length >= 1, 10_000);
    stop.abort();
    await running;
    expect(actions[0]).toMatchObject({ previous: 1, next: 2, depth: 12 });
    expect(await count()).toBe(2);
  });

  it("main() registers the demo job and scales it until stopped", async () => {
    fill(dir, 35);
    const stop = new AbortController();
    const out: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((l: string) => void out.push(l));
    try {
      const done = main(
        ["--register", "--job", "cli-workers", "--dir", dir, "--per-worker", "10", "--cooldown", "0s", "--interval", "20ms"],
        new NomadClient({ address: t.address }),
        stop.signal,
      );
      await waitFor(
        "cli-workers scaled to 4",
        async () => (await api(t.address, "GET", "/v1/job/cli-workers")).body?.TaskGroups?.[0]?.Count === 4,
        20_000,
      );
      stop.abort();
      expect(await done).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out[0]).toMatch(/^registered cli-workers \(evaluation [0-9a-f]{8}\)$/);
    expect(out).toContain(`scaling cli-workers/worker: 1 -> 4 (35 messages in dir:${path.resolve(dir)}; 1..5 from the scaling block)`);
  });

  it("main(): bad arguments exit 2", async () => {
    const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["--per-worker", "0", "--dir", dir], client)).toBe(2);
      expect(await main(["--dir"], client)).toBe(2);
      expect(await main(["--bogus"], client)).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(parseArgs(["--dir", "/q", "--cooldown", "10s", "--interval", "2s"])).toEqual({
      jobId: "queue-workers",
      group: "worker",
      dir: "/q",
      messagesPerWorker: 100,
      cooldownMs: 10_000,
      intervalMs: 2_000,
      register: false,
    });
  });
});
