/**
 * A multiregion job on an agent that serves one region: listing only that
 * region, it deploys and ends successful; listing another region, it is
 * refused with the region named (Nomad without Enterprise refuses every
 * multiregion job).
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

let t: TestAgent;

beforeAll(async () => {
  t = await startTestAgent({ client: false, simNodes: 2 });
});

afterAll(async () => {
  await t?.stop();
});

function job(id: string, regions: string[]): Record<string, unknown> {
  const j = mockJob(id, { count: 0 });
  j.Multiregion = {
    Strategy: { MaxParallel: 1, OnFailure: "fail_all" },
    Regions: regions.map((name) => ({ Name: name, Count: 2, Datacenters: ["dc1"] })),
  };
  return j;
}

test("a job listing only the agent's region deploys there and ends successful", async () => {
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: job("home-only", ["global"]) })).status).toBe(200);
  const d = await waitFor("a successful deployment", async () => {
    const r = (await api(t.address, "GET", "/v1/job/home-only/deployment")).body;
    return r?.Status === "successful" ? r : false;
  });
  expect(d.IsMultiregion).toBe(true);
  expect((await api(t.address, "GET", "/v1/job/home-only/allocations")).body).toHaveLength(2);
});

test("a job listing a region the agent does not serve is refused", async () => {
  const r = await api(t.address, "PUT", "/v1/jobs", { Job: job("elsewhere", ["global", "mars"]) });
  expect(r.status).toBe(400);
  expect(r.text).toContain('"mars"');
  expect((await api(t.address, "GET", "/v1/job/elsewhere")).status).toBe(404);
});
