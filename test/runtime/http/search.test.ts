/** `POST /v1/search` and `/v1/search/fuzzy` end to end: prefix and fuzzy search over jobs, allocations and nodes, with Nomad's truncation and errors. */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

describe("search", () => {
  let t: TestAgent;
  let allocs: Obj[];
  let nodes: Obj[];
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2, client: false });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("shop-web", { count: 2, group: "frontend" }) });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("shop-api", { count: 1 }) });
    for (let i = 0; i < 22; i++)
      await api(t.address, "PUT", "/v1/jobs", { Job: mockJob(`zz-many-${String(i).padStart(2, "0")}`, { count: 0 }) });
    allocs = await waitFor("three allocations", async () => {
      const list = (await api(t.address, "GET", "/v1/allocations")).body as Obj[];
      return list.length === 3 ? list : null;
    });
    nodes = (await api(t.address, "GET", "/v1/nodes")).body as Obj[];
  });
  afterAll(async () => {
    await t?.stop();
  });

  const search = async (body: Obj) => api(t.address, "POST", "/v1/search", body);
  const fuzzy = async (body: Obj) => api(t.address, "POST", "/v1/search/fuzzy", body);

  it("finds jobs by ID prefix, sorted, with the index of the jobs table", async () => {
    const r = await search({ Prefix: "shop-", Context: "jobs" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ Matches: { jobs: ["shop-api", "shop-web"] }, Truncations: { jobs: false } });
    expect(Object.keys(r.body.Matches)).toEqual(["jobs"]);
    expect(r.body.Index).toBeGreaterThan(0);
    expect(r.headers.get("x-nomad-index")).toBe(String(r.body.Index));
  });

  it("returns at most 20 matches per context and says it truncated", async () => {
    const r = await search({ Prefix: "zz-many-", Context: "jobs" });
    expect(r.body.Matches.jobs).toHaveLength(20);
    expect(r.body.Matches.jobs[0]).toBe("zz-many-00");
    expect(r.body.Truncations.jobs).toBe(true);
  });

  it("finds allocations and nodes by ID prefix, and every context with all", async () => {
    const a = allocs[0].ID as string;
    const r = await search({ Prefix: a.slice(0, 6), Context: "allocs" });
    expect(r.body.Matches.allocs).toContain(a);
    const n = nodes[0].ID as string;
    expect((await search({ Prefix: n.slice(0, 8), Context: "nodes" })).body.Matches.nodes).toEqual([n]);
    const all = await search({ Prefix: "shop", Context: "all" });
    expect(Object.keys(all.body.Matches).sort()).toEqual([
      "allocs",
      "deployment",
      "evals",
      "host_volumes",
      "jobs",
      "namespaces",
      "node_pools",
      "nodes",
      "plugins",
      "scaling_policy",
      "vars",
      "volumes",
    ]);
    expect(all.body.Matches.jobs).toEqual(["shop-api", "shop-web"]);
    expect(all.body.Matches.nodes).toBeNull();
    expect((await search({ Prefix: "def", Context: "namespaces" })).body.Matches.namespaces).toEqual(["default"]);
    expect((await search({ Prefix: "", Context: "node_pools" })).body.Matches.node_pools).toEqual(["all", "default"]);
  });

  it("fuzzy: finds jobs, groups and tasks by a text they contain, best match first, with their scope", async () => {
    const r = await fuzzy({ Text: "Web", Context: "jobs" });
    expect(r.status).toBe(200);
    expect(r.body.Matches.jobs).toEqual([{ ID: "shop-web", Scope: ["default", "shop-web"] }]);
    const groups = await fuzzy({ Text: "front", Context: "jobs" });
    expect(groups.body.Matches.groups).toEqual([{ ID: "frontend", Scope: ["default", "shop-web"] }]);
    const tasks = await fuzzy({ Text: "mai", Context: "jobs" });
    // Only the first 20 jobs are looked at, as in Nomad: the rest is flagged as truncated.
    expect(tasks.body.Matches.tasks.length).toBe(20);
    expect(tasks.body.Truncations.tasks).toBe(true);
    // Scoring: an earlier match ranks first, then a shorter name.
    const shop = await fuzzy({ Text: "shop", Context: "jobs" });
    expect(shop.body.Matches.jobs.map((m: Obj) => m.ID)).toEqual(["shop-api", "shop-web"]);
  });

  it("fuzzy: allocations by name and nodes by name; evaluations by ID prefix", async () => {
    const r = await fuzzy({ Text: "shop-web.frontend", Context: "allocs" });
    expect(r.body.Matches.allocs.map((m: Obj) => m.ID).sort()).toEqual(["shop-web.frontend[0]", "shop-web.frontend[1]"]);
    expect(r.body.Matches.allocs[0].Scope[0]).toBe("default");
    const name = nodes[0].Name as string;
    const n = await fuzzy({ Text: name, Context: "nodes" });
    expect(n.body.Matches.nodes[0]).toEqual({ ID: name, Scope: [nodes[0].ID] });
    const evals = (await api(t.address, "GET", "/v1/evaluations")).body as Obj[];
    const e = await fuzzy({ Text: evals[0].ID.slice(0, 8), Context: "evals" });
    expect(e.body.Matches.evals).toContainEqual({ ID: evals[0].ID });
  });

  it("refuses a short fuzzy text and an unknown context, saying why", async () => {
    const short = await fuzzy({ Text: "w", Context: "jobs" });
    expect(short.status).toBe(400);
    expect(short.text).toBe("fuzzy search query must be at least 2 characters, got 1");
    const bad = await search({ Prefix: "x", Context: "quotas" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("context must be one of");
    expect(bad.text).toContain('got "quotas"');
  });
});
