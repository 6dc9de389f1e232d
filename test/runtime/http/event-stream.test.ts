/**
 * `/v1/event/stream` end to end: a consumer (drover's API client) sees a
 * job's registration, evaluation, allocations and deployment in index
 * order, resumes from an index after reconnecting, filters by key, gets
 * heartbeats, and a consumer that stops reading is dropped with an error
 * frame instead of being buffered for.
 */
import * as http from "node:http";
import { NomadClient, type Events } from "../../../lib/api";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

describe("the event stream", () => {
  let t: TestAgent;
  let nomad: NomadClient;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2, eventStream: { heartbeatMs: 100, maxPendingBytes: 256 * 1024 } });
    nomad = new NomadClient({ address: t.address });
  });
  afterAll(async () => {
    await nomad?.close();
    await t?.stop();
  });

  /** Collects frames of a stream until `done` says so (bounded by a timeout through the abort signal). */
  async function collect(
    opts: Parameters<NomadClient["events"]["stream"]>[0],
    done: (frames: Events[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<Events[]> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    const frames: Events[] = [];
    try {
      for await (const f of nomad.events.stream({ ...opts, signal: ac.signal })) {
        frames.push(f);
        if (done(frames)) break;
      }
    } finally {
      clearTimeout(timer);
    }
    if (!done(frames))
      throw new Error(
        `stream ended without what was expected; got ${JSON.stringify(frames.map((f) => f.Events.map((e) => `${f.Index} ${e.Topic} ${e.Type}`)))}`,
      );
    return frames;
  }

  const events = (frames: Events[]) => frames.flatMap((f) => f.Events);

  it("shows a job's registration, its evaluation, its allocations and its deployment, in index order", async () => {
    const from = t.agent.server.store.latestIndex() + 1;
    const seen = collect({ index: from, topics: { Job: ["web"], Evaluation: ["web"], Allocation: ["web"], Deployment: ["web"] } }, (fs) =>
      events(fs).some((e) => e.Topic === "Deployment" && (e.Payload.Deployment as { Status: string }).Status === "successful"),
    );
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("web", { count: 2 }) });
    const frames = await seen;
    const indexes = frames.map((f) => f.Index);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(new Set(indexes).size).toBe(indexes.length);
    const all = events(frames);
    for (const e of all) expect(e.Index).toBe(frames.find((f) => f.Events.includes(e))!.Index);
    const first = (pred: (e: (typeof all)[number]) => boolean) => all.findIndex(pred);
    const registered = first((e) => e.Topic === "Job" && e.Type === "JobRegistered" && e.Key === "web");
    const evaluation = first((e) => e.Topic === "Evaluation" && e.Type === "EvaluationUpdated");
    const placed = first((e) => e.Topic === "Allocation" && e.Type === "PlanResult");
    const deployment = first((e) => e.Topic === "Deployment");
    expect(registered).toBeGreaterThanOrEqual(0);
    expect(evaluation).toBeGreaterThan(registered - 1);
    expect(placed).toBeGreaterThan(evaluation);
    expect(deployment).toBeGreaterThan(registered);
    const allocs = all.filter((e) => e.Topic === "Allocation");
    expect(new Set(allocs.map((e) => e.Key)).size).toBe(2);
    for (const a of allocs) {
      expect(a.Namespace).toBe("default");
      expect(a.FilterKeys).toContain("web");
      // Nomad leaves the job out of allocation events.
      expect((a.Payload.Allocation as { Job: unknown }).Job).toBeNull();
    }
    expect(
      all.some(
        (e) =>
          e.Topic === "Allocation" &&
          e.Type === "AllocationUpdated" &&
          (e.Payload.Allocation as { ClientStatus: string }).ClientStatus === "running",
      ),
    ).toBe(true);
    expect((all[registered].Payload.Job as { ID: string }).ID).toBe("web");
  });

  it("resumes from an index after a reconnect: what was published meanwhile comes, nothing twice", async () => {
    const first = collect({ topics: { Job: ["resume"] }, index: t.agent.server.store.latestIndex() + 1 }, (fs) => fs.length > 0);
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("resume", { count: 1 }) });
    const before = await first; // the loop broke: the connection is closed
    const last = before[before.length - 1].Index;
    // While nobody listens: a new version, then a stop.
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("resume", { count: 2 }) });
    await api(t.address, "DELETE", "/v1/job/resume");
    const after = await collect({ topics: { Job: ["resume"] }, index: last + 1 }, (fs) =>
      events(fs).some((e) => e.Type === "JobDeregistered"),
    );
    expect(after[0].Index).toBeGreaterThan(last);
    const jobs = events(after).map((e) => e.Payload.Job as { Version: number; Stop: boolean });
    expect(jobs.some((j) => j.Version === 1 && !j.Stop)).toBe(true);
    expect(jobs[jobs.length - 1].Stop).toBe(true);
    // From an index older than the buffer's oldest, the stream starts at the oldest write kept.
    const again = await collect({ topics: { Job: ["resume"] }, index: 1 }, (fs) => fs.length > 0);
    expect(again[0].Index).toBeLessThanOrEqual(last);
  });

  it("refuses an unknown topic and a bad index with Nomad's 400s", async () => {
    const bad = await api(t.address, "GET", "/v1/event/stream?topic=Job:a:b");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Invalid key value pair for topic, topic: Job:a:b");
    const unknown = await api(t.address, "GET", "/v1/event/stream?topic=Quota");
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('topic "Quota"');
    const index = await api(t.address, "GET", "/v1/event/stream?index=x");
    expect(index.status).toBe(400);
    expect(index.text).toContain("index");
  });

  it("sends {} heartbeats while nothing happens", async () => {
    const lines = await new Promise<string[]>((resolve, reject) => {
      const req = http.get(`${t.address}/v1/event/stream?topic=Job:never-registered`, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          text += d;
          const got = text.split("\n").filter((l) => l !== "");
          if (got.length >= 2) {
            req.destroy();
            resolve(got);
          }
        });
      });
      req.on("error", reject);
      req.setTimeout(10_000, () => reject(new Error("no heartbeats")));
    });
    expect(lines.slice(0, 2)).toEqual(["{}", "{}"]);
  });

  it("drops a subscriber that stops reading, with an error frame, instead of buffering for it", async () => {
    // Earlier tests' connections close on their own time: start from none.
    await waitFor("earlier subscriptions to close", () => t.agent.server.store.events.subscriptions === 0);
    const subscribed = 0;
    let res!: http.IncomingMessage;
    const req = http.get(`${t.address}/v1/event/stream?topic=Job`);
    await new Promise<void>((resolve, reject) => {
      req.on("response", (r) => {
        res = r;
        r.pause();
        resolve();
      });
      req.on("error", reject);
    });
    expect(t.agent.server.store.events.subscriptions).toBe(1);
    // Large jobs (1 MiB of meta each) fill the socket's buffers, then the server's queue passes its limit.
    const big = "x".repeat(1024 * 1024);
    for (let i = 0; i < 40 && t.agent.server.store.events.subscriptions > subscribed; i++) {
      await api(t.address, "PUT", "/v1/jobs", { Job: mockJob(`big-${i}`, { count: 0, meta: { big } }) });
    }
    expect(t.agent.server.store.events.subscriptions).toBe(subscribed);
    const tail = await new Promise<string>((resolve) => {
      let last = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (last = (last + d).slice(-4096)));
      res.on("end", () => resolve(last));
      res.resume();
    });
    expect(tail.trim().split("\n").pop()).toBe('{"Error":"subscription closed by server, client should resubscribe"}');
  });

  it("filters by key: a Job:other subscriber sees only other", async () => {
    const seen = collect({ topics: { Job: ["other"] }, index: t.agent.server.store.latestIndex() + 1 }, (fs) => fs.length > 0);
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("notother", { count: 1 }) });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("other", { count: 1 }) });
    const frames = await seen;
    expect(events(frames).map((e) => `${e.Topic} ${e.Key}`)).toEqual(["Job other"]);
  });
});
