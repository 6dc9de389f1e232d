/** Nodes over HTTP: simulated pools from a config file, eligibility, drain, list filters and pagination. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile } from "../../../lib/runtime/config";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

describe("nodes", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-nodes-"));
    const file = path.join(dir, "agent.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        sim_nodes: [
          {
            count: 2,
            name: "edge",
            datacenter: "dc1",
            node_class: "edge",
            node_pool: "default",
            cpu: 2000,
            memory: 2048,
            meta: { rack: "r1" },
            attributes: { "platform.gpu": "none" },
          },
          { count: 3, name: "core", datacenter: "dc2", cpu: 8000, memory: 16384 },
        ],
      }),
    );
    const cfg = loadAgentConfigFile(file);
    t = await startTestAgent({ client: false, simPools: cfg.sim_nodes });
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("registers simulated pools with their resources, class, meta and attributes", async () => {
    const nodes = (await api(t.address, "GET", "/v1/nodes?resources=true")).body as {
      Name: string;
      Datacenter: string;
      NodeClass: string;
      NodeResources: { Memory: { MemoryMB: number } };
    }[];
    expect(nodes).toHaveLength(5);
    const edge = nodes.find((n) => n.Name === "edge-0");
    expect(edge).toMatchObject({ Datacenter: "dc1", NodeClass: "edge", NodeResources: { Memory: { MemoryMB: 2048 } } });
    const full = (await api(t.address, "GET", `/v1/node/${(edge as unknown as { ID: string }).ID}`)).body;
    expect(full.Meta).toEqual({ rack: "r1" });
    expect(full.Attributes).toMatchObject({ "platform.gpu": "none", "driver.mock_driver": "true", "unique.hostname": "edge-0" });
    expect(full.SecretID).toBe("");
    expect(full.Drain).toBe(false);
  });

  it("filters and paginates lists", async () => {
    const dc2 = (await api(t.address, "GET", `/v1/nodes?filter=${encodeURIComponent('Datacenter == "dc2"')}`)).body as { Name: string }[];
    expect(dc2.map((n) => n.Name).sort()).toEqual(["core-0", "core-1", "core-2"]);
    const page1 = await api(t.address, "GET", "/v1/nodes?per_page=2");
    expect(page1.body).toHaveLength(2);
    const token = page1.headers.get("x-nomad-nexttoken");
    expect(token).toBeTruthy();
    const page2 = await api(t.address, "GET", `/v1/nodes?per_page=2&next_token=${token}`);
    expect(page2.body[0].ID).toBe(token);
    expect(new Set([...page1.body, ...page2.body].map((n: { ID: string }) => n.ID)).size).toBe(4);
    expect((await api(t.address, "GET", `/v1/nodes?filter=${encodeURIComponent("Name matches x")}`)).status).toBe(400);
  });

  it("toggles eligibility and drains a node, moving its allocations", async () => {
    const nodes = (await api(t.address, "GET", "/v1/nodes")).body as { ID: string; Name: string }[];
    const core0 = nodes.find((n) => n.Name === "core-0") as { ID: string };
    for (const n of nodes)
      if (n.ID !== core0.ID) await api(t.address, "POST", `/v1/node/${n.ID}/eligibility`, { Eligibility: "ineligible" });
    const drained = { ...mockJob("drained", { count: 2 }), Datacenters: ["dc2"] } as unknown as { TaskGroups: Record<string, unknown>[] };
    drained.TaskGroups[0].Migrate = {
      MaxParallel: 1,
      HealthCheck: "task_states",
      MinHealthyTime: 20_000_000,
      HealthyDeadline: 60_000_000_000,
    };
    await api(t.address, "PUT", "/v1/jobs", { Job: drained });
    await waitFor("2 allocations on core-0", async () => {
      const l = (await api(t.address, "GET", `/v1/node/${core0.ID}/allocations`)).body as { ClientStatus: string }[];
      return l.length === 2 && l.every((a) => a.ClientStatus === "running") ? l : null;
    });
    const core1 = nodes.find((n) => n.Name === "core-1") as { ID: string };
    const elig = await api(t.address, "POST", `/v1/node/${core1.ID}/eligibility`, { Eligibility: "eligible" });
    expect(elig.status).toBe(200);
    const drain = await api(t.address, "POST", `/v1/node/${core0.ID}/drain`, {
      DrainSpec: { Deadline: 60_000_000_000, IgnoreSystemJobs: false },
    });
    expect(drain.status).toBe(200);
    // The drainer marks allocations for migration on its own schedule, so the drain's own answer may or may not carry its first evaluation (Nomad's carries none).
    expect(drain.body.NodeModifyIndex).toBeGreaterThan(0);
    const node = (await api(t.address, "GET", `/v1/node/${core0.ID}`)).body;
    expect(node.SchedulingEligibility).toBe("ineligible");
    await waitFor("allocations moved to core-1", async () => {
      const l = (
        (await api(t.address, "GET", "/v1/job/drained/allocations")).body as {
          NodeID: string;
          ClientStatus: string;
          DesiredStatus: string;
        }[]
      ).filter((a) => a.DesiredStatus === "run");
      return l.length === 2 && l.every((a) => a.NodeID === core1.ID && a.ClientStatus === "running") ? l : null;
    });
    await waitFor("the drain to complete", async () =>
      (await api(t.address, "GET", `/v1/node/${core0.ID}`)).body.DrainStrategy === null ? true : null,
    );
    expect((await api(t.address, "POST", `/v1/node/${core0.ID}/eligibility`, { Eligibility: "bogus" })).status).toBe(400);
  });
});

describe("cluster and version endpoints", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it("lists namespaces, node pools and servers", async () => {
    expect((await api(t.address, "GET", "/v1/namespaces")).body.map((n: { Name: string }) => n.Name)).toEqual(["default"]);
    expect((await api(t.address, "GET", "/v1/node/pools")).body.map((n: { Name: string }) => n.Name)).toEqual(["all", "default"]);
    expect((await api(t.address, "GET", "/v1/agent/servers")).body).toEqual(["127.0.0.1:4647"]);
    expect((await api(t.address, "GET", "/v1/namespace/other")).status).toBe(404);
  });

  it("reverts a job to an earlier version as a new version", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("rev", { count: 1 }) });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("rev", { count: 2 }) });
    const conflict = await api(t.address, "POST", "/v1/job/rev/revert", { JobID: "rev", JobVersion: 0, EnforcePriorVersion: 5 });
    expect(conflict.status).toBe(500);
    const r = await api(t.address, "POST", "/v1/job/rev/revert", { JobID: "rev", JobVersion: 0, EnforcePriorVersion: 1 });
    expect(r.status).toBe(200);
    const job = (await api(t.address, "GET", "/v1/job/rev")).body;
    expect(job.Version).toBe(2);
    expect(job.TaskGroups[0].Count).toBe(1);
    const stable = await api(t.address, "POST", "/v1/job/rev/stable", { JobID: "rev", JobVersion: 2, Stable: true });
    expect(stable.status).toBe(200);
    expect((await api(t.address, "GET", "/v1/job/rev")).body.Stable).toBe(true);
  });
});
