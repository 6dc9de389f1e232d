/**
 * Errors of the Nomad HTTP client. Nomad answers failures with a plain-text
 * body (`command/agent/http.go` `HTTPServer.wrap`), which `NomadApiError`
 * keeps verbatim; failures to reach the agent at all are `NomadConnectionError`.
 */

/** Nomad answered with a non-2xx status. */
export class NomadApiError extends Error {
  /** HTTP status code, e.g. 404 or 500. */
  readonly status: number;
  /** HTTP method of the request, e.g. "PUT". */
  readonly method: string;
  /** Request path without the query string, e.g. "/v1/jobs". */
  readonly path: string;
  /** Nomad's plain-text error message, trimmed. */
  readonly body: string;

  constructor(status: number, method: string, path: string, body: string) {
    const text = body.trim();
    super(`${method} ${path}: ${status} ${text || "(empty response)"}`);
    this.name = "NomadApiError";
    this.status = status;
    this.method = method;
    this.path = path;
    this.body = text;
  }

  /** True for a 404, e.g. `job not found`. */
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** The agent could not be reached (refused, reset, DNS failure, TLS failure, timeout). */
export class NomadConnectionError extends Error {
  /** The agent address that was tried. */
  readonly address: string;
  /** HTTP method of the request. */
  readonly method: string;
  /** Request path without the query string. */
  readonly path: string;
  /** The system or undici error code, e.g. "ECONNREFUSED", when known. */
  readonly code?: string;
  /** True when the request certainly never reached the agent (safe to retry any method). */
  readonly notSent: boolean;

  constructor(address: string, method: string, path: string, cause: unknown, notSent: boolean) {
    const code = errorCode(cause);
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `${method} ${path}: cannot reach the Nomad agent at ${address}: ${code ? `${code}: ` : ""}${why}. ` +
        `Check NOMAD_ADDR (or --address) and that an agent is running there` +
        (address.startsWith("https") ? "; for TLS check NOMAD_CACERT, NOMAD_CLIENT_CERT/KEY and NOMAD_TLS_SERVER_NAME" : ""),
      { cause },
    );
    this.name = "NomadConnectionError";
    this.address = address;
    this.method = method;
    this.path = path;
    this.code = code;
    this.notSent = notSent;
  }
}

/** The `code` of a Node or undici error, following `cause` chains. */
export function errorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
