/** Response and request types of Nomad's HTTP API. */
export * from "./agent";
export * from "./allocation";
export * from "./client";
export * from "./deployment";
export * from "./diff";
export * from "./evaluation";
export * from "./job";
export * from "./metric";
export * from "./node";
export * from "./scaling";
export * from "./service";
