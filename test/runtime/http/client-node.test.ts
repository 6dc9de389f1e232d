/**
 * A client node's endpoints: `/v1/client/allocation/:id/gc`, `/v1/client/gc`
 * and `/v1/client/metadata` (dynamic node metadata, Nomad 1.5+), against a
 * real agent whose local node runs mock tasks.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NomadClient, NomadApiError } from "../../../lib/api";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

/** A one-allocation batch job that completes at once. */
function quickBatch(id: string): Obj {
  return mockJob(id, { type: "batch", runFor: "1ms", config: { stdout_string: "done\n" } });
}

async function allocOf(address: string, job: string, status: string): Promise<Obj> {
  return waitFor(`${job} ${status}`, async () => {
    const allocs = (await api(address, "GET", `/v1/job/${job}/allocations`)).body as Obj[];
    return allocs.find((a) => a.ClientStatus === status);
  });
}

describe("client node endpoints", () => {
  let t: TestAgent;
  let dataDir: string;
  let nomad: NomadClient;
  const allocDir = (id: string) => path.join(dataDir, "client", "alloc", id);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-client-node-"));
    t = await startTestAgent({ dataDir, localNode: { meta: { rack: "r0", zone: "a" } } });
    nomad = new NomadClient({ address: t.address });
  });
  afterAll(async () => {
    await nomad?.close();
    await t?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("garbage collects one terminal allocation: its directory goes; a running one or an unknown one is refused as Nomad refuses it", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: quickBatch("once") });
    const done = await allocOf(t.address, "once", "complete");
    await waitFor("the alloc dir", () => fs.existsSync(allocDir(done.ID)));
    expect((await nomad.allocations.gc(done.ID)).data).toBeNull();
    expect(fs.existsSync(allocDir(done.ID))).toBe(false);
    // Collected already: nothing left on the client.
    const again = await api(t.address, "GET", `/v1/client/allocation/${done.ID}/gc`);
    expect(again).toMatchObject({ status: 500, text: "No such allocation on client, or allocation not eligible for GC" });

    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("svc", { runFor: "1h", config: { stdout_string: "up\n" } }) });
    const running = await allocOf(t.address, "svc", "running");
    await waitFor("the running alloc's dir", () => fs.existsSync(allocDir(running.ID)));
    const refused = await nomad.allocations.gc(running.ID).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NomadApiError);
    expect(refused).toMatchObject({ status: 500, body: "No such allocation on client, or allocation not eligible for GC" });
    expect(fs.existsSync(allocDir(running.ID))).toBe(true);

    const unknown = "00000000-0000-4000-8000-00000000000a";
    expect(await api(t.address, "GET", `/v1/client/allocation/${unknown}/gc`)).toMatchObject({
      status: 404,
      text: `Unknown allocation "${unknown}"`,
    });
  });

  it("garbage collects every terminal allocation of the node, and leaves running ones", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: quickBatch("twice") });
    const done = await allocOf(t.address, "twice", "complete");
    await waitFor("the alloc dir", () => fs.existsSync(allocDir(done.ID)));
    const running = await allocOf(t.address, "svc", "running");
    expect((await nomad.nodes.gc(t.agent.localNodeID)).data).toBeNull();
    expect(fs.existsSync(allocDir(done.ID))).toBe(false);
    expect(fs.existsSync(allocDir(running.ID))).toBe(true);
    expect(await api(t.address, "GET", "/v1/client/gc?node_id=nope")).toMatchObject({ status: 500, text: 'Unknown node "nope"' });
  });

  it("reads a node's metadata as static, dynamic and merged", async () => {
    const r = await nomad.nodes.readMeta();
    expect(r.data).toEqual({ Meta: { rack: "r0", zone: "a" }, Dynamic: {}, Static: { rack: "r0", zone: "a" } });
  });

  it("applies dynamic metadata: merged into the node, and a job constrained on it is placed", async () => {
    const job = mockJob("needs-rack", { runFor: "1h" }) as Obj;
    job.Constraints = [{ LTarget: "${meta.rack}", RTarget: "r7", Operand: "=" }];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    await waitFor("a blocked evaluation", async () => {
      const evals = (await api(t.address, "GET", "/v1/job/needs-rack/evaluations")).body as Obj[];
      return evals.some((e) => e.Status === "blocked");
    });
    expect((await api(t.address, "GET", "/v1/job/needs-rack/allocations")).body).toEqual([]);

    const applied = await nomad.nodes.applyMeta({ rack: "r7", "team.owner": "ops", zone: null });
    expect(applied.data).toEqual({
      Meta: { rack: "r7", "team.owner": "ops" },
      Dynamic: { rack: "r7", "team.owner": "ops", zone: null },
      Static: { rack: "r0", zone: "a" },
    });
    const node = (await api(t.address, "GET", `/v1/node/${t.agent.localNodeID}`)).body;
    expect(node.Meta).toEqual({ rack: "r7", "team.owner": "ops" });
    await allocOf(t.address, "needs-rack", "running");

    // Unsetting a dynamic key that is not static forgets it.
    const unset = await nomad.nodes.applyMeta({ "team.owner": null });
    expect(unset.data.Dynamic).toEqual({ rack: "r7", zone: null });
  });

  it.each([
    [{ Meta: {} }, "missing required Meta object"],
    [{}, "missing required Meta object"],
    [{ Meta: { "bad key": "x" } }, '"bad key" is invalid; metadata keys must be valid dotted hcl identifiers'],
    [{ Meta: { "a..b": "x" } }, '"a..b" is invalid; metadata keys must be valid dotted hcl identifiers'],
    [{ Meta: { rack: 7 } }, 'Meta["rack"] must be a string or null'],
  ])("refuses the apply request %j with a 400", async (body, text) => {
    expect(await api(t.address, "POST", "/v1/client/metadata", body)).toMatchObject({ status: 400, text });
  });

  it("answers 405 to PUT, as Nomad's agent does", async () => {
    expect((await api(t.address, "PUT", "/v1/client/metadata", { Meta: { a: "b" } })).status).toBe(405);
  });

  it("keeps dynamic metadata across an agent restart", async () => {
    const nodeID = t.agent.localNodeID;
    await nomad.close();
    await t.stop();
    t = await startTestAgent({ dataDir, localNode: { meta: { rack: "r0", zone: "a" } } });
    nomad = new NomadClient({ address: t.address });
    expect(t.agent.localNodeID).toBe(nodeID);
    const r = await nomad.nodes.readMeta(nodeID);
    expect(r.data).toEqual({ Meta: { rack: "r7" }, Dynamic: { rack: "r7", zone: null }, Static: { rack: "r0", zone: "a" } });
  });
});
