/**
 * `/v1/operator/raft/configuration` and `/v1/operator/autopilot/health`
 * (Nomad's `command/agent/operator_endpoint.go`): the answers of a cluster of
 * one server, which is its own leader and always healthy. And
 * `/v1/operator/snapshot`: save (GET) and restore (PUT) of the whole state.
 */
import { serverID } from "../agent-target";
import { READ, WRITE, type Route } from "../router";
import { ACL_MANAGEMENT, coarse } from "../route-acl";

/** The largest snapshot file `PUT /v1/operator/snapshot` accepts: 256 MiB (compressed). */
export const SNAPSHOT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

/** The operator routes. */
export const operatorRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/operator/snapshot",
    // Nomad: operator:write, or the operator policy's snapshot-save capability (which drover's policies do not have).
    acl: coarse("operator", "write"),
    handler: async (ctx) => {
      const snap = await ctx.server.snapshots.save(ctx.agent.version);
      return {
        body: null,
        stream: async (res) => {
          res.writeHead(200, {
            "Content-Type": "application/octet-stream",
            "Content-Length": snap.data.length,
            Digest: snap.digest,
            "X-Nomad-Index": String(snap.index),
            "X-Nomad-KnownLeader": "true",
            "X-Nomad-LastContact": "0",
          });
          res.end(snap.data);
        },
      };
    },
  },
  {
    methods: WRITE,
    pattern: "/v1/operator/snapshot",
    acl: ACL_MANAGEMENT,
    binaryBody: { maxBytes: SNAPSHOT_MAX_UPLOAD_BYTES },
    handler: async (ctx) => {
      const { index, durable } = await ctx.server.snapshots.restore(ctx.bodyBytes);
      await durable;
      // Nomad answers a restore with an empty body.
      return {
        body: null,
        index,
        stream: async (res) => {
          res.writeHead(200, { "Content-Length": 0, "X-Nomad-Index": String(index) });
          res.end();
        },
      };
    },
  },
  {
    methods: READ,
    pattern: "/v1/operator/raft/configuration",
    acl: coarse("operator", "read"),
    handler: (ctx) => ({
      body: {
        Index: ctx.server.store.latestIndex(),
        Servers: [
          {
            Address: ctx.agent.rpcAddr,
            ID: serverID(ctx),
            Leader: true,
            Node: `${ctx.agent.name}.${ctx.agent.region}`,
            RaftProtocol: "3",
            Voter: true,
          },
        ],
      },
    }),
  },
  {
    methods: READ,
    pattern: "/v1/operator/autopilot/health",
    acl: coarse("operator", "read"),
    handler: (ctx) => ({
      body: {
        Healthy: true,
        FailureTolerance: 0,
        Servers: [
          {
            ID: serverID(ctx),
            Name: `${ctx.agent.name}.${ctx.agent.region}`,
            Address: ctx.agent.rpcAddr,
            SerfStatus: "alive",
            Version: ctx.agent.version,
            Leader: true,
            LastContact: "0s",
            LastTerm: 1,
            LastIndex: ctx.server.store.latestIndex(),
            Healthy: true,
            Voter: true,
            StableSince: STARTED.toISOString(),
          },
        ],
      },
    }),
  },
];

/** When this process started serving (a single server is stable from its start). */
const STARTED = new Date();
