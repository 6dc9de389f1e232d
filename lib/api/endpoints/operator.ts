/** `client.operator` (`api/operator.go`): the scheduler configuration and snapshots of the state. */
import { createHash } from "node:crypto";
import type { QueryOptions, QueryResponse, WriteOptions } from "../query";
import type { Transport } from "../transport";
import type {
  SchedulerConfiguration,
  SchedulerConfigurationResponse,
  SchedulerSetConfigurationResponse,
  SnapshotRestoreResponse,
  SnapshotSaveResponse,
} from "../types/operator";

/** The operator endpoints. */
export class OperatorEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/operator/scheduler/configuration`. */
  schedulerConfiguration(opts: QueryOptions = {}): Promise<QueryResponse<SchedulerConfigurationResponse>> {
    return this.t.query("/v1/operator/scheduler/configuration", {}, opts);
  }

  /**
   * `GET /v1/operator/snapshot`: a point-in-time snapshot of the server's
   * whole state, as the file the server sends (gzip bytes; with drover's
   * runtime, its snapshot format; with Nomad, a Raft snapshot). When the
   * server sends a `Digest` header (`sha-256=<base64>`), the bytes are
   * checked against it, as Nomad's Go client does; a mismatch throws.
   * `stale` lets a server that is not the leader answer.
   */
  async snapshotSave(opts: Pick<QueryOptions, "stale" | "region" | "signal"> = {}): Promise<SnapshotSaveResponse> {
    const res = await this.t.binary("GET", "/v1/operator/snapshot", { stale: opts.stale ? "" : undefined }, undefined, opts);
    const digest = res.headers["digest"] ?? "";
    if (digest) {
      const m = /^sha-256=(.+)$/i.exec(digest);
      if (!m) throw new Error(`snapshot: the server's Digest header ${JSON.stringify(digest)} is not sha-256=<base64>`);
      const actual = createHash("sha256").update(res.data).digest("base64");
      if (actual !== m[1]) throw new Error("snapshot: the received bytes do not match the server's Digest header");
    }
    return { data: res.data, index: res.meta.index, digest };
  }

  /**
   * `PUT /v1/operator/snapshot`: replaces the server's whole state by a
   * snapshot's (a management token is needed when ACLs are enabled). A file
   * the server cannot read is refused (`NomadApiError`, 400 with drover's
   * runtime) and changes nothing. Resolves with the index of the restore.
   */
  async snapshotRestore(data: Uint8Array, opts: Pick<WriteOptions, "region" | "signal"> = {}): Promise<SnapshotRestoreResponse> {
    const res = await this.t.binary("PUT", "/v1/operator/snapshot", {}, data, opts);
    return { index: res.meta.index };
  }

  /**
   * `PUT /v1/operator/scheduler/configuration`: replaces the settings; with
   * `cas` (a `ModifyIndex`), only if they have not changed since (else `Updated` is false).
   */
  async setSchedulerConfiguration(
    config: Omit<SchedulerConfiguration, "CreateIndex" | "ModifyIndex">,
    cas?: number,
  ): Promise<SchedulerSetConfigurationResponse> {
    return (await this.t.write<SchedulerSetConfigurationResponse>("PUT", "/v1/operator/scheduler/configuration", config, { cas })).data;
  }
}
