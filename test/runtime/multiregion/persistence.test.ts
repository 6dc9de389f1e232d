/**
 * Regions with a data dir: the agent's own region keeps its usual paths,
 * every other region persists under `<data-dir>/regions/<name>/`, and a
 * restarted agent carries a multiregion rollout on where it stopped.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AgentOptions } from "../../../lib/runtime/agent";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

let dir: string;
let t: TestAgent | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-multiregion-"));
});

afterEach(async () => {
  await t?.stop();
  t = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function options(): AgentOptions {
  return {
    dataDir: dir,
    region: "east",
    datacenter: "east-1",
    client: false,
    simNodes: 1,
    regions: [{ name: "west", datacenters: ["west-1"], simNodes: 1 }],
  };
}

function job(): Record<string, unknown> {
  const j = mockJob("resumed", { count: 0 });
  (j.TaskGroups as Record<string, unknown>[])[0].Update = {
    MaxParallel: 1,
    HealthCheck: "manual",
    MinHealthyTime: 10_000_000,
    HealthyDeadline: 60_000_000_000,
    ProgressDeadline: 120_000_000_000,
  };
  j.Multiregion = {
    Strategy: { MaxParallel: 1 },
    Regions: [
      { Name: "east", Count: 1, Datacenters: ["east-1"] },
      { Name: "west", Count: 1, Datacenters: ["west-1"] },
    ],
  };
  return j;
}

async function status(address: string, region: string): Promise<{ ID: string; Status: string } | null> {
  return (await api(address, "GET", `/v1/job/resumed/deployment?region=${region}`)).body;
}

async function markHealthy(address: string, region: string): Promise<void> {
  const d = (await status(address, region)) as { ID: string };
  const allocs = await waitFor(`the allocation in ${region}`, async () => {
    const l = (await api(address, "GET", `/v1/deployment/allocations/${d.ID}?region=${region}`)).body as { ID: string }[];
    return l.length === 1 ? l : false;
  });
  const r = await api(address, "POST", `/v1/deployment/allocation-health/${d.ID}?region=${region}`, {
    HealthyAllocationIDs: allocs.map((a) => a.ID),
  });
  expect(r.status).toBe(200);
}

test("each region persists in its own directory and a restarted agent resumes the rollout", async () => {
  t = await startTestAgent(options());
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: job() })).status).toBe(200);
  await waitFor(
    "east running and west pending",
    async () => (await status(t!.address, "east"))?.Status === "running" && (await status(t!.address, "west"))?.Status === "pending",
  );
  await t.stop();
  t = undefined;

  expect(fs.existsSync(path.join(dir, "server", "state.db"))).toBe(true);
  expect(fs.existsSync(path.join(dir, "regions", "west", "server", "state.db"))).toBe(true);

  t = await startTestAgent(options());
  const west = (await api(t.address, "GET", "/v1/job/resumed?region=west")).body;
  expect(west.Region).toBe("west");
  expect((await status(t.address, "east"))?.Status).toBe("running");
  expect((await status(t.address, "west"))?.Status).toBe("pending");

  await markHealthy(t.address, "east");
  await waitFor("west's turn after the restart", async () => (await status(t!.address, "west"))?.Status === "running");
  await markHealthy(t.address, "west");
  await waitFor(
    "both regions successful",
    async () => (await status(t!.address, "east"))?.Status === "successful" && (await status(t!.address, "west"))?.Status === "successful",
  );
});
