/** Table tests of the pieces under the client endpoints: log file choice, frame splitting, the check runner, flag spelling. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { JsonObjectSplitter } from "../../../lib/api/endpoints/client";
import { findClosest, type LogFileEntry } from "../../../lib/runtime/http/routes/client-log-reader";
import { encodeFrame } from "../../../lib/runtime/http/routes/client-fs";
import { CheckRunner, type CheckTarget } from "../../../lib/runtime/services/checks";
import { nomadStyleFlags } from "../../../lib/cli/render/status-flags";
import { nextLastDrain } from "../../../lib/runtime/server/drain";
import type { Node } from "../../../lib/runtime/structs";

const files: LogFileEntry[] = [
  { index: 0, name: "t.stdout.0", size: 10 },
  { index: 1, name: "t.stdout.1", size: 20 },
  { index: 3, name: "t.stdout.3", size: 5 },
];

describe("findClosest (Nomad's choice of log file and offset)", () => {
  it.each([
    ["start of the oldest file", 0, 0, "t.stdout.0", 0],
    ["an offset inside the first file", 0, 7, "t.stdout.0", 7],
    ["an offset carried into the next file", 0, 15, "t.stdout.1", 5],
    ["an offset past everything stops at the end", 0, 1000, "t.stdout.3", 5],
    ["a missing index picks the next one", 2, 0, "t.stdout.3", 0],
    ["the newest file from the end", Number.MAX_SAFE_INTEGER, -3, "t.stdout.3", 2],
    ["from the end across files", Number.MAX_SAFE_INTEGER, -15, "t.stdout.1", 10],
    ["from the end before the first byte", Number.MAX_SAFE_INTEGER, -1000, "t.stdout.0", 0],
  ])("%s", (_what, index, offset, name, at) => {
    const r = findClosest(files, index, offset);
    expect([r.entry.name, r.offset]).toEqual([name, at]);
  });
});

describe("framed streams", () => {
  it("encodes frames as Nomad does and splits them back across chunk boundaries", () => {
    const text =
      encodeFrame({ file: "alloc/logs/t.stdout.0", offset: 3, data: Buffer.from('a}"{') }) +
      encodeFrame(null) +
      encodeFrame({ file: "alloc/logs/t.stdout.0", offset: 0, data: Buffer.alloc(0), event: "file truncated" });
    expect(encodeFrame(null)).toBe("{}");
    const split = new JsonObjectSplitter();
    const out: unknown[] = [];
    for (let i = 0; i < text.length; i += 5) out.push(...split.push(text.slice(i, i + 5)));
    expect(out).toEqual([
      { Offset: 3, Data: Buffer.from('a}"{').toString("base64"), File: "alloc/logs/t.stdout.0" },
      {},
      { File: "alloc/logs/t.stdout.0", FileEvent: "file truncated" },
    ]);
  });
});

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

describe("LastDrain (Nomad's drain metadata)", () => {
  const t0 = Date.UTC(2026, 10, 23, 10, 0, 0, 400);
  const idle = { DrainStrategy: null } as unknown as Node;
  it("starts, updates, completes and cancels as Nomad's state store records them", () => {
    expect(nextLastDrain(idle, false, false, t0)).toBeUndefined();
    const started = nextLastDrain(idle, true, false, t0, { reason: "r" });
    expect(started).toEqual({
      StartedAt: "2026-11-23T10:00:00Z",
      UpdatedAt: "2026-11-23T10:00:00Z",
      Status: "draining",
      AccessorID: "",
      Meta: { reason: "r" },
    });
    const draining = { DrainStrategy: { StartedAt: "2026-11-23T10:00:00.400Z" }, LastDrain: started } as unknown as Node;
    expect(nextLastDrain(draining, false, true, t0 + 60_000)).toEqual({
      StartedAt: "2026-11-23T10:00:00Z",
      UpdatedAt: "2026-11-23T10:01:00Z",
      Status: "complete",
      AccessorID: "",
      Meta: { reason: "r" },
    });
    expect(nextLastDrain(draining, false, false, t0 + 5000, { by: "me" })).toMatchObject({ Status: "canceled", Meta: { by: "me" } });
    expect(nextLastDrain({ ...draining, LastDrain: undefined } as Node, true, false, t0 + 1000)).toMatchObject({
      StartedAt: "2026-11-23T10:00:00Z",
      Status: "draining",
    });
  });
});

describe("Nomad-style flags", () => {
  it("accepts one-dash long flags", () => {
    expect(nomadStyleFlags(["-stderr", "-tail", "-n", "3", "-verbose=true", "-f", "--", "-stderr"], ["stderr", "tail", "verbose"])).toEqual(
      ["--stderr", "--tail", "-n", "3", "--verbose=true", "-f", "--", "-stderr"],
    );
  });
});

async function waitUntil(fn: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
