/** The client side of drover's runtime: nodes, alloc runners and drivers. */
export * from "./client";
export * from "./alloc-runner";
export * from "./alloc-dir";
export * from "./fingerprint";
export * from "./task-events";
export * from "./task-env";
export * from "./task-runner";
export * from "./restart-tracker";
