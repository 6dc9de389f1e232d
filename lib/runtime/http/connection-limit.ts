/**
 * A cap on concurrent HTTP connections, as Nomad's agent has one
 * (`limits { http_max_conns_per_client = 100 }`, enforced by hashicorp's
 * connlimit): a connection beyond the cap of its client address, or beyond
 * the agent's total cap, gets a 429 with connlimit's message and is closed,
 * so that one client holding connections open cannot starve the others or
 * exhaust the agent's descriptors.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** Nomad's default `http_max_conns_per_client`. */
const DEFAULT_MAX_CONNS_PER_CLIENT = 100;
/** drover's default cap on all HTTP connections together. */
const DEFAULT_MAX_CONNS = 1024;

/** The caps; 0 means no cap. */
export interface ConnectionLimits {
  /** Concurrent connections from one client address. @default 100 */
  perClient?: number;
  /** Concurrent connections in all. @default 1024 */
  total?: number;
}

/** connlimit's answer to a connection over the cap. */
const TOO_MANY = "Your IP is issuing too many concurrent connections, please rate limit your calls\n";

/**
 * Counts connections per client address. A connection over a cap is marked;
 * `refuse(req, res)` answers a request on a marked connection with a 429 and
 * closes it (and returns true). A marked connection that sends no request is
 * closed after a second.
 */
export function limitConnections(
  server: Server,
  limits: ConnectionLimits = {},
): { refuse(req: IncomingMessage, res: ServerResponse): boolean } {
  const perClient = limits.perClient ?? DEFAULT_MAX_CONNS_PER_CLIENT;
  const total = limits.total ?? DEFAULT_MAX_CONNS;
  const byAddress = new Map<string, number>();
  const over = new WeakSet<Socket>();
  let open = 0;
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "";
    const mine = byAddress.get(address) ?? 0;
    if ((perClient > 0 && mine >= perClient) || (total > 0 && open >= total)) {
      over.add(socket);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    open++;
    byAddress.set(address, mine + 1);
    socket.once("close", () => {
      open--;
      const n = (byAddress.get(address) ?? 1) - 1;
      if (n <= 0) byAddress.delete(address);
      else byAddress.set(address, n);
    });
  });
  return {
    refuse(req, res) {
      if (!over.has(req.socket)) return false;
      req.resume();
      res.writeHead(429, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": Buffer.byteLength(TOO_MANY),
        Connection: "close",
      });
      res.end(TOO_MANY);
      return true;
    },
  };
}
