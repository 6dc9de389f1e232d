/**
 * The namespaces ACL checks use for routes whose object carries its own
 * namespace: an allocation, evaluation or deployment named by ID, and a
 * submitted job (its `Job.Namespace`, else the request's).
 */
import type { RequestContext } from "../context";

/** The namespace of the allocation in `:alloc` or `:id`. */
export function allocNamespace(ctx: RequestContext): string | undefined {
  return ctx.server.store.allocByID(ctx.params.alloc ?? ctx.params.id)?.Namespace;
}

/** The namespace of the evaluation in `:id`. */
export function evalNamespace(ctx: RequestContext): string | undefined {
  return ctx.server.store.evalByID(ctx.params.id)?.Namespace;
}

/** The namespace of the deployment in `:id`. */
export function deploymentNamespace(ctx: RequestContext): string | undefined {
  return ctx.server.store.deploymentByID(ctx.params.id)?.Namespace;
}

/** The namespace of the job in a register, plan or validate body (`Job.Namespace`), else the request's. */
export function submittedJobNamespace(ctx: RequestContext): string | undefined {
  let body: unknown;
  try {
    body = ctx.json();
  } catch {
    return undefined; // the handler answers the malformed body
  }
  const job = typeof body === "object" && body !== null ? (body as { Job?: unknown }).Job : undefined;
  const ns = typeof job === "object" && job !== null ? (job as { Namespace?: unknown }).Namespace : undefined;
  return typeof ns === "string" && ns !== "" ? ns : undefined;
}
