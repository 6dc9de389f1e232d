/** `/v1/agent/servers`: the fixed answer of a single-region, single-server cluster. */
import { READ, type Route } from "../router";
import { coarse } from "../route-acl";

/** The cluster routes. */
export const clusterRoutes: Route[] = [
  { methods: READ, pattern: "/v1/agent/servers", acl: coarse("agent", "read"), handler: (ctx) => ({ body: [ctx.agent.rpcAddr] }) },
];
