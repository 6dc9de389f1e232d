/** The client side of drover's runtime: nodes, alloc runners and drivers. */
export * from "./client";
export * from "./alloc-runner";
export * from "./driver";
export * from "./mock-driver";
export * from "./fingerprint";
export * from "./task-events";
