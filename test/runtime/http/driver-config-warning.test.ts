/**
 * The register path and driver configs: Nomad's servers accept any task
 * `Config` and the task fails only when it starts, so the agent registers a
 * job whose built-in driver config has an unknown key, and says so in the
 * register response's Warnings (the CLI and the DSL refuse it before).
 */
import { startTestAgent, type TestAgent } from "../../helpers/runtime";

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent();
});
afterAll(async () => {
  await agent.stop();
});

test("an unknown mock_driver config key is a warning on register, with a did-you-mean; the job is registered", async () => {
  const job = {
    ID: "warned",
    Datacenters: ["*"],
    TaskGroups: [
      { Name: "g", Tasks: [{ Name: "t", Driver: "mock_driver", Config: { run_fr: "1h" }, Resources: { CPU: 100, MemoryMB: 64 } }] },
    ],
  };
  const res = await fetch(`${agent.address}/v1/jobs`, { method: "PUT", body: JSON.stringify({ Job: job }) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { Warnings: string; EvalID: string };
  expect(body.Warnings).toContain(
    'Job.TaskGroups[0].Tasks[0].Config.run_fr: unknown mock_driver config key "run_fr" (did you mean "run_for"?)',
  );
  const stored = await fetch(`${agent.address}/v1/job/warned`);
  expect(stored.status).toBe(200);
});
