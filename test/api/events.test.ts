/**
 * `NomadClient.events.stream()` against a stand-in agent that drops the
 * connection: the iterator reconnects from one past the last index it saw,
 * skips heartbeats, and with `reconnect: false` reports the server's error.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { EventStreamClosedError, NomadClient, type Events } from "../../lib/api";

const frame = (index: number, key: string) =>
  JSON.stringify({
    Index: index,
    Events: [{ Topic: "Job", Type: "JobRegistered", Key: key, Namespace: "default", FilterKeys: null, Index: index, Payload: {} }],
  });

describe("events.stream", () => {
  let server: http.Server;
  let address: string;
  const requests: URLSearchParams[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      requests.push(q);
      res.writeHead(200, { "Content-Type": "application/json" });
      // First connection: a heartbeat, two frames (one split across writes), then the server drops it.
      if (requests.length === 1) {
        const text = `{}\n${frame(5, "a")}\n${frame(6, "b")}\n`;
        res.write(text.slice(0, 40));
        res.write(text.slice(40));
        res.end(`${JSON.stringify({ Error: "subscription closed by server, client should resubscribe" })}\n`);
        return;
      }
      res.end(`${frame(9, "c")}\n`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("reconnects from one past the last index and sends the topics as Nomad's parameters", async () => {
    requests.length = 0;
    const nomad = new NomadClient({ address });
    const seen: Events[] = [];
    for await (const f of nomad.events.stream({ topics: { Job: ["web", "*"], Allocation: ["*"] }, reconnectDelayMs: 1 })) {
      seen.push(f);
      if (seen.length === 3) break;
    }
    await nomad.close();
    expect(seen.map((f) => f.Index)).toEqual([5, 6, 9]);
    expect(requests[0].getAll("topic")).toEqual(["Job:web", "Job", "Allocation"]);
    expect(requests[0].get("index")).toBeNull();
    expect(requests[1].get("index")).toBe("7");
  });

  it("with reconnect off, ends with the server's error", async () => {
    requests.length = 0;
    const nomad = new NomadClient({ address });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const f of nomad.events.stream({ reconnect: false })) seen.push(f.Index);
      })(),
    ).rejects.toThrow(EventStreamClosedError);
    await nomad.close();
    expect(seen).toEqual([5, 6]);
  });
});
