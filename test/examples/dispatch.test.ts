/**
 * examples/dispatch against a real agent: the etl-pipeline job as synthesized
 * (docker driver) cannot be placed on the test agent's mock-driver node, and
 * the example says so; with its task swapped to the mock driver, the example
 * dispatches it with a date and a source and sees the child complete.
 */
import { NomadClient } from "../../lib/api";
import { dispatchAndWait, etlPipelineJob, main } from "../../examples/dispatch/main";
import { MockDriver } from "../../lib/runtime/drivers/mock";
import { api, startTestAgent, type TestAgent } from "../helpers/runtime";

describe("examples/dispatch", () => {
  let t: TestAgent;
  let client: NomadClient;

  beforeAll(async () => {
    // Only the mock driver, whatever else this machine has: the synthesized job's docker task must stay unplaceable here.
    t = await startTestAgent({ drivers: [new MockDriver()] });
    client = new NomadClient({ address: t.address, retry: { maxAttempts: 1 } });
  });

  afterAll(async () => {
    await t.stop();
  });

  it("reports that no node can run the docker task of the synthesized job", async () => {
    await client.jobs.register(etlPipelineJob());
    const result = await dispatchAndWait(client, { meta: { date: "2026-03-28", source: "clickstream" }, timeoutMs: 10_000 });
    expect(result.outcome).toBe("unplaced");
    expect(result.dispatchedJobID).toMatch(/^etl-pipeline\/dispatch-\d+-[0-9a-f]{8}$/);
    expect(result.message).toContain(`no node can run ${result.dispatchedJobID}`);
    expect(result.message).toContain("missing drivers");
  });

  it("dispatches the job with date and source and waits for the child to complete (task swapped to the mock driver)", async () => {
    const job = etlPipelineJob() as unknown as {
      TaskGroups: { Tasks: { Driver: string; Config: Record<string, unknown>; Resources: Record<string, number> }[] }[];
    };
    const task = job.TaskGroups[0].Tasks[0];
    task.Driver = "mock_driver";
    task.Config = { run_for: "100ms" };
    task.Resources = { CPU: 100, MemoryMB: 64 };
    await client.jobs.register(job as unknown as Parameters<typeof client.jobs.register>[0]);

    const lines: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
    let code: number;
    try {
      code = await main(["--date", "2026-03-28", "--source", "clickstream"], client);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const done = lines.find((l) => l.endsWith("completed (1 allocation)"));
    expect(done).toBeDefined();
    const childID = (done as string).split(" ")[0];
    const child = await api(t.address, "GET", `/v1/job/${encodeURIComponent(childID)}`);
    expect(child.body).toMatchObject({
      ParentID: "etl-pipeline",
      Dispatched: true,
      Status: "dead",
      Meta: { date: "2026-03-28", source: "clickstream" },
    });
  });

  it("refuses a dispatch without the required source before contacting the agent, and reports the agent's refusal of bad meta", async () => {
    const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["--date", "2026-03-28"], client)).toBe(2);
    } finally {
      err.mockRestore();
    }
    await expect(dispatchAndWait(client, { meta: { date: "2026-03-28" } })).rejects.toThrow(
      "Dispatch did not provide required meta keys: [source]",
    );
  });
});
