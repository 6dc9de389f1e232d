/** `client.agent` join, forceLeave, host, monitor and servers against the included runtime. */
import { NomadApiError, NomadClient } from "../../lib/api";
import { startTestAgent, type TestAgent } from "../helpers/runtime";

describe("client.agent", () => {
  let t: TestAgent;
  let client: NomadClient;
  beforeAll(async () => {
    t = await startTestAgent({ client: true, enableDebug: true });
    client = new NomadClient({ address: t.address });
  });
  afterAll(async () => {
    await client?.close();
    await t?.stop();
  });

  it("join answers how many addresses it joined and why not the others", async () => {
    const r = await client.agent.join(["127.0.0.1:4648", "10.9.9.9"]);
    expect(r).toMatchObject({ num_joined: 1, warning: "" });
    expect(r.error).toContain("Failed to join 10.9.9.9");
  });

  it("forceLeave resolves; a missing node name is the server's 400", async () => {
    await expect(client.agent.forceLeave("gone.global", { prune: true })).resolves.toBeUndefined();
    const err = await client.agent.forceLeave("").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NomadApiError);
    expect((err as NomadApiError).body).toBe("missing node to force leave");
  });

  it("host and hostOf read the machine's data", async () => {
    expect((await client.agent.host()).data.Environment).toBeDefined();
    const hostOf = await client.agent.hostOf({ nodeID: t.agent.localNodeID });
    expect(hostOf.data.AgentID).toBe(t.agent.localNodeID);
    expect(hostOf.data.HostData?.OS).toBeTruthy();
  });

  it("servers lists the one server", async () => {
    expect((await client.agent.servers()).data).toEqual([expect.stringMatching(/:4647$/)]);
  });

  it("monitor yields the agent's log lines until aborted", async () => {
    const abort = new AbortController();
    const lines = client.agent.monitor({ logLevel: "debug", signal: abort.signal });
    const first = lines.next();
    // The stream is open once the agent logs the request that follows.
    let line = "";
    for (let i = 0; i < 50 && !line; i++) {
      await client.status.leader();
      line = await Promise.race([first.then((r) => r.value as string), new Promise<string>((r) => setTimeout(() => r(""), 100))]);
    }
    expect(line).toMatch(/\[DEBUG\] http: request complete: method=GET/);
    abort.abort();
    await lines.return(undefined).catch(() => undefined);
  });
});
