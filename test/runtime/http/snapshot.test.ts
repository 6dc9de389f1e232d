/**
 * `GET|PUT /v1/operator/snapshot` end to end: jobs, allocations and
 * variables registered on one agent, a snapshot saved, a fresh agent on a
 * fresh data directory restores it, and everything is back (variables
 * readable), also after that agent restarts. Damaged files are refused with
 * a 400 and change nothing.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

async function putSnapshot(address: string, data: Uint8Array): Promise<{ status: number; text: string; index: string | null }> {
  const res = await fetch(`${address}/v1/operator/snapshot`, { method: "PUT", body: data });
  return { status: res.status, text: await res.text(), index: res.headers.get("x-nomad-index") };
}

async function runningAllocs(address: string): Promise<{ ID: string; JobID: string; NodeID: string }[]> {
  const r = await api(address, "GET", "/v1/allocations");
  return (r.body as { ID: string; JobID: string; NodeID: string; ClientStatus: string }[]).filter((a) => a.ClientStatus === "running");
}

describe("operator snapshot: save, restore into a fresh agent", () => {
  const dirs: string[] = [];
  const agents: TestAgent[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "drover-snap-"));
    dirs.push(d);
    return d;
  };
  const start = async (dataDir: string) => {
    const t = await startTestAgent({ dataDir, client: false, simNodes: 2 });
    agents.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of agents) await t.stop().catch(() => {});
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  let snapshot: Buffer;
  let source: TestAgent;
  let sourceDir: string;
  let sourceAllocs: { ID: string; JobID: string; NodeID: string }[];

  it("saves the whole state as a gzip file whose Digest header is its SHA-256", async () => {
    sourceDir = tmp();
    source = await start(sourceDir);
    for (const id of ["web", "api"])
      expect((await api(source.address, "PUT", "/v1/jobs", { Job: mockJob(id, { count: 2 }) })).status).toBe(200);
    expect((await api(source.address, "PUT", "/v1/var/app/config", { Items: { password: "hunter2" } })).status).toBe(200);
    sourceAllocs = await waitFor("four running allocations", async () => {
      const all = await runningAllocs(source.address);
      return all.length === 4 ? all : undefined;
    });
    const res = await fetch(`${source.address}/v1/operator/snapshot`);
    expect(res.status).toBe(200);
    snapshot = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get("digest")).toBe(`sha-256=${createHash("sha256").update(snapshot).digest("base64")}`);
    expect(Number(res.headers.get("x-nomad-index"))).toBeGreaterThan(0);
    const content = gunzipSync(snapshot).toString("utf8");
    const header = JSON.parse(content.slice(0, content.indexOf("\n")));
    expect(header).toMatchObject({ Format: "drover-snapshot", Version: 1, Region: "global" });
    expect(header.Counts).toMatchObject({ jobs: 2, allocs: 4, variables: 1 });
    // The variable travels encrypted: its items are not in the file in clear.
    expect(content).not.toContain("hunter2");
  });

  it("holds every row the agent's database holds", async () => {
    // Both read in one tick, once what was written so far is durable (a row written meanwhile is only in memory: fine).
    await source.agent.server.store.flush();
    const rows = source.agent.server.store.snapshot().rows;
    const db = new Database(path.join(sourceDir, "server", "state.db"), { readonly: true });
    const persisted = (db.prepare("SELECT tbl, id FROM objects").all() as { tbl: string; id: string }[]).map((r) => `${r.tbl} ${r.id}`);
    db.close();
    const inSnapshot = new Set(rows.map((r) => `${r.table} ${r.id}`));
    expect(persisted.length).toBeGreaterThan(10);
    expect(persisted.filter((k) => !inSnapshot.has(k))).toEqual([]);
  });

  it("a fresh agent on a fresh data directory restores it: every job, allocation and variable is back", async () => {
    const targetDir = tmp();
    const target = await start(targetDir);
    expect((await api(target.address, "GET", "/v1/jobs")).body).toEqual([]);
    const before = Number((await api(target.address, "GET", "/v1/jobs")).headers.get("x-nomad-index"));
    // A blocking query on the jobs wakes when the restore replaces them.
    const blocked = api(target.address, "GET", `/v1/jobs?index=${before}&wait=60s`);
    const restored = await putSnapshot(target.address, snapshot);
    expect(restored).toMatchObject({ status: 200, text: "" });
    const woke = await blocked;
    expect(woke.body.map((j: { ID: string }) => j.ID).sort()).toEqual(["api", "web"]);
    expect(Number(woke.headers.get("x-nomad-index"))).toBe(Number(restored.index));

    const allocs = (await api(target.address, "GET", "/v1/allocations")).body as { ID: string; JobID: string; NodeID: string }[];
    expect(allocs.map((a) => a.ID).sort()).toEqual(sourceAllocs.map((a) => a.ID).sort());
    const v = await api(target.address, "GET", "/v1/var/app/config");
    expect(v.status).toBe(200);
    expect(v.body.Items).toEqual({ password: "hunter2" });
    expect((await api(target.address, "GET", "/v1/job/web/versions")).body.Versions).toHaveLength(1);
    // The simulated nodes have the same IDs in both agents: this agent's client runs the restored allocations.
    await waitFor("the restored allocations run on this agent's client", () => target.agent.client?.runningAllocs === 4);
    expect(await runningAllocs(target.address)).toHaveLength(4);

    // A new write lands above the restore's index.
    const reg = await api(target.address, "PUT", "/v1/jobs", { Job: mockJob("after", { count: 1 }) });
    expect(reg.body.JobModifyIndex).toBeGreaterThan(Number(restored.index));

    // The restored state is what the data directory holds: a restart brings it back, variables still readable.
    await target.stop();
    const again = await start(targetDir);
    expect((await api(again.address, "GET", "/v1/jobs")).body.map((j: { ID: string }) => j.ID).sort()).toEqual(["after", "api", "web"]);
    expect((await api(again.address, "GET", "/v1/var/app/config")).body.Items).toEqual({ password: "hunter2" });
  });

  it("the agent falls in with the restored state: allocations it no longer holds are killed, event streams are closed", async () => {
    const target = await start(tmp());
    await api(target.address, "PUT", "/v1/jobs", { Job: mockJob("old", { count: 1 }) });
    const [old] = await waitFor("the old job's allocation running", async () => {
      const all = await runningAllocs(target.address);
      return all.length === 1 ? all : undefined;
    });
    const task = target.agent.client!.allocRunner(old.ID)!.taskRunners[0];
    const driver = task.taskDriver!;
    const taskID = task.currentTaskID!;
    expect(driver.inspect(taskID)).toMatchObject({ state: "running" });
    const stream = await fetch(`${target.address}/v1/event/stream?topic=Job`);
    const frames = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await putSnapshot(target.address, snapshot)).status).toBe(200);
    let text = "";
    for (let i = 0; i < 20 && !text.includes("Error"); i++) {
      const { value, done } = await frames.read();
      if (done) break;
      text += value;
    }
    expect(text).toContain('{"Error":"subscription closed by server, client should resubscribe"}');
    expect((await api(target.address, "GET", `/v1/allocation/${old.ID}`)).status).toBe(404);
    await waitFor("the old allocation's runner is gone and its task killed", () => !target.agent.client!.allocRunner(old.ID));
    await waitFor("the old allocation's task is killed", () => driver.inspect(taskID) === undefined);
  });

  it("the leader's duties start over on the restored state: its pending evaluations are scheduled, its silent nodes go down", async () => {
    const paused = await startTestAgent({ client: false, simNodes: 1 });
    agents.push(paused);
    await api(paused.address, "PUT", "/v1/operator/scheduler/configuration", { PauseEvalBroker: true });
    await api(paused.address, "PUT", "/v1/jobs", { Job: mockJob("waiting", { count: 1 }) });
    const res = await fetch(`${paused.address}/v1/operator/snapshot`);
    const file = Buffer.from(await res.arrayBuffer());
    // No client runtime and fast heartbeats: the snapshot's node does not heartbeat to this agent.
    const target = await startTestAgent({ client: false, heartbeat: { minTTLMs: 100, graceMs: 50 } });
    agents.push(target);
    expect((await putSnapshot(target.address, file)).status).toBe(200);
    const [pending] = (await api(target.address, "GET", "/v1/job/waiting/evaluations")).body;
    expect(pending.Status).toBe("pending");
    // The broker holds the restored evaluation: turning the pause off schedules it.
    await api(target.address, "PUT", "/v1/operator/scheduler/configuration", { PauseEvalBroker: false });
    await waitFor("the restored evaluation is processed", async () => {
      const e = (await api(target.address, "GET", `/v1/evaluation/${pending.ID}`)).body;
      return e.Status === "complete";
    });
    expect((await api(target.address, "GET", "/v1/job/waiting/allocations")).body).toHaveLength(1);
    await waitFor("the snapshot's node, silent here, goes down", async () => {
      const nodes = (await api(target.address, "GET", "/v1/nodes")).body as { Status: string }[];
      return nodes.length === 1 && nodes[0].Status === "down";
    });
  });

  it("refuses a snapshot of another region", async () => {
    const other = await startTestAgent({ region: "eu-west", client: false });
    agents.push(other);
    const r = await putSnapshot(other.address, snapshot);
    expect(r).toMatchObject({
      status: 400,
      text: 'failed to restore from snapshot: it holds the state of region "global", this request restores region "eu-west"',
    });
  });

  it("refuses a file that is not a drover snapshot, or a damaged one, with a 400 that says why, and changes nothing", async () => {
    const target = await start(tmp());
    await api(target.address, "PUT", "/v1/jobs", { Job: mockJob("keep", { count: 1 }) });
    const content = gunzipSync(snapshot);
    const cases: [string, Uint8Array, RegExp][] = [
      ["empty", Buffer.alloc(0), /not a drover snapshot: it is empty/],
      ["not gzip", Buffer.from('{"Format":"drover-snapshot"}'), /not a drover snapshot: it is not gzip-compressed/],
      ["truncated", snapshot.subarray(0, Math.floor(snapshot.length / 2)), /snapshot is truncated or corrupt/],
      ["foreign gzip", gzipSync(Buffer.from("hello, world\n")), /not a drover snapshot: it does not start with a drover snapshot header/],
      ["cut before its checksum", gzipSync(content.subarray(0, content.lastIndexOf("\n#sha256:") + 1)), /its checksum line is missing/],
      [
        "altered",
        gzipSync(Buffer.from(content.toString("utf8").replace('"Region":"global"', '"Region":"globax"'))),
        /snapshot checksum mismatch/,
      ],
    ];
    for (const [what, data, message] of cases) {
      const r = await putSnapshot(target.address, data);
      expect({ what, status: r.status }).toEqual({ what, status: 400 });
      expect(r.text).toMatch(/^failed to restore from snapshot: /);
      expect(r.text).toMatch(message);
    }
    expect((await api(target.address, "GET", "/v1/jobs")).body.map((j: { ID: string }) => j.ID)).toEqual(["keep"]);
  });
});
