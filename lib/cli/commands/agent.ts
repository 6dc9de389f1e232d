/** `drover agent`: runs drover's included Nomad-compatible runtime in this process. */
import { parseLogLevel } from "../../runtime/log/agent-logger";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import type { AgentOptions } from "../../runtime/agent";

const USAGE = `Usage: drover agent --dev [options]

Runs a Nomad-compatible server, its HTTP API and a local client node in one
process (like nomad agent -dev). Drivers: mock_driver, raw_exec (enabled by
--dev, as in Nomad), exec (root, where the host allows it), docker (when an
engine answers on DOCKER_HOST or /var/run/docker.sock). The first line printed
is the address it listens on. SIGINT or SIGTERM shut it down cleanly.

Options:
  --dev                 Development mode: server and client in one process (required unless --config is given);
                        also turns on enable_debug (/v1/agent/host without ACLs), as nomad agent -dev does.
  --bind ADDR           Address to bind the HTTP API to (default 127.0.0.1).
  --port N              HTTP port (default 4646; 0 picks a free port).
  --data-dir DIR        Persist state under DIR (SQLite); without it state lives in memory.
  --config FILE         JSON agent config (client options, sim_nodes pools, more regions, log_level,
                        enable_debug); flags win over it.
  --sim-nodes N         Register N extra simulated nodes (default resources) in the datacenter.
  --host-volume NAME=PATH[:ro]
                        A host volume of the local node (repeatable), as the config
                        file's client.host_volume; PATH must be a directory.
  --node NAME           The agent's name, which its local node takes (Nomad's -node; default the host name).
  --region NAME         Region (default global).
  --datacenter NAME     Datacenter (default dc1).
  --no-client           Run the server only (no local node).
  --allowed-origin URL  Let web pages of this origin call the API (e.g. a web UI on http://localhost:3000); repeatable.
                        Requests from any other origin are refused; tools that send no Origin are not affected.
  --acl-enabled         Enforce ACL tokens on every endpoint (as acl { enabled = true }); bootstrap with drover acl bootstrap.

Exit codes: 0 clean shutdown, 1 failure to start, 2 usage error or unreadable config.`;

function intOption(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** The `--node` flag, checked as the config's `name` (`valid`: lib/runtime/config's VALID_AGENT_NAME). */
function nodeName(value: unknown, valid: RegExp): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !valid.test(value))
    throw new UsageError(`--node must be a node name (1 to 128 characters, no spaces), got ${JSON.stringify(value)}`);
  return value;
}

/** The `drover agent` command. */
export const command: Command = {
  name: "agent",
  summary: "Run the included Nomad-compatible runtime (server + client) in one process",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(
      argv,
      {
        dev: { type: "boolean" },
        bind: { type: "string" },
        port: { type: "string" },
        "data-dir": { type: "string" },
        config: { type: "string" },
        "sim-nodes": { type: "string" },
        region: { type: "string" },
        node: { type: "string" },
        datacenter: { type: "string" },
        "no-client": { type: "boolean" },
        "allowed-origin": { type: "string", multiple: true },
        "acl-enabled": { type: "boolean" },
        "host-volume": { type: "string", multiple: true },
      },
      false,
    );
    const v = args.values;
    if (!v.dev && !v.config) throw new UsageError("drover agent runs in development mode only: pass --dev (or --config FILE)");
    const { loadAgentConfigFile, durationMs, regionOptions, parseByteSize, VALID_AGENT_NAME } = await import("../../runtime/config");
    let file: ReturnType<typeof loadAgentConfigFile> = {};
    if (typeof v.config === "string") {
      try {
        file = loadAgentConfigFile(require("node:path").resolve(io.cwd, v.config));
      } catch (err) {
        io.err.write(`drover agent: ${(err as Error).message}\n`);
        return 2;
      }
    }
    const port = intOption("port", v.port, 0, 65535) ?? file.ports?.http ?? 4646;
    const simNodes = intOption("sim-nodes", v["sim-nodes"], 0, 1_000_000);
    const dataDir = typeof v["data-dir"] === "string" ? require("node:path").resolve(io.cwd, v["data-dir"]) : file.data_dir;
    const hostVolumes: Record<string, { path: string; readOnly?: boolean }> = {};
    for (const [name, hv] of Object.entries(file.client?.host_volume ?? {}))
      hostVolumes[name] = { path: require("node:path").resolve(io.cwd, hv.path), readOnly: hv.read_only };
    for (const spec of (v["host-volume"] as string[] | undefined) ?? []) {
      const m = /^([^=]+)=(.+?)(:ro|:rw)?$/.exec(spec);
      if (!m) throw new UsageError(`--host-volume ${JSON.stringify(spec)}: expected name=path[:ro]`);
      hostVolumes[m[1]] = { path: require("node:path").resolve(io.cwd, m[2]), readOnly: m[3] === ":ro" };
    }
    const options: AgentOptions = {
      bind: (v.bind as string | undefined) ?? file.bind_addr ?? "127.0.0.1",
      port,
      dataDir,
      region: (v.region as string | undefined) ?? file.region,
      name: nodeName(v.node, VALID_AGENT_NAME) ?? file.name,
      datacenter: (v.datacenter as string | undefined) ?? file.datacenter,
      client: v["no-client"] ? false : file.client?.enabled !== false,
      localNode: {
        nodeClass: file.client?.node_class,
        nodePool: file.client?.node_pool,
        meta: file.client?.meta,
        cpuMHz: file.client?.cpu_total_compute,
        memoryMB: file.client?.memory_total_mb,
        hostVolumes,
      },
      simPools: file.sim_nodes,
      artifactLimits: file.client?.artifact
        ? {
            httpReadTimeoutMs: durationMs(file.client.artifact.http_read_timeout) ?? 30 * 60_000,
            httpMaxBytes: parseByteSize(file.client.artifact.http_max_size ?? "100GB") ?? 100e9,
          }
        : undefined,
      plugins: {
        raw_exec: { enabled: v.dev === true || file.plugin?.raw_exec?.config?.enabled === true },
        exec: { enabled: file.plugin?.exec?.config?.enabled !== false },
        docker: {
          enabled: file.plugin?.docker?.config?.enabled !== false,
          endpoint: file.plugin?.docker?.config?.endpoint as string | undefined,
          volumesEnabled: (file.plugin?.docker?.config?.volumes as { enabled?: boolean } | undefined)?.enabled === true,
        },
      },
      regions: regionOptions(file.regions),
      allowedOrigins: [...(file.http_allowed_origins ?? []), ...((v["allowed-origin"] as string[] | undefined) ?? [])],
      limits: {
        maxGroupCount: file.limits?.max_group_count,
        httpMaxConnsPerClient: file.limits?.http_max_conns_per_client,
        httpMaxConns: file.limits?.http_max_conns,
        httpMaxBodyBytes: file.limits?.http_max_body_bytes,
        httpMaxJsonDepth: file.limits?.http_max_json_depth,
      },
      defaultTaskUser: file.client?.default_task_user,
      aclEnabled: v["acl-enabled"] === true || file.acl?.enabled === true,
      simNodes,
      telemetry: {
        prometheusMetrics: file.telemetry?.prometheus_metrics ?? v.dev === true,
        publishNodeMetrics: file.telemetry?.publish_node_metrics ?? v.dev === true,
      },
      heartbeat: { minTTLMs: durationMs(file.server?.min_heartbeat_ttl), graceMs: durationMs(file.server?.heartbeat_grace) },
      eventBuffer: {
        size: file.server?.event_buffer_size,
        maxBytes:
          file.server?.event_buffer_max_bytes !== undefined ? (parseByteSize(file.server.event_buffer_max_bytes) ?? undefined) : undefined,
      },
      gc: {
        evalGCThresholdMs: durationMs(file.server?.eval_gc_threshold),
        batchEvalGCThresholdMs: durationMs(file.server?.batch_eval_gc_threshold),
        jobGCThresholdMs: durationMs(file.server?.job_gc_threshold),
        deploymentGCThresholdMs: durationMs(file.server?.deployment_gc_threshold),
        nodeGCThresholdMs: durationMs(file.server?.node_gc_threshold),
        intervalMs: durationMs(file.server?.job_gc_interval),
      },
      log: (m) => io.err.write(`${m}\n`),
      logLevel: file.log_level ? parseLogLevel(file.log_level) : undefined,
      enableDebug: file.enable_debug ?? v.dev === true,
    };
    const { startAgent } = await import("../../runtime/agent");
    const { isLoopback, RequestGuard } = await import("../../runtime/http/request-guard");
    try {
      RequestGuard.checkOrigins(options.allowedOrigins ?? []);
    } catch (err) {
      throw new UsageError(`--allowed-origin: ${(err as Error).message}`);
    }
    let agent;
    try {
      agent = await startAgent(options);
    } catch (err) {
      io.err.write(`drover agent: failed to start: ${(err as Error).message}\n`);
      return 1;
    }
    io.out.write(`drover agent: listening on ${agent.address}\n`);
    if (!isLoopback(options.bind ?? "127.0.0.1") && !options.aclEnabled)
      io.err.write(
        `drover agent: warning: the HTTP API is bound to ${options.bind}, which is not a loopback address, and ACLs are not enabled (--acl-enabled): anyone who can reach ${options.bind}:${agent.port} can register jobs${options.plugins?.raw_exec?.enabled ? " and, with raw_exec enabled, run commands on this machine as the agent's user" : ""}\n`,
      );
    const nodes = agent.client?.nodes.length ?? 0;
    io.out.write(
      `drover agent: region ${options.region ?? "global"}, datacenter ${options.datacenter ?? "dc1"}, ${nodes} client node${nodes === 1 ? "" : "s"}, state ${dataDir ? `persisted in ${dataDir}` : "in memory"}\n`,
    );
    const drivers = agent.localNodeID ? agent.server.store.nodeByID(agent.localNodeID)?.Drivers : undefined;
    if (drivers) {
      const on = Object.keys(drivers).filter((d) => drivers[d].Detected && drivers[d].Healthy);
      const off = Object.keys(drivers)
        .filter((d) => !on.includes(d))
        .map((d) => `${d}: ${drivers[d].HealthDescription}`);
      io.out.write(`drover agent: drivers ${on.join(", ") || "none"}${off.length ? ` (not available: ${off.join("; ")})` : ""}\n`);
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        process.off("SIGINT", done);
        process.off("SIGTERM", done);
        resolve();
      };
      process.on("SIGINT", done);
      process.on("SIGTERM", done);
    });
    io.out.write("drover agent: shutting down\n");
    await agent.stop();
    return 0;
  },
};
