/**
 * A small fake Nomad HTTP agent for client tests: routes answer with canned
 * bodies (the docs-json samples), every request is recorded, and a route can
 * be scripted to fail a number of times before it succeeds.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

/** A recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What a route answers. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket without answering (ECONNRESET on the client). */
  reset?: boolean;
  /** Delay before answering, in ms. */
  delayMs?: number;
}

/** A route handler: returns the answer for a request. */
export type FakeHandler = (req: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

/** Reads a docs-json sample copied into test/fixtures/plan/nomad-docs. */
export function sample(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "plan", "nomad-docs", `${name}.json`), "utf8"));
}

/** The fake agent. */
export class FakeNomad {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, FakeHandler>();
  private server?: http.Server;
  address = "";

  /** Registers a handler for `METHOD /path` (exact path, no query). */
  on(method: string, p: string, handler: FakeHandler | FakeAnswer): this {
    this.routes.set(`${method} ${p}`, typeof handler === "function" ? handler : () => handler);
    return this;
  }

  /** Starts listening on 127.0.0.1 at a free port (or the given one). */
  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://x");
        const rec: RecordedRequest = {
          method: req.method ?? "",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        this.requests.push(rec);
        const handler = this.routes.get(`${rec.method} ${rec.path}`);
        void Promise.resolve(handler ? handler(rec) : { status: 404, body: "Invalid URL path" }).then(async (a) => {
          if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs).unref());
          if (a.reset) {
            req.socket.destroy();
            return;
          }
          const status = a.status ?? 200;
          const text = typeof a.body === "string" && status >= 300 ? a.body : JSON.stringify(a.body ?? null);
          res.writeHead(status, { "content-type": status >= 300 ? "text/plain" : "application/json", ...a.headers });
          res.end(text);
        });
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, "127.0.0.1", r));
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops the server and drops open connections. */
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  /** Requests to a path. */
  to(p: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === p);
  }
}
