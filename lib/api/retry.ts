/**
 * When and how long to retry a request. Reads (GET) are idempotent and are
 * retried after connection failures and transient server answers; writes are
 * retried only when the request certainly never reached the agent, because a
 * register or a dispatch received twice is not the same as once.
 */
import type { RetryOptions } from "./config";

/** Error codes that mean the connection was never established, so nothing was sent. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENOENT", // unix socket path missing
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Error codes of failures after the connection was up: the request may have been received. */
const MAYBE_SENT_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
  "UND_ERR_CLOSED",
]);

/** True when an error code proves the request never reached the agent. */
export function isNotSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** True when an error code is a transport failure worth retrying for an idempotent request. */
export function isTransientTransportError(code: string | undefined): boolean {
  return code !== undefined && (NOT_SENT_CODES.has(code) || MAYBE_SENT_CODES.has(code));
}

/**
 * True when an HTTP answer to an idempotent read is worth retrying: 429, 502,
 * 503, 504, and Nomad's 500 "No cluster leader" during an election.
 */
export function isRetryableStatus(status: number, body: string): boolean {
  if (status === 429 || status === 502 || status === 503 || status === 504) return true;
  return status === 500 && /no cluster leader/i.test(body);
}

/** True for methods Nomad treats as reads. */
export function isIdempotentMethod(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

/**
 * The delay before retry number `retry` (1 = first retry), in milliseconds:
 * exponential growth from `baseDelayMs`, capped at `maxDelayMs`, with full
 * jitter (a uniform draw below the cap) so that many clients spread out.
 */
export function backoffDelay(retry: number, options: Required<RetryOptions>, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Sleeps `ms` milliseconds, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
