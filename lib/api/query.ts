/**
 * Query and write options and the response metadata of Nomad's HTTP API
 * (`api.QueryOptions`, `api.WriteOptions`, `api.QueryMeta`, `api.WriteMeta`).
 */

/** Options of a read. Every read accepts them. */
export interface QueryOptions {
  /** Blocking query: return only when the state index is above this (X-Nomad-Index of a previous read). */
  index?: number;
  /** Longest time to block, in milliseconds. Nomad's default and cap is 300000 (5 minutes), plus up to wait/16 of jitter. */
  wait?: number;
  /** Allow any server, not only the leader, to answer (may be stale). Default false. */
  stale?: boolean;
  /** Namespace for this request; overrides the client's. `*` lists all namespaces. */
  namespace?: string;
  /** Region for this request; overrides the client's. */
  region?: string;
  /** ID prefix filter of list endpoints. */
  prefix?: string;
  /** A go-bexpr filter expression of list endpoints. */
  filter?: string;
  /** Page size of list endpoints. */
  perPage?: number;
  /** Page token from a previous response's `meta.nextToken`. */
  nextToken?: string;
  /** Reverse the list order. */
  reverse?: boolean;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of a write. */
export interface WriteOptions {
  /** Namespace for this request; overrides the client's. */
  namespace?: string;
  /** Region for this request; overrides the client's. */
  region?: string;
  /** Idempotency token (`?idempotency_token=`), honoured by dispatch. */
  idempotencyToken?: string;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Response metadata from the X-Nomad-* headers. */
export interface QueryMeta {
  /** X-Nomad-Index: the state index of the answer; pass it as `index` to block for the next change. 0 if absent. */
  index: number;
  /** X-Nomad-LastContact: milliseconds since the answering server last heard from the leader. */
  lastContact: number;
  /** X-Nomad-KnownLeader: whether a leader was known. */
  knownLeader: boolean;
  /** X-Nomad-NextToken: token of the next page, "" on the last page. */
  nextToken: string;
}

/** A read's decoded body and its metadata. */
export interface QueryResponse<T> {
  /** The decoded JSON body. */
  data: T;
  /** Metadata from the response headers. */
  meta: QueryMeta;
}

/** Metadata of a write (`api.WriteMeta`). */
export interface WriteMeta {
  /** X-Nomad-Index of the write, 0 if absent. */
  index: number;
}

/** A write's decoded body and its metadata. */
export interface WriteResponse<T> {
  /** The decoded JSON body. */
  data: T;
  /** Metadata from the response headers. */
  meta: WriteMeta;
}

/** Formats milliseconds as a Go duration for `?wait=`, as Nomad's Go client does (`300000ms`). */
export function formatWait(ms: number): string {
  return `${Math.max(0, Math.round(ms))}ms`;
}
