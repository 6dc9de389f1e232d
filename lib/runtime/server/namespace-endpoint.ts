/**
 * Namespace operations (`nomad/namespace_endpoint.go`): create or update,
 * and delete, which is refused for `default` and while the namespace has
 * jobs that are not stopped or allocations that are not terminal.
 */
import type { Namespace } from "../structs";
import { allocTerminal, VALID_NAMESPACE_NAME } from "../structs";
import { badRequest, notFound } from "./errors";
import type { Server } from "./server";

/** Namespaces. */
export class NamespaceEndpoint {
  constructor(private readonly server: Server) {}

  /** `PUT /v1/namespace[/:name]`: creates or updates a namespace. */
  async upsert(body: unknown, pathName?: string): Promise<number> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Request body must be a namespace object");
    const b = body as Record<string, unknown>;
    const name = typeof b.Name === "string" && b.Name !== "" ? b.Name : (pathName ?? "");
    if (pathName !== undefined && name !== pathName) throw badRequest("Namespace name does not match request path");
    if (!VALID_NAMESPACE_NAME.test(name))
      throw badRequest(`Invalid namespace "${name}": invalid name "${name}". Must match regex ${VALID_NAMESPACE_NAME.source}`);
    const description = b.Description ?? "";
    if (typeof description !== "string") throw badRequest("Description must be a string");
    if (description.length > 256) throw badRequest(`Invalid namespace "${name}": description longer than 256`);
    const quota = b.Quota ?? "";
    if (typeof quota !== "string") throw badRequest("Quota must be a string");
    if (quota !== "") throw badRequest(`Invalid namespace "${name}": quotas are a Nomad Enterprise feature and not supported`);
    const meta = b.Meta ?? null;
    if (meta !== null && (typeof meta !== "object" || Array.isArray(meta) || Object.values(meta).some((v) => typeof v !== "string")))
      throw badRequest("Meta must be a map of strings");
    const ns: Namespace = {
      Name: name,
      Description: description,
      Quota: "",
      Meta: meta as Record<string, string> | null,
      Capabilities: b.Capabilities ?? null,
      NodePoolConfiguration: b.NodePoolConfiguration ?? null,
      CreateIndex: 0,
      ModifyIndex: 0,
    };
    const { index, durable } = this.server.store.write((txn) => txn.putNamespace(ns));
    await durable;
    return index;
  }

  /** `DELETE /v1/namespace/:name`. */
  async delete(name: string): Promise<number> {
    if (name === "default") throw badRequest("can not delete default namespace");
    const store = this.server.store;
    if (!store.namespace(name)) throw notFound(`namespace ${name} does not exist`);
    if (store.jobs(name).some((j) => !j.Stop && j.Status !== "dead"))
      throw badRequest(`namespace "${name}" has non-terminal jobs in regions: [${this.server.region}]`);
    for (const j of store.jobs(name)) {
      if (store.allocsByJob(name, j.ID).some((a) => !allocTerminal(a)))
        throw badRequest(`namespace "${name}" has non-terminal allocations in regions: [${this.server.region}]`);
    }
    const { index, durable } = store.write((txn) => txn.deleteNamespace(name));
    await durable;
    return index;
  }
}
