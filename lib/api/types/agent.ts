/** Agent and status endpoints (`api/agent.go`, `api/status.go`). */

/** One gossip member (`api.AgentMember`). */
export interface AgentMember {
  /** `<node>.<region>`. */
  Name: string;
  /** IP. */
  Addr: string;
  /** Serf port. */
  Port: number;
  /** Tags (region, dc, role, build…). */
  Tags: Record<string, string> | null;
  /** alive, leaving, left, failed. */
  Status: string;
  /** Protocol minimum. */
  ProtocolMin?: number;
  /** Protocol maximum. */
  ProtocolMax?: number;
  /** Protocol current. */
  ProtocolCur?: number;
  /** Delegate minimum. */
  DelegateMin?: number;
  /** Delegate maximum. */
  DelegateMax?: number;
  /** Delegate current. */
  DelegateCur?: number;
}

/** `GET /v1/agent/self`. Keys are lower-case (json tags of `api.AgentSelf`). */
export interface AgentSelf {
  /** The agent's configuration. */
  config: Record<string, unknown>;
  /** The agent as a member (servers only). */
  member: AgentMember;
  /** Stats by subsystem. */
  stats: Record<string, Record<string, string>>;
}

/** `GET /v1/agent/members` (`api.ServerMembers`). */
export interface ServerMembers {
  /** Answering server name. */
  ServerName: string;
  /** Its region. */
  ServerRegion: string;
  /** Its datacenter. */
  ServerDC: string;
  /** Members. */
  Members: AgentMember[] | null;
}

/** `GET /v1/agent/health` (`api.AgentHealthResponse`); keys are lower-case. */
export interface AgentHealthResponse {
  /** Client health, on client agents. */
  client?: { ok: boolean; message: string };
  /** Server health, on server agents. */
  server?: { ok: boolean; message: string };
}
