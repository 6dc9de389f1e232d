/** `client.agent` (`api/agent.go`). */
import type { QueryOptions, QueryResponse } from "../query";
import type { Transport } from "../transport";
import type { AgentHealthResponse, AgentSelf, ServerMembers } from "../types/agent";

/** The local agent's endpoints. */
export class AgentEndpoint {
  constructor(private readonly t: Transport) {}

  /** `GET /v1/agent/self`: the agent's config, member and stats. */
  self(opts: QueryOptions = {}): Promise<QueryResponse<AgentSelf>> {
    return this.t.query("/v1/agent/self", {}, opts);
  }

  /** `GET /v1/agent/members`: the servers' gossip members. */
  members(opts: QueryOptions = {}): Promise<QueryResponse<ServerMembers>> {
    return this.t.query("/v1/agent/members", {}, opts);
  }

  /** `GET /v1/agent/health`: client and server health of this agent. */
  health(opts: QueryOptions = {}): Promise<QueryResponse<AgentHealthResponse>> {
    return this.t.query("/v1/agent/health", {}, opts);
  }
}
