/**
 * Persistence: a child agent with a data dir is killed with SIGKILL after
 * acknowledging writes; a new agent on the same data dir brings back every
 * job, version, allocation and index.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, mockJob, spawnAgentProcess, stopAgentProcess, waitFor, type AgentProcess } from "../../helpers/runtime";

describe("persistence across kill -9", () => {
  let dir: string;
  let proc: AgentProcess | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-persist-"));
  });
  afterAll(async () => {
    await stopAgentProcess(proc, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("brings back jobs, versions, allocations and indexes", async () => {
    proc = await spawnAgentProcess(["--dev", "--port", "0", "--data-dir", dir, "--sim-nodes", "1"]);
    const a = proc.address;
    await api(a, "PUT", "/v1/jobs", { Job: mockJob("keep", { count: 2 }) });
    await api(a, "PUT", "/v1/jobs", { Job: mockJob("keep", { count: 2, runFor: "2h" }) });
    for (let i = 0; i < 20; i++)
      expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob(`bulk-${i}`, { type: "batch", runFor: "1h" }) })).status).toBe(200);
    const running = await waitFor(
      "keep to run at version 1",
      async () => {
        const l = (
          (await api(a, "GET", "/v1/job/keep/allocations")).body as { DesiredStatus: string; ClientStatus: string; JobVersion: number }[]
        ).filter((x) => x.DesiredStatus === "run");
        return l.length === 2 && l.every((x) => x.ClientStatus === "running" && x.JobVersion === 1) ? l : null;
      },
      30_000,
    );
    const before = {
      jobs: (await api(a, "GET", "/v1/jobs")).body,
      job: (await api(a, "GET", "/v1/job/keep")).body,
      versions: (await api(a, "GET", "/v1/job/keep/versions")).body.Versions.map((v: { Version: number }) => v.Version),
      allocs: (await api(a, "GET", "/v1/allocations")).body.map((x: { ID: string }) => x.ID).sort(),
      index: Number((await api(a, "GET", "/v1/jobs")).headers.get("x-nomad-index")),
      nodes: (await api(a, "GET", "/v1/nodes")).body.map((n: { ID: string }) => n.ID).sort(),
    };
    // The last acknowledged write, right before the crash.
    const last = await api(a, "PUT", "/v1/jobs", { Job: mockJob("last-word") });
    expect(last.status).toBe(200);
    proc.child.kill("SIGKILL");
    expect((await proc.exited).signal).toBe("SIGKILL");

    proc = await spawnAgentProcess(["--dev", "--port", "0", "--data-dir", dir, "--sim-nodes", "1"]);
    const b = proc.address;
    const jobs = (await api(b, "GET", "/v1/jobs")).body as { ID: string; JobModifyIndex: number }[];
    expect(jobs.map((j) => j.ID).sort()).toEqual([...before.jobs.map((j: { ID: string }) => j.ID), "last-word"].sort());
    const job = (await api(b, "GET", "/v1/job/keep")).body;
    expect(job.Version).toBe(1);
    expect(job.JobModifyIndex).toBe(before.job.JobModifyIndex);
    expect(job.CreateIndex).toBe(before.job.CreateIndex);
    expect((await api(b, "GET", "/v1/job/keep/versions")).body.Versions.map((v: { Version: number }) => v.Version)).toEqual(
      before.versions,
    );
    const allocsAfter = (await api(b, "GET", "/v1/allocations")).body.map((x: { ID: string }) => x.ID);
    for (const id of before.allocs) expect(allocsAfter).toContain(id);
    expect(Number((await api(b, "GET", "/v1/jobs")).headers.get("x-nomad-index"))).toBeGreaterThanOrEqual(before.index);
    expect((await api(b, "GET", "/v1/job/last-word")).status).toBe(200);
    expect((await api(b, "GET", "/v1/nodes")).body.map((n: { ID: string }) => n.ID).sort()).toEqual(before.nodes);
    // The same allocations keep running on the same nodes after the restart.
    await waitFor(
      "keep's allocations running again",
      async () => {
        const l = (
          (await api(b, "GET", "/v1/job/keep/allocations")).body as { ID: string; DesiredStatus: string; ClientStatus: string }[]
        ).filter((x) => x.DesiredStatus === "run");
        return l.length === 2 &&
          l.every((x) => x.ClientStatus === "running") &&
          l.every((x) => (running as unknown as { ID: string }[]).some((r) => r.ID === x.ID))
          ? l
          : null;
      },
      20_000,
    );
    // New writes continue above the recovered index.
    const next = await api(b, "PUT", "/v1/jobs", { Job: mockJob("after") });
    expect(next.body.JobModifyIndex).toBeGreaterThan(before.index);
    proc.child.kill("SIGTERM");
    expect((await proc.exited).code).toBe(0);
  }, 90_000);
});
