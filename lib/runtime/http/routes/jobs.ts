/**
 * `/v1/jobs`, `/v1/job/:id/…`, `/v1/jobs/parse` and `/v1/validate/job`
 * (Nomad's `command/agent/job_endpoint.go`).
 */
import type { StoredJob } from "../../structs";
import { deploymentActive, jobGroups } from "../../structs";
import { badRequest, notFound } from "../../server/errors";
import { jobDiff } from "../../server/job-diff";
import { canonicalize, type Job } from "../../../jobspec";
import { formatDiagnostics as formatHclDiagnostics, parseJobHcl } from "../../../jobspec/hcl";
import type { JobRegisterRequest, ScaleRequest } from "../../server/job-endpoint";
import { flag, type RequestContext } from "../context";
import { READ, WRITE, type Route } from "../router";
import { objectBody, isObject } from "../request-body";
import { allocListStub, jobListStub, readBackJob } from "../responses";
import { inNamespace, listReply } from "./list";
import { nsCapability } from "../route-acl";
import { submittedJobNamespace } from "./acl-namespaces";

function job(ctx: RequestContext): StoredJob {
  const j = ctx.server.store.jobByID(ctx.options.namespace, ctx.params.id);
  if (!j) throw notFound("job not found");
  return j;
}

/** Reads a register request body and applies the agent-side checks (400s). */
function registerRequest(ctx: RequestContext, idFromPath?: string): JobRegisterRequest {
  const body = ctx.json();
  if (!isObject(body)) throw badRequest('Request body must be a JSON object with a "Job" field');
  if (body.Job === undefined || body.Job === null) throw badRequest("Job must be specified");
  if (!isObject(body.Job)) throw badRequest("Job must be a JSON object");
  const id = body.Job.ID;
  if (id === undefined || id === null || id === "") throw badRequest("Job ID hasn't been provided");
  if (typeof id !== "string") throw badRequest("Job ID must be a string");
  if (idFromPath !== undefined && id !== idFromPath) throw badRequest("Job ID does not match name");
  for (const k of ["EnforceIndex", "PreserveCounts", "PolicyOverride"] as const)
    if (body[k] !== undefined && body[k] !== null && typeof body[k] !== "boolean") throw badRequest(`${k} must be a boolean`);
  for (const k of ["JobModifyIndex", "EvalPriority"] as const)
    if (body[k] !== undefined && body[k] !== null && (typeof body[k] !== "number" || !Number.isInteger(body[k]) || (body[k] as number) < 0))
      throw badRequest(`${k} must be a non-negative integer`);
  if (typeof body.EvalPriority === "number" && body.EvalPriority !== 0 && (body.EvalPriority < 1 || body.EvalPriority > 100))
    throw badRequest("Eval priority must be between 1 and 100 inclusively");
  const ns = typeof body.Job.Namespace === "string" && body.Job.Namespace ? body.Job.Namespace : ctx.options.namespace;
  if (body.Job.Type === "system" && Array.isArray(body.Job.TaskGroups) && body.Job.TaskGroups.some((g) => isObject(g) && g.Scaling))
    throw badRequest("Task groups with job type system do not support scaling blocks");
  return {
    Job: body.Job,
    EnforceIndex: body.EnforceIndex as boolean | undefined,
    JobModifyIndex: body.JobModifyIndex as number | undefined,
    PreserveCounts: body.PreserveCounts as boolean | undefined,
    EvalPriority: body.EvalPriority as number | undefined,
    Namespace: ns,
  };
}

async function register(ctx: RequestContext, idFromPath?: string) {
  const request = registerRequest(ctx, idFromPath);
  const ns = request.Namespace ?? "default";
  if (!ctx.server.store.namespace(ns))
    throw badRequest(`job ${JSON.stringify((request.Job as { ID: string }).ID)} is in nonexistent namespace ${JSON.stringify(ns)}`);
  const r = await ctx.server.jobs.register(request);
  return { body: { ...r, LastContact: 0, KnownLeader: true }, index: r.Index };
}

/** The job routes. */
export const jobRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/jobs",
    acl: nsCapability("list-jobs"),
    tables: ["jobs", "job_summary"],
    handler: (ctx) => {
      const store = ctx.server.store;
      const withMeta = flag(ctx.query, "meta");
      const jobs = store
        .jobs(ctx.options.namespace === "*" ? "*" : ctx.options.namespace)
        .filter((j) => inNamespace(ctx, j.Namespace, "list-jobs"));
      return listReply(
        ctx,
        jobs.map((j) => jobListStub(j, store.jobSummary(j.Namespace, j.ID), withMeta)),
        (s) => s.ID,
      );
    },
  },
  { methods: WRITE, pattern: "/v1/jobs", acl: nsCapability("submit-job", submittedJobNamespace), handler: (ctx) => register(ctx) },
  {
    methods: WRITE,
    pattern: "/v1/jobs/parse",
    acl: nsCapability(["parse-job", "submit-job"]),
    handler: (ctx) => {
      const body = ctx.json();
      if (!isObject(body)) throw badRequest("Request body must be a JSON object");
      if (typeof body.JobHCL === "string" && body.JobHCL.trim() !== "") {
        const text = body.JobHCL.trim();
        if (!text.startsWith("{")) {
          // HCL2, as Nomad's jobspec2 with Path "input.hcl", no file functions, and the request's Variables as a var file.
          const variables = typeof body.Variables === "string" ? body.Variables : undefined;
          const r = parseJobHcl(body.JobHCL, { file: "input.hcl", allowFs: false, varContent: variables, strict: false });
          if (!r.job) throw badRequest(`Failed to parse job: ${formatHclDiagnostics(r.diagnostics.filter((d) => d.severity === "error"))}`);
          return { body: body.Canonicalize === true ? canonicalize(r.job as Job) : r.job };
        }
        let parsed: unknown;
        try {
          parsed = ctx.parseJson(text);
        } catch (err) {
          throw badRequest(`Failed to parse job: ${(err as Error).message}`);
        }
        if (isObject(parsed) && !("Job" in parsed) && ["job", "variable", "variables", "locals"].some((k) => k in parsed)) {
          // HCL's JSON syntax ({"job": {"name": {...}}}), as jobspec2 reads it.
          const r = parseJobHcl(body.JobHCL, {
            file: "input.hcl",
            allowFs: false,
            varContent: typeof body.Variables === "string" ? body.Variables : undefined,
            strict: false,
          });
          if (!r.job) throw badRequest(`Failed to parse job: ${formatHclDiagnostics(r.diagnostics.filter((d) => d.severity === "error"))}`);
          return { body: body.Canonicalize === true ? canonicalize(r.job as Job) : r.job };
        }
        const jobBody = isObject(parsed) && isObject(parsed.Job) ? parsed.Job : parsed;
        if (!isObject(jobBody)) throw badRequest("Failed to parse job: expected a JSON object");
        return { body: body.Canonicalize === true ? canonicalize(jobBody as Job) : jobBody };
      }
      throw badRequest("Job spec is empty");
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/validate/job",
    acl: nsCapability("read-job", submittedJobNamespace),
    handler: (ctx) => {
      const body = ctx.json();
      if (!isObject(body) || body.Job === undefined || body.Job === null) throw badRequest("Job must be specified");
      return { body: ctx.server.jobs.validate(body.Job) };
    },
  },
  {
    methods: READ,
    pattern: "/v1/job/:id/versions",
    acl: nsCapability("read-job"),
    tables: ["job_version"],
    handler: (ctx) => {
      const versions = ctx.server.store.jobVersions(ctx.options.namespace, ctx.params.id);
      if (versions.length === 0) throw notFound("job versions not found");
      const diffs = flag(ctx.query, "diffs") ? versions.slice(0, -1).map((v, i) => jobDiff(versions[i + 1], v)) : null;
      return {
        body: {
          Versions: versions.map(readBackJob),
          Diffs: diffs,
          Index: ctx.server.store.indexOf(["job_version"]),
          LastContact: 0,
          KnownLeader: true,
        },
      };
    },
  },
  {
    methods: READ,
    pattern: "/v1/job/:id/allocations",
    acl: nsCapability("read-job"),
    tables: ["allocs"],
    handler: (ctx) => {
      const all = flag(ctx.query, "all");
      const store = ctx.server.store;
      const current = store.jobByID(ctx.options.namespace, ctx.params.id);
      let allocs = [...store.allocsByJob(ctx.options.namespace, ctx.params.id)];
      if (!all && current) allocs = allocs.filter((a) => a.Job.CreateIndex === current.CreateIndex);
      return { body: allocs.sort((a, b) => a.CreateIndex - b.CreateIndex).map((a) => allocListStub(a)) };
    },
  },
  {
    methods: READ,
    pattern: "/v1/job/:id/evaluations",
    acl: nsCapability("read-job"),
    tables: ["evals"],
    handler: (ctx) => ({
      body: ctx.server.store.evalsByJob(ctx.options.namespace, ctx.params.id).sort((a, b) => a.CreateIndex - b.CreateIndex),
    }),
  },
  {
    methods: READ,
    pattern: "/v1/job/:id/deployments",
    acl: nsCapability("read-job"),
    tables: ["deployment"],
    handler: (ctx) => ({ body: [...ctx.server.store.deploymentsByJob(ctx.options.namespace, ctx.params.id)] }),
  },
  {
    methods: READ,
    pattern: "/v1/job/:id/deployment",
    acl: nsCapability("read-job"),
    tables: ["deployment"],
    handler: (ctx) => ({ body: ctx.server.store.latestDeploymentByJobID(ctx.options.namespace, ctx.params.id) ?? null }),
  },
  {
    methods: READ,
    pattern: "/v1/job/:id/summary",
    acl: nsCapability("read-job"),
    tables: ["job_summary"],
    handler: (ctx) => {
      const s = ctx.server.store.jobSummary(ctx.options.namespace, ctx.params.id);
      if (!s) throw notFound("job not found");
      return { body: s };
    },
  },
  {
    methods: READ,
    pattern: "/v1/job/:id/scale",
    acl: nsCapability(["read-job-scaling", "read-job"]),
    tables: ["jobs", "allocs", "deployment", "scaling_event"],
    handler: (ctx) => {
      const j = job(ctx);
      const store = ctx.server.store;
      const allocs = store.allocsByJob(j.Namespace, j.ID);
      const deployment = store.latestDeploymentByJobID(j.Namespace, j.ID);
      const events = store.scalingEvents(j.Namespace, j.ID);
      const groups: Record<string, unknown> = {};
      for (const tg of jobGroups(j)) {
        const live = allocs.filter(
          (a) =>
            a.TaskGroup === tg.Name &&
            a.DesiredStatus === "run" &&
            a.ClientStatus !== "complete" &&
            a.ClientStatus !== "failed" &&
            a.ClientStatus !== "lost",
        );
        const dstate = deployment && deploymentActive(deployment) ? deployment.TaskGroups[tg.Name] : undefined;
        groups[tg.Name] = {
          Desired: tg.Count ?? 1,
          Placed: live.length,
          Running: live.filter((a) => a.ClientStatus === "running").length,
          Healthy: dstate ? dstate.HealthyAllocs : live.filter((a) => a.DeploymentStatus?.Healthy === true).length,
          Unhealthy: dstate ? dstate.UnhealthyAllocs : live.filter((a) => a.DeploymentStatus?.Healthy === false).length,
          Events: events[tg.Name] ?? null,
        };
      }
      return {
        body: {
          JobID: j.ID,
          Namespace: j.Namespace,
          JobCreateIndex: j.CreateIndex,
          JobModifyIndex: j.JobModifyIndex,
          JobStopped: Boolean(j.Stop),
          TaskGroups: groups,
        },
      };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/job/:id/scale",
    acl: nsCapability(["scale-job", "submit-job"]),
    handler: async (ctx) => {
      const body = ctx.json();
      if (!isObject(body)) throw badRequest("Request body must be a JSON object");
      if (body.Count !== undefined && body.Count !== null && typeof body.Count !== "number") throw badRequest("Count must be an integer");
      if (body.Target !== undefined && !isObject(body.Target)) throw badRequest("Target must be an object");
      const r = await ctx.server.jobs.scale(ctx.options.namespace, ctx.params.id, body as ScaleRequest);
      return { body: { ...r, LastContact: 0, KnownLeader: true }, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/job/:id/evaluate",
    acl: nsCapability("submit-job"),
    handler: async (ctx) => {
      const body = objectBody(ctx, { emptyAllowed: true, idField: "JobID", idName: "Job" });
      const force = isObject(body.EvalOptions) && body.EvalOptions.ForceReschedule === true;
      const r = await ctx.server.jobs.evaluate(ctx.options.namespace, ctx.params.id, { forceReschedule: force });
      return { body: r, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/job/:id/revert",
    acl: nsCapability("submit-job"),
    handler: async (ctx) => {
      const body = objectBody(ctx, { idField: "JobID", idName: "Job" });
      if (typeof body.JobVersion !== "number" || !Number.isInteger(body.JobVersion) || body.JobVersion < 0)
        throw badRequest("JobVersion must be a non-negative integer");
      const prior = body.EnforcePriorVersion;
      if (prior !== undefined && prior !== null && (typeof prior !== "number" || !Number.isInteger(prior)))
        throw badRequest("EnforcePriorVersion must be an integer");
      const r = await ctx.server.jobs.revert(ctx.options.namespace, ctx.params.id, body.JobVersion, prior as number | null | undefined);
      return { body: { ...r, LastContact: 0, KnownLeader: true }, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/job/:id/stable",
    acl: nsCapability("submit-job"),
    handler: async (ctx) => {
      const body = objectBody(ctx, { idField: "JobID", idName: "Job" });
      if (typeof body.JobVersion !== "number" || typeof body.Stable !== "boolean")
        throw badRequest("JobVersion (integer) and Stable (boolean) must be specified");
      const r = await ctx.server.jobs.setStable(ctx.options.namespace, ctx.params.id, body.JobVersion, body.Stable);
      return { body: r, index: r.Index };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/job/:id/plan",
    acl: nsCapability("submit-job", submittedJobNamespace),
    handler: (ctx) => {
      const body = ctx.json();
      if (!isObject(body) || body.Job === undefined || body.Job === null) throw badRequest("Job must be specified");
      if (!isObject(body.Job)) throw badRequest("Job must be a JSON object");
      if (body.Job.ID === undefined || body.Job.ID === null || body.Job.ID === "") throw badRequest("Job ID hasn't been provided");
      if (body.Job.ID !== ctx.params.id) throw badRequest("Job ID does not match");
      const ns = typeof body.Job.Namespace === "string" && body.Job.Namespace ? body.Job.Namespace : ctx.options.namespace;
      const r = ctx.server.jobs.plan(body.Job, { diff: body.Diff === true, namespace: ns });
      return { body: r, index: r.Index };
    },
  },
  {
    methods: READ,
    pattern: "/v1/job/:id+",
    acl: nsCapability("read-job"),
    tables: ["jobs"],
    handler: (ctx) => ({ body: readBackJob(job(ctx)) }),
  },
  {
    methods: WRITE,
    pattern: "/v1/job/:id+",
    acl: nsCapability("submit-job", submittedJobNamespace),
    handler: (ctx) => register(ctx, ctx.params.id),
  },
  {
    methods: ["DELETE"],
    pattern: "/v1/job/:id+",
    acl: nsCapability("submit-job"),
    handler: async (ctx) => {
      const priorityText = ctx.query.get("eval_priority");
      const evalPriority = priorityText ? Number(priorityText) : undefined;
      if (evalPriority !== undefined && (!Number.isInteger(evalPriority) || evalPriority < 1 || evalPriority > 100))
        throw badRequest("Eval priority must be between 1 and 100 inclusively");
      const r = await ctx.server.jobs.deregister(ctx.options.namespace, ctx.params.id, { purge: flag(ctx.query, "purge"), evalPriority });
      return { body: r, index: r.Index };
    },
  },
];
