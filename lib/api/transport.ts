/**
 * The HTTP layer of the Nomad client: builds URLs and headers, sends requests
 * through one undici dispatcher (TLS and unix sockets configured there),
 * decodes JSON, maps failures to `NomadApiError`/`NomadConnectionError`, reads
 * the X-Nomad-* metadata, and retries as `retry.ts` allows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Agent, Dispatcher, request } from "undici";
import type { ResolvedNomadConfig, TLSOptions } from "./config";
import { NomadApiError, NomadConnectionError, errorCode } from "./errors";
import type { QueryMeta, QueryOptions, WriteOptions } from "./query";
import { formatWait } from "./query";
import { backoffDelay, isIdempotentMethod, isNotSent, isRetryableStatus, isTransientTransportError, sleep } from "./retry";

/** Query-string parameters: undefined values are left out. */
export type Params = Record<string, string | number | boolean | readonly string[] | undefined>;

/** The TLS connect options handed to undici, derived from `TLSOptions`. */
export interface TLSConnectOptions {
  /** PEM CA certificates (NOMAD_CACERT plus every file in NOMAD_CAPATH). */
  ca?: string[];
  /** PEM client certificate. */
  cert?: string;
  /** PEM client key. */
  key?: string;
  /** SNI and verification name. */
  servername?: string;
  /** False when NOMAD_SKIP_VERIFY is set. */
  rejectUnauthorized: boolean;
}

function readPem(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${what} "${file}": ${(err as Error).message}`);
  }
}

/** Maps Nomad's TLS settings to undici connect options, reading the PEM files. Throws naming an unreadable file. */
export function tlsConnectOptions(tls: TLSOptions): TLSConnectOptions {
  const ca: string[] = [];
  if (tls.caCert) ca.push(readPem(tls.caCert, "CA certificate (NOMAD_CACERT)"));
  if (tls.caPath) {
    let entries: string[];
    try {
      entries = fs.readdirSync(tls.caPath).sort();
    } catch (err) {
      throw new Error(`cannot read CA directory (NOMAD_CAPATH) "${tls.caPath}": ${(err as Error).message}`);
    }
    for (const f of entries) {
      const file = path.join(tls.caPath, f);
      if (fs.statSync(file).isFile()) ca.push(readPem(file, "CA certificate in NOMAD_CAPATH"));
    }
  }
  if (Boolean(tls.clientCert) !== Boolean(tls.clientKey)) {
    throw new Error("client TLS needs both a certificate and a key (NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY)");
  }
  return {
    ca: ca.length ? ca : undefined,
    cert: tls.clientCert ? readPem(tls.clientCert, "client certificate (NOMAD_CLIENT_CERT)") : undefined,
    key: tls.clientKey ? readPem(tls.clientKey, "client key (NOMAD_CLIENT_KEY)") : undefined,
    servername: tls.serverName,
    rejectUnauthorized: !tls.insecure,
  };
}

/** One HTTP exchange as seen by the retry loop. */
interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends requests to one Nomad agent. One per `NomadClient`; `close()` releases its connections. */
export class Transport {
  /** The resolved configuration. */
  readonly config: ResolvedNomadConfig;
  private readonly dispatcher: Dispatcher;
  /** Random source for backoff jitter (replaceable in tests). */
  random: () => number = Math.random;

  constructor(config: ResolvedNomadConfig) {
    this.config = config;
    const connect: Record<string, unknown> = {};
    if (config.socketPath) connect.socketPath = config.socketPath;
    if (config.origin.startsWith("https:")) Object.assign(connect, tlsConnectOptions(config.tls));
    connect.timeout = Math.min(config.timeoutMs, 30_000);
    this.dispatcher = new Agent({ connect, keepAliveTimeout: 4_000 });
  }

  /** Closes idle connections. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Builds the URL of a request, adding region and namespace as Nomad's Go client does. */
  url(apiPath: string, params: Params, opts: { namespace?: string; region?: string }): string {
    const qs = new URLSearchParams();
    const region = opts.region ?? this.config.region;
    const namespace = opts.namespace ?? this.config.namespace;
    if (region) qs.set("region", region);
    if (namespace) qs.set("namespace", namespace);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v as readonly string[]) qs.append(k, item);
      else qs.set(k, String(v));
    }
    const q = qs.toString();
    return `${this.config.origin}${this.config.basePath}${apiPath}${q ? `?${q}` : ""}`;
  }

  /** Performs a read (GET) with blocking-query options and returns the body with its metadata. */
  async query<T>(apiPath: string, params: Params, opts: QueryOptions = {}): Promise<{ data: T; meta: QueryMeta }> {
    const all: Params = {
      ...params,
      index: opts.index !== undefined && opts.index > 0 ? opts.index : undefined,
      wait: opts.wait !== undefined ? formatWait(opts.wait) : undefined,
      stale: opts.stale ? "" : undefined,
      prefix: opts.prefix,
      filter: opts.filter,
      per_page: opts.perPage,
      next_token: opts.nextToken,
      reverse: opts.reverse ? true : undefined,
    };
    // A blocking query may legitimately take wait + wait/16 before headers arrive.
    const blockMs = opts.index ? (opts.wait ?? 300_000) * (17 / 16) : 0;
    const res = await this.send("GET", apiPath, all, undefined, opts, blockMs);
    return { data: decode<T>(res, "GET", apiPath), meta: parseMeta(res.headers) };
  }

  /** Performs a write (PUT/POST/DELETE) and returns the decoded body with the index header. */
  async write<T>(
    method: "PUT" | "POST" | "DELETE",
    apiPath: string,
    body: unknown,
    params: Params = {},
    opts: WriteOptions = {},
  ): Promise<{ data: T; meta: { index: number } }> {
    const res = await this.send(method, apiPath, { ...params, idempotency_token: opts.idempotencyToken }, body, opts, 0);
    return { data: decode<T>(res, method, apiPath), meta: { index: parseMeta(res.headers).index } };
  }

  /**
   * Performs a GET whose body is a stream (logs, file contents): resolves
   * once the headers arrived with a 2xx status, then yields the body's
   * chunks as they come. Non-2xx answers throw `NomadApiError`.
   */
  async *stream(
    apiPath: string,
    params: Params,
    opts: { namespace?: string; region?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<Buffer> {
    const headers: Record<string, string> = { "user-agent": "drover", ...this.config.headers };
    if (this.config.token) headers["x-nomad-token"] = this.config.token;
    let r: Dispatcher.ResponseData;
    try {
      r = await request(this.url(apiPath, params, opts), {
        method: "GET",
        headers,
        dispatcher: this.dispatcher,
        signal: opts.signal,
        headersTimeout: this.config.timeoutMs,
        bodyTimeout: 0,
      });
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      throw new NomadConnectionError(this.config.address, "GET", apiPath, err, isNotSent(errorCode(err)));
    }
    if (r.statusCode < 200 || r.statusCode >= 300) throw new NomadApiError(r.statusCode, "GET", apiPath, await r.body.text());
    try {
      for await (const chunk of r.body) yield chunk as Buffer;
    } finally {
      if (!r.body.destroyed) r.body.destroy();
    }
  }

  /**
   * A request whose bodies are bytes, not JSON (a snapshot file): sends
   * `body` as `application/octet-stream` when given, and returns the
   * response's bytes with its metadata and headers. Retried only when the
   * request certainly never reached the agent. Non-2xx answers throw
   * `NomadApiError`.
   */
  async binary(
    method: "GET" | "PUT",
    apiPath: string,
    params: Params,
    body: Uint8Array | undefined,
    opts: { namespace?: string; region?: string; signal?: AbortSignal } = {},
  ): Promise<{ data: Buffer; meta: QueryMeta; headers: Record<string, string | undefined> }> {
    const url = this.url(apiPath, params, opts);
    const headers: Record<string, string> = { "user-agent": "drover", ...this.config.headers };
    if (this.config.token) headers["x-nomad-token"] = this.config.token;
    if (body !== undefined) headers["content-type"] = "application/octet-stream";
    const { maxAttempts } = this.config.retry;
    for (let attempt = 1; ; attempt++) {
      let r: Dispatcher.ResponseData;
      let data: Buffer;
      try {
        r = await request(url, {
          method,
          headers,
          body: body === undefined ? undefined : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
          dispatcher: this.dispatcher,
          signal: opts.signal,
          headersTimeout: this.config.timeoutMs,
          bodyTimeout: this.config.timeoutMs,
        });
        data = Buffer.from(await r.body.arrayBuffer());
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? err;
        const notSent = isNotSent(errorCode(err));
        if (notSent && attempt < maxAttempts) {
          await sleep(backoffDelay(attempt, this.config.retry, this.random), opts.signal);
          continue;
        }
        throw new NomadConnectionError(this.config.address, method, apiPath, err, notSent);
      }
      if (r.statusCode < 200 || r.statusCode >= 300) throw new NomadApiError(r.statusCode, method, apiPath, data.toString("utf8"));
      const out: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(r.headers)) out[k] = Array.isArray(v) ? v[0] : v;
      return { data, meta: parseMeta(r.headers), headers: out };
    }
  }

  private async send(
    method: string,
    apiPath: string,
    params: Params,
    body: unknown,
    opts: { namespace?: string; region?: string; signal?: AbortSignal },
    blockMs: number,
  ): Promise<RawResponse> {
    const url = this.url(apiPath, params, opts);
    const headers: Record<string, string> = { "user-agent": "drover", ...this.config.headers };
    if (this.config.token) headers["x-nomad-token"] = this.config.token;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      headers["content-type"] = "application/json";
    }
    const { maxAttempts } = this.config.retry;
    for (let attempt = 1; ; attempt++) {
      let res: RawResponse;
      try {
        const r = await request(url, {
          method: method as Dispatcher.HttpMethod,
          headers,
          body: payload,
          dispatcher: this.dispatcher,
          signal: opts.signal,
          headersTimeout: this.config.timeoutMs + blockMs,
          bodyTimeout: this.config.timeoutMs + blockMs,
        });
        res = { status: r.statusCode, headers: r.headers, text: await r.body.text() };
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? err;
        const code = errorCode(err);
        const notSent = isNotSent(code);
        const retryable = notSent || (isIdempotentMethod(method) && isTransientTransportError(code));
        if (retryable && attempt < maxAttempts) {
          await sleep(backoffDelay(attempt, this.config.retry, this.random), opts.signal);
          continue;
        }
        throw new NomadConnectionError(this.config.address, method, apiPath, err, notSent);
      }
      if (res.status >= 200 && res.status < 300) return res;
      if (isIdempotentMethod(method) && isRetryableStatus(res.status, res.text) && attempt < maxAttempts) {
        await sleep(backoffDelay(attempt, this.config.retry, this.random), opts.signal);
        continue;
      }
      throw new NomadApiError(res.status, method, apiPath, res.text);
    }
  }
}

function header(headers: RawResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads X-Nomad-Index, X-Nomad-LastContact, X-Nomad-KnownLeader and X-Nomad-NextToken. */
export function parseMeta(headers: RawResponse["headers"]): QueryMeta {
  const index = Number(header(headers, "x-nomad-index") ?? 0);
  const lastContact = Number(header(headers, "x-nomad-lastcontact") ?? 0);
  return {
    index: Number.isFinite(index) ? index : 0,
    lastContact: Number.isFinite(lastContact) ? lastContact : 0,
    knownLeader: header(headers, "x-nomad-knownleader") === "true",
    nextToken: header(headers, "x-nomad-nexttoken") ?? "",
  };
}

function decode<T>(res: RawResponse, method: string, apiPath: string): T {
  if (res.text.trim() === "") return null as T;
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new NomadApiError(res.status, method, apiPath, `invalid JSON in response: ${res.text.slice(0, 200)}`);
  }
}
