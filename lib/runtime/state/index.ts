/** drover's state store: tables, indexes, watchers and persistence. */
export * from "./schema";
export * from "./table";
export * from "./watch";
export * from "./persistence";
export * from "./sqlite";
export * from "./node-usage";
export * from "./scaling-events";
export * from "./store";
export * from "./txn";
export * from "./events";
export * from "./event-broker";
export * from "./snapshot";
export * from "./scaling-policies";
