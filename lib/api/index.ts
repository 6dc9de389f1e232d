/** lib/api: a typed client of Nomad's HTTP API on undici. */
export * from "./client";
export * from "./config";
export * from "./errors";
export * from "./query";
export { watch, WatchTimeoutError } from "./watch";
export type { WatchOptions, WatchQuery } from "./watch";
export { Transport, tlsConnectOptions, parseMeta } from "./transport";
export type { TLSConnectOptions, Params } from "./transport";
export { backoffDelay, isRetryableStatus, isNotSent } from "./retry";
export { jobPath } from "./endpoints/jobs";
export { VariableConflictError, VariablesEndpoint, type VariableInput } from "./endpoints/variables";
export type { PlanOptions, DispatchOptions } from "./endpoints/jobs";
export * from "./types";
export { EventsEndpoint, EventStreamClosedError } from "./endpoints/events";
export type { EventStreamOptions } from "./endpoints/events";
export { SearchEndpoint } from "./endpoints/search";
export type { SearchOptions } from "./endpoints/search";
export { OperatorEndpoint } from "./endpoints/operator";
