/** Every block schema of the job model, and the inferred types. */
export { describeValue } from "./primitives";
export * from "./constraint";
export * from "./resources";
export * from "./identity";
export * from "./consul";
export * from "./service";
export * from "./policies";
export * from "./scaling";
export * from "./task";
export * from "./task-group";
export * from "./job";
