/**
 * What a route handler gets: the path parameters, query options as Nomad
 * parses them (`parse` in `command/agent/http.go`), the decoded body, and the
 * server.
 */
import type { ACL } from "../acl/acl";
import type { Server } from "../server/server";
import type { StoredACLToken } from "../structs";
import { badRequest } from "../server/errors";
import type { AgentLogger } from "../log/agent-logger";
import type { AgentInfo } from "./agent-info";
import type { ClientAccess } from "./client-access";

/** Query options common to every endpoint. */
export interface QueryOptions {
  /** `namespace`, default "default"; "*" lists every namespace. */
  namespace: string;
  /** `region`, default the agent's. */
  region: string;
  /** `prefix`: only IDs starting with it. */
  prefix: string;
  /** `index` of a blocking query (0 = not blocking). */
  index: number;
  /** `wait` in milliseconds (default and cap 300 s). */
  waitMs: number;
  /** `filter` (a small subset of go-bexpr). */
  filter: string;
  /** `per_page` (0 = all). */
  perPage: number;
  /** `next_token`. */
  nextToken: string;
  /** `reverse`. */
  reverse: boolean;
  /** The ACL token's secret (`X-Nomad-Token`, else `Authorization: Bearer`); "" for the anonymous token. Never logged. */
  token: string;
}

/** The request as handlers see it. */
export interface RequestContext {
  /** HTTP method. */
  method: string;
  /** Path parameters from the route pattern. */
  params: Record<string, string>;
  /** The raw query. */
  query: URLSearchParams;
  /** Parsed common options. */
  options: QueryOptions;
  /** What the request's token may do (everything when ACLs are disabled). */
  acl: ACL;
  /** The request's token, undefined for the anonymous token or when ACLs are disabled. */
  aclToken?: StoredACLToken;
  /** The server of the agent's own region, where ACL policies, tokens and roles live (Nomad's authoritative region). */
  authority: Server;
  /** The server of the request's region. */
  server: Server;
  /** The client runtime of the request's region, as the client endpoints see it. */
  client: ClientAccess;
  /** Agent facts for the /v1/agent and /v1/status routes. */
  agent: AgentInfo;
  /** The agent's logger (`/v1/agent/monitor` streams it). */
  logger: AgentLogger;
  /** The raw body (empty string when none, and for a route with a binary body). */
  rawBody: string;
  /** The body's bytes as received. */
  bodyBytes: Buffer;
  /** The body decoded as JSON; an empty body decodes to undefined. Throws a 400 for malformed JSON. */
  json(): unknown;
  /**
   * Parses JSON carried inside the request (a job in `JobHCL`) with the bounds
   * the body has: nesting depth and no lone surrogates (400s); a syntax error
   * is thrown as JSON.parse throws it.
   */
  parseJson(text: string): unknown;
}

/** Parses a Go duration ("5m", "300000ms", "10s") or a bare number of seconds into milliseconds. */
export function parseWaitMs(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw badRequest(`Invalid wait time: ${JSON.stringify(text)}`);
    total += Number(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  return total;
}

/** Reads the common query options. */
export function parseQueryOptions(
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  defaultRegion: string,
): QueryOptions {
  const indexText = query.get("index");
  let index = 0;
  if (indexText !== null && indexText !== "") {
    if (!/^\d+$/.test(indexText)) throw badRequest(`Invalid index: ${JSON.stringify(indexText)}`);
    index = Number(indexText);
  }
  const waitText = query.get("wait");
  const waitMs = waitText ? parseWaitMs(waitText) : 300_000;
  const perPageText = query.get("per_page");
  let perPage = 0;
  if (perPageText) {
    if (!/^\d+$/.test(perPageText)) throw badRequest(`Invalid per_page: ${JSON.stringify(perPageText)}`);
    perPage = Number(perPageText);
  }
  const auth = headers["authorization"];
  const bearer = typeof auth === "string" && auth.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : "";
  const xToken = headers["x-nomad-token"];
  return {
    namespace: query.get("namespace") || "default",
    region: query.get("region") || defaultRegion,
    prefix: query.get("prefix") ?? "",
    index,
    waitMs,
    filter: query.get("filter") ?? "",
    perPage,
    nextToken: query.get("next_token") ?? "",
    reverse: query.get("reverse") === "true",
    token: (typeof xToken === "string" ? xToken : "") || bearer,
  };
}

/** A boolean query flag (`?purge=true`). */
export function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === "" || v === "true" || v === "1";
}
