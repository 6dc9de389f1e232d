/** The server of drover's runtime. */
export * from "./server";
export * from "./clock";
export * from "./errors";
export * from "./eval-broker";
export * from "./blocked-evals";
export * from "./heartbeat";
export * from "./plan-applier";
export * from "./job-endpoint";
export * from "./node-endpoint";
export * from "./alloc-endpoint";
export * from "./job-diff";
export { DEFAULT_JOB_PRIORITY, newJobEval, type NewEvalFields } from "../structs";
export * from "./deployment-watcher";
export * from "./deployment-endpoint";
export * from "./drain";
export * from "./node-liveness";
export * from "./encrypter";
export * from "./variables-endpoint";
