/**
 * examples/multiregion's job on an agent serving its two regions: us-east
 * deploys first (3 allocations in dc-east), eu-west after it (2 in
 * dc-west), and both end successful. The job's task is swapped for a mock
 * one (no container engine here) with task-state health; its multiregion
 * block is the example's own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { api, REPO_ROOT, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

let t: TestAgent;

beforeAll(async () => {
  t = await startTestAgent({
    region: "us-east",
    datacenter: "dc-east",
    client: false,
    simNodes: 3,
    regions: [{ name: "eu-west", datacenters: ["dc-west"], simNodes: 2 }],
  });
});

afterAll(async () => {
  await t?.stop();
});

function exampleJob(): Record<string, any> {
  const job = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "examples", "multiregion", "multiregion.json"), "utf8")).Job;
  for (const g of job.TaskGroups) {
    delete g.Services;
    delete g.Networks;
    g.Update = {
      HealthCheck: "task_states",
      MinHealthyTime: 10_000_000,
      HealthyDeadline: 60_000_000_000,
      ProgressDeadline: 120_000_000_000,
    };
    for (const task of g.Tasks) {
      task.Driver = "mock_driver";
      task.Config = { run_for: "1h" };
    }
  }
  return job;
}

interface Alloc {
  NodeID: string;
  ClientStatus: string;
  CreateTime: number;
  DeploymentStatus: { Healthy: boolean; Timestamp: string } | null;
}

test("us-east deploys first, then eu-west, each with its count in its datacenter", async () => {
  const job = exampleJob();
  expect(job.TaskGroups[0].Count).toBe(0);
  const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
  expect(r.status).toBe(200);

  for (const region of ["us-east", "eu-west"])
    await waitFor(
      `a successful deployment in ${region}`,
      async () => (await api(t.address, "GET", `/v1/job/multiregion/deployment?region=${region}`)).body?.Status === "successful",
      15_000,
    );

  const allocs = async (region: string): Promise<Alloc[]> =>
    (await api(t.address, "GET", `/v1/job/multiregion/allocations?region=${region}`)).body;
  const nodesDC = async (region: string) =>
    new Map<string, string>(
      (await api(t.address, "GET", `/v1/nodes?region=${region}`)).body.map((n: { ID: string; Datacenter: string }) => [n.ID, n.Datacenter]),
    );
  const east = await allocs("us-east");
  const west = await allocs("eu-west");
  expect(east).toHaveLength(3);
  expect(west).toHaveLength(2);
  const eastDC = await nodesDC("us-east");
  const westDC = await nodesDC("eu-west");
  expect(east.map((a) => eastDC.get(a.NodeID))).toEqual(["dc-east", "dc-east", "dc-east"]);
  expect(west.map((a) => westDC.get(a.NodeID))).toEqual(["dc-west", "dc-west"]);

  // eu-west placed nothing before every us-east allocation was healthy.
  const eastHealthyAt = Math.max(...east.map((a) => Date.parse(a.DeploymentStatus!.Timestamp)));
  const westPlacedAt = Math.min(...west.map((a) => a.CreateTime / 1e6));
  expect(west.every((a) => a.DeploymentStatus?.Healthy === true)).toBe(true);
  expect(westPlacedAt).toBeGreaterThanOrEqual(eastHealthyAt);
});
