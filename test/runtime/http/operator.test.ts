/** `/v1/operator/raft/configuration` and `/v1/operator/autopilot/health`: one server, its own leader, healthy. */
import { api, startTestAgent, type TestAgent } from "../../helpers/runtime";

describe("operator: raft and autopilot", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 0, client: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("the raft configuration lists the one server as leader and voter, with the address the status endpoints report", async () => {
    const leader = (await api(t.address, "GET", "/v1/status/leader")).body;
    const r = await api(t.address, "GET", "/v1/operator/raft/configuration");
    expect(r.status).toBe(200);
    expect(r.body.Servers).toHaveLength(1);
    expect(r.body.Servers[0]).toMatchObject({ Address: leader, Leader: true, Voter: true, RaftProtocol: "3" });
    expect(r.body.Servers[0].ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("autopilot health reports the same server healthy, with no failure tolerance", async () => {
    const raft = (await api(t.address, "GET", "/v1/operator/raft/configuration")).body.Servers[0];
    const r = await api(t.address, "GET", "/v1/operator/autopilot/health");
    expect(r.body).toMatchObject({ Healthy: true, FailureTolerance: 0 });
    expect(r.body.Servers).toEqual([
      expect.objectContaining({ ID: raft.ID, Address: raft.Address, Leader: true, Healthy: true, SerfStatus: "alive", Voter: true }),
    ]);
  });
});
