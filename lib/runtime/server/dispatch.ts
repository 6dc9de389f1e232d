/**
 * Dispatching a parameterized job (Nomad's `Job.Dispatch` and
 * `validateDispatchRequest` in `nomad/job_endpoint.go`): the request's meta
 * and payload are checked against the parent's parameterized block, and a
 * batch child `<parent>/dispatch-<unix seconds>-<8 hex>` is registered with
 * the merged meta and the payload, plus its evaluation.
 *
 * Nomad stores the payload snappy-compressed; drover stores the bytes as
 * they came (base64 in `Payload`), which is what its client writes to the
 * task's `DispatchPayload.File`.
 */
import { randomBytes } from "node:crypto";
import type { Evaluation, StoredJob } from "../structs";
import { newChildJob } from "./child-job";
import { badRequest, notFound } from "./errors";
import { DEFAULT_JOB_PRIORITY, newJobEval } from "../structs";
import { rfc3339 } from "./clock";
import { isParameterizedJob, isPeriodicActive, isPeriodicJob } from "../structs";
import type { Server } from "./server";

/** The largest payload a dispatch may carry, in bytes (`DispatchPayloadSizeLimit`, 16 KiB). */
const DISPATCH_PAYLOAD_SIZE_LIMIT = 16 * 1024;

/** What a dispatched child's ID has between the parent's ID and the rest (`structs.DispatchLaunchSuffix`). */
const DISPATCH_LAUNCH_SUFFIX = "/dispatch-";

/** Priorities a job may have (`JobMinPriority`, the agent's default `JobMaxPriority`). */
const MIN_PRIORITY = 1;
const MAX_PRIORITY = 100;

/** A dispatch request (`structs.JobDispatchRequest`), already decoded. */
export interface DispatchRequest {
  /** The parameterized job. */
  JobID: string;
  /** The payload bytes. */
  Payload?: Buffer;
  /** Meta of the child; keys must be in the parent's MetaRequired or MetaOptional. */
  Meta?: Record<string, string>;
  /** Inserted into the child's ID after "dispatch-". */
  IdPrefixTemplate?: string;
  /** Priority of the child (0: the parent's). */
  Priority?: number;
  /** Same token, same child: a retried dispatch returns the child the first one made. */
  IdempotencyToken?: string;
  /** Namespace of the parent. */
  Namespace: string;
}

/** `api.JobDispatchResponse`. */
export interface DispatchResponse {
  DispatchedJobID: string;
  EvalID: string;
  EvalCreateIndex: number;
  JobCreateIndex: number;
  Index: number;
}

interface ParameterizedBlock {
  Payload?: string | null;
  MetaRequired?: string[] | null;
  MetaOptional?: string[] | null;
}

/** A Go `%v` of a string slice: `[a b]`. */
function goList(keys: string[]): string {
  return `[${keys.join(" ")}]`;
}

/** The child's ID (`structs.DispatchedID`): parent, "/dispatch-", optional prefix, unix seconds, 8 hex characters. */
function dispatchedID(
  parentID: string,
  idPrefixTemplate: string | undefined,
  nowMs: number,
  random: string = randomBytes(4).toString("hex"),
): string {
  const unix = Math.floor(nowMs / 1000);
  return idPrefixTemplate
    ? `${parentID}${DISPATCH_LAUNCH_SUFFIX}${idPrefixTemplate}-${unix}-${random}`
    : `${parentID}${DISPATCH_LAUNCH_SUFFIX}${unix}-${random}`;
}

/**
 * Checks a dispatch against the parent's parameterized block (payload mode
 * and size, meta keys, priority); throws a 400 naming the problem.
 */
function validateDispatch(req: DispatchRequest, parent: StoredJob, priority: number): void {
  const block = (parent.ParameterizedJob ?? {}) as ParameterizedBlock;
  const size = req.Payload?.length ?? 0;
  const mode = block.Payload || "optional";
  if (mode === "required" && size === 0) throw badRequest("Payload is not provided but required by parameterized job");
  if (mode === "forbidden" && size > 0) throw badRequest("Payload provided but forbidden by parameterized job");
  if (size > DISPATCH_PAYLOAD_SIZE_LIMIT) throw badRequest(`Payload exceeds maximum size; ${size} > ${DISPATCH_PAYLOAD_SIZE_LIMIT}`);
  const required = new Set(block.MetaRequired ?? []);
  const optional = new Set(block.MetaOptional ?? []);
  const meta = req.Meta ?? {};
  const unpermitted = Object.keys(meta)
    .filter((k) => !required.has(k) && !optional.has(k))
    .sort();
  if (unpermitted.length) throw badRequest(`Dispatch request included unpermitted metadata keys: ${goList(unpermitted)}`);
  const missing = [...required].filter((k) => !Object.prototype.hasOwnProperty.call(meta, k)).sort();
  if (missing.length) throw badRequest(`Dispatch did not provide required meta keys: ${goList(missing)}`);
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY)
    throw badRequest(`dispatch job priority must be between [${MIN_PRIORITY}, ${MAX_PRIORITY}]`);
}

/**
 * Dispatches a parameterized job: validates, honours the idempotency token
 * (an existing child of the parent with the same token is returned, with
 * no new evaluation, for as long as that child exists), and registers the
 * child with its evaluation in one write. Resolves once durable.
 */
export async function dispatchJob(server: Server, req: DispatchRequest): Promise<DispatchResponse> {
  if (!req.JobID) throw badRequest("missing parameterized job ID");
  const store = server.store;
  const parent = store.jobByID(req.Namespace, req.JobID);
  if (!parent) throw notFound("parameterized job not found");
  if (!isParameterizedJob(parent)) throw badRequest(`Specified job "${req.JobID}" is not a parameterized job`);
  if (parent.Stop) throw badRequest(`Specified job "${req.JobID}" is stopped`);
  const parentPriority = parent.Priority ?? DEFAULT_JOB_PRIORITY;
  const priority = req.Priority ? req.Priority : parentPriority;
  validateDispatch(req, parent, priority);

  if (req.IdempotencyToken) {
    const found = store
      .jobChildren(parent.Namespace, parent.ID)
      .find((c) => c.ParentID === parent.ID && c.DispatchIdempotencyToken === req.IdempotencyToken);
    if (found)
      return { DispatchedJobID: found.ID, EvalID: "", EvalCreateIndex: 0, JobCreateIndex: found.CreateIndex, Index: found.ModifyIndex };
  }

  const nowMs = server.clock.nowMs();
  const now = server.now();
  let childID = dispatchedID(parent.ID, req.IdPrefixTemplate, nowMs);
  while (store.jobByID(parent.Namespace, childID)) childID = dispatchedID(parent.ID, req.IdPrefixTemplate, nowMs);
  let evaluation: Evaluation | undefined;
  let child: StoredJob | undefined;
  const { index, durable } = store.write((txn) => {
    const copy = newChildJob(parent, childID, txn.index, now, {
      Dispatched: true,
      DispatchIdempotencyToken: req.IdempotencyToken ?? "",
      Priority: priority,
      Meta: { ...(parent.Meta ?? {}), ...(req.Meta ?? {}) },
      Payload: req.Payload && req.Payload.length ? req.Payload.toString("base64") : null,
    });
    txn.putJob(copy, true);
    child = copy;
    // A child of a periodic parameterized job is itself periodic: the launcher runs it, no eval now.
    if (isPeriodicActive(copy)) txn.putPeriodicLaunch(copy.Namespace, copy.ID, rfc3339(nowMs));
    if (!isPeriodicJob(copy)) {
      evaluation = newJobEval(copy, { id: server.newID(), now, triggeredBy: "job-register" });
      txn.putEval(evaluation);
    }
  });
  if (evaluation) server.route(evaluation);
  else if (child) server.periodic.add(child);
  await durable;
  return {
    DispatchedJobID: childID,
    EvalID: evaluation?.ID ?? "",
    EvalCreateIndex: evaluation?.CreateIndex ?? 0,
    JobCreateIndex: index,
    Index: index,
  };
}
