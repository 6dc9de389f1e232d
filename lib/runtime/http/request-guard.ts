/**
 * What keeps a web page from driving the agent. A page open in the
 * developer's browser can send requests to `http://127.0.0.1:4646` (a
 * `text/plain` POST needs no CORS preflight), and a page on a domain that
 * re-resolves to 127.0.0.1 (DNS rebinding) can even read the answers. So:
 *
 * - a request with an `Origin` header is refused (403) unless the origin is
 *   the agent's own address or one the operator allowed
 *   (`--allowed-origin`, `http_allowed_origins` in the agent config);
 *   browsers send `Origin` on every cross-origin request and on every
 *   non-GET request, while curl, Nomad's Go client and drover's client send
 *   none, so tools keep working whatever their content type;
 * - on a loopback bind, a `Host` header that names neither the bind address
 *   nor `localhost`, `127.0.0.1` or `[::1]` is refused (403): that is what a
 *   rebinding page sends;
 * - a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) is
 *   refused unless its origin is allowed; an allowed origin gets the CORS
 *   headers on the preflight and on the answers.
 */
import type { IncomingMessage } from "node:http";
import * as os from "node:os";

/** How the guard decides. */
export interface RequestGuardOptions {
  /** The address the HTTP API is bound to. */
  bind: string;
  /** Origins allowed besides the agent's own, exactly as browsers send them (`http://localhost:3000`). @default [] */
  allowedOrigins?: readonly string[];
}

/** A refusal: the status and the plain-text message. */
export interface Refusal {
  status: number;
  message: string;
}

/** Names of the loopback host that a request to a loopback-bound agent may use. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** Whether an address is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  return a === "localhost" || a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a) || /^::ffff:127\./.test(a);
}

/** Whether an address means "every interface". */
function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::" || address === "[::]" || address === "";
}

/** A host name as it appears in a URL or a Host header (IPv6 in brackets, lower case, no trailing dot). */
function hostForm(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h.includes(":") && !h.startsWith("[") ? `[${h}]` : h;
}

/** Splits a Host header into host and port ("" when absent); undefined when malformed. */
function splitHost(value: string): { host: string; port: string } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return undefined;
  return { host: hostForm(m[1]), port: m[2] ?? "" };
}

/** Normalizes an origin for comparison (lower case, no trailing slash); undefined when it is not an origin. */
function normalizeOrigin(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    if (u.origin === "null") return undefined;
    return u.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Checks requests against the rules above. */
export class RequestGuard {
  private readonly allowed: ReadonlySet<string>;
  private readonly loopback: boolean;
  private readonly hostNames: ReadonlySet<string>;

  constructor(private readonly options: RequestGuardOptions) {
    const allowed = new Set<string>();
    for (const o of options.allowedOrigins ?? []) {
      const n = normalizeOrigin(o);
      if (!n) throw new Error(`allowed origin ${JSON.stringify(o)} is not an origin like "http://localhost:3000"`);
      allowed.add(n);
    }
    this.allowed = allowed;
    this.loopback = isLoopback(options.bind);
    const names = new Set<string>([...LOOPBACK_NAMES, hostForm(options.bind)]);
    if (isWildcard(options.bind)) {
      for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) names.add(hostForm(i.address));
      names.add(hostForm(os.hostname()));
    }
    this.hostNames = names;
  }

  /** Checks validate origins given in the config or on the command line (throws with the bad one). */
  static checkOrigins(origins: readonly string[]): void {
    new RequestGuard({ bind: "127.0.0.1", allowedOrigins: origins });
  }

  /** Whether the origin is the agent's own address (any of its host names, on its port). */
  private ownOrigin(origin: string, port: number): boolean {
    try {
      const u = new URL(origin);
      if (u.protocol !== "http:") return false;
      const p = u.port === "" ? "80" : u.port;
      return p === String(port) && this.hostNames.has(hostForm(u.hostname));
    } catch {
      return false;
    }
  }

  /** Whether a cross-origin browser request from `origin` is allowed (it then gets CORS headers). */
  private allowedOrigin(origin: string): boolean {
    const n = normalizeOrigin(origin);
    return n !== undefined && this.allowed.has(n);
  }

  /** The refusal of a request, or null when it may go on. `port` is the port the agent listens on. */
  check(req: IncomingMessage, port: number): Refusal | null {
    if (this.loopback) {
      const hostHeader = req.headers.host;
      if (hostHeader !== undefined) {
        const h = splitHost(hostHeader);
        if (!h || !this.hostNames.has(h.host))
          return {
            status: 403,
            message: `Host ${JSON.stringify(hostHeader.slice(0, 300))} is not allowed: this agent listens on the loopback address ${this.options.bind} and answers only requests addressed to ${[...this.hostNames].join(", ")} (a request for another name is what a DNS rebinding web page sends)`,
          };
      }
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.ownOrigin(origin, port) && !this.allowedOrigin(origin))
      return {
        status: 403,
        message: `Origin ${JSON.stringify(origin.slice(0, 300))} is not allowed: the agent refuses requests from web pages of other origins (allow a web UI's origin with --allowed-origin or "http_allowed_origins" in the agent config)`,
      };
    return null;
  }

  /** Whether the request is a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
  isPreflight(req: IncomingMessage): boolean {
    return req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
  }

  /**
   * The CORS headers for a request from an allowed origin (none for the
   * agent's own origin, tools without `Origin`, or anything refused).
   */
  corsHeaders(req: IncomingMessage, preflight: boolean): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !this.allowedOrigin(origin)) return {};
    const headers: Record<string, string> = {
      "Access-Control-Allow-Origin": origin,
      Vary: "Origin",
      "Access-Control-Expose-Headers": "X-Nomad-Index, X-Nomad-KnownLeader, X-Nomad-LastContact",
    };
    if (preflight) {
      headers["Access-Control-Allow-Methods"] = "GET, PUT, POST, DELETE";
      headers["Access-Control-Allow-Headers"] = "Content-Type, X-Nomad-Token, Authorization";
      headers["Access-Control-Max-Age"] = "600";
    }
    return headers;
  }
}
