/**
 * `/v1/scaling/policies` and `/v1/scaling/policy/:id` (Nomad's
 * `command/agent/scaling_endpoint.go` and `nomad/scaling_endpoint.go`): the
 * scaling policies of the jobs' task groups, as the state store keeps them
 * in step with job registration.
 */
import { scalingPolicyStub } from "../../structs";
import { notFound } from "../../server/errors";
import { permissionDenied } from "../../server/acl-endpoint";
import type { RequestContext } from "../context";
import { READ, type Route } from "../router";
import { nsCapability } from "../route-acl";

/**
 * Nomad's check for reading policies in a namespace: `capability`
 * (list-scaling-policies or read-scaling-policy), or both `list-jobs` and
 * `read-job`.
 */
function mayRead(ctx: RequestContext, namespace: string, capability: string): boolean {
  return (
    ctx.acl.allowNamespaceOperation(namespace, capability) ||
    (ctx.acl.allowNamespaceOperation(namespace, "list-jobs") && ctx.acl.allowNamespaceOperation(namespace, "read-job"))
  );
}

/** The scaling policy routes. */
export const scalingRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/scaling/policies",
    acl: nsCapability(["list-scaling-policies", "read-job"]),
    tables: ["scaling_policy"],
    handler: (ctx) => {
      const namespace = ctx.options.namespace;
      if (namespace !== "*" && !mayRead(ctx, namespace, "list-scaling-policies")) throw permissionDenied();
      const policies = ctx.server.store.scalingPolicies({
        namespace,
        job: ctx.query.get("job") || undefined,
        type: ctx.query.get("type") || undefined,
        prefix: ctx.options.prefix || undefined,
      });
      return {
        body: policies.filter((p) => namespace !== "*" || mayRead(ctx, p.Target.Namespace, "list-scaling-policies")).map(scalingPolicyStub),
      };
    },
  },
  {
    methods: READ,
    pattern: "/v1/scaling/policy/:id",
    // Checked in the policy's own namespace (Nomad checks the request's; a token then cannot read another namespace's policy by ID).
    acl: nsCapability(["read-scaling-policy", "read-job"], (ctx) => ctx.server.store.scalingPolicy(ctx.params.id)?.Target.Namespace),
    tables: ["scaling_policy"],
    handler: (ctx) => {
      const policy = ctx.server.store.scalingPolicy(ctx.params.id);
      if (!policy) throw notFound("policy not found");
      if (!mayRead(ctx, policy.Target.Namespace, "read-scaling-policy")) throw permissionDenied();
      return { body: policy, index: policy.ModifyIndex };
    },
  },
];
