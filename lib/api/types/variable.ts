/** Nomad Variables on the wire (`api.Variable`, `api.VariableMetadata`, `api.VariableLock`). */

/** A variable's lock (`api.VariableLock`). */
export interface VariableLock {
  /** The holder's lock ID ("" when asking for a new lock). */
  ID: string;
  /** How long the holder has to renew, a Go duration ("15s" default, 10s to 24h). */
  TTL?: string;
  /** How long the lock stays held after it expired, a Go duration ("15s" default). */
  LockDelay?: string;
}

/** A variable's metadata, as `GET /v1/vars` lists it (`api.VariableMetadata`). */
export interface VariableMetadata {
  /** Its namespace. */
  Namespace: string;
  /** Its path. */
  Path: string;
  /** Its lock, when one is held. */
  Lock?: VariableLock;
  /** Index of its creation. */
  CreateIndex: number;
  /** Unix nanoseconds of its creation. */
  CreateTime: number;
  /** Index of its latest change (what `cas` compares). */
  ModifyIndex: number;
  /** Unix nanoseconds of its latest change. */
  ModifyTime: number;
}

/** A variable with its items (`api.Variable`). */
export interface Variable extends VariableMetadata {
  /** The items, key → value (absent when empty). */
  Items?: Record<string, string>;
}
