/**
 * `/v1/status/*`, `/v1/agent/*` and `/v1/operator/scheduler/configuration`
 * (`/v1/regions` is served by the multiregion routes, which know every region;
 * `/v1/agent/monitor` by agent-monitor.ts).
 */
import * as os from "node:os";
import type { SchedulerConfiguration } from "../../structs";
import { CodedError, badRequest } from "../../server/errors";
import { permissionDenied } from "../../server/acl-endpoint";
import { agentTarget, serverName } from "../agent-target";
import type { RequestContext } from "../context";
import { makeHostData } from "../host-data";
import { READ, WRITE, type Reply, type Route } from "../router";
import { isObject } from "../request-body";
import { ACL_NONE, coarse } from "../route-acl";

/** Nomad's warning for a join whose token may not write to the agent (it still joins, for now). */
const ANONYMOUS_JOIN_WARNING = "anonymous server join is deprecated and will be removed in a future version of Nomad";

/** A 200 with an empty body, as Nomad answers a handler that returns nothing. */
function emptyReply(): Reply {
  return {
    body: null,
    stream: async (res) => {
      res.writeHead(200, { "Content-Length": 0 });
      res.end();
    },
  };
}

/** Whether `address` (host, host:port, [v6]:port) names this agent's own gossip address, `<bind>:4648`. */
function isOwnSerfAddress(ctx: RequestContext, address: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(address.trim());
  if (!m) return false;
  const host = m[1] ?? m[2];
  const port = m[3] ?? "4648";
  const own = new Set([ctx.agent.bindAddr, ctx.agent.name, ctx.agent.rpcAddr.replace(/:\d+$/, "")]);
  if (ctx.agent.bindAddr === "0.0.0.0" || ctx.agent.bindAddr === "127.0.0.1") own.add("localhost").add("127.0.0.1");
  return own.has(host) && port === "4648";
}

function member(ctx: RequestContext) {
  const a = ctx.agent;
  return {
    Name: `${a.name}.${a.region}`,
    // The advertised address, the host of the leader address the status endpoints report (so `server members` finds its leader).
    Addr: a.rpcAddr.replace(/:\d+$/, ""),
    Port: 4648,
    Tags: {
      role: "nomad",
      region: a.region,
      dc: a.datacenter,
      build: a.version,
      port: "4647",
      bootstrap: "1",
      vsn: "1",
      raft_vsn: "3",
      mvn: "1",
    },
    Status: "alive",
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  };
}

/** The agent, status and operator routes. */
export const agentRoutes: Route[] = [
  { methods: READ, pattern: "/v1/status/leader", acl: ACL_NONE, handler: (ctx) => ({ body: ctx.agent.rpcAddr }) },
  { methods: READ, pattern: "/v1/status/peers", acl: ACL_NONE, handler: (ctx) => ({ body: [ctx.agent.rpcAddr] }) },
  {
    methods: READ,
    pattern: "/v1/agent/health",
    acl: ACL_NONE,
    handler: (ctx) => {
      // `type=client` and/or `type=server` check only those, and fail what this agent does not run (Nomad's HealthRequest).
      const types = ctx.query.getAll("type");
      const wantClient = types.length === 0 || types.includes("client");
      const wantServer = types.length === 0 || types.includes("server");
      const health: { client?: { ok: boolean; message: string }; server?: { ok: boolean; message: string } } = {};
      if (wantClient) {
        if (ctx.agent.nodeID) health.client = { ok: true, message: "ok" };
        else if (types.includes("client")) health.client = { ok: false, message: "client not enabled" };
      }
      if (wantServer) health.server = { ok: ctx.server.isRunning, message: ctx.server.isRunning ? "ok" : "server is stopping" };
      if (health.client?.ok === false || health.server?.ok === false) throw new CodedError(500, JSON.stringify(health));
      return { body: health };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/agent/join",
    // Nomad checks agent:write but, for now, only warns when the token lacks it.
    acl: ACL_NONE,
    handler: (ctx) => {
      let warning = "";
      if (ctx.authority.acl.enabled) {
        try {
          if (!ctx.authority.acl.resolve(ctx.options.token).acl.allow("agent", "write")) warning = ANONYMOUS_JOIN_WARNING;
        } catch {
          warning = ANONYMOUS_JOIN_WARNING;
        }
        if (warning) ctx.logger.log("WARN", `http: ${warning}`);
      }
      const addresses = ctx.query.getAll("address").filter((a) => a !== "");
      if (addresses.length === 0) throw badRequest("missing address to join");
      // One server, no gossip: joining its own address is a join of one; any other agent cannot be joined.
      const failed = addresses.filter((a) => !isOwnSerfAddress(ctx, a));
      const joined = addresses.length - failed.length;
      const error =
        failed.length === 0
          ? ""
          : `${failed.length === 1 ? "1 error occurred" : `${failed.length} errors occurred`}:\n${failed
              .map((a) => `\t* Failed to join ${a}: drover agents do not gossip: joining another agent is not implemented`)
              .join("\n")}\n\n`;
      return { body: { num_joined: joined, error, warning } };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/agent/force-leave",
    acl: coarse("agent", "write"),
    handler: (ctx) => {
      const node = ctx.query.get("node") ?? "";
      if (node === "") throw badRequest("missing node to force leave");
      const prune = ctx.query.get("prune");
      if (
        prune !== null &&
        prune !== "" &&
        !["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].includes(prune)
      )
        throw badRequest("invalid prune value");
      // As a single Nomad server: there is no other member to remove, and the server refutes a leave of itself.
      ctx.logger.log(
        "INFO",
        `agent: force-leave of ${JSON.stringify(node)}: ${node === serverName(ctx) ? "refuted, it is this server" : "no such member"}`,
      );
      return emptyReply();
    },
  },
  {
    methods: READ,
    pattern: "/v1/agent/host",
    acl: coarse("agent", "read"),
    handler: (ctx) => {
      // Nomad's AllowAgentDebug: with ACLs, agent:read; without, only when enable_debug is set.
      if (!ctx.authority.acl.enabled && !ctx.agent.enableDebug) throw permissionDenied();
      const target = agentTarget(ctx, "Can only forward to either client node or server");
      const data = makeHostData();
      return { body: target === undefined ? data : { AgentID: target, HostData: data } };
    },
  },
  {
    methods: READ,
    pattern: "/v1/agent/members",
    acl: coarse("node", "read"),
    handler: (ctx) => ({
      body: { ServerName: ctx.agent.name, ServerRegion: ctx.agent.region, ServerDC: ctx.agent.datacenter, Members: [member(ctx)] },
    }),
  },
  {
    methods: READ,
    pattern: "/v1/agent/self",
    acl: coarse("agent", "read"),
    handler: (ctx) => {
      const a = ctx.agent;
      const broker = ctx.server.broker.stats();
      return {
        body: {
          config: {
            Region: a.region,
            Datacenter: a.datacenter,
            NodeName: a.name,
            DataDir: a.dataDir,
            BindAddr: a.bindAddr,
            Ports: { HTTP: a.httpPort, RPC: 4647, Serf: 4648 },
            Version: { Version: a.version, VersionPrerelease: "", VersionMetadata: "drover", Revision: "" },
            Server: { Enabled: true, BootstrapExpect: 1 },
            Client: { Enabled: a.nodeID !== "", NodeID: a.nodeID },
            ACL: { Enabled: ctx.authority.acl.enabled },
          },
          member: member(ctx),
          stats: {
            nomad: { leader: "true", server: "true", known_regions: "1", bootstrap: "true", leader_addr: a.rpcAddr },
            broker: {
              total_ready: String(broker.totalReady),
              total_unacked: String(broker.totalUnacked),
              total_blocked: String(ctx.server.blocked.size),
              total_waiting: String(broker.totalWaiting),
            },
            raft: { applied_index: String(ctx.server.store.latestIndex()), state: "Leader" },
            runtime: {
              version: process.version,
              arch: process.arch,
              cpu_count: String(os.cpus().length),
              "kernel.name": os.platform(),
              max_procs: String(os.availableParallelism()),
            },
            client: a.nodeID
              ? { node_id: a.nodeID, known_servers: a.rpcAddr, num_allocations: String(ctx.server.store.allocsByNode(a.nodeID).length) }
              : undefined,
          },
        },
      };
    },
  },
  {
    methods: READ,
    pattern: "/v1/operator/scheduler/configuration",
    acl: coarse("operator", "read"),
    tables: ["scheduler_config"],
    handler: (ctx) => ({
      body: {
        SchedulerConfig: ctx.server.store.schedulerConfig(),
        Index: ctx.server.store.indexOf(["scheduler_config"]),
        LastContact: 0,
        KnownLeader: true,
      },
    }),
  },
  {
    methods: WRITE,
    pattern: "/v1/operator/scheduler/configuration",
    acl: coarse("operator", "write"),
    handler: async (ctx) => {
      const body = ctx.json();
      if (!isObject(body)) throw badRequest("Request body must be a JSON object");
      const current = ctx.server.store.schedulerConfig();
      const alg = body.SchedulerAlgorithm ?? current.SchedulerAlgorithm;
      if (alg !== "binpack" && alg !== "spread") throw badRequest(`invalid scheduler algorithm: ${JSON.stringify(alg)}`);
      for (const k of ["MemoryOversubscriptionEnabled", "RejectJobRegistration", "PauseEvalBroker"] as const)
        if (body[k] !== undefined && typeof body[k] !== "boolean") throw badRequest(`${k} must be a boolean`);
      if (body.PreemptionConfig !== undefined && !isObject(body.PreemptionConfig)) throw badRequest("PreemptionConfig must be an object");
      for (const [k, v] of Object.entries((body.PreemptionConfig as Record<string, unknown> | undefined) ?? {})) {
        if (!Object.prototype.hasOwnProperty.call(current.PreemptionConfig, k))
          throw badRequest(`PreemptionConfig.${k} is not a scheduler type's switch (${Object.keys(current.PreemptionConfig).join(", ")})`);
        if (typeof v !== "boolean") throw badRequest(`PreemptionConfig.${k} must be a boolean`);
      }
      const cas = ctx.query.get("cas");
      if (cas !== null && Number(cas) !== current.ModifyIndex) return { body: { Updated: false, Index: ctx.server.store.latestIndex() } };
      const next: SchedulerConfiguration = {
        ...current,
        SchedulerAlgorithm: alg,
        PreemptionConfig: { ...current.PreemptionConfig, ...((body.PreemptionConfig as object) ?? {}) },
        MemoryOversubscriptionEnabled: (body.MemoryOversubscriptionEnabled as boolean | undefined) ?? current.MemoryOversubscriptionEnabled,
        RejectJobRegistration: (body.RejectJobRegistration as boolean | undefined) ?? current.RejectJobRegistration,
        PauseEvalBroker: (body.PauseEvalBroker as boolean | undefined) ?? current.PauseEvalBroker,
      };
      const { index, durable } = ctx.server.store.write((txn) => txn.putSchedulerConfig(next));
      await durable;
      // A broker unpaused (PauseEvalBroker false) starts handing out the evaluations that waited.
      if (current.PauseEvalBroker && !next.PauseEvalBroker) ctx.server.kick();
      return { body: { Updated: true, Index: index }, index };
    },
  },
];
