/** drover's included runtime: a Nomad-compatible server, HTTP API and clients in one process. */
export { startAgent, DROVER_VERSION, type Agent, type AgentOptions } from "./agent";
export { loadAgentConfigFile, type AgentConfigFile } from "./config";
export * from "./state";
export * from "./server";
export * from "./http";
export * from "./client";
export * from "./drivers";
export * from "./services";
