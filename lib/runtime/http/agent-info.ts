/**
 * Facts about the agent the HTTP API reports (`/v1/agent/self`,
 * `/v1/agent/members`, `/v1/status/leader`).
 */

/** Agent facts. */
export interface AgentInfo {
  /** Node name of the agent (the hostname by default). */
  name: string;
  /** Region, default "global". */
  region: string;
  /** Datacenter, default "dc1". */
  datacenter: string;
  /** HTTP bind address. */
  bindAddr: string;
  /** HTTP port. */
  httpPort: number;
  /** The RPC address Nomad would report for the leader (drover has no RPC; this is `<bind>:4647`). */
  rpcAddr: string;
  /** Data dir, "" when in memory. */
  dataDir: string;
  /** drover's version. */
  version: string;
  /** The local client node's ID, "" when the agent runs no client. */
  nodeID: string;
  /** Nomad's `enable_debug` (lets `/v1/agent/host` answer when ACLs are disabled). */
  enableDebug: boolean;
}
