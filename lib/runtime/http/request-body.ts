/**
 * Reading a write request's JSON body as an object, with the check Nomad's
 * endpoints make when the body repeats the ID of the path (`JobID`,
 * `NodeID`, `DeploymentID`).
 */
import { badRequest } from "../server/errors";
import type { RequestContext } from "./context";

/** How `objectBody` reads a body. */
export interface ObjectBodyOptions {
  /** Whether an empty body stands for `{}` (else it is refused). @default false */
  readonly emptyAllowed?: boolean;
  /** The body's field that repeats the path's `:id`, e.g. "NodeID"; left out it is fine, set it must match. */
  readonly idField?: string;
  /** What the ID names in the mismatch message, e.g. "Node" for "Node ID does not match". */
  readonly idName?: string;
}

/** True for a JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The request body as a JSON object; a 400 "Request body must be a JSON
 * object" for anything else, and a 400 "<idName> ID does not match" when the
 * body's `idField` is set to another ID than the path's.
 */
export function objectBody(ctx: RequestContext, opts: ObjectBodyOptions = {}): Record<string, unknown> {
  const b = opts.emptyAllowed && !ctx.rawBody.trim() ? {} : ctx.json();
  if (!isObject(b)) throw badRequest("Request body must be a JSON object");
  const o = b;
  if (opts.idField !== undefined && o[opts.idField] !== undefined && o[opts.idField] !== ctx.params.id)
    throw badRequest(`${opts.idName ?? opts.idField} ID does not match`);
  return o;
}
