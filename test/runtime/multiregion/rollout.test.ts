/**
 * Multiregion jobs on one agent serving three regions: a job registered
 * once lands in every region it lists with that region's count,
 * datacenters and meta; deployments roll region by region under
 * `max_parallel`; `on_failure` decides which regions fail with a failing
 * one; blocked regions are unblocked by hand.
 *
 * The rollout order is asserted from the regions' deployment statuses at
 * points where nothing can move on its own: with `health_check = "manual"`
 * a region's deployment only finishes when the test marks its allocations
 * healthy.
 */
import * as os from "node:os";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { drover } from "../../cli/job-helpers";

const REGIONS = ["east", "west", "south"] as const;
type Region = (typeof REGIONS)[number];

let t: TestAgent;

beforeAll(async () => {
  t = await startTestAgent({
    region: "east",
    datacenter: "east-1",
    client: false,
    simNodes: 3,
    regions: [
      { name: "west", datacenters: ["west-1"], simNodes: 3 },
      { name: "south", datacenters: ["south-1", "south-2"], simNodes: 4 },
    ],
  });
});

afterAll(async () => {
  await t?.stop();
});

interface Deployment {
  ID: string;
  Status: string;
  StatusDescription: string;
  IsMultiregion: boolean;
  JobVersion: number;
}

/** A service job whose groups take the region's count, with one task that fails to start where the meta says so. */
function multiregionJob(
  id: string,
  strategy: { MaxParallel?: number; OnFailure?: string },
  opts: { manual?: boolean; failIn?: Region } = {},
): Record<string, unknown> {
  const job = mockJob(id, { count: 0, meta: { team: "web", start_error: "" }, config: { start_error: "${NOMAD_META_start_error}" } });
  const group = (job.TaskGroups as Record<string, unknown>[])[0];
  group.Update = {
    MaxParallel: 3,
    HealthCheck: opts.manual ? "manual" : "task_states",
    MinHealthyTime: 10_000_000,
    HealthyDeadline: 60_000_000_000,
    ProgressDeadline: 120_000_000_000,
  };
  const meta = (r: Region) => ({ region_code: r.toUpperCase(), ...(opts.failIn === r ? { start_error: `no ${r} today` } : {}) });
  job.Multiregion = {
    Strategy: strategy,
    Regions: [
      { Name: "east", Count: 1, Datacenters: ["east-1"], Meta: meta("east") },
      { Name: "west", Count: 2, Datacenters: ["west-1"], Meta: meta("west") },
      { Name: "south", Count: 3, Datacenters: ["south-1", "south-2"], Meta: meta("south") },
    ],
  };
  return job;
}

async function deployment(id: string, region: Region): Promise<Deployment | null> {
  const r = await api(t.address, "GET", `/v1/job/${id}/deployment?region=${region}`);
  expect(r.status).toBe(200);
  return r.body as Deployment | null;
}

async function statuses(id: string): Promise<Record<Region, string>> {
  const out = {} as Record<Region, string>;
  for (const r of REGIONS) out[r] = (await deployment(id, r))?.Status ?? "none";
  return out;
}

async function allocs(id: string, region: Region): Promise<{ ID: string; ClientStatus: string; NodeID: string; TaskGroup: string }[]> {
  return (await api(t.address, "GET", `/v1/job/${id}/allocations?region=${region}`)).body;
}

/** Waits until the regions' deployments have the given statuses. */
function waitStatuses(id: string, want: Partial<Record<Region, string>>, timeoutMs = 10_000): Promise<Record<Region, string>> {
  return waitFor(
    `deployments of ${id} to be ${JSON.stringify(want)}`,
    async () => {
      const s = await statuses(id);
      return Object.entries(want).every(([r, st]) => s[r as Region] === st) ? s : false;
    },
    timeoutMs,
  );
}

/** Marks every allocation of a region's deployment healthy, once all its allocations are placed. */
async function markHealthy(id: string, region: Region, count: number): Promise<void> {
  const d = (await deployment(id, region)) as Deployment;
  const placed = await waitFor(`${count} allocations of ${id} in ${region}`, async () => {
    const list = (await api(t.address, "GET", `/v1/deployment/allocations/${d.ID}?region=${region}`)).body as { ID: string }[];
    return list.length === count ? list : false;
  });
  const r = await api(t.address, "POST", `/v1/deployment/allocation-health/${d.ID}?region=${region}`, {
    DeploymentID: d.ID,
    HealthyAllocationIDs: placed.map((a) => a.ID),
  });
  expect(r.status).toBe(200);
}

test("a job registered once is stored in every region it lists, with that region's count, datacenters and meta", async () => {
  const r = await api(t.address, "PUT", "/v1/jobs?region=west", { Job: multiregionJob("copies", { MaxParallel: 0 }, { manual: true }) });
  expect(r.status).toBe(200);
  const want = { east: [1, ["east-1"]], west: [2, ["west-1"]], south: [3, ["south-1", "south-2"]] } as const;
  for (const region of REGIONS) {
    const j = (await api(t.address, "GET", `/v1/job/copies?region=${region}`)).body;
    expect(j.Region).toBe(region);
    expect(j.TaskGroups[0].Count).toBe(want[region][0]);
    expect(j.Datacenters).toEqual(want[region][1]);
    expect(j.Meta).toEqual({ team: "web", start_error: "", region_code: region.toUpperCase() });
    expect(j.Multiregion.Regions.map((x: { Name: string }) => x.Name)).toEqual(["east", "west", "south"]);
  }
  // Every region places its own count on its own nodes.
  for (const region of REGIONS) {
    const nodes = new Set((await api(t.address, "GET", `/v1/nodes?region=${region}`)).body.map((n: { ID: string }) => n.ID));
    const list = await waitFor(`${want[region][0]} running allocations in ${region}`, async () => {
      const l = await allocs("copies", region);
      return l.length === want[region][0] && l.every((a) => a.ClientStatus === "running") ? l : false;
    });
    for (const a of list) expect(nodes.has(a.NodeID)).toBe(true);
  }
  // max_parallel 0: every region deploys at once (none can finish before the test marks it healthy) ...
  expect(await statuses("copies")).toEqual({ east: "running", west: "running", south: "running" });
  // ... and the regions finishing first wait for the last one.
  await markHealthy("copies", "east", 1);
  await markHealthy("copies", "west", 2);
  await waitStatuses("copies", { east: "blocked", west: "blocked", south: "running" });
  await markHealthy("copies", "south", 3);
  const done = await waitStatuses("copies", { east: "successful", west: "successful", south: "successful" });
  expect(done).toEqual({ east: "successful", west: "successful", south: "successful" });
  for (const region of REGIONS) {
    const d = (await deployment("copies", region)) as Deployment;
    expect(d.IsMultiregion).toBe(true);
    expect(d.StatusDescription).toBe("Deployment completed successfully");
    const versions = (await api(t.address, "GET", `/v1/job/copies/versions?region=${region}`)).body.Versions;
    expect(versions[0].Stable).toBe(true);
  }
});

test("a job listing a region the agent does not serve is refused and stored nowhere", async () => {
  const job = multiregionJob("nowhere", {});
  (job.Multiregion as { Regions: unknown[] }).Regions.push({ Name: "moon", Count: 1 });
  const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
  expect(r.status).toBe(400);
  expect(r.text).toContain('"moon"');
  for (const region of REGIONS) expect((await api(t.address, "GET", `/v1/job/nowhere?region=${region}`)).status).toBe(404);
});

test("with max_parallel 1 the regions deploy one after another, in the job's order", async () => {
  expect(
    (await api(t.address, "PUT", "/v1/jobs", { Job: multiregionJob("one-by-one", { MaxParallel: 1 }, { manual: true }) })).status,
  ).toBe(200);

  // east runs; west and south wait for it and place nothing.
  await waitStatuses("one-by-one", { east: "running", west: "pending", south: "pending" });
  expect((await deployment("one-by-one", "west"))?.StatusDescription).toBe("Deployment is pending, waiting for peer region");
  await waitFor("east's allocation", async () => (await allocs("one-by-one", "east")).length === 1);
  expect(await allocs("one-by-one", "west")).toEqual([]);
  expect(await allocs("one-by-one", "south")).toEqual([]);

  // east done: it waits blocked, and west gets its turn.
  await markHealthy("one-by-one", "east", 1);
  await waitStatuses("one-by-one", { east: "blocked", west: "running", south: "pending" });
  expect((await deployment("one-by-one", "east"))?.StatusDescription).toBe("Deployment is complete but waiting for peer region");
  await waitFor("west's allocations", async () => (await allocs("one-by-one", "west")).length === 2);
  expect(await allocs("one-by-one", "south")).toEqual([]);

  await markHealthy("one-by-one", "west", 2);
  await waitStatuses("one-by-one", { east: "blocked", west: "blocked", south: "running" });

  // The last region to finish unblocks everyone.
  await markHealthy("one-by-one", "south", 3);
  await waitStatuses("one-by-one", { east: "successful", west: "successful", south: "successful" });

  // A new version rolls out the same way, with new deployments in every region.
  const v1 = multiregionJob("one-by-one", { MaxParallel: 1 }, { manual: true });
  (v1.Meta as Record<string, string>).release = "2";
  expect((await api(t.address, "PUT", "/v1/jobs?region=south", { Job: v1 })).status).toBe(200);
  await waitStatuses("one-by-one", { east: "running", west: "pending", south: "pending" });
  for (const r of REGIONS) expect((await deployment("one-by-one", r))?.JobVersion).toBe(1);
  await markHealthy("one-by-one", "east", 1);
  await waitStatuses("one-by-one", { east: "blocked", west: "running", south: "pending" });
  await markHealthy("one-by-one", "west", 2);
  await waitStatuses("one-by-one", { east: "blocked", west: "blocked", south: "running" });
  await markHealthy("one-by-one", "south", 3);
  await waitStatuses("one-by-one", { east: "successful", west: "successful", south: "successful" });
});

test("on_failure fail_all: a failing region fails every region, and the later regions never place", async () => {
  expect(
    (
      await api(t.address, "PUT", "/v1/jobs", {
        Job: multiregionJob("fail-all", { MaxParallel: 1, OnFailure: "fail_all" }, { failIn: "west" }),
      })
    ).status,
  ).toBe(200);
  const s = await waitStatuses("fail-all", { east: "failed", west: "failed", south: "failed" });
  expect(s).toEqual({ east: "failed", west: "failed", south: "failed" });
  expect((await deployment("fail-all", "west"))?.StatusDescription).toBe("Failed due to unhealthy allocations");
  expect((await deployment("fail-all", "east"))?.StatusDescription).toBe("Failed because of an error in peer region");
  expect((await deployment("fail-all", "south"))?.StatusDescription).toBe("Failed because of an error in peer region");
  // east ran (and finished) before west; west's task failed to start; south never placed.
  expect((await allocs("fail-all", "east")).map((a) => a.ClientStatus)).toEqual(["running"]);
  const west = await allocs("fail-all", "west");
  expect(west.length).toBeGreaterThan(0);
  expect(west.some((a) => a.ClientStatus === "failed")).toBe(true);
  expect(await allocs("fail-all", "south")).toEqual([]);
});

test("default on_failure: the failing region and the ones after it fail; the ones before stay blocked", async () => {
  expect(
    (await api(t.address, "PUT", "/v1/jobs", { Job: multiregionJob("fail-default", { MaxParallel: 1 }, { failIn: "west" }) })).status,
  ).toBe(200);
  const s = await waitStatuses("fail-default", { east: "blocked", west: "failed", south: "failed" });
  expect(s).toEqual({ east: "blocked", west: "failed", south: "failed" });
  expect((await deployment("fail-default", "south"))?.StatusDescription).toBe("Failed because of an error in peer region");
  expect(await allocs("fail-default", "south")).toEqual([]);
});

test("on_failure fail_local: only the failing region fails, the rollout goes on, and blocked regions wait to be unblocked by hand", async () => {
  expect(
    (
      await api(t.address, "PUT", "/v1/jobs", {
        Job: multiregionJob("fail-local", { MaxParallel: 1, OnFailure: "fail_local" }, { failIn: "west" }),
      })
    ).status,
  ).toBe(200);
  await waitStatuses("fail-local", { east: "blocked", west: "failed", south: "blocked" });
  expect((await allocs("fail-local", "south")).length).toBe(3);

  // Nothing unblocks them on its own: a peer failed.
  const east = (await deployment("fail-local", "east")) as Deployment;
  const west = (await deployment("fail-local", "west")) as Deployment;
  const refused = await api(t.address, "POST", `/v1/deployment/unblock/${west.ID}?region=west`, {});
  // The failed region's deployment is terminal: Nomad's ErrDeploymentTerminalNoUnblock.
  expect(refused).toMatchObject({ status: 500, text: "can't unblock terminal deployment" });

  const r = await api(t.address, "POST", `/v1/deployment/unblock/${east.ID}?region=east`, { DeploymentID: east.ID });
  expect(r.status).toBe(200);
  expect(r.body.DeploymentModifyIndex).toBeGreaterThan(0);
  expect(await statuses("fail-local")).toEqual({ east: "successful", west: "failed", south: "blocked" });
  const versions = (await api(t.address, "GET", "/v1/job/fail-local/versions?region=east")).body.Versions;
  expect(versions[0].Stable).toBe(true);

  // The CLI does the same for a region named with --region.
  const south = (await deployment("fail-local", "south")) as Deployment;
  const cli = await drover(t.address, os.tmpdir(), ["deployment", "unblock", "--region", "south", south.ID.slice(0, 8)]);
  expect(cli.err).toBe("");
  expect(cli.code).toBe(0);
  expect(cli.out).toBe(`==> Deployment ${south.ID.slice(0, 8)} of job "fail-local" unblocked\n`);
  expect(await statuses("fail-local")).toEqual({ east: "successful", west: "failed", south: "successful" });
  const again = await drover(t.address, os.tmpdir(), ["deployment", "unblock", "--region", "south", south.ID]);
  expect(again.code).toBe(1);
  expect(again.err).toContain("can't unblock terminal deployment");
});

test("unblock refuses deployments that are not multiregion, and unknown ones", async () => {
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: { ...mockJob("single"), Datacenters: ["east-1"] } })).status).toBe(200);
  const d = await waitFor("a deployment of the single-region job", () => deployment("single", "east"));
  const r = await api(t.address, "POST", `/v1/deployment/unblock/${d.ID}`, {});
  expect(r.status).toBe(400);
  expect(r.text).toBe("deployment is not multiregion");
  expect(await api(t.address, "POST", "/v1/deployment/unblock/00000000-0000-0000-0000-000000000000", {})).toMatchObject({
    status: 404,
    text: "deployment not found",
  });
});

test("stopping with global=true stops the job in every region; without it, only in the region asked", async () => {
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: multiregionJob("stop-me", { MaxParallel: 0 }) })).status).toBe(200);
  await waitStatuses("stop-me", { east: "successful", west: "successful", south: "successful" });
  const stopped = async () => {
    const out: Record<string, boolean> = {};
    for (const r of REGIONS) out[r] = (await api(t.address, "GET", `/v1/job/stop-me?region=${r}`)).body.Stop;
    return out;
  };
  expect((await api(t.address, "DELETE", "/v1/job/stop-me?region=south")).status).toBe(200);
  expect(await stopped()).toEqual({ east: false, west: false, south: true });
  const r = await api(t.address, "DELETE", "/v1/job/stop-me?region=west&global=true");
  expect(r.status).toBe(200);
  expect(r.body.EvalID).not.toBe("");
  expect(await stopped()).toEqual({ east: true, west: true, south: true });
  for (const region of REGIONS)
    await waitFor(`no running allocation of stop-me in ${region}`, async () =>
      (await allocs("stop-me", region)).every((a) => a.ClientStatus !== "running"),
    );
});

test("scaling a multiregion job in one region deploys there alone and ends successful", async () => {
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: multiregionJob("scaled", { MaxParallel: 1 }) })).status).toBe(200);
  await waitStatuses("scaled", { east: "successful", west: "successful", south: "successful" });
  const before = (await deployment("scaled", "west")) as Deployment;
  const r = await api(t.address, "POST", "/v1/job/scaled/scale?region=west", { Count: 4, Target: { Group: "web" } });
  expect(r.status).toBe(200);
  const after = await waitFor("a new successful deployment in west", async () => {
    const d = await deployment("scaled", "west");
    return d && d.ID !== before.ID && d.Status === "successful" ? d : false;
  });
  expect(after.IsMultiregion).toBe(true);
  expect((await allocs("scaled", "west")).filter((a) => a.ClientStatus === "running")).toHaveLength(4);
  expect((await allocs("scaled", "east")).filter((a) => a.ClientStatus === "running")).toHaveLength(1);
});

test("planning a multiregion job plans the copy of the region asked: an unchanged job changes nothing there", async () => {
  const job = multiregionJob("planned", { MaxParallel: 0 });
  expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
  await waitStatuses("planned", { east: "successful", west: "successful", south: "successful" });
  for (const region of REGIONS) {
    const plan = await api(t.address, "PUT", `/v1/job/planned/plan?region=${region}`, { Job: job, Diff: true });
    expect(plan.status).toBe(200);
    expect(plan.body.Diff.Type).toBe("None");
    expect(plan.body.Annotations.DesiredTGUpdates.web).toMatchObject({ Place: 0, Stop: 0, DestructiveUpdate: 0 });
  }
  // A changed count shows in the region it belongs to only.
  const more = multiregionJob("planned", { MaxParallel: 0 });
  (more.Multiregion as { Regions: { Name: string; Count: number }[] }).Regions[2].Count = 5;
  const south = await api(t.address, "PUT", "/v1/job/planned/plan?region=south", { Job: more, Diff: true });
  expect(south.body.Annotations.DesiredTGUpdates.web.Place).toBe(2);
  const east = await api(t.address, "PUT", "/v1/job/planned/plan?region=east", { Job: more, Diff: true });
  expect(east.body.Annotations.DesiredTGUpdates.web.Place).toBe(0);
});

test("fail_all with auto_revert: every region rolls back to its stable version, and the rolled-back regions end successful", async () => {
  const withRevert = (job: Record<string, unknown>) => {
    const g = (job.TaskGroups as Record<string, Record<string, unknown>>[])[0];
    g.Update = { ...g.Update, AutoRevert: true };
    return job;
  };
  expect(
    (await api(t.address, "PUT", "/v1/jobs", { Job: withRevert(multiregionJob("revert", { MaxParallel: 1, OnFailure: "fail_all" })) }))
      .status,
  ).toBe(200);
  await waitStatuses("revert", { east: "successful", west: "successful", south: "successful" });

  // Version 1 fails to start in west.
  expect(
    (
      await api(t.address, "PUT", "/v1/jobs", {
        Job: withRevert(multiregionJob("revert", { MaxParallel: 1, OnFailure: "fail_all" }, { failIn: "west" })),
      })
    ).status,
  ).toBe(200);
  const failed = await waitFor("version 1 failed in every region", async () => {
    const out: Record<string, string> = {};
    for (const r of REGIONS) {
      const ds = (await api(t.address, "GET", `/v1/job/revert/deployments?region=${r}`)).body as (Deployment & { JobVersion: number })[];
      const d1 = ds.find((d) => d.JobVersion === 1);
      if (d1?.Status !== "failed") return false;
      out[r] = d1.StatusDescription;
    }
    return out;
  });
  expect(failed).toEqual({
    east: "Failed because of an error in peer region - rolling back to job version 0",
    west: "Failed due to unhealthy allocations - rolling back to job version 0",
    south: "Failed because of an error in peer region - rolling back to job version 0",
  });
  // Each region runs version 0's spec again as version 2, and that rollout completes.
  await waitStatuses("revert", { east: "successful", west: "successful", south: "successful" }, 15_000);
  for (const r of REGIONS) {
    const j = (await api(t.address, "GET", `/v1/job/revert?region=${r}`)).body;
    expect(j.Version).toBe(2);
    expect(j.Meta.start_error).toBe("");
  }
});

test("failing a region's deployment by hand counts as its failure: fail_all fails the pending regions, which never place", async () => {
  expect(
    (
      await api(t.address, "PUT", "/v1/jobs", {
        Job: multiregionJob("failed-by-hand", { MaxParallel: 1, OnFailure: "fail_all" }, { manual: true }),
      })
    ).status,
  ).toBe(200);
  await waitStatuses("failed-by-hand", { east: "running", west: "pending", south: "pending" });
  const east = (await deployment("failed-by-hand", "east")) as Deployment;
  expect((await api(t.address, "POST", `/v1/deployment/fail/${east.ID}?region=east`, {})).status).toBe(200);
  await waitStatuses("failed-by-hand", { east: "failed", west: "failed", south: "failed" });
  expect((await deployment("failed-by-hand", "east"))?.StatusDescription).toBe("Deployment marked as failed");
  expect((await deployment("failed-by-hand", "west"))?.StatusDescription).toBe("Failed because of an error in peer region");
  expect(await allocs("failed-by-hand", "west")).toEqual([]);
  expect(await allocs("failed-by-hand", "south")).toEqual([]);
});

test("a region that rejects job registrations refuses the whole multiregion job, which is stored nowhere", async () => {
  const set = (reject: boolean) =>
    api(t.address, "PUT", "/v1/operator/scheduler/configuration?region=south", { RejectJobRegistration: reject });
  expect((await set(true)).status).toBe(200);
  try {
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: multiregionJob("rejected", {}) });
    expect(r.status).toBe(403);
    for (const region of REGIONS) expect((await api(t.address, "GET", `/v1/job/rejected?region=${region}`)).status).toBe(404);
  } finally {
    expect((await set(false)).status).toBe(200);
  }
});
