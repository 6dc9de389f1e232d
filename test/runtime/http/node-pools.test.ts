/**
 * Node pools over HTTP (`/v1/node/pools`, `/v1/node/pool/:name[/nodes|/jobs]`)
 * with Nomad's rules and texts, and the node list's `resources`/`os` fields.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, mockJob, startTestAgent, type TestAgent } from "../../helpers/runtime";

describe("node pools", () => {
  let t: TestAgent;
  let dataDir: string;
  let gpuNode: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-pools-"));
    t = await startTestAgent({ client: false, simNodes: 1, dataDir });
    [gpuNode] = await t.agent.addSimNodes({ count: 1, name: "gpu", node_pool: "gpu" });
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the built-in pools and the pool a node registered into", async () => {
    const r = await api(t.address, "GET", "/v1/node/pools");
    expect(r.status).toBe(200);
    expect(r.body.map((p: any) => p.Name)).toEqual(["all", "default", "gpu"]);
    expect(r.body[0]).toEqual({
      Name: "all",
      Description: "Node pool with all nodes in the cluster.",
      Meta: null,
      SchedulerConfiguration: null,
      NodeIdentityTTL: 86_400_000_000_000,
      CreateIndex: 1,
      ModifyIndex: 1,
    });
    expect(r.body[2]).toMatchObject({ Name: "gpu", Description: "" });
    expect((await api(t.address, "GET", "/v1/node/pools?prefix=d")).body.map((p: any) => p.Name)).toEqual(["default"]);
  });

  it("creates and updates a pool; reads it back; 404 for one that does not exist", async () => {
    const put = await api(t.address, "PUT", "/v1/node/pools", { Name: "batch", Description: "batch work", Meta: { team: "data" } });
    expect(put.status).toBe(200);
    const created = (await api(t.address, "GET", "/v1/node/pool/batch")).body;
    expect(created).toMatchObject({
      Name: "batch",
      Description: "batch work",
      Meta: { team: "data" },
      NodeIdentityTTL: 86_400_000_000_000,
    });
    const upd = await api(t.address, "POST", "/v1/node/pool/batch", { Name: "batch", Description: "nightly", NodeIdentityTTL: "1h" });
    expect(upd.status).toBe(200);
    const updated = (await api(t.address, "GET", "/v1/node/pool/batch")).body;
    expect(updated).toMatchObject({
      Description: "nightly",
      Meta: null,
      NodeIdentityTTL: 3_600_000_000_000,
      CreateIndex: created.CreateIndex,
    });
    expect(updated.ModifyIndex).toBeGreaterThan(created.ModifyIndex);
    expect(await api(t.address, "GET", "/v1/node/pool/nope")).toMatchObject({ status: 404, text: "node pool not found" });
  });

  it.each([
    ["PUT", "/v1/node/pools", { Name: "default", Description: "x" }, 400, 'modifying node pool "default" is not allowed'],
    ["PUT", "/v1/node/pool/all", { Name: "all" }, 400, 'modifying node pool "all" is not allowed'],
    ["PUT", "/v1/node/pool/x", { Name: "y" }, 400, "Node pool name does not match request path"],
    [
      "PUT",
      "/v1/node/pools",
      { Name: "has space" },
      400,
      'invalid node pool "has space": 1 error occurred:\n\t* invalid name "has space", must match regex ^[a-zA-Z0-9-_]{1,128}$\n\n',
    ],
    [
      "PUT",
      "/v1/node/pools",
      { Name: "x", Description: "d".repeat(257) },
      400,
      'invalid node pool "x": 1 error occurred:\n\t* description longer than 256\n\n',
    ],
    [
      "PUT",
      "/v1/node/pools",
      { Name: "x", SchedulerConfiguration: { SchedulerAlgorithm: "spread" } },
      500,
      'Feature "Node Pools Governance" is unlicensed',
    ],
    ["DELETE", "/v1/node/pool/all", undefined, 500, 'deleting node pool "all" is not allowed'],
    ["DELETE", "/v1/node/pool/nope", undefined, 500, "node pool nope not found"],
    ["DELETE", "/v1/node/pool/gpu", undefined, 500, '1 error occurred:\n\t* node pool "gpu" has nodes in regions: [global]\n\n'],
    ["GET", "/v1/node/pool/gpu/nodes?prefix=a", undefined, 400, "prefix argument not allowed"],
    ["GET", "/v1/node/pool/gpu/jobs?prefix=a", undefined, 400, "prefix argument not allowed"],
  ])("%s %s is refused as Nomad refuses it", async (method, p, body, status, text) => {
    expect(await api(t.address, method, p, body)).toMatchObject({ status, text });
  });

  it("lists a pool's nodes (every node for `all`) and jobs; refuses deleting a pool with live jobs", async () => {
    const nodes = (await api(t.address, "GET", "/v1/node/pool/gpu/nodes")).body;
    expect(nodes.map((n: any) => n.ID)).toEqual([gpuNode]);
    expect((await api(t.address, "GET", "/v1/node/pool/all/nodes")).body).toHaveLength(2);
    expect((await api(t.address, "GET", "/v1/node/pool/nope/nodes")).body).toEqual([]);

    const job = { ...mockJob("trainer", { runFor: "1h" }), NodePool: "batch" };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const jobs = (await api(t.address, "GET", "/v1/node/pool/batch/jobs")).body;
    expect(jobs.map((j: any) => [j.ID, j.NodePool])).toEqual([["trainer", "batch"]]);
    expect((await api(t.address, "GET", "/v1/node/pool/default/jobs")).body).toEqual([]);
    expect(await api(t.address, "DELETE", "/v1/node/pool/batch")).toMatchObject({
      status: 500,
      text: '1 error occurred:\n\t* node pool "batch" has non-terminal jobs in regions: [global]\n\n',
    });
    await api(t.address, "DELETE", "/v1/job/trainer?purge=true");
    expect((await api(t.address, "DELETE", "/v1/node/pool/batch")).status).toBe(200);
    expect(await api(t.address, "GET", "/v1/node/pool/batch")).toMatchObject({ status: 404 });
    // A job in a pool that is gone is refused again.
    const refused = await api(t.address, "PUT", "/v1/jobs", { Job: job });
    expect(refused).toMatchObject({ status: 500, text: expect.stringContaining('job "trainer" is in nonexistent node pool "batch"') });
  });

  it("keeps a pool when its last node is purged, and across a restart", async () => {
    expect((await api(t.address, "PUT", `/v1/node/${gpuNode}/purge`)).status).toBe(200);
    expect((await api(t.address, "GET", "/v1/node/pool/gpu/nodes")).body).toEqual([]);
    expect((await api(t.address, "GET", "/v1/node/pool/gpu")).status).toBe(200);
    expect((await api(t.address, "PUT", "/v1/node/pools", { Name: "kept" })).status).toBe(200);
    await t.stop();
    t = await startTestAgent({ client: false, dataDir });
    expect((await api(t.address, "GET", "/v1/node/pools")).body.map((p: any) => p.Name)).toEqual(["all", "default", "gpu", "kept"]);
  });

  it("`/v1/nodes?resources=true&os=true` adds NodeResources, ReservedResources and the os.name attribute, as Nomad's list", async () => {
    const plain = (await api(t.address, "GET", "/v1/nodes")).body[0];
    expect(plain).not.toHaveProperty("NodeResources");
    expect(plain).not.toHaveProperty("Attributes");
    const full = (await api(t.address, "GET", "/v1/nodes?resources=true&os=true")).body[0];
    expect(full.NodeResources.Cpu.CpuShares).toBeGreaterThan(0);
    expect(full).toHaveProperty("ReservedResources");
    expect(Object.keys(full.Attributes)).toEqual(["os.name"]);
  });
});
