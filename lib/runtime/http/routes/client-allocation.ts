/**
 * `/v1/client/allocation/:id/...` (Nomad's `command/agent/alloc_endpoint.go`
 * client routes): resource usage, restart, signal and the checks of nomad
 * services; and `/v1/client/stats`, the host's usage.
 */
import { findJobGroup } from "../../structs";
import { badRequest, CodedError } from "../../server/errors";
import { READ, WRITE, type Route } from "../router";
import type { RequestContext } from "../context";
import { requestAlloc } from "../client-access";
import { allocUsage, hostStats } from "./client-stats";
import { coarse, nsCapability } from "../route-acl";
import { allocNamespace } from "./acl-namespaces";

function taskNames(a: ReturnType<typeof requestAlloc>): string[] {
  const tg = findJobGroup(a.Job, a.TaskGroup);
  return (tg?.Tasks ?? []).map((t) => t.Name ?? "");
}

function bodyObject(ctx: RequestContext): Record<string, unknown> {
  const b = ctx.json();
  if (b === undefined || b === null) return {};
  if (typeof b !== "object" || Array.isArray(b)) throw badRequest("Request body must be a JSON object");
  return b as Record<string, unknown>;
}

function checkTask(a: ReturnType<typeof requestAlloc>, task: string): void {
  if (task && !taskNames(a).includes(task)) throw badRequest(`Failed to find task "${task}" in allocation ${a.ID}`);
}

/** The client allocation routes. */
export const clientAllocationRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/client/allocation/:alloc/stats",
    acl: nsCapability("read-job", allocNamespace),
    handler: (ctx) => {
      const a = requestAlloc(ctx);
      const access = ctx.client;
      const onlyTask = ctx.query.get("task") ?? "";
      checkTask(a, onlyTask);
      const tasks = onlyTask ? [onlyTask] : taskNames(a);
      const running = (t: string) => a.TaskStates?.[t]?.State === "running";
      return { body: allocUsage(tasks, (t) => (running(t) && access.taskPids ? access.taskPids(a.ID, t) : [])) };
    },
  },
  {
    methods: READ,
    pattern: "/v1/client/allocation/:alloc/checks",
    acl: nsCapability("read-job", allocNamespace),
    handler: (ctx) => {
      const a = requestAlloc(ctx);
      return { body: ctx.server.services.checkResults(a.ID) };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/client/allocation/:alloc/restart",
    acl: nsCapability("alloc-lifecycle", allocNamespace),
    handler: async (ctx) => {
      const a = requestAlloc(ctx);
      const body = bodyObject(ctx);
      const task = typeof body.TaskName === "string" ? body.TaskName : "";
      if (body.AllTasks !== undefined && body.AllTasks !== null && typeof body.AllTasks !== "boolean")
        throw badRequest("AllTasks must be a boolean");
      const allTasks = body.AllTasks === true;
      // Nomad's client refuses both at once (client.RestartAllocation).
      if (allTasks && task) throw badRequest("task name cannot be set when restarting all tasks");
      checkTask(a, task);
      const access = ctx.client;
      if (!access.restartTask) throw new CodedError(501, "restarting tasks is not supported by this agent's client runtime");
      if (a.ClientStatus !== "running" && a.ClientStatus !== "pending") throw badRequest(`Allocation "${a.ID}" is not running`);
      await access.restartTask(a.ID, task, allTasks);
      return { body: {} };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/client/allocation/:alloc/signal",
    acl: nsCapability("alloc-lifecycle", allocNamespace),
    handler: async (ctx) => {
      const a = requestAlloc(ctx);
      const body = bodyObject(ctx);
      const task = typeof body.Task === "string" ? body.Task : "";
      const signal = typeof body.Signal === "string" && body.Signal ? body.Signal : "SIGKILL";
      if (!/^SIG[A-Z0-9]+$/.test(signal)) throw badRequest(`invalid signal ${JSON.stringify(signal)}`);
      checkTask(a, task);
      const access = ctx.client;
      if (!access.signalTask) throw new CodedError(501, "signalling tasks is not supported by this agent's client runtime");
      await access.signalTask(a.ID, task, signal);
      return { body: {} };
    },
  },
  {
    methods: READ,
    pattern: "/v1/client/stats",
    acl: coarse("node", "read"),
    handler: (ctx) => ({ body: hostStats(ctx.agent.dataDir) }),
  },
];
