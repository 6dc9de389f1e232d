/**
 * Snapshot save and restore of a server's whole state (Nomad's
 * `Operator.SnapshotSave` and `Operator.SnapshotRestore` in
 * `nomad/operator_endpoint.go`), in drover's snapshot format
 * (state/snapshot.ts): every table and the variables keyring.
 *
 * A restore follows Nomad's: the state store's content is replaced at once
 * (nothing of it when the snapshot cannot be loaded), then the leader's
 * duties run again on the new state as after a leader election: the eval
 * broker and the blocked evaluations are rebuilt from the restored
 * evaluations, every live node gets a fresh heartbeat deadline (a node that
 * does not heartbeat goes down and its allocations are replaced), the
 * deployment watcher, drainer, periodic launcher, garbage collector,
 * service registrations and variable locks start over from the restored
 * rows.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import {
  checkSnapshotFile,
  decodeSnapshotContent,
  encodeSnapshot,
  gunzipFailure,
  SNAPSHOT_MAX_UNCOMPRESSED_BYTES,
  SnapshotError,
  type Snapshot,
} from "../state/snapshot";
import type { Encrypter } from "./encrypter";
import { badRequest } from "./errors";
import type { Server } from "./server";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A saved snapshot. */
export interface SavedSnapshot {
  /** The snapshot file (gzip). */
  data: Buffer;
  /** The state's index it holds. */
  index: number;
  /** Its SHA-256 as Nomad's `Digest` header gives it: `sha-256=<base64>`. */
  digest: string;
}

/** Save and restore. */
export class SnapshotEndpoint {
  constructor(
    private readonly server: Server,
    private readonly encrypter: Encrypter,
  ) {}

  /**
   * Takes a snapshot of the whole state at this instant (the rows are copied
   * synchronously, then compressed off the event loop).
   *
   * @param agentVersion the drover version recorded in its header
   */
  async save(agentVersion: string): Promise<SavedSnapshot> {
    const { index, tableIndexes, rows } = this.server.store.snapshot();
    const content = encodeSnapshot(
      {
        Index: index,
        TableIndexes: tableIndexes,
        Region: this.server.region,
        CreatedAt: new Date(this.server.clock.nowMs()).toISOString(),
        AgentVersion: agentVersion,
        Keyring: this.encrypter.exportKeys(),
      },
      rows,
    );
    const data = await gzipAsync(content);
    return { data, index, digest: `sha-256=${createHash("sha256").update(data).digest("base64")}` };
  }

  /**
   * Reads a snapshot file without restoring it. A file that is not a
   * drover snapshot, or a damaged one, is a 400 that says why.
   */
  async read(file: Buffer): Promise<Snapshot> {
    let content: Buffer;
    try {
      checkSnapshotFile(file);
      content = await gunzipAsync(file, { maxOutputLength: SNAPSHOT_MAX_UNCOMPRESSED_BYTES });
    } catch (err) {
      throw snapshotRefusal(err instanceof SnapshotError ? err : gunzipFailure(err));
    }
    try {
      return decodeSnapshotContent(content);
    } catch (err) {
      throw snapshotRefusal(err);
    }
  }

  /**
   * Restores a snapshot file: all of it or, when it cannot be read or
   * loaded, nothing (a 400 that says why). Returns the restore's index and
   * a promise that resolves once the restored state is durable.
   */
  async restore(file: Buffer): Promise<{ index: number; durable: Promise<void> }> {
    const snapshot = await this.read(file);
    const region = snapshot.header.Region;
    if (region !== this.server.region)
      throw badRequest(
        `failed to restore from snapshot: it holds the state of region ${JSON.stringify(region)}, this request restores region ${JSON.stringify(this.server.region)}`,
      );
    this.checkKeyring(snapshot);
    // The keys go in first: should the rows then fail to load, the keyring holds a few more keys and nothing else changed.
    try {
      this.encrypter.addKeys(snapshot.header.Keyring);
    } catch (err) {
      throw badRequest(`failed to restore from snapshot: ${(err as Error).message}`);
    }
    const server = this.server;
    const wasRunning = server.isRunning;
    server.stop();
    let result: { index: number; durable: Promise<void> };
    try {
      result = server.store.restore(snapshot);
    } catch (err) {
      throw snapshotRefusal(err);
    } finally {
      server.acl.forgetCompiledPolicies();
      if (wasRunning) server.start();
    }
    server.logMessage(`snapshot: restored the state at index ${snapshot.header.Index} (now index ${result.index})`);
    return result;
  }

  /** Every variable of the snapshot must be readable: its key in the snapshot's keyring, or already held here. */
  private checkKeyring(snapshot: Snapshot): void {
    const carried = new Set(snapshot.header.Keyring.map((k) => k.KeyID));
    const held = new Set(this.encrypter.exportKeys().map((k) => k.KeyID));
    for (const r of snapshot.rows) {
      if (r.table !== "variables") continue;
      const v = JSON.parse(r.body) as { KeyID?: unknown; Namespace?: unknown; Path?: unknown };
      if (typeof v.KeyID !== "string" || (!carried.has(v.KeyID) && !held.has(v.KeyID)))
        throw badRequest(
          `failed to restore from snapshot: variable ${JSON.stringify(v.Path)} in namespace ${JSON.stringify(v.Namespace)} is encrypted with key ${JSON.stringify(v.KeyID)}, which the snapshot does not carry`,
        );
    }
  }
}

/** A `SnapshotError` as the 400 Nomad's wording wraps it in; anything else is passed on. */
function snapshotRefusal(err: unknown): unknown {
  if (err instanceof SnapshotError) return badRequest(`failed to restore from snapshot: ${err.message}`);
  return err;
}
