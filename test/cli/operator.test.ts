/** `drover operator scheduler get-config|set-config` end to end against the included runtime. */
import { startTestAgent, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

describe("drover operator scheduler (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 0, client: false });
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);

  it("get-config prints the settings as Nomad's CLI does", async () => {
    const r = await run("operator", "scheduler", "get-config");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Scheduler Algorithm           = binpack\n");
    expect(r.out).toContain("Pause Eval Broker             = false\n");
    expect(r.out).toMatch(/Modify Index {18}= \d+\n$/);
  });

  it("set-config changes what is given, keeps the rest, and honours -check-index", async () => {
    const set = await run("operator", "scheduler", "set-config", "-scheduler-algorithm", "spread", "-memory-oversubscription", "true");
    expect(set.err).toBe("");
    expect(set.out).toBe("Scheduler configuration updated!\n");
    const json = JSON.parse((await run("operator", "scheduler", "get-config", "-json")).out);
    expect(json).toMatchObject({ SchedulerAlgorithm: "spread", MemoryOversubscriptionEnabled: true, RejectJobRegistration: false });
    const stale = await run(
      "operator",
      "scheduler",
      "set-config",
      "-pause-eval-broker",
      "true",
      "-check-index",
      String(json.ModifyIndex + 100),
    );
    expect(stale.code).toBe(1);
    expect(stale.err).toContain("could not be atomically updated");
    const fresh = await run(
      "operator",
      "scheduler",
      "set-config",
      "-scheduler-algorithm",
      "binpack",
      "-check-index",
      String(json.ModifyIndex),
    );
    expect(fresh.code).toBe(0);
  });

  it("set-config switches preemption per scheduler type with Nomad's -preempt-*-scheduler flags", async () => {
    const set = await run(
      "operator",
      "scheduler",
      "set-config",
      "-preempt-service-scheduler",
      "true",
      "-preempt-system-scheduler",
      "false",
    );
    expect(set.code).toBe(0);
    const json = JSON.parse((await run("operator", "scheduler", "get-config", "-json")).out);
    expect(json.PreemptionConfig).toEqual({
      SystemSchedulerEnabled: false,
      SysBatchSchedulerEnabled: false,
      BatchSchedulerEnabled: false,
      ServiceSchedulerEnabled: true,
    });
    const text = await run("operator", "scheduler", "get-config");
    expect(text.out).toContain("Preemption Service Scheduler  = true\n");
    const bad = await run("operator", "scheduler", "set-config", "-preempt-batch-scheduler", "on");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('-preempt-batch-scheduler must be true or false, got "on"');
    expect((await run("operator", "scheduler", "set-config", "-preempt-system-scheduler", "true")).code).toBe(0);
  });

  it("refuses bad values (exit 2) and has --help", async () => {
    const bad = await run("operator", "scheduler", "set-config", "-scheduler-algorithm", "random");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("-scheduler-algorithm must be binpack or spread");
    expect((await run("operator", "scheduler", "set-config", "-reject-job-registration", "yes")).code).toBe(2);
    const help = await run("operator", "scheduler", "get-config", "--help");
    expect(help.code).toBe(0);
    expect(help.out).toContain("Usage: drover operator scheduler get-config");
  });
});
