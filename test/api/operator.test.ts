/**
 * `client.operator.snapshotSave()` and `snapshotRestore()` against the
 * included runtime: the bytes come back checked against the server's
 * Digest, and restoring them into another agent brings the jobs back.
 */
import { NomadApiError, NomadClient } from "../../lib/api";
import { api, mockJob, startTestAgent, type TestAgent } from "../helpers/runtime";
import { FakeNomad } from "./fake-nomad";

describe("client.operator snapshots", () => {
  const agents: TestAgent[] = [];
  const clients: NomadClient[] = [];
  afterAll(async () => {
    for (const c of clients) await c.close();
    for (const t of agents) await t.stop();
  });
  const client = (address: string) => {
    const c = new NomadClient({ address });
    clients.push(c);
    return c;
  };

  it("saves a snapshot from one agent and restores it into another", async () => {
    const a = await startTestAgent({ client: false, simNodes: 1 });
    const b = await startTestAgent({ client: false, simNodes: 1 });
    agents.push(a, b);
    await api(a.address, "PUT", "/v1/jobs", { Job: mockJob("web") });
    const saved = await client(a.address).operator.snapshotSave({ stale: true });
    expect(saved.data.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(saved.digest).toMatch(/^sha-256=/);
    expect(saved.index).toBeGreaterThan(0);
    const restored = await client(b.address).operator.snapshotRestore(saved.data);
    expect(restored.index).toBeGreaterThan(saved.index);
    expect((await client(b.address).jobs.list()).data.map((j) => j.ID)).toEqual(["web"]);
  });

  it("a refused snapshot is a NomadApiError with the server's reason", async () => {
    const b = agents[1];
    const err = await client(b.address)
      .operator.snapshotRestore(Buffer.from("not a snapshot"))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NomadApiError);
    expect((err as NomadApiError).status).toBe(400);
    expect((err as NomadApiError).body).toBe("failed to restore from snapshot: not a drover snapshot: it is not gzip-compressed");
  });

  it("refuses bytes that do not match the server's Digest header", async () => {
    const fake = await new FakeNomad().start();
    try {
      fake.on("GET", "/v1/operator/snapshot", { body: "snapshot bytes", headers: { Digest: "sha-256=AAAA" } });
      await expect(client(fake.address).operator.snapshotSave()).rejects.toThrow("do not match the server's Digest header");
    } finally {
      await fake.stop();
    }
  });
});
