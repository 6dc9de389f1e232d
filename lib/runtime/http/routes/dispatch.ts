/**
 * `PUT|POST /v1/job/:id/dispatch` (Nomad's `jobDispatchRequest`): dispatches
 * a parameterized job with a base64 `Payload`, `Meta`, `IdPrefixTemplate`
 * and `Priority`; `?idempotency_token=` makes retries return the same child.
 */
import { CodedError, badRequest } from "../../server/errors";
import { dispatchJob } from "../../server/dispatch";
import type { RequestContext } from "../context";
import { WRITE, type Reply, type Route } from "../router";
import { isObject } from "../request-body";
import { ACL_NONE, nsCapability } from "../route-acl";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes standard base64 strictly (Go's decoder rejects what Node's would skip). */
function decodePayload(v: unknown): Buffer | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw badRequest("Payload must be a base64 string");
  if (v.length % 4 !== 0 || !BASE64.test(v)) throw badRequest("Payload is not valid base64");
  return Buffer.from(v, "base64");
}

function decodeMeta(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw badRequest("Meta must be an object of strings");
  for (const [k, val] of Object.entries(v)) if (typeof val !== "string") throw badRequest(`Meta[${JSON.stringify(k)}] must be a string`);
  return v as Record<string, string>;
}

async function dispatch(ctx: RequestContext): Promise<Reply> {
  const body = ctx.rawBody.trim() ? ctx.json() : {};
  if (!isObject(body)) throw badRequest("Request body must be a JSON object");
  if (body.JobID !== undefined && body.JobID !== null && body.JobID !== "" && body.JobID !== ctx.params.id)
    throw badRequest("Job ID does not match");
  if (body.IdPrefixTemplate !== undefined && body.IdPrefixTemplate !== null && typeof body.IdPrefixTemplate !== "string")
    throw badRequest("IdPrefixTemplate must be a string");
  if (body.Priority !== undefined && body.Priority !== null && (typeof body.Priority !== "number" || !Number.isInteger(body.Priority)))
    throw badRequest("Priority must be an integer");
  const r = await dispatchJob(ctx.server, {
    JobID: ctx.params.id,
    Namespace: ctx.options.namespace,
    Payload: decodePayload(body.Payload),
    Meta: decodeMeta(body.Meta),
    IdPrefixTemplate: (body.IdPrefixTemplate as string | undefined) || undefined,
    Priority: (body.Priority as number | undefined) || undefined,
    IdempotencyToken: ctx.query.get("idempotency_token") || undefined,
  });
  return { body: r, index: r.Index };
}

/** The dispatch route (before the `/v1/job/:id+` catch-all; the ID may contain slashes). */
export const dispatchRoutes: Route[] = [
  { methods: WRITE, pattern: "/v1/job/:id+/dispatch", acl: nsCapability("dispatch-job"), handler: dispatch },
  // Other methods get Nomad's 405 rather than falling through to the job routes.
  { methods: ["GET", "DELETE"], pattern: "/v1/job/:id+/dispatch", acl: ACL_NONE, handler: () => invalidMethod() },
];

function invalidMethod(): never {
  throw new CodedError(405, "Invalid method");
}
