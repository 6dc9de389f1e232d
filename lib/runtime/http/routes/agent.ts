/**
 * `/v1/status/*`, `/v1/agent/*` and `/v1/operator/scheduler/configuration`
 * (`/v1/regions` is served by the multiregion routes, which know every region).
 */
import type { SchedulerConfiguration } from "../../structs";
import { badRequest } from "../../server/errors";
import type { RequestContext } from "../context";
import { READ, WRITE, type Route } from "../router";
import { isObject } from "../request-body";
import { ACL_NONE, coarse } from "../route-acl";

function member(ctx: RequestContext) {
  const a = ctx.agent;
  return {
    Name: `${a.name}.${a.region}`,
    Addr: a.bindAddr,
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
    handler: (ctx) => ({
      body: {
        client: ctx.agent.nodeID ? { ok: true, message: "ok" } : undefined,
        server: { ok: ctx.server.isRunning, message: ctx.server.isRunning ? "ok" : "server is stopping" },
      },
      status: ctx.server.isRunning ? 200 : 500,
    }),
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
            ACL: { Enabled: false },
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
            runtime: { version: process.version, arch: process.arch, cpu_count: String(require("node:os").cpus().length) },
            client: a.nodeID ? { node_id: a.nodeID, known_servers: a.rpcAddr } : undefined,
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
