/** `drover event stream` end to end against the included runtime. */
import { api, mockJob, startTestAgent, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

describe("drover event stream (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1 });
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);

  it("prints a job's events from an index, one JSON frame per line, and stops after -n frames", async () => {
    const from = t.agent.server.store.latestIndex() + 1;
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("evcli", { count: 1 }) });
    const r = await run("event", "stream", "-topic", "Job:evcli", "-index", String(from), "-n", "1");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const frame = JSON.parse(lines[0]);
    expect(frame.Index).toBeGreaterThanOrEqual(from);
    expect(frame.Events[0]).toMatchObject({ Topic: "Job", Type: "JobRegistered", Key: "evcli", Namespace: "default" });
  });

  it("refuses a malformed -topic (exit 2) and reports the agent's refusal of an unknown topic (exit 1)", async () => {
    const usage = await run("event", "stream", "-topic", "Job:a:b");
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("expected TOPIC or TOPIC:KEY");
    const refused = await run("event", "stream", "-topic", "Quota", "-n", "1");
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^drover event stream: .*topic "Quota"/);
  });

  it("has --help", async () => {
    const r = await run("event", "stream", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: drover event stream [options]");
  });
});
