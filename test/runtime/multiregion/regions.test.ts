/**
 * One agent serving three regions: `/v1/regions`, requests routed by their
 * `region` parameter (reads and writes), Nomad's error for an unknown region.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

let t: TestAgent;

beforeAll(async () => {
  t = await startTestAgent({
    region: "north",
    client: false,
    simNodes: 1,
    regions: [
      { name: "west", datacenters: ["west-1"], simNodes: 2 },
      { name: "east", datacenters: ["east-1", "east-2"], simNodes: 4 },
    ],
  });
});

afterAll(async () => {
  await t?.stop();
});

test("/v1/regions lists every region the agent serves, sorted", async () => {
  const r = await api(t.address, "GET", "/v1/regions");
  expect(r.status).toBe(200);
  expect(r.body).toEqual(["east", "north", "west"]);
});

test("each region has its own nodes, in its own datacenters", async () => {
  const east = await api(t.address, "GET", "/v1/nodes?region=east");
  expect(east.status).toBe(200);
  expect(east.body.map((n: { Datacenter: string }) => n.Datacenter).sort()).toEqual(["east-1", "east-1", "east-2", "east-2"]);
  const west = await api(t.address, "GET", "/v1/nodes?region=west");
  expect(west.body.map((n: { Datacenter: string }) => n.Datacenter)).toEqual(["west-1", "west-1"]);
  const home = await api(t.address, "GET", "/v1/nodes");
  expect(home.body.map((n: { Datacenter: string }) => n.Datacenter)).toEqual(["dc1"]);
});

test("a job written to one region is read from that region only", async () => {
  const job = { ...mockJob("only-west", { count: 2 }), Datacenters: ["west-1"] };
  const reg = await api(t.address, "PUT", "/v1/jobs?region=west", { Job: job });
  expect(reg.status).toBe(200);
  expect((await api(t.address, "GET", "/v1/job/only-west?region=west")).status).toBe(200);
  expect((await api(t.address, "GET", "/v1/job/only-west?region=east")).status).toBe(404);
  expect((await api(t.address, "GET", "/v1/job/only-west")).status).toBe(404);
  const allocs = await waitFor("two running allocations in west", async () => {
    const r = await api(t.address, "GET", "/v1/job/only-west/allocations?region=west");
    return r.body.filter((a: { ClientStatus: string }) => a.ClientStatus === "running").length === 2 ? r.body : null;
  });
  const westNodes = new Set((await api(t.address, "GET", "/v1/nodes?region=west")).body.map((n: { ID: string }) => n.ID));
  for (const a of allocs) expect(westNodes.has(a.NodeID)).toBe(true);
  expect((await api(t.address, "GET", "/v1/allocations?region=east")).body).toEqual([]);
});

test("an unknown region gets Nomad's error", async () => {
  for (const [method, path] of [
    ["GET", "/v1/jobs?region=south"],
    ["PUT", "/v1/jobs?region=south"],
  ] as const) {
    const r = await api(t.address, method, path, method === "PUT" ? { Job: mockJob("x") } : undefined);
    expect(r.status).toBe(500);
    expect(r.text).toBe("No path to region");
  }
});

test("blocking queries wait on the region they name", async () => {
  const first = await api(t.address, "GET", "/v1/jobs?region=east");
  const index = Number(first.headers.get("x-nomad-index"));
  const started = api(t.address, "GET", `/v1/jobs?region=east&index=${index}&wait=5s`);
  // A write to another region does not wake the query; one to east does.
  await api(t.address, "PUT", "/v1/jobs?region=west", { Job: { ...mockJob("west-2"), Datacenters: ["west-1"] } });
  await api(t.address, "PUT", "/v1/jobs?region=east", { Job: { ...mockJob("east-1"), Datacenters: ["east-1"] } });
  const r = await started;
  expect(r.body.map((j: { ID: string }) => j.ID)).toEqual(["east-1"]);
});

test("a registration goes where Nomad sends it: the region parameter, else the body's Region, else the job's", async () => {
  const where = async (id: string) => {
    const out: Record<string, string | null> = {};
    for (const r of ["north", "west", "east"]) {
      const j = await api(t.address, "GET", `/v1/job/${id}?region=${r}`);
      out[r] = j.status === 200 ? j.body.Region : null;
    }
    return out;
  };
  const job = (id: string, region?: string) => ({
    ...mockJob(id),
    Datacenters: ["*"],
    ...(region === undefined ? {} : { Region: region }),
  });
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: job("by-job", "west") })).status).toBe(200);
  expect(await where("by-job")).toEqual({ north: null, west: "west", east: null });
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: job("by-body", "west"), Region: "east" })).status).toBe(200);
  expect(await where("by-body")).toEqual({ north: null, west: null, east: "east" });
  expect((await api(t.address, "PUT", "/v1/jobs?region=north", { Job: job("by-query", "west"), Region: "east" })).status).toBe(200);
  expect(await where("by-query")).toEqual({ north: "north", west: null, east: null });
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: job("by-agent", "global") })).status).toBe(200);
  expect(await where("by-agent")).toEqual({ north: "north", west: null, east: null });
  const lost = await api(t.address, "PUT", "/v1/jobs", { Job: job("lost", "south") });
  expect(lost.status).toBe(500);
  expect(lost.text).toBe("No path to region");
});

test("job submissions read the region \"global\" as the agent's own, as Nomad's agent does; other requests do not", async () => {
  const job = { ...mockJob("global-means-home"), Datacenters: ["*"], Region: "global" };
  const plan = await api(t.address, "PUT", "/v1/job/global-means-home/plan?region=global", { Job: job, Diff: true });
  expect(plan.status).toBe(200);
  expect((await api(t.address, "PUT", "/v1/validate/job?region=global", { Job: job })).status).toBe(200);
  expect((await api(t.address, "PUT", "/v1/jobs?region=global", { Job: job })).status).toBe(200);
  expect((await api(t.address, "GET", "/v1/job/global-means-home?region=north")).body.Region).toBe("north");
  const read = await api(t.address, "GET", "/v1/job/global-means-home?region=global");
  expect(read.status).toBe(500);
  expect(read.text).toBe("No path to region");
});

test("PUT /v1/job/:id and its plan follow the job's Region too", async () => {
  const job = { ...mockJob("by-path"), Datacenters: ["*"], Region: "east" };
  const plan = await api(t.address, "PUT", "/v1/job/by-path/plan", { Job: job, Diff: true });
  expect(plan.status).toBe(200);
  expect(plan.body.Annotations.DesiredTGUpdates.web.Place).toBe(1);
  expect((await api(t.address, "PUT", "/v1/job/by-path", { Job: job })).status).toBe(200);
  expect((await api(t.address, "GET", "/v1/job/by-path?region=east")).body.Region).toBe("east");
  expect((await api(t.address, "GET", "/v1/job/by-path")).status).toBe(404);
});

test("a region's tasks see their region, and its client endpoints answer with ?region=", async () => {
  const job = { ...mockJob("says-region", { config: { stdout_string: "I run in ${NOMAD_REGION}" } }), Datacenters: ["west-1"] };
  expect((await api(t.address, "PUT", "/v1/jobs?region=west", { Job: job })).status).toBe(200);
  const alloc = await waitFor("the running allocation in west", async () => {
    const l = (await api(t.address, "GET", "/v1/job/says-region/allocations?region=west")).body as { ID: string; ClientStatus: string }[];
    return l.find((a) => a.ClientStatus === "running");
  });
  const out = await waitFor("the task's output", async () => {
    const r = await api(t.address, "GET", `/v1/client/fs/logs/${alloc.ID}?task=main&type=stdout&plain=true&region=west`);
    return r.status === 200 && r.text.length > 0 ? r.text : false;
  });
  expect(out).toContain("I run in west");
});
