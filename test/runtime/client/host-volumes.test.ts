/**
 * Host volumes end to end: the local node declares one (as
 * `--host-volume` / `client.host_volume` do), a job asking for it is placed
 * only there (the simulated nodes lack it) and its mock_driver tasks run,
 * a raw_exec task is refused as Nomad refuses it (raw_exec cannot mount),
 * and an agent whose volume path does not exist does not start.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, mockJob, rawExecJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

describe("host volumes", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-hostvol-"));
    fs.mkdirSync(path.join(dir, "db0"));
    t = await startTestAgent({
      plugins: { raw_exec: { enabled: true } },
      simNodes: 3,
      localNode: { hostVolumes: { data: { path: dir }, "db[0]": { path: path.join(dir, "db0") } } },
    });
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fingerprints the volume onto the local node", async () => {
    const node = (await api(t.address, "GET", `/v1/node/${t.agent.localNodeID}`)).body;
    expect(node.HostVolumes).toEqual({ data: { Path: dir, ReadOnly: false }, "db[0]": { Path: path.join(dir, "db0"), ReadOnly: false } });
  });

  it("places a group asking for it only on the node that has it", async () => {
    const job = mockJob("hv", { count: 3 }) as any;
    job.TaskGroups[0].Volumes = { d: { Name: "d", Type: "host", Source: "data", ReadOnly: false } };
    job.TaskGroups[0].Tasks[0].VolumeMounts = [{ Volume: "d", Destination: "/srv/data", ReadOnly: false }];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const allocs = await waitFor("three running allocations", async () => {
      const list = (await api(t.address, "GET", "/v1/job/hv/allocations")).body as { NodeID: string; ClientStatus: string }[];
      return list.length === 3 && list.every((a) => a.ClientStatus === "running") ? list : null;
    });
    expect(new Set(allocs.map((a) => a.NodeID))).toEqual(new Set([t.agent.localNodeID]));
  });

  it("a per_alloc volume: allocation 0 runs on the node with db[0]; allocation 1 finds no db[1] anywhere", async () => {
    const job = mockJob("pa", { count: 2 }) as any;
    job.TaskGroups[0].Volumes = { d: { Name: "d", Type: "host", Source: "db", ReadOnly: false, PerAlloc: true } };
    job.TaskGroups[0].Tasks[0].VolumeMounts = [{ Volume: "d", Destination: "/srv/db", ReadOnly: false }];
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const ev = await waitFor("the evaluation with a failed placement", async () => {
      const evals = (await api(t.address, "GET", "/v1/job/pa/evaluations")).body as any[];
      return evals.find((e) => e.FailedTGAllocs);
    });
    expect(ev.FailedTGAllocs.web.ConstraintFiltered).toEqual({ "missing compatible host volumes": 4 });
    const allocs = await waitFor("allocation 0 running", async () => {
      const list = (await api(t.address, "GET", "/v1/job/pa/allocations")).body as { Name: string; NodeID: string; ClientStatus: string }[];
      return list.length === 1 && list[0].ClientStatus === "running" ? list : null;
    });
    expect(allocs[0]).toMatchObject({ Name: "pa.web[0]", NodeID: t.agent.localNodeID });
  });

  it("an agent does not start with a host volume whose path does not exist", async () => {
    await expect(startTestAgent({ localNode: { hostVolumes: { gone: { path: path.join(dir, "nope") } } } })).rejects.toThrow(
      `host volume "gone": path "${path.join(dir, "nope")}" does not exist`,
    );
  });

  it("refuses a raw_exec task with a volume_mount, as Nomad does", async () => {
    const job = rawExecJob("hvraw", "batch", { command: "/bin/true" });
    job.TaskGroups[0].Volumes = { d: { Name: "d", Type: "host", Source: "data" } };
    job.TaskGroups[0].Tasks[0].VolumeMounts = [{ Volume: "d", Destination: "/srv/data" }];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const ev = await waitFor("the setup failure", async () => {
      const list = (await api(t.address, "GET", "/v1/job/hvraw/allocations")).body as { ID: string }[];
      if (!list[0]) return null;
      const a = (await api(t.address, "GET", `/v1/allocation/${list[0].ID}`)).body;
      return (a.TaskStates?.main?.Events ?? []).find((e: { Type: string }) => e.Type === "Setup Failure");
    });
    expect(ev.DisplayMessage).toBe('task driver "raw_exec" for "main" does not support host volumes');
  });
});
