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

/** `PUT /v1/agent/join` (keys lower-case, as Nomad's `joinResponse`). */
export interface AgentJoinResponse {
  /** How many of the addresses were joined. */
  num_joined: number;
  /** Why the others were not ("" when all were). */
  error: string;
  /** A warning (an anonymous join is deprecated in Nomad), "" when none. */
  warning: string;
}

/** Disk usage of one mount point (`api.DiskUsage`), in MiB. */
export interface DiskUsage {
  /** Size. */
  DiskMB: number;
  /** Used. */
  UsedMB: number;
}

/** What an agent reports of its machine (`api.HostData`). */
export interface HostData {
  /** `uname`: machine, node name, release, system name, version. */
  OS: string;
  /** One map of attributes per interface address. */
  Network: Record<string, string>[];
  /** /etc/resolv.conf. */
  ResolvConf: string;
  /** /etc/hosts. */
  Hosts: string;
  /** The agent's environment, secrets redacted. */
  Environment: Record<string, string>;
  /** Disk usage by mount point. */
  Disk: Record<string, DiskUsage>;
}

/** `GET /v1/agent/host` with `node_id` or `server_id` (`api.HostDataResponse`). */
export interface HostDataResponse {
  /** The agent that answered (a node ID or a server name). */
  AgentID: string;
  /** Its host data. */
  HostData?: HostData;
}

/** Options of `GET /v1/agent/monitor`. */
export interface MonitorOptions {
  /** Least severe level streamed: TRACE, DEBUG, INFO (default), WARN, ERROR. */
  logLevel?: string;
  /** Lines as JSON (`log_json`). */
  logJSON?: boolean;
  /** The agent of this client node (`node_id`). */
  nodeID?: string;
  /** The agent of this server (`server_id`, or "leader"). */
  serverID?: string;
  /** Region of the request. */
  region?: string;
  /** Stops the stream. */
  signal?: AbortSignal;
}
