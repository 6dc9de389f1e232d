/**
 * Which agent a `node_id` or `server_id` parameter of `/v1/agent/monitor`
 * and `/v1/agent/host` names (Nomad forwards those requests to that agent).
 * drover's agent is its one server and the client of its nodes, so the
 * target is always this process; a node or server it does not know is
 * refused as Nomad refuses it.
 */
import { createHash } from "node:crypto";
import { CodedError, badRequest } from "../server/errors";
import type { RequestContext } from "./context";

/** A stable server ID (a UUID derived from the agent's name and region: drover has no Raft, so nothing else names the server). */
export function serverID(ctx: RequestContext): string {
  const h = createHash("sha256").update(`${ctx.agent.name}.${ctx.agent.region}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The server's gossip member name: `<name>.<region>`. */
export function serverName(ctx: RequestContext): string {
  return `${ctx.agent.name}.${ctx.agent.region}`;
}

/**
 * The agent `node_id` / `server_id` name: undefined when neither is given
 * (this agent), else the ID Nomad reports as `AgentID` (the node's ID, or the
 * server's member name). Throws Nomad's errors: both given (400, with
 * `bothMessage`), a node this agent does not know (404 `Unknown node "<id>"`),
 * a server that is not this one (500 `unknown nomad server <id>`).
 */
export function agentTarget(ctx: RequestContext, bothMessage: string): string | undefined {
  const nodeID = ctx.query.get("node_id") ?? "";
  const server = ctx.query.get("server_id") ?? "";
  if (nodeID !== "" && server !== "") throw badRequest(bothMessage);
  if (nodeID !== "") {
    if (!ctx.server.store.nodeByID(nodeID)) throw new CodedError(404, `Unknown node ${JSON.stringify(nodeID)}`);
    return nodeID;
  }
  if (server !== "") {
    if (server !== "leader" && server !== serverName(ctx) && server !== serverID(ctx) && server !== ctx.agent.name)
      throw new CodedError(500, `unknown nomad server ${server}`);
    return serverName(ctx);
  }
  return undefined;
}
