/** Node liveness over HTTP: a simulated node dies (allocations lost and replaced) and comes back (reconciled). */
import { allocs, api, mockJob, running, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

describe("node liveness", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 3, heartbeat: { minTTLMs: 300, graceMs: 200 } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it("marks a node that stops heartbeating down, its allocations lost and replaced elsewhere; a revived node is reconciled", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("live", { count: 2 }) });
    const before = await waitFor("2 running allocations", async () => {
      const l = running(await allocs(t, "live"));
      return l.length === 2 ? l : null;
    });
    const victim = before[0].NodeID;
    const onVictim = before.filter((a) => a.NodeID === victim).map((a) => a.ID);
    const down = await api(t.address, "PUT", `/v1/drover/sim-node/${victim}/down`);
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ NodeID: victim, Status: "ready" });
    await waitFor(
      "the node to go down",
      async () => ((await api(t.address, "GET", `/v1/node/${victim}`)).body.Status === "down" ? true : null),
      10_000,
    );
    const after = await waitFor("the lost allocations replaced on other nodes", async () => {
      const l = await allocs(t, "live");
      const lost = l.filter((a) => onVictim.includes(a.ID) && a.ClientStatus === "lost" && a.DesiredStatus === "stop");
      const live = running(l);
      return lost.length === onVictim.length && live.length === 2 && live.every((a) => a.NodeID !== victim) ? l : null;
    });
    for (const id of onVictim) expect(after.find((a) => a.PreviousAllocation === id)).toBeDefined();
    const node = (await api(t.address, "GET", `/v1/node/${victim}`)).body;
    expect(node.Events.map((e: { Message: string }) => e.Message)).toContain("Node heartbeat missed");

    const up = await api(t.address, "PUT", `/v1/drover/sim-node/${victim}/up`);
    expect(up.status).toBe(200);
    expect(up.body.Status).toBe("ready");
    // The revived node's client drops the replaced allocations; they stay lost, and the job keeps exactly two running.
    await waitFor("the revived node's runners to be gone", () => t.agent.client!.runningAllocs === 2, 5000);
    await t.agent.client!.sync();
    await t.agent.server.whenIdle();
    const final = await allocs(t, "live");
    for (const id of onVictim) expect(final.find((a) => a.ID === id)).toMatchObject({ ClientStatus: "lost", DesiredStatus: "stop" });
    expect(running(final)).toHaveLength(2);
    expect((await api(t.address, "GET", `/v1/node/${victim}`)).body.Status).toBe("ready");
  });

  it("marks a node down at once with ?immediate=true, and refuses unknown nodes", async () => {
    const nodes = (await api(t.address, "GET", "/v1/nodes")).body as { ID: string; Status: string }[];
    const n = nodes.find((x) => x.Status === "ready")!;
    const r = await api(t.address, "PUT", `/v1/drover/sim-node/${n.ID}/down?immediate=true`);
    expect(r.body.Status).toBe("down");
    expect((await api(t.address, "PUT", `/v1/drover/sim-node/${n.ID}/up`)).body.Status).toBe("ready");
    expect((await api(t.address, "PUT", "/v1/drover/sim-node/00000000-0000-0000-0000-000000000000/down")).status).toBe(404);
    expect((await api(t.address, "GET", `/v1/drover/sim-node/${n.ID}/down`)).status).toBe(405);
  });
});
