/**
 * The event broker (Nomad's `nomad/stream`): the events of every committed
 * write go into a bounded buffer of the latest writes and out to every
 * subscription whose topics and namespace they match. A subscription is a
 * callback that gets each matching frame as one JSON line; it may start from
 * an index still in the buffer.
 */
import type { StreamEvent } from "../structs";

/** Nomad's default `event_buffer_size`: the number of writes (indexes) kept for subscribers that resume. */
export const DEFAULT_EVENT_BUFFER_SIZE = 100;

/**
 * drover's bound on the bytes the buffer keeps (the events' JSON), 64 MiB by
 * default (`server.event_buffer_max_bytes`; Nomad bounds the buffer by count
 * only): a few writes of very large jobs cannot hold more memory than this.
 */
export const DEFAULT_EVENT_BUFFER_MAX_BYTES = 64 * 1024 * 1024;

/** What a subscription asks for. */
export interface EventSubscriptionRequest {
  /**
   * Topics and the keys of each (`"*"`: every topic, every key). An event
   * matches a key when its `Key` or one of its `FilterKeys` equals it.
   */
  topics: ReadonlyMap<string, readonly string[]>;
  /** Namespace of the events (`"*"`: every namespace); events without one (nodes) always match. Default "default". */
  namespace?: string;
  /** What the subscriber's ACL token may see (default: every event); an event it may not see is never sent. */
  allow?: (e: StreamEvent) => boolean;
  /**
   * Start from this index: buffered writes at this index or later are sent
   * first (from the oldest one kept when it is older). 0 (default): only
   * writes from now on.
   */
  index?: number;
}

/** One buffered write: its events, each event's JSON and their total length. */
interface BufferedWrite {
  index: number;
  events: StreamEvent[];
  json: string[];
  bytes: number;
}

/** A live subscription. */
export interface EventSubscription {
  /** Stops delivery. */
  close(): void;
}

interface Subscriber {
  request: EventSubscriptionRequest;
  deliver(frame: string): void;
  closed?(): void;
}

/** Receives every write's events, keeps the latest, fans them out. */
export class EventBroker {
  private readonly buffer: BufferedWrite[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private bufferedBytes = 0;

  /**
   * @param bufferSize how many writes (indexes) to keep for resuming subscribers (default 100, Nomad's `event_buffer_size`).
   * @param maxBytes how many bytes of event JSON to keep at most (default 64 MiB); the newest write is always kept.
   */
  constructor(
    private readonly bufferSize = DEFAULT_EVENT_BUFFER_SIZE,
    private readonly maxBytes = DEFAULT_EVENT_BUFFER_MAX_BYTES,
  ) {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new Error(`event_buffer_size must be a positive integer, got ${bufferSize}`);
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new Error(`event_buffer_max_bytes must be a positive integer, got ${maxBytes}`);
  }

  /** The bytes of event JSON the buffer holds. */
  get bytes(): number {
    return this.bufferedBytes;
  }

  /** The number of writes the buffer holds. */
  get size(): number {
    return this.buffer.length;
  }

  /** The number of live subscriptions. */
  get subscriptions(): number {
    return this.subscribers.size;
  }

  /** The oldest index still buffered (undefined: none). */
  get oldestIndex(): number | undefined {
    return this.buffer[0]?.index;
  }

  /** Publishes the events of the write at `index`. */
  publish(index: number, events: StreamEvent[]): void {
    if (events.length === 0) return;
    const json = events.map((e) => JSON.stringify(e));
    const write: BufferedWrite = { index, events, json, bytes: json.reduce((n, j) => n + j.length, 0) };
    this.buffer.push(write);
    this.bufferedBytes += write.bytes;
    // Oldest writes go first: beyond the count, or beyond the bytes (the newest write always stays).
    let drop = Math.max(0, this.buffer.length - this.bufferSize);
    let bytes = this.bufferedBytes;
    for (let i = 0; i < drop; i++) bytes -= this.buffer[i].bytes;
    while (bytes > this.maxBytes && drop < this.buffer.length - 1) bytes -= this.buffer[drop++].bytes;
    if (drop > 0) {
      this.buffer.splice(0, drop);
      this.bufferedBytes = bytes;
    }
    for (const s of [...this.subscribers]) {
      if (!this.subscribers.has(s)) continue;
      const frame = frameFor(write, s.request);
      if (frame) s.deliver(frame);
    }
  }

  /**
   * Subscribes: `deliver` gets each matching frame (`{"Index":…,"Events":[…]}`,
   * without a newline), first the buffered ones the request asks for, then
   * each new write's, synchronously as it is published. `closed` is called
   * if the broker ends the subscription itself (`reset`).
   */
  subscribe(request: EventSubscriptionRequest, deliver: (frame: string) => void, closed?: () => void): EventSubscription {
    const sub: Subscriber = { request, deliver, closed };
    const from = request.index ?? 0;
    if (from > 0) {
      for (const w of [...this.buffer]) {
        if (w.index < from) continue;
        const frame = frameFor(w, request);
        if (frame) deliver(frame);
      }
    }
    this.subscribers.add(sub);
    return { close: () => void this.subscribers.delete(sub) };
  }

  /**
   * Ends every subscription (each told through its `closed` callback) and
   * forgets the buffered writes: the state they described is gone (a
   * snapshot restore, as Nomad's restore abandons the old state store's
   * event broker). Subscribers resubscribe and get the writes from then on.
   */
  reset(): void {
    this.buffer.length = 0;
    const subs = [...this.subscribers];
    this.subscribers.clear();
    for (const s of subs) s.closed?.();
  }
}

/** Whether an event matches a subscription's topics and namespace. */
export function eventMatches(e: StreamEvent, request: EventSubscriptionRequest): boolean {
  const ns = request.namespace ?? "default";
  if (ns !== "*" && e.Namespace !== "" && e.Namespace !== ns) return false;
  if (request.allow && !request.allow(e)) return false;
  const keys = [...(request.topics.get(e.Topic) ?? []), ...(request.topics.get("*") ?? [])];
  for (const k of keys) {
    if (k === "*" || k === e.Key) return true;
    if (e.FilterKeys?.includes(k)) return true;
  }
  return false;
}

function frameFor(w: BufferedWrite, request: EventSubscriptionRequest): string | undefined {
  const parts: string[] = [];
  for (let i = 0; i < w.events.length; i++) if (eventMatches(w.events[i], request)) parts.push(w.json[i]);
  if (parts.length === 0) return undefined;
  return `{"Index":${w.index},"Events":[${parts.join(",")}]}`;
}
