/**
 * Dynamic node metadata (Nomad 1.5+, `client/meta_endpoint.go`): keys set or
 * unset through `/v1/client/metadata` on top of the metadata a node was
 * configured with, kept per node by the client and, with a data directory,
 * in `<data-dir>/client/node-meta.json` (written whole to a temporary file,
 * then renamed), so that a restarted agent registers its nodes with them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { NodeMetaResponse } from "../../api/types/node";

/** What `/v1/client/metadata` answers (`structs.NodeMetaResponse`), the wire type of lib/api. */
export type { NodeMetaResponse };

/** A dotted HCL identifier, as Nomad requires of metadata keys (`NodeMetaApplyRequest.Validate`). */
const IDENTIFIER_PART = /^[\p{ID_Start}_][\p{ID_Continue}-]*$/u;

/**
 * Checks an apply request's `Meta` as Nomad does; returns the error text or
 * undefined. Values must be strings or null (null unsets the key).
 */
export function nodeMetaApplyProblem(meta: unknown): string | undefined {
  if (meta === undefined || meta === null || (typeof meta === "object" && !Array.isArray(meta) && Object.keys(meta).length === 0))
    return "missing required Meta object";
  if (typeof meta !== "object" || Array.isArray(meta)) return "Meta must be an object of strings or nulls";
  for (const [k, v] of Object.entries(meta)) {
    if (k === "") return "metadata keys must not be empty";
    if (!k.split(".").every((part) => IDENTIFIER_PART.test(part)))
      return `${JSON.stringify(k)} is invalid; metadata keys must be valid dotted hcl identifiers`;
    if (v !== null && typeof v !== "string") return `Meta[${JSON.stringify(k)}] must be a string or null`;
  }
  return undefined;
}

/** The dynamic metadata of a client's nodes. */
export class NodeMetaStore {
  private readonly dynamic = new Map<string, Record<string, string | null>>();
  private readonly statics = new Map<string, Record<string, string>>();
  /** Saves run one after the other, so the file always ends with the latest state. */
  private saving: Promise<void> = Promise.resolve();

  /** @param file where the dynamic metadata persists (none: in memory only). */
  constructor(private readonly file?: string) {
    if (!file) return;
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new Error(`${file}: cannot read the dynamic node metadata: ${(err as Error).message}`);
    }
    if (typeof raw !== "object" || raw === null) return;
    for (const [nodeID, meta] of Object.entries(raw as Record<string, unknown>))
      if (typeof meta === "object" && meta !== null) this.dynamic.set(nodeID, { ...(meta as Record<string, string | null>) });
  }

  /** Records a node's configured metadata and returns its metadata with the dynamic keys applied. */
  register(nodeID: string, staticMeta: Record<string, string>): Record<string, string> {
    this.statics.set(nodeID, { ...staticMeta });
    return applyDynamic(staticMeta, this.dynamic.get(nodeID) ?? {});
  }

  /** What `GET /v1/client/metadata` answers for a node, given its current metadata. */
  read(nodeID: string, current: Record<string, string>): NodeMetaResponse {
    return { Meta: { ...current }, Dynamic: { ...(this.dynamic.get(nodeID) ?? {}) }, Static: { ...(this.statics.get(nodeID) ?? {}) } };
  }

  /**
   * Applies `meta` (null unsets) to a node's dynamic metadata and persists it,
   * as Nomad's `NodeMeta.Apply`: a null for a key that is not static forgets
   * it; a null for a static key is kept, so the key stays unset. Returns the
   * node's new metadata (`current` with the changes applied) and the response.
   */
  async apply(nodeID: string, current: Record<string, string>, meta: Record<string, string | null>): Promise<NodeMetaResponse> {
    const statics = this.statics.get(nodeID) ?? {};
    const dyn = { ...(this.dynamic.get(nodeID) ?? {}), ...meta };
    for (const [k, v] of Object.entries(meta)) if (v === null && !(k in statics)) delete dyn[k];
    const previous = this.dynamic.get(nodeID);
    this.dynamic.set(nodeID, dyn);
    try {
      await this.save();
    } catch (err) {
      if (previous) this.dynamic.set(nodeID, previous);
      else this.dynamic.delete(nodeID);
      throw err;
    }
    return { Meta: applyDynamic(current, meta), Dynamic: { ...dyn }, Static: { ...statics } };
  }

  private save(): Promise<void> {
    const next = this.saving.catch(() => undefined).then(() => this.write());
    this.saving = next;
    return next;
  }

  private async write(): Promise<void> {
    if (!this.file) return;
    const tmp = `${this.file}.tmp-${process.pid}`;
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    await fs.promises.writeFile(tmp, JSON.stringify(Object.fromEntries(this.dynamic)), { mode: 0o600 });
    await fs.promises.rename(tmp, this.file);
  }
}

/** `meta` with the keys of `changes` set, or removed where null. */
function applyDynamic(meta: Record<string, string>, changes: Record<string, string | null>): Record<string, string> {
  const out = { ...meta };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
