/**
 * `GET /v1/event/stream` as an async iterator (Nomad's `api/event_stream.go`):
 * frames of events as the server publishes them, reconnecting after a
 * dropped connection from the index after the last frame received.
 */
import { StringDecoder } from "node:string_decoder";
import { NomadApiError } from "../errors";
import { sleep } from "../retry";
import type { Transport } from "../transport";
import type { Events } from "../types/event";

/** What to subscribe to. */
export interface EventStreamOptions {
  /**
   * Topics with their keys, as Nomad's `topic` parameter: `{ Job: ["web"], Allocation: ["*"] }`
   * (default: every topic, `{ "*": ["*"] }`). A key matches an event's key or one of its filter keys.
   */
  topics?: Record<string, string[]>;
  /** Start from this index (events of writes at it or later still in the server's buffer); default 0: from now on. */
  index?: number;
  /** Namespace (default the client's; `"*"` for every namespace). */
  namespace?: string;
  /** Region (default the client's). */
  region?: string;
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** Reconnect after the connection ends or breaks (default true); false ends the iteration instead. */
  reconnect?: boolean;
  /** Delay before reconnecting, in ms (default 1000). */
  reconnectDelayMs?: number;
  /** Connections to give up after, in a row without a frame (default 10). */
  maxReconnects?: number;
}

/** Thrown in the iteration when the server drops the subscription and reconnecting is off. */
export class EventStreamClosedError extends Error {
  constructor(message: string) {
    super(`event stream closed by the server: ${message}`);
    this.name = "EventStreamClosedError";
  }
}

/** The event stream endpoint. */
export class EventsEndpoint {
  constructor(private readonly t: Transport) {}

  /**
   * Yields each frame (`{ Index, Events }`) as it arrives; heartbeats are
   * skipped. When the connection ends, breaks or the server drops the
   * subscription, it reconnects (unless `reconnect` is false) with
   * `index` set to one past the last frame's, so nothing still buffered is
   * missed nor seen twice. Errors of the request itself (a 4xx) are thrown.
   */
  async *stream(opts: EventStreamOptions = {}): AsyncGenerator<Events> {
    const topics = Object.entries(opts.topics ?? { "*": ["*"] }).flatMap(([topic, keys]) =>
      keys.map((k) => (k === "*" ? topic : `${topic}:${k}`)),
    );
    let index = opts.index ?? 0;
    let failures = 0;
    const maxReconnects = opts.maxReconnects ?? 10;
    for (;;) {
      const decoder = new StringDecoder("utf8");
      let pending = "";
      let closedBy: string | undefined;
      let sawFrame = false;
      try {
        for await (const chunk of this.t.stream(
          "/v1/event/stream",
          { index: index || undefined, topic: topics },
          { namespace: opts.namespace, region: opts.region, signal: opts.signal },
        )) {
          pending += decoder.write(chunk);
          let nl: number;
          while ((nl = pending.indexOf("\n")) >= 0) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line === "" || line === "{}") continue;
            const frame = JSON.parse(line) as Partial<Events> & { Error?: string };
            if (frame.Error) {
              closedBy = frame.Error;
              continue;
            }
            if (typeof frame.Index !== "number" || !Array.isArray(frame.Events)) continue;
            sawFrame = true;
            index = frame.Index + 1;
            yield frame as Events;
          }
        }
      } catch (err) {
        if (opts.signal?.aborted) return;
        if (err instanceof NomadApiError) throw err;
        closedBy ??= (err as Error).message;
      }
      if (opts.signal?.aborted) return;
      if (opts.reconnect === false) {
        if (closedBy) throw new EventStreamClosedError(closedBy);
        return;
      }
      failures = sawFrame ? 0 : failures + 1;
      if (failures >= maxReconnects) throw new EventStreamClosedError(closedBy ?? `no frame after ${failures} connections`);
      try {
        await sleep(opts.reconnectDelayMs ?? 1000, opts.signal);
      } catch {
        return;
      }
    }
  }
}
