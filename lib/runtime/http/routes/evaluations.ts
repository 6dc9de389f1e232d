/** `/v1/evaluations` and `/v1/evaluation/:id` (Nomad's `eval_endpoint.go`). */
import { badRequest, notFound } from "../../server/errors";
import { READ, type Route } from "../router";
import { allocListStub } from "../responses";
import { inNamespace, listReply } from "./list";
import { nsCapability } from "../route-acl";
import { evalNamespace } from "./acl-namespaces";

const STATUSES = new Set(["blocked", "pending", "complete", "failed", "canceled"]);

/** The evaluation routes. */
export const evaluationRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/evaluations",
    acl: nsCapability("read-job"),
    tables: ["evals"],
    handler: (ctx) => {
      const job = ctx.query.get("job");
      const status = ctx.query.get("status");
      if (status && !STATUSES.has(status)) throw badRequest(`Invalid status value: ${JSON.stringify(status)}`);
      const evals = [...ctx.server.store.evals()]
        .filter((e) => inNamespace(ctx, e.Namespace) && (!job || e.JobID === job) && (!status || e.Status === status))
        .sort((a, b) => a.CreateIndex - b.CreateIndex || (a.ID < b.ID ? -1 : 1));
      return listReply(ctx, evals, (e) => e.ID);
    },
  },
  {
    methods: READ,
    pattern: "/v1/evaluation/:id/allocations",
    acl: nsCapability("read-job", evalNamespace),
    tables: ["allocs"],
    handler: (ctx) => ({ body: ctx.server.store.allocsByEval(ctx.params.id).map((a) => allocListStub(a)) }),
  },
  {
    methods: READ,
    pattern: "/v1/evaluation/:id",
    acl: nsCapability("read-job", evalNamespace),
    tables: ["evals"],
    handler: (ctx) => {
      const e = ctx.server.store.evalByID(ctx.params.id);
      if (!e) throw notFound("eval not found");
      if (ctx.query.get("related") !== "true") return { body: e };
      // Related evaluations: the rest of the job's chain (Nomad returns stubs of them).
      const related = ctx.server.store
        .evalsByJob(e.Namespace, e.JobID)
        .filter((x) => x.ID !== e.ID)
        .sort((a, b) => a.CreateIndex - b.CreateIndex)
        .map((x) => ({
          ID: x.ID,
          Namespace: x.Namespace,
          Priority: x.Priority,
          Type: x.Type,
          TriggeredBy: x.TriggeredBy,
          JobID: x.JobID,
          NodeID: x.NodeID,
          DeploymentID: x.DeploymentID,
          Status: x.Status,
          StatusDescription: x.StatusDescription,
          WaitUntil: x.WaitUntil,
          NextEval: x.NextEval,
          PreviousEval: x.PreviousEval,
          BlockedEval: x.BlockedEval,
          CreateIndex: x.CreateIndex,
          ModifyIndex: x.ModifyIndex,
          CreateTime: x.CreateTime,
          ModifyTime: x.ModifyTime,
        }));
      return { body: { ...e, RelatedEvals: related } };
    },
  },
];
