/**
 * `PUT|POST /v1/job/:id/periodic/force` (Nomad's `periodicForceRequest`):
 * launches a periodic job's child now; returns `{EvalID, EvalCreateIndex, Index}`.
 */
import { CodedError } from "../../server/errors";
import { WRITE, type Route } from "../router";
import { ACL_NONE, nsCapability } from "../route-acl";

/** The periodic force route (before the `/v1/job/:id+` catch-all; the ID may contain slashes). */
export const periodicRoutes: Route[] = [
  {
    methods: WRITE,
    pattern: "/v1/job/:id+/periodic/force",
    acl: nsCapability(["dispatch-job", "submit-job"]),
    handler: async (ctx) => {
      const r = await ctx.server.periodic.force(ctx.options.namespace, ctx.params.id);
      return { body: r, index: r.Index };
    },
  },
  // Other methods get Nomad's 405 rather than falling through to the job routes.
  {
    methods: ["GET", "DELETE"],
    pattern: "/v1/job/:id+/periodic/force",
    acl: ACL_NONE,
    handler: () => {
      throw new CodedError(405, "Invalid method");
    },
  },
];
