/**
 * The Nomad-compatible HTTP API of drover's runtime, on node:http. Errors
 * come back as Nomad sends them: a plain-text body with the message and the
 * status of the error (400, 403, 404, 405, 413, 500). Reads that name their
 * state tables are blocking queries: with `?index=N` they wait (up to `wait`,
 * default and cap 300 s, plus up to wait/16 of jitter) until one of those
 * tables is written above N.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "../server/server";
import { CodedError, badRequest } from "../server/errors";
import { jitteredWait, MAX_BLOCKING_WAIT_MS } from "../state";
import type { AgentInfo } from "./agent-info";
import { AgentLogger } from "../log/agent-logger";
import { parseQueryOptions, type RequestContext } from "./context";
import { Router, type Reply } from "./router";
import { agentRoutes } from "./routes/agent";
import { agentMonitorRoutes } from "./routes/agent-monitor";
import { clusterRoutes } from "./routes/cluster";
import { nodePoolRoutes } from "./routes/node-pools";
import { allocationRoutes } from "./routes/allocations";
import { deploymentRoutes } from "./routes/deployments";
import { evaluationRoutes } from "./routes/evaluations";
import { jobRoutes } from "./routes/jobs";
import { nodeRoutes } from "./routes/nodes";
import { systemRoutes } from "./routes/system";
import { clientFsRoutes } from "./routes/client-fs";
import { clientAllocationRoutes } from "./routes/client-allocation";
import { clientNodeRoutes } from "./routes/client-node";
import { serviceRoutes } from "./routes/services";
import { variableRoutes } from "./routes/variables";
import { simNodeRoutes } from "./routes/client-sim-nodes";
import { globalStopRoutes, multiregionRoutes } from "./routes/multiregion";
import { routeJobSubmission, submitsJob } from "./job-submission";
import { NO_REGION_PATH, type RegionRegistry } from "../multiregion/registry";
import type { ClientRuntime } from "../client/client";
import { clientAccessFromRuntime, dataDirClientAccess, type ClientAccess } from "./client-access";
import { periodicRoutes } from "./routes/periodic";
import { dispatchRoutes } from "./routes/dispatch";
import { RequestGuard } from "./request-guard";
import { limitConnections, type ConnectionLimits } from "./connection-limit";
import { DEFAULT_MAX_JSON_DEPTH, checkJsonDepth, checkWellFormed, decodeBody } from "./json-bounds";
import { aclRoutes } from "./routes/acl";
import { namespaceRoutes } from "./routes/namespaces";
import { enforceRouteACL } from "./route-acl";
import type { Route } from "./router";
import { searchRoutes } from "./routes/search";
import { operatorRoutes } from "./routes/operator";
import { scalingRoutes } from "./routes/scaling";
import { metricsRoutes, type TelemetrySettings } from "./routes/metrics";
import { eventRoutes, type EventStreamSettings } from "./routes/events";

/** Largest accepted request body: 10 MiB (larger gets 413). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** HTTP API options. */
export interface HttpApiOptions {
  /** Address to bind, default 127.0.0.1. */
  bind?: string;
  /** Port, default 4646; 0 picks a free one. */
  port?: number;
  /** Largest request body in bytes (default 10 MiB). */
  maxBodyBytes?: number;
  /** Log sink for unexpected errors. */
  log?: (message: string) => void;
  /** The agent's logger, which `/v1/agent/monitor` streams (default: one that writes to `log`); each request is logged at DEBUG. */
  logger?: AgentLogger;
  /** Settings of `/v1/event/stream` (heartbeat interval, slow-subscriber limit). */
  events?: EventStreamSettings;
  /** The agent's `telemetry` block: whether `/v1/metrics?format=prometheus` is served and client node metrics published. */
  telemetry?: TelemetrySettings;
  /** The regions the agent serves (default: only the server's own); a request goes to the region its `region` parameter names. */
  regions?: RegionRegistry;
  /** Origins of web pages allowed to call the API besides the agent's own (`http://localhost:3000`); default none. */
  allowedOrigins?: readonly string[];
  /** Caps on concurrent connections (default 100 per client address, as Nomad, and 1024 in all). */
  connections?: ConnectionLimits;
  /** Deepest nesting of objects and arrays in a JSON body (default 64). */
  maxJsonDepth?: number;
}

/** The HTTP API server. */
export class HttpApi {
  private readonly router = new Router();
  private readonly http: http.Server;
  private readonly maxBody: number;
  private readonly log: (m: string) => void;
  /** The client access of each region's client runtime, made on first use. */
  private readonly clientAccessByRuntime = new WeakMap<ClientRuntime, ClientAccess>();
  /** The client access of a region without a client runtime. */
  private readonly noClientAccess: ClientAccess;
  private readonly guard: RequestGuard;
  private readonly connections: { refuse(req: http.IncomingMessage, res: http.ServerResponse): boolean };
  private readonly maxJsonDepth: number;
  private readonly logger: AgentLogger;

  constructor(
    private readonly server: Server,
    private readonly agent: AgentInfo,
    private readonly options: HttpApiOptions = {},
  ) {
    this.router.add(multiregionRoutes(() => options.regions?.names() ?? [server.region]));
    this.router.add([
      ...periodicRoutes,
      ...dispatchRoutes,
      ...globalStopRoutes(() => options.regions),
      ...jobRoutes,
      ...allocationRoutes,
      ...evaluationRoutes,
      ...deploymentRoutes,
      ...clusterRoutes,
      ...nodePoolRoutes,
      ...nodeRoutes,
      ...agentRoutes,
      ...agentMonitorRoutes,
    ]);
    this.router.add(systemRoutes);
    this.router.add([...aclRoutes, ...namespaceRoutes]);
    this.router.add(eventRoutes(options.events));
    this.router.add(searchRoutes);
    this.router.add(operatorRoutes);
    this.router.add(scalingRoutes);
    this.router.add(metricsRoutes(options.telemetry));
    this.router.add([
      ...clientFsRoutes,
      ...clientAllocationRoutes,
      ...clientNodeRoutes,
      ...serviceRoutes,
      ...variableRoutes,
      ...simNodeRoutes,
    ]);
    this.maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.noClientAccess = dataDirClientAccess(agent.dataDir);
    this.logger = options.logger ?? new AgentLogger(options.log);
    this.log = options.log ?? this.logger.info;
    this.guard = new RequestGuard({ bind: options.bind ?? "127.0.0.1", allowedOrigins: options.allowedOrigins });
    this.maxJsonDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
    this.http = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      if (this.logger.enabled("DEBUG")) {
        const started = performance.now();
        res.once("close", () =>
          this.logger.log(
            "DEBUG",
            `http: request complete: method=${req.method} path=${(req.url ?? "").split("?")[0]} status=${res.statusCode} duration=${(performance.now() - started).toFixed(3)}ms`,
          ),
        );
      }
      this.handle(req, res).catch((err) => {
        this.log(`http: ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) this.sendError(res, 500, "internal error");
      });
    });
    this.http.headersTimeout = 70_000;
    this.connections = limitConnections(this.http, options.connections);
  }

  /** Every route the API serves, in match order (each with its ACL requirement). */
  routes(): Route[] {
    return this.router.routes();
  }

  /** What the client endpoints reach of the client runtime of `server`'s region. */
  private clientAccess(server: Server): ClientAccess {
    const runtime = this.options.regions?.get(server.region)?.client;
    if (!runtime) return this.noClientAccess;
    let access = this.clientAccessByRuntime.get(runtime);
    if (!access) this.clientAccessByRuntime.set(runtime, (access = clientAccessFromRuntime(runtime)));
    return access;
  }

  /** Starts listening; resolves with the bound address and port. */
  listen(): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(this.options.port ?? 4646, this.options.bind ?? "127.0.0.1", () => {
        const a = this.http.address() as AddressInfo;
        this.agent.httpPort = a.port;
        resolve({ address: a.address, port: a.port });
      });
    });
  }

  /** Stops accepting connections and closes idle and blocked ones. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeIdleConnections?.();
      setTimeout(() => this.http.closeAllConnections?.(), 100).unref();
    });
  }

  private sendError(res: http.ServerResponse, status: number, message: string): void {
    const body = Buffer.from(message, "utf8");
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": body.length });
    res.end(body);
  }

  private readBody(req: http.IncomingMessage, maxBody: number): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > maxBody) {
        req.resume();
        return resolve(null);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      req.on("data", (c: Buffer) => {
        if (tooBig) return;
        size += c.length;
        if (size > maxBody) {
          tooBig = true;
          chunks.length = 0;
          return;
        }
        chunks.push(c);
      });
      req.on("end", () => resolve(tooBig ? null : Buffer.concat(chunks)));
      req.on("error", reject);
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.connections.refuse(req, res)) return;
    // No drive-by from a browser: foreign Origin and (on loopback) foreign Host refused, no CORS preflight unless allowed.
    const refusal = this.guard.check(req, this.agent.httpPort);
    if (refusal) {
      req.resume();
      return this.sendError(res, refusal.status, refusal.message);
    }
    const preflight = this.guard.isPreflight(req);
    for (const [k, v] of Object.entries(this.guard.corsHeaders(req, preflight))) res.setHeader(k, v);
    if (preflight) {
      req.resume();
      if (res.hasHeader("Access-Control-Allow-Origin")) {
        res.writeHead(204);
        return void res.end();
      }
      return this.sendError(
        res,
        403,
        'CORS preflight refused: the agent answers cross-origin requests only from the origins it is configured to allow (--allowed-origin or "http_allowed_origins" in the agent config)',
      );
    }
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      req.resume();
      return this.sendError(res, 400, "Invalid request URL");
    }
    const method = req.method ?? "GET";
    let match: ReturnType<Router["match"]>;
    try {
      match = this.router.match(method, url.pathname);
    } catch (err) {
      req.resume();
      if (err instanceof CodedError) return this.sendError(res, err.code, err.message);
      throw err;
    }
    if (!match) {
      req.resume();
      return this.sendError(res, 404, "404 page not found");
    }
    if ("methodNotAllowed" in match) {
      req.resume();
      return this.sendError(res, 405, "Invalid method");
    }
    const binary = match.route.binaryBody;
    const maxBody = binary ? binary.maxBytes : this.maxBody;
    const bodyBytes = method === "GET" || method === "HEAD" ? Buffer.alloc(0) : await this.readBody(req, maxBody);
    if (bodyBytes === null) {
      res.setHeader("Connection", "close");
      return this.sendError(res, 413, `Request body too large: the limit is ${maxBody} bytes`);
    }
    try {
      const rawBody = binary ? "" : decodeBody(bodyBytes);
      const options = parseQueryOptions(url.searchParams, req.headers, this.server.region);
      const server =
        (this.options.regions
          ? this.options.regions.server(options.region)
          : options.region === this.server.region
            ? this.server
            : undefined) ?? (options.region === "global" && submitsJob(method, url.pathname) ? this.server : undefined);
      if (!server) throw new CodedError(500, NO_REGION_PATH);
      // Routes that need no token (status, health, bootstrap) answer whatever token is sent, as Nomad's do.
      const resolved =
        match.route.acl.kind === "none"
          ? { acl: this.server.acl.resolve("").acl, token: undefined }
          : this.server.acl.resolve(options.token);
      let parsed: { done: boolean; value: unknown } = { done: false, value: undefined };
      const ctx: RequestContext = {
        method,
        params: match.params,
        query: url.searchParams,
        options,
        server,
        acl: resolved.acl,
        aclToken: resolved.token,
        authority: this.server,
        client: this.clientAccess(server),
        agent: this.agent,
        logger: this.logger,
        rawBody,
        bodyBytes,
        parseJson: (text) => {
          checkJsonDepth(text, this.maxJsonDepth);
          const value: unknown = JSON.parse(text);
          checkWellFormed(value);
          return value;
        },
        json: () => {
          if (parsed.done) return parsed.value;
          if (rawBody.trim() === "") parsed = { done: true, value: undefined };
          else {
            // Bounded before anything reads it: nesting depth on the text, then no lone surrogates.
            checkJsonDepth(rawBody, this.maxJsonDepth);
            let value: unknown;
            try {
              value = JSON.parse(rawBody);
            } catch (err) {
              throw badRequest(`Failed to decode request body: ${(err as Error).message}`);
            }
            checkWellFormed(value);
            parsed = { done: true, value };
          }
          return parsed.value;
        },
      };
      if (this.options.regions && submitsJob(method, url.pathname)) routeJobSubmission(ctx, url.pathname, this.options.regions);
      const route = match.route;
      if (this.server.acl.enabled) enforceRouteACL(route.acl, resolved.acl, ctx, resolved.acl.management);
      if (route.tables && options.index > 0 && method === "GET") {
        const wait = jitteredWait(Math.min(options.waitMs, MAX_BLOCKING_WAIT_MS), server.random);
        await server.store.waitForChange(route.tables, options.index, wait);
        if (res.destroyed) return;
      }
      const reply: Reply = await route.handler(ctx);
      if (reply.stream) return await reply.stream(res, req);
      const index = reply.index ?? (route.tables ? ctx.server.store.indexOf(route.tables) : ctx.server.store.latestIndex());
      if (reply.status === 204) {
        // No Content: headers only.
        res.writeHead(204, {
          "X-Nomad-Index": String(index),
          "X-Nomad-KnownLeader": "true",
          "X-Nomad-LastContact": "0",
          ...(reply.headers ?? {}),
        });
        return void res.end();
      }
      const body = Buffer.from(JSON.stringify(reply.body ?? null), "utf8");
      res.writeHead(reply.status ?? 200, {
        "Content-Type": "application/json",
        "Content-Length": body.length,
        "X-Nomad-Index": String(index),
        "X-Nomad-KnownLeader": "true",
        "X-Nomad-LastContact": "0",
        ...(reply.headers ?? {}),
      });
      res.end(body);
    } catch (err) {
      if (err instanceof CodedError) return this.sendError(res, err.code, err.message);
      this.log(`http: ${method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
      return this.sendError(res, 500, (err as Error).message || "internal error");
    }
  }
}
