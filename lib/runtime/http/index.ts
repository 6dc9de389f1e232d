/** The Nomad-compatible HTTP API of drover's runtime. */
export * from "./server";
export * from "./router";
export * from "./context";
export * from "./agent-info";
export * from "./responses";
export * from "./filter";
