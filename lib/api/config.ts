/**
 * How a `NomadClient` finds and authenticates to a Nomad agent, resolved the
 * way Nomad's own tools do it: explicit options first, then the NOMAD_*
 * environment variables, then Nomad's defaults (`api.DefaultConfig` in
 * hashicorp/nomad `api/api.go`).
 */

/** The agent address Nomad's CLI uses when NOMAD_ADDR is unset. */
export const DEFAULT_NOMAD_ADDRESS = "http://127.0.0.1:4646";

/** TLS settings (Nomad's `api.TLSConfig`). All paths are files on this machine. */
export interface TLSOptions {
  /** PEM file of the CA that signed the agent's certificate (NOMAD_CACERT). Default: the system roots. */
  caCert?: string;
  /** Directory of PEM CA certificates, all of which are trusted (NOMAD_CAPATH). */
  caPath?: string;
  /** PEM client certificate for mutual TLS (NOMAD_CLIENT_CERT). */
  clientCert?: string;
  /** PEM private key of `clientCert` (NOMAD_CLIENT_KEY). */
  clientKey?: string;
  /** Name the agent's certificate must carry, when it differs from the address host (NOMAD_TLS_SERVER_NAME). */
  serverName?: string;
  /** Do not verify the agent's certificate (NOMAD_SKIP_VERIFY). Default false; never use it in production. */
  insecure?: boolean;
}

/** Retry policy for requests (see `retry.ts`). */
export interface RetryOptions {
  /** Attempts in total, the first included. Default 4. 1 disables retries. */
  maxAttempts?: number;
  /** Delay before the first retry, in milliseconds. Default 100. Doubles on each retry, with full jitter. */
  baseDelayMs?: number;
  /** Upper bound of one delay, in milliseconds. Default 2000. */
  maxDelayMs?: number;
}

/** Options of a `NomadClient`. Every field is plain data so that callers (the Pulumi provider) can serialize them. */
export interface NomadClientOptions {
  /** Agent address: `http(s)://host:port` or `unix:///path/to/socket`. Default NOMAD_ADDR, else http://127.0.0.1:4646. */
  address?: string;
  /** ACL token secret ID, sent as `X-Nomad-Token` (NOMAD_TOKEN). Default: none (anonymous). */
  token?: string;
  /** Region sent as `?region=` on every request (NOMAD_REGION). Default: the agent's region. */
  region?: string;
  /** Namespace sent as `?namespace=` on every request (NOMAD_NAMESPACE). Default: the agent's default, "default". */
  namespace?: string;
  /** TLS settings; applies to https:// addresses. */
  tls?: TLSOptions;
  /** Retry policy. */
  retry?: RetryOptions;
  /**
   * Time allowed to establish a connection and receive response headers for a
   * non-blocking request, in milliseconds. Default 60000. Blocking queries add their wait.
   */
  timeoutMs?: number;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** The fully resolved configuration a client runs with. */
export interface ResolvedNomadConfig {
  /** The address as given (for messages). */
  address: string;
  /** Origin requests go to: `http(s)://host:port`, or `http://localhost` for a unix socket. */
  origin: string;
  /** Path of the unix socket, when the address is `unix://…`. */
  socketPath?: string;
  /** Base path prefix from the address (normally ""). */
  basePath: string;
  token?: string;
  region?: string;
  namespace?: string;
  tls: TLSOptions;
  retry: Required<RetryOptions>;
  timeoutMs: number;
  headers: Record<string, string>;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

/** Parses NOMAD_SKIP_VERIFY as Go's `strconv.ParseBool` does; anything unparseable counts as false. */
function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  return ["1", "t", "T", "TRUE", "true", "True"].includes(v);
}

/** Reads the NOMAD_* variables Nomad's CLI reads (`api.DefaultConfig`). */
export function optionsFromEnv(env: NodeJS.ProcessEnv): NomadClientOptions {
  const tls: TLSOptions = {
    caCert: nonEmpty(env.NOMAD_CACERT),
    caPath: nonEmpty(env.NOMAD_CAPATH),
    clientCert: nonEmpty(env.NOMAD_CLIENT_CERT),
    clientKey: nonEmpty(env.NOMAD_CLIENT_KEY),
    serverName: nonEmpty(env.NOMAD_TLS_SERVER_NAME),
    insecure: parseBool(env.NOMAD_SKIP_VERIFY),
  };
  return {
    address: nonEmpty(env.NOMAD_ADDR),
    token: nonEmpty(env.NOMAD_TOKEN),
    region: nonEmpty(env.NOMAD_REGION),
    namespace: nonEmpty(env.NOMAD_NAMESPACE),
    tls,
  };
}

function dropUndefined<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Merges options: later sources win field by field, undefined never overrides. */
export function mergeOptions(...sources: (NomadClientOptions | undefined)[]): NomadClientOptions {
  let out: NomadClientOptions = {};
  for (const s of sources) {
    if (!s) continue;
    const { tls, retry, headers, ...rest } = s;
    out = {
      ...out,
      ...dropUndefined(rest),
      tls: { ...out.tls, ...dropUndefined(tls) },
      retry: { ...out.retry, ...dropUndefined(retry) },
      headers: { ...out.headers, ...headers },
    };
  }
  return out;
}

/**
 * Resolves options into the configuration a client runs with: parses the
 * address and applies defaults. Throws a message naming the bad address.
 */
export function resolveConfig(options: NomadClientOptions): ResolvedNomadConfig {
  const address = options.address ?? DEFAULT_NOMAD_ADDRESS;
  let origin: string;
  let socketPath: string | undefined;
  let basePath = "";
  if (address.startsWith("unix://")) {
    socketPath = address.slice("unix://".length);
    if (!socketPath)
      throw new Error(`invalid Nomad address "${address}": a unix socket address needs a path, e.g. unix:///var/run/nomad.sock`);
    origin = "http://localhost";
  } else {
    // Nomad accepts a bare host:port and assumes http (api.DefaultConfig does the same).
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new Error(`invalid Nomad address "${address}": expected http(s)://host:port or unix:///path (check NOMAD_ADDR or --address)`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`invalid Nomad address "${address}": unsupported scheme "${url.protocol}" (use http, https or unix)`);
    }
    origin = url.origin;
    basePath = url.pathname.replace(/\/+$/, "");
  }
  return {
    address,
    origin,
    socketPath,
    basePath,
    token: options.token,
    region: options.region,
    namespace: options.namespace,
    tls: options.tls ?? {},
    retry: {
      maxAttempts: Math.max(1, options.retry?.maxAttempts ?? 4),
      baseDelayMs: options.retry?.baseDelayMs ?? 100,
      maxDelayMs: options.retry?.maxDelayMs ?? 2000,
    },
    timeoutMs: options.timeoutMs ?? 60_000,
    headers: options.headers ?? {},
  };
}
