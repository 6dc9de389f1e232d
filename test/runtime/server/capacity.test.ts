/**
 * End-to-end: a job that cannot fit gets FailedTGAllocs and a blocked eval,
 * and is placed once a node with room joins; a node that stops
 * heartbeating is marked down and its allocations are replaced elsewhere.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

describe("capacity, blocked evals and node loss", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({
      client: false,
      simPools: [{ count: 1, name: "small", memory: 1024 }],
      heartbeat: { minTTLMs: 200, graceMs: 100, sweepMs: 50 },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it("blocks a job that does not fit and places it when a bigger node joins", async () => {
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("big", { memoryMB: 4096 }) });
    expect(reg.status).toBe(200);
    const evalDone = await waitFor("the register eval to complete", async () => {
      const e = (await api(t.address, "GET", `/v1/evaluation/${reg.body.EvalID}`)).body;
      return e.Status === "complete" ? e : null;
    });
    expect(evalDone.FailedTGAllocs.web).toMatchObject({ NodesEvaluated: 1, NodesExhausted: 1 });
    expect(evalDone.FailedTGAllocs.web.DimensionExhausted).toEqual({ memory: 1 });
    expect(evalDone.BlockedEval).not.toBe("");
    const blocked = (await api(t.address, "GET", `/v1/evaluation/${evalDone.BlockedEval}`)).body;
    expect(blocked.Status).toBe("blocked");
    expect((await api(t.address, "GET", "/v1/job/big/summary")).body.Summary.web.Queued).toBe(1);
    expect((await api(t.address, "GET", "/v1/job/big/allocations")).body).toEqual([]);

    await t.agent.addSimNodes({ count: 1, name: "large", memory: 16384 });
    const placed = await waitFor("the job to run on the new node", async () => {
      const l = (await api(t.address, "GET", "/v1/job/big/allocations")).body as { ClientStatus: string; NodeName: string }[];
      return l.length === 1 && l[0].ClientStatus === "running" ? l[0] : null;
    });
    expect(placed.NodeName).toBe("large-0");
    const unblocked = (await api(t.address, "GET", `/v1/evaluation/${evalDone.BlockedEval}`)).body;
    expect(unblocked.Status).toBe("complete");
  });

  it("marks a silent node down and replaces its allocations", async () => {
    const nodes = (await api(t.address, "GET", "/v1/nodes")).body as { ID: string; Name: string }[];
    const large = nodes.find((n) => n.Name === "large-0") as { ID: string };
    await t.agent.addSimNodes({ count: 1, name: "spare", memory: 16384 });
    t.agent.client?.setHeartbeating([large.ID], false);
    await waitFor(
      "the node to be down",
      async () => ((await api(t.address, "GET", `/v1/node/${large.ID}`)).body.Status === "down" ? true : null),
      5000,
    );
    const moved = await waitFor("a replacement on the spare node", async () => {
      const l = (await api(t.address, "GET", "/v1/job/big/allocations")).body as {
        ClientStatus: string;
        NodeName: string;
        DesiredStatus: string;
      }[];
      const lost = l.find((a) => a.ClientStatus === "lost");
      const running = l.find((a) => a.NodeName === "spare-0" && a.ClientStatus === "running");
      return lost && running ? { lost, running } : null;
    });
    expect(moved.lost.DesiredStatus).toBe("stop");
    const evals = (await api(t.address, "GET", "/v1/job/big/evaluations")).body as { TriggeredBy: string }[];
    expect(evals.some((e) => e.TriggeredBy === "node-update")).toBe(true);
  });
});
