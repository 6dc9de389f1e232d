/**
 * `/v1/scaling/policies` and `/v1/scaling/policy/:id`: the policies of the
 * groups' scaling blocks, kept in step with registration (IDs stable across
 * versions, removed with the group or the purge), persisted across restarts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NomadClient, NomadApiError } from "../../../lib/api";
import { api, mockJob, startTestAgent, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

/** A job with a group "web" (scaled 1..5, with an autoscaler policy) and a group "worker" (scaled 0..3 unless `noWorkerScaling`). */
function scaledJob(id: string, opts: { webMax?: number; noWorkerScaling?: boolean; namespace?: string } = {}): Obj {
  const job = mockJob(id, { runFor: "1h" }) as Obj;
  const web = job.TaskGroups[0];
  web.Scaling = {
    Min: 1,
    Max: opts.webMax ?? 5,
    Policy: { cooldown: "1m", check: { cpu: { strategy: { "target-value": { target: 70 } } } } },
  };
  const worker = structuredClone(web);
  worker.Name = "worker";
  worker.Scaling = opts.noWorkerScaling ? undefined : { Min: 0, Max: 3, Enabled: false };
  job.TaskGroups.push(worker);
  if (opts.namespace) job.Namespace = opts.namespace;
  return job;
}

describe("scaling policies", () => {
  let t: TestAgent;
  let dataDir: string;
  let nomad: NomadClient;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-scaling-"));
    t = await startTestAgent({ simNodes: 1, client: false, dataDir });
    nomad = new NomadClient({ address: t.address });
  });
  afterAll(async () => {
    await nomad?.close();
    await t?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists a registered job's group policies as Nomad's stubs, and reads one in full", async () => {
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: scaledJob("api") })).status).toBe(200);
    const list = await nomad.scaling.listPolicies({ job: "api" });
    expect(list.data.map((p) => p.Target.Group)).toEqual(["web", "worker"]);
    for (const p of list.data) {
      expect(Object.keys(p)).toEqual(["ID", "Enabled", "Type", "Target", "CreateIndex", "ModifyIndex"]);
      expect(p.ID).toMatch(/^[0-9a-f-]{36}$/);
      expect(p.Type).toBe("horizontal");
    }
    expect(list.data[1]).toMatchObject({ Enabled: false, Target: { Namespace: "default", Job: "api", Group: "worker" } });
    const web = (await nomad.scaling.policy(list.data[0].ID)).data;
    expect(web).toEqual({
      ID: list.data[0].ID,
      Type: "horizontal",
      Target: { Namespace: "default", Job: "api", Group: "web" },
      Policy: { cooldown: "1m", check: { cpu: { strategy: { "target-value": { target: 70 } } } } },
      Min: 1,
      Max: 5,
      Enabled: true,
      CreateIndex: list.data[0].CreateIndex,
      ModifyIndex: list.data[0].ModifyIndex,
    });
    const found = await api(t.address, "PUT", "/v1/search", { Prefix: web.ID.slice(0, 6), Context: "scaling_policy" });
    expect(found.body.Matches.scaling_policy).toEqual([web.ID]);
    // The job's read-back carries the same ID and target in its scaling block.
    const job = (await api(t.address, "GET", "/v1/job/api")).body;
    expect(job.TaskGroups[0].Scaling).toMatchObject({ ID: web.ID, Target: { Namespace: "default", Job: "api", Group: "web" } });
  });

  it("keeps IDs across versions, moves ModifyIndex only for a changed policy, and drops a removed group's policy", async () => {
    const before = (await nomad.scaling.listPolicies({ job: "api" })).data;
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: scaledJob("api", { webMax: 8, noWorkerScaling: true }) });
    expect(r.status).toBe(200);
    const after = (await nomad.scaling.listPolicies({ job: "api" })).data;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ ID: before[0].ID, CreateIndex: before[0].CreateIndex });
    expect(after[0].ModifyIndex).toBeGreaterThan(before[0].ModifyIndex);
    expect((await nomad.scaling.policy(after[0].ID)).data.Max).toBe(8);
    const gone = await nomad.scaling.policy(before[1].ID).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NomadApiError);
    expect(gone).toMatchObject({ status: 404, body: "policy not found" });
    // The same job again: nothing changes, so the policy's ModifyIndex stays.
    await api(t.address, "PUT", "/v1/jobs", { Job: scaledJob("api", { webMax: 8, noWorkerScaling: true }) });
    expect((await nomad.scaling.listPolicies({ job: "api" })).data[0].ModifyIndex).toBe(after[0].ModifyIndex);
  });

  it("filters by job, type and namespace; a stopped job keeps its policies, a purged one loses them", async () => {
    expect((await api(t.address, "PUT", "/v1/namespace/team", { Name: "team" })).status).toBe(200);
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: scaledJob("other", { namespace: "team" }) })).status).toBe(200);
    expect((await nomad.scaling.listPolicies()).data.map((p) => p.Target.Job)).toEqual(["api"]);
    expect((await nomad.scaling.listPolicies({ namespace: "team" })).data.map((p) => p.Target.Group)).toEqual(["web", "worker"]);
    expect((await nomad.scaling.listPolicies({ namespace: "*" })).data).toHaveLength(3);
    expect((await nomad.scaling.listPolicies({ namespace: "*", type: "horizontal" })).data).toHaveLength(3);
    expect((await nomad.scaling.listPolicies({ namespace: "*", type: "vertical" })).data).toEqual([]);
    expect((await nomad.scaling.listPolicies({ job: "nope" })).data).toEqual([]);

    await api(t.address, "DELETE", "/v1/job/other?namespace=team");
    expect((await nomad.scaling.listPolicies({ namespace: "team" })).data).toHaveLength(2);
    const purge = await api(t.address, "DELETE", "/v1/job/other?namespace=team&purge=true");
    expect(purge.status).toBe(200);
    expect((await nomad.scaling.listPolicies({ namespace: "team" })).data).toEqual([]);
  });

  it("refuses a group policy of a vertical type, as Nomad's community edition does", async () => {
    const job = scaledJob("vertical");
    job.TaskGroups[0].Scaling.Type = "vertical_cpu";
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
    expect(r.status).toBe(500);
    expect(r.text).toContain('scaling policy type "vertical_cpu" is not valid');
    expect((await nomad.scaling.listPolicies({ job: "vertical" })).data).toEqual([]);
  });

  it("keeps the policies across an agent restart on the same data directory", async () => {
    const before = (await nomad.scaling.listPolicies({ namespace: "*" })).data;
    await nomad.close();
    await t.stop();
    t = await startTestAgent({ simNodes: 1, client: false, dataDir });
    nomad = new NomadClient({ address: t.address });
    expect((await nomad.scaling.listPolicies({ namespace: "*" })).data).toEqual(before);
  });
});
