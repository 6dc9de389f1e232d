/** `client.agent` (`api/agent.go`). */
import type { QueryOptions, QueryResponse, WriteOptions } from "../query";
import type { Transport } from "../transport";
import { JsonObjectSplitter } from "./client";
import type {
  AgentHealthResponse,
  AgentJoinResponse,
  AgentSelf,
  HostData,
  HostDataResponse,
  MonitorOptions,
  ServerMembers,
} from "../types/agent";

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

  /** `GET /v1/agent/servers`: the servers this client agent talks to. */
  servers(opts: QueryOptions = {}): Promise<QueryResponse<string[]>> {
    return this.t.query("/v1/agent/servers", {}, opts);
  }

  /**
   * `PUT /v1/agent/join?address=…`: asks the agent to join other servers'
   * gossip. The answer says how many it joined and why not the others (a
   * failed join is not an HTTP error, as in Nomad).
   */
  async join(addresses: readonly string[], opts: WriteOptions = {}): Promise<AgentJoinResponse> {
    return (await this.t.write<AgentJoinResponse>("PUT", "/v1/agent/join", undefined, { address: addresses }, opts)).data;
  }

  /** `PUT /v1/agent/force-leave?node=…[&prune=1]`: removes a failed member from the gossip pool. */
  async forceLeave(node: string, options: { prune?: boolean } & WriteOptions = {}): Promise<void> {
    const { prune, ...opts } = options;
    await this.t.write("PUT", "/v1/agent/force-leave", undefined, { node, prune: prune ? 1 : undefined }, opts);
  }

  /** `GET /v1/agent/host`: the machine of this agent (agent:read; without ACLs, only with `enable_debug`). */
  host(opts: QueryOptions = {}): Promise<QueryResponse<HostData>> {
    return this.t.query("/v1/agent/host", {}, opts);
  }

  /** `GET /v1/agent/host?node_id=` or `?server_id=`: the machine of another agent, with its ID. */
  hostOf(target: { nodeID: string } | { serverID: string }, opts: QueryOptions = {}): Promise<QueryResponse<HostDataResponse>> {
    const params = "nodeID" in target ? { node_id: target.nodeID } : { server_id: target.serverID };
    return this.t.query("/v1/agent/host", params, opts);
  }

  /**
   * `GET /v1/agent/monitor`: the agent's log, from now on, line by line
   * (each line as the agent formats it: text, or hclog's JSON with
   * `logJSON`), decoded from Nomad's stream frames. Ends when `signal`
   * aborts or the agent closes the stream.
   */
  async *monitor(options: MonitorOptions = {}): AsyncGenerator<string> {
    const params = {
      log_level: options.logLevel,
      log_json: options.logJSON ? true : undefined,
      node_id: options.nodeID,
      server_id: options.serverID,
    };
    const split = new JsonObjectSplitter();
    let partial = "";
    for await (const chunk of this.t.stream("/v1/agent/monitor", params, options)) {
      for (const raw of split.push(chunk.toString("utf8"))) {
        const data = (raw as { Data?: string }).Data;
        if (!data) continue;
        const lines = (partial + Buffer.from(data, "base64").toString("utf8")).split("\n");
        partial = lines.pop() ?? "";
        for (const l of lines) yield l;
      }
    }
  }

  /** `GET /v1/agent/health`: client and server health of this agent. */
  health(opts: QueryOptions = {}): Promise<QueryResponse<AgentHealthResponse>> {
    return this.t.query("/v1/agent/health", {}, opts);
  }
}
