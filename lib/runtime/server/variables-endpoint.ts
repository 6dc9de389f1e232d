/**
 * Nomad Variables on the server (Nomad's `nomad/variables_endpoint.go`,
 * `state_store_variables.go` and `locks.go`): validation, check-and-set,
 * locks with their TTL timers and lock delay, and the encryption of items
 * before they reach the state store. Every write is one `store.write`
 * through the `variables` table, so that blocking queries (and anything
 * else that follows the store's commits) see it as any other table write.
 */
import { randomUUID } from "node:crypto";
import {
  DEFAULT_LOCK_DELAY_NS,
  DEFAULT_LOCK_TTL_NS,
  MAX_VARIABLE_SIZE,
  variableItemsSize,
  variableLockError,
  variablePathError,
  type VariableDecrypted,
  type VariableEncrypted,
  type VariableLock,
  type VariableMetadata,
} from "../structs";
import type { Clock } from "./clock";
import type { Encrypter } from "./encrypter";
import { badRequest, CodedError, formatMultiError, notFound } from "./errors";
import type { StateStore } from "../state";

/** A variable operation (`structs.VarOp`). */
export type VariableOp = "set" | "cas" | "delete" | "delete-cas" | "lock-acquire" | "lock-release";

/** What a write asks for: the variable as the request body decoded it. */
export interface VariableRequest {
  /** The namespace (the request's). */
  Namespace: string;
  /** The path (from the URL). */
  Path: string;
  /** The items; absent for deletes and lock releases. */
  Items?: Record<string, string>;
  /** The lock as given (its ID to prove ownership; TTL and delay on acquire). */
  Lock?: Partial<VariableLock>;
  /** For check-and-set operations: the ModifyIndex the caller expects (0: must not exist). */
  ModifyIndex?: number;
}

/** The outcome of a write (`structs.VariablesApplyResponse`). */
export type VariableApplyResult =
  | { result: "ok"; output: VariableDecrypted | VariableMetadata | null; index: number }
  | { result: "conflict"; conflict: VariableDecrypted | VariableMetadata; index: number };

const errVarIsLocked = () => new CodedError(409, "attempting to modify locked variable");

/** A conflict answer carrying only the namespace and path (Nomad's "zero value" conflict). */
function zeroConflict(namespace: string, path: string, withLock = false): VariableMetadata {
  const m: VariableMetadata = { Namespace: namespace, Path: path, CreateIndex: 0, CreateTime: 0, ModifyIndex: 0, ModifyTime: 0 };
  if (withLock) m.Lock = { ID: "", TTL: 0, LockDelay: 0 };
  return m;
}

/** Variable operations of a server. */
export class VariablesEndpoint {
  /** Lock ID → its TTL timer (Nomad's `lockTTLTimer`). */
  private readonly ttlTimers = new Map<string, unknown>();
  /** Lock delay timers still pending (cleared on stop). */
  private readonly delayTimers = new Set<unknown>();
  private stopped = false;

  constructor(
    private readonly store: StateStore,
    private readonly encrypter: Encrypter,
    private readonly clock: Clock,
  ) {}

  /** Starts the TTL timers of the locks held in the store (after a restart, as Nomad's `restoreLockTTLTimers`). */
  start(): void {
    this.stopped = false;
    for (const v of this.store.variables("*")) if (v.Lock) this.createTTLTimer(v);
  }

  /** Stops every lock timer. */
  stop(): void {
    this.stopped = true;
    for (const t of this.ttlTimers.values()) this.clock.clearTimer(t);
    for (const t of this.delayTimers) this.clock.clearTimer(t);
    this.ttlTimers.clear();
    this.delayTimers.clear();
  }

  /** The items of a stored variable in clear. */
  decrypt(v: VariableEncrypted): VariableDecrypted {
    const text = this.encrypter.decrypt(v.Data, v.KeyID, aadOf(v.Namespace, v.Path));
    const { Data: _d, KeyID: _k, ...meta } = v;
    return { ...meta, Items: JSON.parse(text) as Record<string, string> };
  }

  /** One variable, decrypted (undefined when there is none). */
  read(namespace: string, path: string): VariableDecrypted | undefined {
    const v = this.store.variable(namespace, path);
    return v ? this.decrypt(v) : undefined;
  }

  /** The metadata of the variables of a namespace ("*": all) under a prefix, ordered by namespace then path. */
  list(namespace: string, prefix: string): VariableMetadata[] {
    return this.store.variables(namespace, prefix).map(({ Data: _d, KeyID: _k, ...meta }) => meta);
  }

  /**
   * Applies a write as Nomad's `Variables.Apply` does. Bad input throws a
   * 400 `CodedError`; a check-and-set mismatch or a lock held by someone
   * else is a `conflict` result. Resolves once the write is durable.
   */
  async apply(op: VariableOp, req: VariableRequest): Promise<VariableApplyResult> {
    const outcome = this.applyNow(op, req);
    await outcome.durable;
    return outcome.result;
  }

  private applyNow(op: VariableOp, req: VariableRequest): { result: VariableApplyResult; durable?: Promise<void> } {
    if (req.Namespace === "*") throw badRequest(`can not target wildcard ("*")namespace`);
    const existing = this.store.variable(req.Namespace, req.Path);
    const conflict = (c: VariableDecrypted | VariableMetadata, index = c.ModifyIndex): { result: VariableApplyResult } => ({
      result: { result: "conflict", conflict: c, index },
    });
    const heldByOther = (v: VariableEncrypted | undefined) => !!v?.Lock && req.Lock?.ID !== v.Lock.ID;
    switch (op) {
      case "set":
      case "cas": {
        if (req.Lock && (req.Lock.TTL || req.Lock.LockDelay)) throw badRequest("variable should not contain lock definition");
        this.validateItems(req, false);
        if (op === "cas") {
          const want = req.ModifyIndex ?? 0;
          if (want === 0 && existing) return conflict(this.decrypt(existing));
          if (want !== 0 && !existing) return conflict(zeroConflict(req.Namespace, req.Path), this.store.latestIndex());
          if (existing && want !== existing.ModifyIndex) return conflict(this.decrypt(existing));
        }
        if (heldByOther(existing)) return conflict(zeroConflict(req.Namespace, req.Path), existing?.ModifyIndex);
        return this.write(req, existing?.Lock);
      }
      case "delete":
      case "delete-cas": {
        if (op === "delete-cas") {
          const want = req.ModifyIndex ?? 0;
          if (want === 0 && !existing) return { result: { result: "ok", output: null, index: this.store.latestIndex() } };
          if (!existing) return conflict(zeroConflict(req.Namespace, req.Path), this.store.latestIndex());
          if (want !== existing.ModifyIndex) return conflict(this.decrypt(existing));
        }
        if (!existing) return { result: { result: "ok", output: null, index: this.store.latestIndex() } };
        if (heldByOther(existing)) return conflict(zeroConflict(req.Namespace, req.Path), existing.ModifyIndex);
        if (existing.Lock) this.removeTTLTimer(existing.Lock.ID);
        const { index, durable } = this.store.write((txn) => txn.deleteVariable(req.Namespace, req.Path));
        return { result: { result: "ok", output: null, index }, durable };
      }
      case "lock-acquire": {
        const lock: VariableLock = {
          ID: req.Lock?.ID || randomUUID(),
          TTL: req.Lock?.TTL || DEFAULT_LOCK_TTL_NS,
          LockDelay: req.Lock?.LockDelay || DEFAULT_LOCK_DELAY_NS,
        };
        this.validateItems(req, true);
        const lockError = variableLockError(lock);
        if (lockError) throw badRequest(lockError);
        if (heldByOther(existing) && existing?.Lock?.ID !== lock.ID)
          return conflict(zeroConflict(req.Namespace, req.Path), existing?.ModifyIndex);
        // As Nomad's VarLockAcquire: the variable is written whole, so its items become the request's (none: none are kept).
        const out = this.write({ ...req, Items: req.Items ?? {} }, lock);
        this.createTTLTimer(this.store.variable(req.Namespace, req.Path) as VariableEncrypted);
        return out;
      }
      case "lock-release": {
        if (!req.Lock?.ID) throw badRequest("missing lock information");
        if (req.Items && Object.keys(req.Items).length > 0) throw badRequest("lock release operation doesn't take variable items");
        const pathError = variablePathError(req.Path);
        if (pathError) throw badRequest(pathError);
        if (!existing) throw notFound("variable doesn't exist");
        if (!existing.Lock?.ID) throw new CodedError(409, "variable doesn't hold a lock");
        if (existing.Lock.ID !== req.Lock.ID) return conflict(zeroConflict(req.Namespace, req.Path, true), existing.ModifyIndex);
        this.removeTTLTimer(existing.Lock.ID);
        return this.releaseLock(existing);
      }
    }
  }

  /**
   * Renews a held lock (`Variables.RenewLock`): the holder's lock ID must
   * match and its TTL must not have run out. Returns the metadata.
   */
  renewLock(namespace: string, path: string, lockID: string): VariableMetadata {
    const pathError = variablePathError(path);
    if (pathError) throw badRequest(pathError);
    // Nomad's VariablesRenewLockRequest.Validate: a multierror, answered 500.
    if (!lockID) throw new CodedError(500, formatMultiError(["missing lock ID"]));
    const v = this.store.variable(namespace, path);
    if (!v) throw notFound("variable doesn't exist");
    if (!v.Lock) throw new CodedError(409, "variable doesn't hold a lock");
    if (v.Lock.ID !== lockID) throw errVarIsLocked();
    // A lock whose timer ran out is in its lock delay: it can no longer be renewed.
    if (!this.ttlTimers.has(lockID)) throw errVarIsLocked();
    this.removeTTLTimer(lockID);
    this.createTTLTimer(v);
    const { Data: _d, KeyID: _k, ...meta } = v;
    return meta;
  }

  /** Validates path and items (Nomad's `Validate` / `ValidateForLock`). */
  private validateItems(req: VariableRequest, forLock: boolean): void {
    const items = req.Items ?? {};
    if (!forLock && Object.keys(items).length === 0) throw badRequest("empty variables are invalid");
    if (variableItemsSize(items) > MAX_VARIABLE_SIZE) throw badRequest("variables are limited to 64KiB in total size");
    const pathError = variablePathError(req.Path);
    if (pathError) throw badRequest(pathError);
  }

  /** Encrypts and stores a variable with `lock`. */
  private write(req: VariableRequest, lock: VariableLock | undefined): { result: VariableApplyResult; durable: Promise<void> } {
    const items = req.Items ?? {};
    const now = this.clock.nowMs() * 1_000_000;
    const existing = this.store.variable(req.Namespace, req.Path);
    const sealed = this.encrypter.encrypt(JSON.stringify(items), aadOf(req.Namespace, req.Path));
    const row: VariableEncrypted = {
      Namespace: req.Namespace,
      Path: req.Path,
      ...(lock ? { Lock: { ...lock } } : {}),
      CreateIndex: 0,
      CreateTime: existing?.CreateTime ?? now,
      ModifyIndex: 0,
      ModifyTime: now,
      Data: sealed.Data,
      KeyID: sealed.KeyID,
    };
    const { index, durable } = this.store.write((txn) => txn.putVariable(row));
    const { Data: _d, KeyID: _k, ...meta } = row;
    return { result: { result: "ok", output: { ...meta, Items: { ...items } }, index }, durable };
  }

  /** Clears a variable's lock (its items unchanged). */
  private releaseLock(v: VariableEncrypted): { result: VariableApplyResult; durable: Promise<void> } {
    const row: VariableEncrypted = { ...v, ModifyTime: this.clock.nowMs() * 1_000_000 };
    delete row.Lock;
    const { index, durable } = this.store.write((txn) => txn.putVariable(row));
    const { Data: _d, KeyID: _k, ...meta } = row;
    return { result: { result: "ok", output: meta, index }, durable };
  }

  /**
   * Nomad's lock TTL timer: the holder must renew within twice the TTL;
   * when it does not, the lock stays held for the lock delay and is then
   * released.
   */
  private createTTLTimer(v: VariableEncrypted): void {
    const lock = v.Lock;
    if (!lock || this.stopped || this.ttlTimers.has(lock.ID)) return;
    const handle = this.clock.setTimer(
      () => {
        this.ttlTimers.delete(lock.ID);
        const delay = this.clock.setTimer(() => {
          this.delayTimers.delete(delay);
          const current = this.store.variable(v.Namespace, v.Path);
          if (current?.Lock?.ID === lock.ID) this.releaseLock(current).durable.catch(() => {});
        }, lock.LockDelay / 1e6);
        this.delayTimers.add(delay);
      },
      (lock.TTL * 2) / 1e6,
    );
    this.ttlTimers.set(lock.ID, handle);
  }

  private removeTTLTimer(lockID: string): void {
    const t = this.ttlTimers.get(lockID);
    if (t === undefined) return;
    this.clock.clearTimer(t);
    this.ttlTimers.delete(lockID);
  }
}

/** The additional authenticated data binding a ciphertext to its variable. */
function aadOf(namespace: string, path: string): string {
  return `${namespace}\u0000${path}`;
}
