/**
 * Volume requests at placement: no node of this agent has host volumes and
 * no CSI plugin runs, so a group asking for either is not placed and the
 * evaluation says why, as Nomad's HostVolumeChecker and CSIVolumeChecker do.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

describe("volume requests", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 3 });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function failure(id: string, volumes: Record<string, unknown>): Promise<Record<string, any>> {
    const job = mockJob(id) as any;
    job.TaskGroups[0].Volumes = volumes;
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const ev = await waitFor("the evaluation with failed placements", async () => {
      const evals = (await api(t.address, "GET", `/v1/job/${id}/evaluations`)).body as any[];
      return evals.find((e) => e.FailedTGAllocs);
    });
    expect((await api(t.address, "GET", `/v1/job/${id}/allocations`)).body).toEqual([]);
    return ev.FailedTGAllocs.web;
  }

  it("a host volume no node has: missing compatible host volumes", async () => {
    const m = await failure("hostvol", { data: { Name: "data", Type: "host", Source: "pg-data", ReadOnly: false } });
    expect(m.ConstraintFiltered).toEqual({ "missing compatible host volumes": 3 });
    expect(m.NodesFiltered).toBe(3);
  });

  it("a CSI volume: refused, since this agent runs no CSI plugins", async () => {
    const m = await failure("csivol", {
      data: { Name: "data", Type: "csi", Source: "ebs-1", AccessMode: "single-node-writer", AttachmentMode: "file-system" },
    });
    expect(m.ConstraintFiltered).toEqual({ "CSI plugins are not available on this agent": 3 });
  });
});
