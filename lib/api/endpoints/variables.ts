/** `client.variables`: Nomad Variables (`api/variables.go`): reads, check-and-set writes and locks. */
import { NomadApiError } from "../errors";
import type { QueryOptions, QueryResponse, WriteOptions } from "../query";
import type { Transport } from "../transport";
import type { Variable, VariableLock, VariableMetadata } from "../types/variable";

/** A check-and-set write or a lock operation lost: `conflict` is the variable as the server holds it (`api.ErrCASConflict`). */
export class VariableConflictError extends Error {
  /** The current variable (only its namespace and path when the server hides the rest). */
  readonly conflict: Variable;

  constructor(path: string, conflict: Variable) {
    super(
      `cas conflict: expected ModifyIndex of variable ${JSON.stringify(path)} to differ; current ModifyIndex is ${conflict.ModifyIndex}`,
    );
    this.name = "VariableConflictError";
    this.conflict = conflict;
  }
}

/** What a variable write takes: its path and items, and optionally its namespace. */
export interface VariableInput {
  /** The path, e.g. `nomad/jobs/web`. */
  Path: string;
  /** The items. */
  Items?: Record<string, string>;
  /** The namespace (default: the client's). */
  Namespace?: string;
  /** The lock: its ID to write as the holder, or TTL and LockDelay to acquire. */
  Lock?: VariableLock;
}

function varPath(path: string): string {
  return `/v1/var/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** Variable endpoints. */
export class VariablesEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/vars`: the metadata of the variables (`prefix`, `namespace` "*" for all, `perPage`/`nextToken`). */
  list(opts: QueryOptions = {}): Promise<QueryResponse<VariableMetadata[]>> {
    return this.t.query("/v1/vars", {}, opts);
  }

  /** `GET /v1/var/:path`: one variable; a 404 `NomadApiError` when there is none. */
  read(path: string, opts: QueryOptions = {}): Promise<QueryResponse<Variable>> {
    return this.t.query(varPath(path), {}, opts);
  }

  /** Like `read`, but resolves with null data when the variable does not exist (`Peek`). */
  async peek(path: string, opts: QueryOptions = {}): Promise<QueryResponse<Variable | null>> {
    try {
      return await this.read(path, opts);
    } catch (err) {
      if (err instanceof NomadApiError && err.status === 404)
        return { data: null, meta: { index: 0, lastContact: 0, knownLeader: false, nextToken: "" } };
      throw err;
    }
  }

  /**
   * `PUT /v1/var/:path`: creates or replaces a variable. With `checkIndex`
   * the write happens only if the variable's ModifyIndex is that (0: only
   * if it does not exist); otherwise a `VariableConflictError`.
   */
  put(v: VariableInput, opts: WriteOptions & { checkIndex?: number } = {}): Promise<{ data: Variable; meta: { index: number } }> {
    return this.write("PUT", v, { cas: opts.checkIndex }, opts);
  }

  /** `DELETE /v1/var/:path`, with `checkIndex` as for `put`. */
  async delete(path: string, opts: WriteOptions & { checkIndex?: number } = {}): Promise<{ index: number }> {
    const r = await this.write("DELETE", { Path: path }, { cas: opts.checkIndex }, opts, false);
    return r.meta;
  }

  /** `PUT /v1/var/:path?lock-acquire`: takes the variable's lock (creating the variable if needed); the answer's `Lock.ID` is the holder's ID. */
  acquireLock(v: VariableInput, opts: WriteOptions = {}): Promise<{ data: Variable; meta: { index: number } }> {
    return this.write("PUT", { ...v, Lock: v.Lock ?? { ID: "" } }, { "lock-acquire": "" }, opts);
  }

  /** `PUT /v1/var/:path?lock-renew`: renews a held lock before its TTL runs out. */
  async renewLock(path: string, lockID: string, opts: WriteOptions = {}): Promise<VariableMetadata> {
    return (await this.t.write<VariableMetadata>("PUT", varPath(path), { Path: path, Lock: { ID: lockID } }, { "lock-renew": "" }, opts))
      .data;
  }

  /** `PUT /v1/var/:path?lock-release`: gives a held lock up (the variable stays). */
  releaseLock(path: string, lockID: string, opts: WriteOptions = {}): Promise<{ data: Variable; meta: { index: number } }> {
    return this.write("PUT", { Path: path, Lock: { ID: lockID } }, { "lock-release": "" }, opts);
  }

  private async write(
    method: "PUT" | "DELETE",
    v: VariableInput,
    params: Record<string, string | number | undefined>,
    opts: WriteOptions,
    body = true,
  ): Promise<{ data: Variable; meta: { index: number } }> {
    const o = v.Namespace ? { ...opts, namespace: v.Namespace } : opts;
    try {
      return await this.t.write<Variable>(method, varPath(v.Path), body ? v : undefined, params, o);
    } catch (err) {
      if (err instanceof NomadApiError && err.status === 409 && err.body.startsWith("{"))
        throw new VariableConflictError(v.Path, JSON.parse(err.body) as Variable);
      throw err;
    }
  }
}
