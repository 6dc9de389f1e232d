/** Nomad's server-side structures, as drover's runtime keeps them. */
export * from "./node";
export * from "./allocation";
export * from "./alloc-stub";
export * from "./alloc-metric";
export * from "./job";
export * from "./evaluation";
export * from "./deployment";
export * from "./plan";
export * from "./scheduler-config";
export * from "./node-class";
export * from "./multiregion";
export * from "./acl";
export * from "./event";
export * from "./variable";
export * from "./scaling-policy";
export * from "./node-pool";
export * from "./service-registration";
