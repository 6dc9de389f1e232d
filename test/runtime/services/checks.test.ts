/** The check runner of Nomad service checks: results, the healthiness of an allocation, the output cut. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CheckRunner, type CheckTarget } from "../../../lib/runtime/services/checks";

describe("check runner", () => {
  let server: http.Server;
  let port: number;
  let status = 200;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(status);
      res.end("x".repeat(5000));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  function target(id: string, extra: Partial<CheckTarget> = {}): CheckTarget {
    return {
      id,
      group: "g",
      task: "",
      service: "s",
      name: id,
      type: "http",
      mode: "healthiness",
      intervalMs: 50,
      timeoutMs: 500,
      address: "127.0.0.1",
      port,
      path: "/",
      method: "GET",
      protocol: "http",
      headers: {},
      body: "",
      tlsSkipVerify: false,
      ...extra,
    };
  }

  it("passes only when every healthiness check passes; readiness checks do not count; outputs are cut at 3 KiB", async () => {
    const changes: string[] = [];
    const runner = new CheckRunner({ minIntervalMs: 50, onChange: (a) => changes.push(a) });
    try {
      expect(runner.allChecksPassing("a1")).toBe(true);
      runner.setChecks("a1", [target("http"), target("ready", { mode: "readiness", type: "tcp", port: 1 })]);
      expect(runner.allChecksPassing("a1")).toBe(false);
      await waitUntil(() => runner.results("a1").http.Status === "success");
      expect(runner.allChecksPassing("a1")).toBe(true);
      expect(runner.results("a1").ready).toMatchObject({ Status: "failure", Mode: "readiness" });
      status = 500;
      await waitUntil(() => runner.results("a1").http.Status === "failure");
      expect(runner.allChecksPassing("a1")).toBe(false);
      expect(runner.results("a1").http).toMatchObject({ StatusCode: 500 });
      expect(runner.results("a1").http.Output).toHaveLength(3 * 1024);
      expect(changes.every((c) => c === "a1")).toBe(true);
      runner.setChecks("a1", [target("script", { type: "script" })]);
      await waitUntil(() => runner.results("a1").script?.Status === "failure");
      expect(Object.keys(runner.results("a1"))).toEqual(["script"]);
      expect(runner.results("a1").script.Output).toContain('check type "script" is not supported');
      runner.removeAlloc("a1");
      expect(runner.results("a1")).toEqual({});
      expect(runner.allocCount).toBe(0);
    } finally {
      status = 200;
      runner.stop();
    }
  });
});

async function waitUntil(fn: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
