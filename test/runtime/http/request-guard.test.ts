/**
 * The agent's answers to browsers and to too many connections: its own
 * origin and host names work, an allowed origin gets CORS (preflight and
 * answers), anything else is refused; a client over the connection cap gets
 * Nomad's 429; `drover agent --bind 0.0.0.0` warns; the config keys are checked.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile } from "../../../lib/runtime/config";
import { RequestGuard, isLoopback } from "../../../lib/runtime/http/request-guard";
import { main } from "../../../lib/cli/main";
import { mockJob, spawnAgentProcess, startTestAgent, stopAgentProcess, type AgentProcess, type TestAgent } from "../../helpers/runtime";

function request(
  port: number,
  method: string,
  p: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: p, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("origins and hosts", () => {
  let t: TestAgent;
  const ui = "http://localhost:3000";
  beforeAll(async () => {
    t = await startTestAgent({ client: false, allowedOrigins: [ui] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("serves its own origin and host names, and tools without Origin whatever their content type", async () => {
    const port = t.agent.port;
    for (const [host, origin] of [
      [`127.0.0.1:${port}`, `http://127.0.0.1:${port}`],
      [`localhost:${port}`, `http://localhost:${port}`],
      [`[::1]:${port}`, `http://[::1]:${port}`],
      [`LOCALHOST:${port}`, undefined],
    ] as const) {
      const r = await request(port, "GET", "/v1/jobs", { Host: host, ...(origin ? { Origin: origin } : {}) });
      expect({ host, status: r.status, cors: r.headers["access-control-allow-origin"] }).toEqual({ host, status: 200, cors: undefined });
    }
    const form = await request(
      port,
      "PUT",
      "/v1/jobs",
      { "Content-Type": "application/x-www-form-urlencoded" },
      JSON.stringify({ Job: mockJob("curl") }),
    );
    expect(form.status).toBe(200);
  });

  it("answers an allowed origin's preflight and requests with CORS headers, and refuses others", async () => {
    const port = t.agent.port;
    const pre = await request(port, "OPTIONS", "/v1/jobs", {
      Origin: ui,
      "Access-Control-Request-Method": "PUT",
      "Access-Control-Request-Headers": "content-type,x-nomad-token",
    });
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe(ui);
    expect(pre.headers["access-control-allow-methods"]).toContain("PUT");
    expect(pre.headers["access-control-allow-headers"]).toContain("X-Nomad-Token");
    const put = await request(
      port,
      "PUT",
      "/v1/jobs",
      { Origin: ui, "Content-Type": "application/json" },
      JSON.stringify({ Job: mockJob("from-ui") }),
    );
    expect(put.status).toBe(200);
    expect(put.headers["access-control-allow-origin"]).toBe(ui);
    expect(put.headers["access-control-expose-headers"]).toContain("X-Nomad-Index");

    const other = await request(port, "OPTIONS", "/v1/jobs", { Origin: "http://localhost:3001", "Access-Control-Request-Method": "PUT" });
    expect(other.status).toBe(403);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    expect(other.text).toMatch(/^Origin "http:\/\/localhost:3001" is not allowed/);
    const noOrigin = await request(port, "OPTIONS", "/v1/jobs", { "Access-Control-Request-Method": "PUT" });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.text).toMatch(/^CORS preflight refused/);
    const jobs = JSON.parse((await request(port, "GET", "/v1/jobs", {})).text) as { ID: string }[];
    expect(jobs.map((j) => j.ID).sort()).toEqual(["curl", "from-ui"]);
  });

  it("checks Host only on a loopback bind, and knows a wildcard bind's own addresses", () => {
    const req = (headers: Record<string, string>) => ({ headers, method: "GET" }) as unknown as http.IncomingMessage;
    const loop = new RequestGuard({ bind: "127.0.0.1" });
    expect(loop.check(req({ host: "evil.example:4646" }), 4646)?.status).toBe(403);
    expect(loop.check(req({ host: "127.0.0.1" }), 4646)).toBeNull();
    const wide = new RequestGuard({ bind: "0.0.0.0" });
    expect(wide.check(req({ host: "my-server.internal:4646" }), 4646)).toBeNull();
    expect(wide.check(req({ host: "my-server.internal:4646", origin: "http://my-server.internal:4646" }), 4646)?.status).toBe(403);
    const own = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4");
    if (own) expect(wide.check(req({ host: `${own.address}:4646`, origin: `http://${own.address}:4646` }), 4646)).toBeNull();
    expect(isLoopback("127.0.0.2")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("10.0.0.1")).toBe(false);
    expect(() => new RequestGuard({ bind: "127.0.0.1", allowedOrigins: ["not an origin"] })).toThrow(/is not an origin/);
  });
});

describe("connection cap", () => {
  let t: TestAgent;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    t = await startTestAgent({ client: false, limits: { httpMaxConnsPerClient: 3 } });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await t?.stop();
  });

  it("answers a connection over the per-client cap with Nomad's 429 and serves again once one closes", async () => {
    const open = () =>
      new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(t.agent.port, "127.0.0.1", () => resolve(s));
        s.on("error", reject);
        sockets.push(s);
      });
    for (let i = 0; i < 3; i++) await open();
    const over = await request(t.agent.port, "GET", "/v1/agent/health", {});
    expect(over.status).toBe(429);
    expect(over.text).toBe("Your IP is issuing too many concurrent connections, please rate limit your calls\n");
    const first = sockets[0];
    await new Promise((r) => {
      first.once("close", r);
      first.destroy();
    });
    // The server counts the close when it sees it; the next connection is then served.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await request(t.agent.port, "GET", "/v1/agent/health", {})).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
  });
});

describe("agent configuration", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-guard-config-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (o: unknown) => {
    const f = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(f, JSON.stringify(o));
    return f;
  };

  it("reads limits, allowed origins and the default task user, and names a bad field", () => {
    const ok = loadAgentConfigFile(
      write({
        http_allowed_origins: ["http://localhost:3000"],
        limits: { max_group_count: 500, http_max_conns_per_client: 10 },
        client: { default_task_user: "nobody" },
      }),
    );
    expect(ok.limits).toEqual({ max_group_count: 500, http_max_conns_per_client: 10 });
    expect(() => loadAgentConfigFile(write({ limits: { max_group_count: 2_000_000 } }))).toThrow(
      /limits\.max_group_count: must be an integer between 1 and 1000000/,
    );
    expect(() => loadAgentConfigFile(write({ limits: { max_conns: 5 } }))).toThrow(/limits\.max_conns: unknown field/);
    expect(() => loadAgentConfigFile(write({ http_allowed_origins: ["http://x/path"] }))).toThrow(
      /http_allowed_origins\[0\]: must be an origin/,
    );
    expect(() => loadAgentConfigFile(write({ client: { default_task_user: 7 } }))).toThrow(
      /client\.default_task_user: must be a user name/,
    );
  });

  it("refuses a bad --allowed-origin as a usage error", async () => {
    let err = "";
    const code = await main(["agent", "--dev", "--port", "0", "--allowed-origin", "localhost"], {
      out: { write: () => true },
      err: { write: (s: string) => ((err += s), true) },
      cwd: process.cwd(),
      env: {},
    } as never);
    expect(code).toBe(2);
    expect(err).toContain("--allowed-origin");
  });
});

describe("drover agent --bind", () => {
  let proc: AgentProcess | null = null;
  afterAll(async () => {
    await stopAgentProcess(proc);
  });

  it("warns at start that a non-loopback address without authentication lets anyone register jobs", async () => {
    proc = await spawnAgentProcess(["--dev", "--bind", "0.0.0.0", "--port", "0", "--no-client"]);
    const health = await fetch(`${proc.address}/v1/agent/health`);
    expect(health.status).toBe(200);
    expect(proc.output()).toMatch(
      /warning: the HTTP API is bound to 0\.0\.0\.0, which is not a loopback address, and ACLs are not enabled \(--acl-enabled\): anyone who can reach 0\.0\.0\.0:\d+ can register jobs and, with raw_exec enabled, run commands/,
    );
  });

  it("does not warn when ACLs are enabled", async () => {
    await stopAgentProcess(proc);
    proc = await spawnAgentProcess(["--dev", "--acl-enabled", "--bind", "0.0.0.0", "--port", "0", "--no-client"]);
    const health = await fetch(`${proc.address}/v1/agent/health`);
    expect(health.status).toBe(200);
    expect(proc.output()).toContain("listening on");
    expect(proc.output()).not.toContain("warning:");
  });
});
